"""Every allauth page a person can reach: site layout, one h1, formal German ("Sie")."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.conftest import logged_in

INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|gib|bitte versuche)\b", re.I)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def assert_site_page(html: str) -> None:
    text = re.sub(r"<[^>]+>", " ", html)
    assert html.count("<h1") == 1
    assert '<html lang="de">' in html and '<main id="main"' in html
    assert 'class="skip-link"' in html
    assert not INFORMAL.search(text), INFORMAL.search(text).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/konto/password/reset/done/",
        "/konto/confirm-email/",
        "/konto/confirm-email/ungueltig/",
        "/konto/password/reset/key/1-ungueltig/",
    ],
)
def test_anonymous_account_pages(url):
    response = Client().get(url, follow=True)
    assert response.status_code == 200
    assert_site_page(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/konto/email/",
        "/konto/password/change/",
        "/konto/2fa/",
        "/konto/logout/",
        "/konto/reauthenticate/",
        "/konto/2fa/totp/activate/",
        "/konto/uebersicht/",
        "/konto/loeschen/",
    ],
)
def test_signed_in_account_pages(citizen, url):
    response = logged_in(citizen).get(url, follow=True)
    assert response.status_code == 200
    assert_site_page(response.content.decode())


@pytest.mark.django_db
def test_logout_needs_post_and_says_so_in_german(citizen):
    client = logged_in(citizen)
    assert "Möchten Sie sich wirklich abmelden?" in client.get("/konto/logout/").content.decode()
    assert "_auth_user_id" in client.session
    response = client.post("/konto/logout/", follow=True)
    assert "Sie wurden abgemeldet." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_all_steps(citizen):
    client = Client()
    response = client.post("/konto/password/reset/", {"email": citizen.email}, follow=True)
    assert "Falls zu dieser Adresse ein Konto besteht" in response.content.decode()
    body = mail.outbox[0].body
    assert "Guten Tag" in body and "Ihres Kontos" in body
    path = "/" + re.search(r"https?://\S+(/konto/password/reset/key/\S+)", body).group(1)[1:]
    page = client.get(path, follow=True)
    assert "Neues Passwort festlegen" in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"password1": "Hasper-Talsperre-99", "password2": "Hasper-Talsperre-99"},
        follow=True,
    )
    assert "Ihr Passwort wurde geändert." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password("Hasper-Talsperre-99")


@pytest.mark.django_db
def test_password_reset_for_unknown_address_reveals_nothing():
    response = Client().post(
        "/konto/password/reset/", {"email": "niemand@example.org"}, follow=True
    )
    assert "Falls zu dieser Adresse ein Konto besteht" in response.content.decode()


@pytest.mark.django_db
def test_change_password_with_wrong_current_password_in_german(citizen):
    html = (
        logged_in(citizen)
        .post(
            "/konto/password/change/",
            {
                "oldpassword": "falsch",
                "password1": "Neu-Passwort-2035",
                "password2": "Neu-Passwort-2035",
            },
        )
        .content.decode()
    )
    assert "Bitte geben Sie Ihr aktuelles Passwort ein." in html or "nicht richtig" in html


@pytest.mark.django_db
def test_add_email_address_sends_confirmation(citizen):
    client = logged_in(citizen)
    response = client.post(
        "/konto/email/", {"action_add": "", "email": "neu-alice@example.org"}, follow=True
    )
    assert "Wir haben eine Bestätigungs-E-Mail an neu-alice@example.org gesendet." in (
        response.content.decode()
    )
    assert mail.outbox[-1].to == ["neu-alice@example.org"]
