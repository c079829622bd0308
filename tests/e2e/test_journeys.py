"""Journeys through the real browser: citizen, editor, committee member, keyboard only.

(The moderator's journey lives with the moderation feature.)
"""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from events.models import Event
from goals.models import Goal
from participation.models import Comment, User
from tests.e2e.conftest import focus_indicator, log_in, log_in_staff

PASSWORD = "Volmetal-Brücke-2035"


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        slug="mobilitaet-neu-denken",
        title="Mobilität neu denken!",
        claim="Verkehr umweltfreundlich gestalten",
        number=10,
        status=Goal.Status.PUBLISHED,
    )


@pytest.fixture
def bobs_comment(goal, open_round, other_citizen) -> Comment:
    return Comment.objects.create(
        goal=goal, round=open_round, author=other_citizen, text="Mehr Fahrradstellplätze am Hbf!"
    )


def register(page, base_url: str, email: str, display_name: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Registrieren").click()
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Öffentlicher Anzeigename").fill(display_name)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Ich akzeptiere die Netiquette").check()
    page.get_by_label("Ich habe die Datenschutzerklärung gelesen").check()
    page.get_by_role("button", name="Registrieren").click()
    page.get_by_role("heading", name="Bitte bestätigen Sie Ihre E-Mail-Adresse").wait_for()


@pytest.mark.django_db(transaction=True)
def test_citizen_registers_confirms_comments_supports_and_replies(
    live_server, page, goal, bobs_comment
):
    register(page, live_server.url, "journey@example.org", "Volme-Fan")
    assert User.objects.filter(email="journey@example.org", display_name="Volme-Fan").exists()

    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Bestätigen").click()

    log_in(page, live_server.url, "journey@example.org", PASSWORD)
    page.get_by_text("Sie sind als Volme-Fan angemeldet.").wait_for()

    page.goto(live_server.url + goal.get_absolute_url())
    page.get_by_label("Ihr Beitrag").fill("Eine Fahrradstraße durch die Innenstadt, bitte!")
    page.get_by_role("button", name="Beitrag absenden").click()
    page.get_by_text("Vielen Dank! Ihr Beitrag ist veröffentlicht.").wait_for()
    mine = page.locator("article.comment", has_text="Eine Fahrradstraße durch die Innenstadt")
    assert "Volme-Fan" in mine.inner_text()

    bobs = page.locator(f"#beitrag-{bobs_comment.pk}")
    bobs.get_by_role("button", name=re.compile("^Zustimmen")).click()
    page.get_by_text("Sie stimmen diesem Beitrag zu.").wait_for()
    assert (
        page.locator(f"#beitrag-{bobs_comment.pk}")
        .get_by_role("button", name=re.compile("^Zugestimmt"))
        .get_attribute("aria-pressed")
        == "true"
    )

    thread = page.locator("ol.comment-list > li", has=page.locator(f"#beitrag-{bobs_comment.pk}"))
    thread.get_by_text("Antworten", exact=True).click()
    thread.get_by_label("Ihre Antwort").fill("Gute Idee, auch in Haspe!")
    thread.get_by_role("button", name="Antwort absenden").click()
    reply = page.locator("ol.reply-list article.comment", has_text="Gute Idee, auch in Haspe!")
    reply.wait_for()
    assert "Volme-Fan" in reply.inner_text()
    assert Comment.objects.filter(parent=bobs_comment, author__display_name="Volme-Fan").exists()


def choose_autocomplete(page, container, text: str) -> None:
    """Pick `text` in one of the admin's select2 autocomplete widgets."""
    container.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


