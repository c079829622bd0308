"""axe (WCAG 2.1 A/AA) and a 320 px viewport on every public page type, forms with errors too."""

import pytest

from tests.e2e.conftest import axe_violations, has_horizontal_scroll

PUBLIC_PAGES = [
    "/",
    "/ueber-das-isek/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/netiquette/",
    "/kontakt/",
    "/ziele/",
    "/termine/",
    "/beteiligung/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
    "/gibt-es-nicht/",
]


def show_signup_errors(page, base_url: str) -> None:
    page.goto(base_url + "/konto/signup/")
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.get_by_label("Passwort", exact=False).first.fill("123")
    page.get_by_role("button", name="Registrieren").click()
    page.get_by_text("Bitte korrigieren Sie die markierten Felder.").wait_for()


@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_violation_on_public_pages(live_server, page, seeded):
    problems = {}
    for url in PUBLIC_PAGES:
        page.goto(live_server.url + url)
        if violations := axe_violations(page):
            problems[url] = violations
    show_signup_errors(page, live_server.url)
    if violations := axe_violations(page):
        problems["/konto/signup/ (with errors)"] = violations
    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_violation_on_account_pages(live_server, page, citizen):
    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill(citizen.email)
    page.locator("#id_password").fill("Sicheres-Passwort-2035")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(live_server.url + "/")
    problems = {}
    for url in [
        "/konto/uebersicht/",
        "/konto/loeschen/",
        "/konto/email/",
        "/konto/2fa/",
        "/konto/password/change/",
    ]:
        page.goto(live_server.url + url)
        if violations := axe_violations(page):
            problems[url] = violations
    assert problems == {}


@pytest.mark.django_db(transaction=True)
def test_no_horizontal_scrolling_at_320_px(live_server, page, seeded):
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    for url in PUBLIC_PAGES:
        page.goto(live_server.url + url)
        if has_horizontal_scroll(page):
            too_wide.append(url)
    show_signup_errors(page, live_server.url)
    if has_horizontal_scroll(page):
        too_wide.append("/konto/signup/ (with errors)")
    assert too_wide == []
