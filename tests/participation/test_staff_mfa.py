"""Staff reach the admin only with a second factor (TOTP), unless a local demo turns that off."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from django.core.cache import cache
from django.test import Client, override_settings

from tests.conftest import PASSWORD

ACTIVATE_URL = "/konto/2fa/totp/activate/"


def logged_in(user) -> Client:
    """A password-only session, without the authenticator app the shared helper sets up."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def login_with_password(client: Client, email: str):
    return client.post("/konto/login/", {"login": email, "password": PASSWORD})


def activate_totp(client: Client) -> str:
    response = client.get(ACTIVATE_URL)
    if "/reauthenticate/" in response.get("Location", ""):
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get(ACTIVATE_URL)
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(ACTIVATE_URL, {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    # Accept the neighbouring 30-second period too, so a test crossing a boundary cannot flake.
    settings.MFA_TOTP_TOLERANCE = 1
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_admin_login_goes_through_allauth_login():
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_staff_without_two_factor_is_sent_to_activation(editor):
    client = logged_in(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL
    html = client.get("/", follow=True).content.decode()
    assert "Konten der Verwaltung brauchen eine Zwei-Faktor-Anmeldung." in html


@pytest.mark.django_db
def test_staff_without_two_factor_cannot_reach_admin_subpages(editor):
    response = logged_in(editor).get("/admin/participation/user/")
    assert response.status_code == 302 and response["Location"] == ACTIVATE_URL


@pytest.mark.django_db
def test_citizen_pages_are_not_affected(citizen_client, editor):
    assert logged_in(editor).get("/konto/uebersicht/").status_code == 200
    assert citizen_client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_staff_with_totp_reaches_admin_and_must_enter_code_at_next_login(editor):
    client = Client()
    login_with_password(client, editor.email)
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=editor, type="totp").exists()
    assert client.get("/admin/").status_code == 200

    client.post("/konto/logout/")
    cache.clear()  # a TOTP code may be used only once per period
    fresh = Client()
    response = login_with_password(fresh, editor.email)
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert fresh.get("/admin/").status_code == 302  # password alone is not a login
    page = fresh.get("/konto/2fa/authenticate/").content.decode()
    assert "Zwei-Faktor-Anmeldung" in page
    cache.clear()
    fresh.post("/konto/2fa/authenticate/", {"code": current_code(secret)})
    assert fresh.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_wrong_totp_code_is_refused_in_german(editor):
    client = Client()
    login_with_password(client, editor.email)
    activate_totp(client)
    client.post("/konto/logout/")
    fresh = Client()
    login_with_password(fresh, editor.email)
    html = fresh.post("/konto/2fa/authenticate/", {"code": "000000"}).content.decode()
    assert "Der Code ist nicht richtig." in html


@pytest.mark.django_db
@override_settings(STAFF_MFA_REQUIRED=False)
def test_local_demo_setting_lets_staff_in_without_second_factor(editor):
    assert logged_in(editor).get("/admin/").status_code == 200