@pytest.mark.django_db(transaction=True)
def test_editor_creates_goal_with_measure_and_event_that_appear_publicly(live_server, page, editor):
    log_in_staff(page, live_server.url, editor)
    admin = live_server.url + "/admin/"

    page.goto(admin + "goals/measure/add/")
    page.locator("#id_text").fill("Quartiersgaragen am Rand der Innenstadt")
    # A new measure is a draft until the editor publishes it.
    assert not page.locator("#id_is_published").is_checked()
    page.locator("#id_is_published").check()
    page.locator("input[name=_save]").click()
    page.locator(".messagelist .success").wait_for()

    page.goto(admin + "goals/goal/add/")
    page.locator("#id_title").fill("Grüne Dächer")
    page.locator("#id_claim").fill("Hagen kühlt sich ab")
    page.locator("#id_key_messages-0-text").fill("Jedes neue Flachdach wird begrünt.")
    measures_inline = page.locator("#measure_links-group")
    choose_autocomplete(page, measures_inline, "Quartiersgaragen")
    page.locator("input[name=_save]").click()
    page.locator(".messagelist .success").wait_for()
    goal = Goal.objects.get(title="Grüne Dächer")
    assert goal.status == Goal.Status.DRAFT
    assert goal.slug
    assert page.context.request.get(live_server.url + goal.get_absolute_url()).status == 404

    page.locator("#result_list").get_by_role("checkbox").first.wait_for()
    page.locator("tr", has_text="Grüne Dächer").get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    page.get_by_text("1 Ziel wurde veröffentlicht.").wait_for()

    page.goto(live_server.url + "/ziele/")
    page.get_by_role("link", name=re.compile("Grüne Dächer")).first.click()
    page.get_by_role("heading", level=1, name=re.compile("Grüne Dächer")).wait_for()
    main = page.locator("main").inner_text()
    assert "Jedes neue Flachdach wird begrünt." in main
    page.locator("main").get_by_role("link", name="Quartiersgaragen am Rand der Innenstadt").click()
    page.get_by_role("heading", level=1).wait_for()
    assert "Grüne Dächer" in page.locator("main").inner_text()

    starts = timezone.localtime() + timedelta(days=30)
    page.goto(admin + "events/event/add/")
    page.locator("#id_title").fill("Stadtteilwerkstatt Grüne Dächer")
    page.locator("#id_kind").select_option(Event.Kind.DISTRICT_WORKSHOP)
    page.locator("#id_audience").select_option(Event.Audience.PUBLIC)
    page.locator("#id_starts_at_0").fill(starts.strftime("%d.%m.%Y"))
    page.locator("#id_starts_at_1").fill("18:00")
    page.locator("#id_venue").fill("Rathaus an der Volme")
    # A new event starts unpublished.
    assert not page.locator("#id_is_published").is_checked()
    page.locator("#id_is_published").check()
    page.locator("input[name=_save]").click()
    page.locator(".messagelist .success").wait_for()

    page.goto(live_server.url + "/termine/")
    page.get_by_role("link", name="Stadtteilwerkstatt Grüne Dächer").click()
    page.get_by_role("heading", level=1, name="Stadtteilwerkstatt Grüne Dächer").wait_for()
    feed = page.context.request.get(live_server.url + "/termine/feed.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    mine = [e for e in events if str(e["SUMMARY"]) == "Stadtteilwerkstatt Grüne Dächer"]
    assert len(mine) == 1
    assert mine[0].decoded("DTSTART").astimezone(starts.tzinfo).strftime("%d.%m.%Y %H:%M") == (
        starts.strftime("%d.%m.%Y") + " 18:00"
    )
    assert str(mine[0]["LOCATION"]).startswith("Rathaus an der Volme")


def normalised(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("-\n", "-").split())


@pytest.mark.django_db(transaction=True)
def test_committee_member_prints_the_dossier_with_every_published_goal(live_server, page, seeded):
    page.goto(live_server.url + "/ziele/dossier/")
    pdf = page.pdf(format="A4")
    text = normalised("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    titles = list(Goal.objects.published().values_list("title", flat=True))
    assert titles  # the seed publishes the goals whose wording is known
    missing = [title for title in titles if normalised(title) not in text]
    assert missing == []


@pytest.mark.django_db(transaction=True)
def test_keyboard_only_reaches_and_submits_the_comment_form_with_visible_focus(
    live_server, page, goal, open_round, citizen
):
    log_in(page, live_server.url, citizen.email)
    page.get_by_text("Sie sind als Alice angemeldet.").wait_for()
    page.goto(live_server.url + goal.get_absolute_url())

    path = []
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = focus_indicator(page)
        path.append(focused)
        if focused["id"] == "id_text":
            break
    invisible = [f for f in path if not (f["outline"] or f["shadow"])]
    assert invisible == []
    assert path[-1]["id"] == "id_text", "The comment field was never reached with Tab."

    page.keyboard.type("Per Tastatur: mehr Querungshilfen für Fußgänger.")
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = focus_indicator(page)
        assert focused["outline"] or focused["shadow"], focused
        if focused["tag"] == "BUTTON":
            break
    assert focused["text"] == "Beitrag absenden"
    page.keyboard.press("Enter")
    page.get_by_text("Vielen Dank! Ihr Beitrag ist veröffentlicht.").wait_for()
    assert Comment.objects.get(author=citizen).text == (
        "Per Tastatur: mehr Querungshilfen für Fußgänger."
    )


@pytest.mark.django_db(transaction=True)
def test_keyboard_skip_link_is_first_tab_stop_and_focus_is_visible(live_server, page):
    page.goto(live_server.url + "/konto/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            return {text: el.textContent.trim(), href: el.getAttribute('href'),
                    top: el.getBoundingClientRect().top};
        }"""
    )
    assert focused["href"] == "#main"
    assert focused["text"] == "Zum Inhalt springen"
    indicator = focus_indicator(page)
    assert indicator["outline"] or indicator["shadow"]
    assert focused["top"] >= 0  # moved into view when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # After the skip link, the next stop lies inside the main content, not the header.
    assert page.evaluate("() => !!document.activeElement.closest('main')")
    indicator = focus_indicator(page)
    assert indicator["outline"] or indicator["shadow"]
