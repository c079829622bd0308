"""axe (WCAG 2.1 A/AA, every impact) on every public page type and on forms shown with errors;
no horizontal scrolling in a 320 px wide viewport or at 200 % zoom (1280 px window → 640 css px).
"""

import pytest

from events.models import District, Event
from goals.models import Goal, Measure
from participation.models import Comment
from tests.e2e.conftest import axe_violations, clipped_captions, has_horizontal_scroll, log_in

DESKTOP = {"width": 1280, "height": 900}
# 200 % zoom of a 1280 px window lays the page out in 640 css px; 320 px is WCAG's reflow width.
NARROW_WIDTHS = {"200 % zoom": 640, "320 px": 320}


class PageChecks:
    """Collects axe violations and horizontal scrolling per page, to report them all at once."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: dict[str, list[str]] = {}

    def check(self, label: str) -> None:
        self.page.set_viewport_size(DESKTOP)
        found = axe_violations(self.page)
        for name, width in NARROW_WIDTHS.items():
            self.page.set_viewport_size({"width": width, "height": 800})
            if has_horizontal_scroll(self.page):
                found.append(f"horizontal scrolling at {name}")
            found.extend(f"caption cut off at {name}: {c}" for c in clipped_captions(self.page))
        self.page.set_viewport_size(DESKTOP)
        if found:
            self.problems[label] = found

    def visit(self, base_url: str, url: str) -> None:
        response = self.page.goto(base_url + url)
        assert response.status < 500, url
        self.check(url)


def submit(page, button: str) -> None:
    page.locator("main").get_by_role("button", name=button).click()
    page.locator(".invalid-feedback, .alert-danger, .errorlist").first.wait_for()


@pytest.fixture
def content(seeded, open_round, citizen, other_citizen):
    """Seeded goals plus contributions: one by the signed-in citizen, one by another citizen."""
    goal = Goal.objects.published().first()
    others = Comment.objects.create(
        goal=goal, round=open_round, author=other_citizen, text="Mehr Bänke an der Volme."
    )
    Comment.objects.create(
        goal=goal, round=open_round, author=citizen, parent=others, text="Gute Idee!"
    )
    Comment.objects.bulk_create(  # enough for a second page of contributions
        Comment(goal=goal, round=open_round, author=other_citizen, text=f"Beitrag {i}")
        for i in range(25)
    )
    mine = Comment.objects.create(
        goal=goal, round=open_round, author=citizen, text="Ein Radweg nach Haspe."
    )
    return {
        "goal": goal,
        "mine": mine,
        "measure": Measure.objects.public().first(),
        "event": Event.objects.published().exclude(slug="").first(),
        "district": District.objects.first(),
    }


@pytest.mark.django_db(transaction=True)
def test_public_pages_pass_axe_and_reflow(live_server, page, content):
    checks = PageChecks(page)
    goal, measure, event, district = (
        content[name] for name in ("goal", "measure", "event", "district")
    )
    for url in [
        "/",
        "/ueber-das-isek/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/netiquette/",
        "/kontakt/",
        "/ziele/",
        goal.get_absolute_url(),
        goal.get_absolute_url() + "?sortierung=zustimmung&seite=2",
        "/massnahmen/",
        f"/massnahmen/?ziel={goal.slug}&status=proposed",
        "/massnahmen/?status=done",  # an empty result
        measure.get_absolute_url(),
        "/ziele/matrix/",
        "/ziele/dossier/",
        "/termine/",
        f"/termine/?district={district.slug}&kind=&audience=public&goal=",
        event.get_absolute_url(),
        "/termine/ablauf/",
        "/bezirke/",
        district.get_absolute_url(),
        "/beteiligung/",
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/gibt-es-nicht/",
        "/ziele/gibt-es-nicht/",
    ]:
        checks.visit(live_server.url, url)

    page.goto(live_server.url + "/konto/login/")
    page.locator("#id_login").fill("niemand@example.org")
    page.locator("#id_password").fill("falsch")
    submit(page, "Anmelden")
    checks.check("/konto/login/ (with errors)")

    page.goto(live_server.url + "/konto/signup/")
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.locator("#id_password1").fill("123")
    submit(page, "Registrieren")
    checks.check("/konto/signup/ (with errors)")

    page.goto(live_server.url + "/konto/password/reset/")
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    submit(page, "Link senden")
    checks.check("/konto/password/reset/ (with errors)")

    assert checks.problems == {}


@pytest.mark.django_db(transaction=True)
def test_pages_of_a_signed_in_citizen_pass_axe_and_reflow(live_server, page, content, citizen):
    checks = PageChecks(page)
    goal, mine = content["goal"], content["mine"]
    log_in(page, live_server.url, citizen.email)
    page.get_by_text("Sie sind als Alice angemeldet.").wait_for()
    for url in [
        goal.get_absolute_url(),
        "/beteiligung/",
        f"/beitraege/{mine.pk}/bearbeiten/",
        f"/beitraege/{mine.pk}/zurueckziehen/",
        "/konto/uebersicht/",
        "/konto/email/",
        "/konto/password/change/",
        "/konto/2fa/",
        "/konto/loeschen/",
    ]:
        checks.visit(live_server.url, url)

    page.goto(live_server.url + goal.get_absolute_url())
    page.locator("#id_text").fill("   ")  # only spaces: the browser lets it through
    page.locator("main").get_by_role("button", name="Beitrag absenden").click()
    page.locator(".alert-danger").wait_for()
    checks.check("comment form (with errors)")

    page.goto(live_server.url + goal.get_absolute_url())
    page.locator("details.reply-form summary").first.click()
    page.locator("details.reply-form textarea").first.fill("   ")
    page.locator("details.reply-form").first.get_by_role("button").click()
    page.locator(".alert-danger").wait_for()
    checks.check("reply form (with errors)")

    page.goto(live_server.url + f"/beitraege/{mine.pk}/bearbeiten/")
    page.locator("#id_text").fill("   ")
    page.locator("main").get_by_role("button", name="Senden").click()
    page.locator(".alert-danger").wait_for()
    checks.check("edit form (with errors)")

    page.goto(live_server.url + "/konto/uebersicht/")
    page.locator("#id_display_name").fill("")
    page.locator("main form").first.get_by_role("button").first.click()
    page.locator(".invalid-feedback").first.wait_for()
    checks.check("/konto/uebersicht/ (with errors)")

    page.goto(live_server.url + "/konto/loeschen/")
    page.locator("#id_password").fill("falsch")
    page.locator("main form").get_by_role("button").first.click()
    page.locator(".invalid-feedback").first.wait_for()
    checks.check("/konto/loeschen/ (with errors)")

    page.goto(live_server.url + "/konto/password/change/")
    page.locator("#id_oldpassword").fill("falsch")
    page.locator("main form").get_by_role("button").first.click()
    page.locator(".invalid-feedback").first.wait_for()
    checks.check("/konto/password/change/ (with errors)")

    assert checks.problems == {}


def test_the_checks_themselves_find_problems(page):
    """Guards against a silently empty check: a broken page must fail both of them."""
    page.set_content('<html><body><img src="x.png"><div class="wide">breit</div></body></html>')
    page.add_style_tag(content=".wide { width: 2000px; }")
    assert any(line.startswith("image-alt") for line in axe_violations(page))
    assert has_horizontal_scroll(page)
