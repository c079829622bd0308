"""The rough edges a newcomer hits, in the real browser: coming back after sign-up, long texts,
visible form controls."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from events.models import District, Event
from goals.models import Goal
from participation.models import Comment, OfficialAnswer
from tests.e2e.conftest import axe_violations, has_horizontal_scroll, log_in
from tests.e2e.test_accessibility import PageChecks
from tests.e2e.test_journeys import PASSWORD


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        slug="mobilitaet-neu-denken",
        title="Mobilität neu denken!",
        number=10,
        status=Goal.Status.PUBLISHED,
    )


@pytest.mark.django_db(transaction=True)
def test_newcomer_returns_to_the_comment_form_after_confirming_in_another_browser(
    live_server, page, browser, goal, open_round
):
    page.goto(live_server.url + goal.get_absolute_url())
    page.locator("#beitraege").get_by_role("link", name="Registrieren").click()
    page.get_by_label("E-Mail-Adresse").fill("neu@example.org")
    page.get_by_label("Öffentlicher Anzeigename").fill("Neu in Hagen")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Ich akzeptiere die Netiquette").check()
    page.get_by_label("Ich habe die Datenschutzerklärung gelesen").check()
    page.get_by_role("button", name="Registrieren").click()
    page.get_by_role("heading", name="Bitte bestätigen Sie Ihre E-Mail-Adresse").wait_for()

    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mail.outbox[-1].body).group(0)
    phone = browser.new_context(locale="de-DE").new_page()  # the mail is read on the phone
    try:
        phone.goto(live_server.url + "/" + link.split("/", 3)[3])
        phone.get_by_role("button", name="Bestätigen").click()
        phone.wait_for_url("**/konto/login/**")
        phone.locator("#id_login").fill("neu@example.org")
        phone.locator("#id_password").fill(PASSWORD)
        phone.locator("main").get_by_role("button", name="Anmelden").click()
        phone.wait_for_url(f"**{goal.get_absolute_url()}#beitraege")
        phone.get_by_label("Ihr Beitrag").fill("Endlich angekommen.")
        phone.get_by_role("button", name="Beitrag absenden").click()
        phone.get_by_text("Vielen Dank!").wait_for()
    finally:
        phone.context.close()


@pytest.mark.django_db(transaction=True)
def test_pasted_long_text_is_counted_not_cut_and_kept_with_the_servers_message(
    live_server, page, goal, open_round, citizen
):
    log_in(page, live_server.url, citizen.email)
    page.goto(live_server.url + goal.get_absolute_url())
    field = page.get_by_label("Ihr Beitrag")
    count = page.locator("#id_text-count")
    assert count.inner_text() == "Noch 4.000 von 4.000 Zeichen"
    text = "Hagen braucht mehr Bäume. " * 173  # 4,498 characters, pasted at once
    field.fill(text)
    assert field.input_value() == text  # nothing cut off
    assert count.inner_text() == "498 Zeichen zu viel"
    # Screen readers hear the count once the typing pauses, politely.
    spoken = page.locator("#id_text-count + [aria-live='polite']")
    expect(spoken).to_have_text("498 Zeichen zu viel")

    page.get_by_role("button", name="Beitrag absenden").click()
    page.get_by_text("Ihr Beitrag ist zu lang").wait_for()
    assert page.get_by_label("Ihr Beitrag").input_value() == text  # exactly as typed
    assert not Comment.objects.exists()


CONTROL_CONTRASTS = """() => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = el => {
        for (let node = el.parentElement; node; node = node.parentElement) {
            const c = rgb(getComputedStyle(node).backgroundColor);
            if (c.length < 4 || c[3] > 0) return c;
        }
        return [255, 255, 255];
    };
    const controls = document.querySelectorAll(
        'main input:not([type=hidden]):not([type=submit]), main textarea, main select');
    return [...controls].filter(el => el.offsetParent !== null).map(el => {
        const a = lum(rgb(getComputedStyle(el).borderTopColor)), b = lum(background(el));
        return {name: el.name || el.id, type: el.type,
                ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
    });
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["signup", "goal", "account"])
def test_form_controls_stand_out_from_the_page(live_server, page, goal, open_round, citizen, where):
    if where == "signup":
        page.goto(live_server.url + "/konto/signup/")
    else:
        log_in(page, live_server.url, citizen.email)
        page.goto(
            live_server.url + (goal.get_absolute_url() if where == "goal" else "/konto/uebersicht/")
        )
    controls = page.evaluate(CONTROL_CONTRASTS)
    assert {c["type"] for c in controls} >= (
        {"checkbox", "email", "password"}
        if where == "signup"
        else {"textarea"}
        if where == "goal"
        else {"radio", "checkbox", "text"}
    )
    faint = [c for c in controls if c["ratio"] < 3]
    assert not faint, faint
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["", "/en"])
def test_phone_header_is_compact_and_shows_every_link(live_server, page, language):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + language + "/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] < 300  # was 428 px with the same links
    controls = header.locator("a, button, input")
    assert controls.count() >= 12
    for i in range(controls.count()):
        control = controls.nth(i)
        box = control.bounding_box()
        assert control.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 375, (
            control.inner_text() or control.get_attribute("name")
        )
    assert not has_horizontal_scroll(page)


@pytest.mark.django_db(transaction=True)
def test_touched_pages_pass_axe_in_both_languages(
    live_server, page, seeded, open_round, citizen, editor
):
    zentren = Goal.objects.get(slug="hagener-zentren")
    answered = Comment.objects.create(
        goal=zentren, round=open_round, author=citizen, text="Mehr Grün am Markt.",
        outcome=Comment.Outcome.CONSIDERED,
    )  # fmt: skip
    OfficialAnswer.objects.create(comment=answered, author=editor, text="Danke, wir prüfen das.")
    Comment.objects.create(
        goal=zentren, round=open_round, author=citizen, text="Wartet.",
        status=Comment.Status.PENDING,
    )  # fmt: skip
    event = Event.objects.published().exclude(source="").first()
    district = District.objects.first()
    log_in(page, live_server.url, citizen.email)
    checks = PageChecks(page)
    urls = [
        *["/quellen/", "/termine/ablauf/", event.get_absolute_url(), district.get_absolute_url()],
        *["/bezirke/", zentren.get_absolute_url(), "/ziele/", "/", "/konto/uebersicht/"],
    ]
    for url in urls + [f"/en{url}" for url in urls]:
        checks.visit(live_server.url, url)
    assert checks.problems == {}
