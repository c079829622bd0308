"""Journeys through the real browser."""

import re

import pytest
from django.core import mail

from participation.models import User

PASSWORD = "Volmetal-Brücke-2035"


@pytest.mark.django_db(transaction=True)
def test_register_confirm_login_and_see_account_page(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Registrieren").click()
    page.get_by_label("E-Mail-Adresse").fill("journey@example.org")
    page.get_by_label("Öffentlicher Anzeigename").fill("Volme-Fan")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Ich akzeptiere die Netiquette").check()
    page.get_by_label("Ich habe die Datenschutzerklärung gelesen").check()
    page.get_by_role("button", name="Registrieren").click()
    page.get_by_role("heading", name="Bitte bestätigen Sie Ihre E-Mail-Adresse").wait_for()
    assert User.objects.filter(email="journey@example.org", display_name="Volme-Fan").exists()

    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Bestätigen").click()

    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-Mail-Adresse").fill("journey@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.get_by_text("Sie sind als Volme-Fan angemeldet.").wait_for()

    page.get_by_role("link", name="Mein Konto").click()
    page.get_by_role("heading", level=1, name="Mein Konto").wait_for()
    assert "Volme-Fan" in page.locator("main").inner_text()


@pytest.mark.django_db(transaction=True)
def test_keyboard_skip_link_is_first_tab_stop_and_focus_is_visible(live_server, page):
    page.goto(live_server.url + "/konto/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {text: el.textContent.trim(), href: el.getAttribute('href'),
                    outline: style.outlineStyle, shadow: style.boxShadow,
                    top: el.getBoundingClientRect().top};
        }"""
    )
    assert focused["href"] == "#main"
    assert focused["text"] == "Zum Inhalt springen"
    assert focused["outline"] != "none" or focused["shadow"] != "none"
    assert focused["top"] >= 0  # moved into view when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # After the skip link, the next stop lies inside the main content, not the header.
    inside_main = page.evaluate("() => !!document.activeElement.closest('main')")
    assert inside_main
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.boxShadow]; }"
    )
    assert outline[0] != "none" or outline[1] != "none"
