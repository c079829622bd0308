"""Security headers on every response type. Other features reuse `assert_security_headers`
for their own responses (.ics feed, exports): `assert_security_headers(client.get(url))`."""

import pytest
from django.http import HttpResponse
from django.test import Client

from tests.conftest import logged_in


def csp_directives(response: HttpResponse) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response: HttpResponse) -> None:
    """The headers every response of the portal carries, whatever its content type."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    for name in ("script-src", "style-src"):
        assert directives[name] == ["'self'"], f"{name}: {directives[name]}"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/ziele/", "/konto/login/", "/konto/signup/", "/impressum/"])
def test_public_pages_carry_security_headers(url, seeded):
    response = Client().get(url)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_error_page_carries_security_headers():
    response = Client().get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.django_db
def test_json_download_carries_security_headers_and_is_not_cached(citizen_client):
    response = citizen_client.get("/konto/meine-daten/")
    assert_security_headers(response)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_admin_carries_the_same_strict_policy(editor, settings):
    settings.STAFF_MFA_REQUIRED = False
    response = logged_in(editor).get("/admin/")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only(citizen):
    client = Client()
    client.get("/konto/login/")
    response = client.post("/konto/login/", {"login": citizen.email, "password": "x"})
    for cookie in client.cookies.values():
        assert cookie["httponly"], cookie.key
    assert response.status_code == 200


def test_production_settings_use_secure_cookies_and_hsts():
    # Running in a subprocess with DJANGO_DEBUG=false is covered in tests/test_settings.py;
    # here: the HTTPS switch drives every cookie and HSTS setting together.
    from tests.test_settings import STRONG_KEY, run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS > 0, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="x.example",
    )
    assert result.stdout.strip().splitlines()[-1].split() == ["True"] * 6


@pytest.mark.django_db
def test_hsts_header_on_https_responses_when_enabled(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/impressum/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
