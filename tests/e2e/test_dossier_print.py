"""The committee dossiers, the round results and the Abwägungstabelle print on A4 portrait
with 1.5 cm margins: nothing wider than the printable width, no URLs printed after links,
„Stand …“ and „Seite x von y“ on every page, no web interface; on screen they pass axe and
reflow. The PDFs are kept in var/test-artifacts/print/ to be looked at."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from events.models import District
from goals.models import Goal, Measure
from participation import services
from participation.models import Comment
from tests.e2e.conftest import ARTIFACTS, log_in_staff
from tests.e2e.test_accessibility import PageChecks

PRINTABLE_WIDTH_PX = 180 / 25.4 * 96  # A4 (210 mm) less two margins of 1.5 cm
LANDSCAPE_WIDTH_PX = 267 / 25.4 * 96  # A4 landscape (297 mm) less the margins
A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)
PRINTS = ARTIFACTS / "print"
URL_AFTER_LINK = re.compile(r"\((?:https?://|/)[^)\s]*\)")
WEB_INTERFACE = ["Anmelden", "Registrieren", "Zum Inhalt springen", "Leichte Sprache", "Sortierung"]


@pytest.fixture
def public_input(seeded, open_round, citizen, other_citizen, editor, moderator):
    """Seeded goals with evaluated contributions from Haspe, an answer and a hidden one."""
    haspe = District.objects.get(slug="haspe")
    for person in (citizen, other_citizen):
        person.district = haspe
        person.save()
    goal = Goal.objects.published().first()
    measure = Measure.objects.public().serving(goal).first()
    long_word = "Donaudampfschifffahrtsgesellschaftskapitänsmütze" * 3
    for i in range(12):
        comment = Comment.objects.create(
            goal=goal,
            round=open_round,
            author=citizen if i % 2 else other_citizen,
            text=f"Beitrag {i}: mehr Grün an der Volme, sichere Radwege, {long_word}.",
        )
        if i < 4:
            services.comment_evaluate(
                comment=comment,
                editor=editor,
                changes={"outcome": "adopted", "outcome_measure": measure},
            )
        if i < 2:
            services.answer_create(comment=comment, author=editor, text="Danke, aufgenommen.")
    hidden = Comment.objects.create(goal=goal, round=open_round, author=citizen, text="Werbung")
    services.comment_hide(comment=hidden, moderator=moderator, reason="spam", note="Werbung")
    return {"goal": goal, "round": open_round, "district": haspe}


def too_wide(page) -> list[str]:
    """Elements reaching beyond the printable width of their page (portrait, or landscape
    where print.css puts them on a `page: wide`), or cut off inside their box."""
    return page.evaluate(
        """([portrait, landscape]) => {
            const onWidePage = e => {
                for (let a = e; a; a = a.parentElement) {
                    if (getComputedStyle(a).page === 'wide') return true;
                }
                return false;
            };
            const limit = e => (onWidePage(e) ? landscape : portrait);
            return [...document.querySelectorAll('body *')]
                .filter(e => e.offsetParent !== null && e.clientWidth > 1)  // not visually hidden
                .filter(e => e.getBoundingClientRect().right > limit(e) + 1
                             || (e.scrollWidth > e.clientWidth + 1
                                 && getComputedStyle(e).overflowX !== 'visible'))
                .map(e => e.tagName + '.' + e.className + ': '
                          + (e.textContent || '').trim().slice(0, 40));
        }""",
        [PRINTABLE_WIDTH_PX, LANDSCAPE_WIDTH_PX],
    )


def printed(page, url: str, name: str) -> tuple[list[str], list]:
    """Lay the page out for print at the printable width, then print it to PDF."""
    page.goto(url)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": int(PRINTABLE_WIDTH_PX), "height": 1000})
    wide = too_wide(page)
    pdf = page.pdf(prefer_css_page_size=True)
    page.emulate_media(media="screen")
    PRINTS.mkdir(parents=True, exist_ok=True)
    (PRINTS / f"{name}.pdf").write_bytes(pdf)
    return wide, PdfReader(io.BytesIO(pdf)).pages


def assert_printed_well(pages, *, min_pages: int, max_pages: int) -> str:
    assert min_pages <= len(pages) <= max_pages
    for page in pages:
        assert tuple(round(float(v)) for v in page.mediabox[2:]) in (A4_PORTRAIT, A4_LANDSCAPE)
    assert tuple(round(float(v)) for v in pages[0].mediabox[2:]) == A4_PORTRAIT
    # NFKC: the PDF's ligatures (ﬀ, ﬁ) read as the letters they stand for.
    texts = [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in pages]
    for number, text in enumerate(texts, start=1):
        assert f"Seite {number} von {len(pages)}" in text, number
        assert re.search(r"Stand: \d+\. \w+ \d{4}", text), number
    text = "\n".join(texts)
    assert URL_AFTER_LINK.findall(text) == []
    assert [word for word in WEB_INTERFACE if word in text] == []
    return text


@pytest.mark.django_db(transaction=True)
def test_goal_dossier_prints_on_a4_with_footer_and_without_urls(live_server, page, public_input):
    wide, pages = printed(page, live_server.url + "/ziele/dossier/", "ziele-dossier")
    assert wide == []
    goals = Goal.objects.published().count()
    text = assert_printed_well(pages, min_pages=goals + 1, max_pages=4 * (goals + 1))
    assert "Was die Öffentlichkeit gesagt hat" in text and "Danke, aufgenommen." in text


@pytest.mark.django_db(transaction=True)
def test_district_dossier_prints_on_a4_with_footer_and_without_urls(
    live_server, page, public_input
):
    url = live_server.url + "/bezirke/haspe/dossier/"
    wide, pages = printed(page, url, "bezirk-haspe-dossier")
    assert wide == []
    text = assert_printed_well(pages, min_pages=2, max_pages=20)
    assert "Dossier für den Stadtbezirk Haspe" in text and "Alice" not in text


@pytest.mark.django_db(transaction=True)
def test_round_results_print_on_a4_with_footer_and_without_urls(live_server, page, public_input):
    url = f"{live_server.url}/beteiligung/runden/{public_input['round'].slug}/ergebnisse/"
    wide, pages = printed(page, url, "runde-ergebnisse")
    assert wide == []
    text = assert_printed_well(pages, min_pages=1, max_pages=4)
    assert "Moderationsbilanz" in text and "Spam" in text


@pytest.mark.django_db(transaction=True)
def test_deliberation_table_prints_on_a4_with_footer_and_without_urls(
    live_server, page, public_input, editor
):
    log_in_staff(page, live_server.url, editor)
    url = (
        f"{live_server.url}/admin/participation/comment/abwaegung/"
        f"?runde={public_input['round'].pk}&format=seite"
    )
    wide, pages = printed(page, url, "abwaegungstabelle")
    assert wide == []
    text = assert_printed_well(pages, min_pages=1, max_pages=12)
    assert "Abwägungstabelle" in text and "Beitrag 11" in text


@pytest.mark.django_db(transaction=True)
def test_dossier_pages_pass_axe_and_reflow(live_server, page, public_input):
    checks = PageChecks(page)
    measure = Measure.objects.public().serving(public_input["goal"]).first()
    for url in [
        "/ziele/dossier/",
        "/bezirke/haspe/dossier/",
        f"/beteiligung/runden/{public_input['round'].slug}/ergebnisse/",
        measure.get_absolute_url(),
        "/beteiligung/",
    ]:
        checks.visit(live_server.url, url)
    assert checks.problems == {}, checks.problems
