"""Security headers on every response type. Other features reuse `assert_security_headers`
for their own responses (.ics feed, exports): `assert_security_headers(client.get(url))`."""

from datetime import timedelta

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from goals.models import Goal
from hagen_isek import urls as portal_urls
from participation.models import CommentRound
from tests.conftest import logged_in


def explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Test of the error page")


# For the 500 page: the portal's URLs plus one that fails (used with @pytest.mark.urls).
urlpatterns = [path("test-fehler/", explode), *portal_urls.urlpatterns]


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
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
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


PAGE_TYPES = [
    "/ueber-das-isek/",
    "/ziele/hagener-kieze/",
    "/massnahmen/",
    "/ziele/matrix/",
    "/ziele/dossier/",
    "/termine/",
    "/termine/ablauf/",
    "/bezirke/",
    "/beteiligung/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_type_carries_security_headers(url, seeded):
    response = Client().get(url)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_calendar_feed_and_single_event_ics_carry_security_headers(seeded):
    from events.models import Event

    client = Client()
    feed = client.get("/termine/feed.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    assert_security_headers(feed)
    event = Event.objects.published().dated().first()
    single = client.get(f"/termine/{event.slug}.ics")
    assert single.status_code == 200
    assert single["Content-Type"].startswith("text/calendar")
    assert_security_headers(single)


@pytest.mark.django_db
@pytest.mark.urls("tests.test_security_headers")
def test_server_error_page_carries_security_headers():
    response = Client(raise_request_exception=False).get("/test-fehler/")
    assert response.status_code == 500
    assert "Serverfehler" in response.content.decode()
    assert "Test of the error page" not in response.content.decode()  # nothing leaks
    assert_security_headers(response)


@pytest.mark.django_db
def test_bad_request_page_carries_security_headers():
    response = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()
    assert_security_headers(response)


@pytest.mark.django_db
def test_refused_contribution_and_wrong_method_carry_security_headers(unverified):
    now = timezone.now()
    goal = Goal.objects.create(slug="ziel", title="Ziel", status=Goal.Status.PUBLISHED)
    CommentRound.objects.create(
        title="Runde",
        slug="runde",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
        is_published=True,
    )
    client = logged_in(unverified)
    refused = client.post(f"/ziele/{goal.slug}/beitraege/neu/", {"text": "Hallo"})
    assert refused.status_code == 403
    assert_security_headers(refused)
    wrong_method = client.get(f"/ziele/{goal.slug}/beitraege/neu/")
    assert wrong_method.status_code == 405
    assert_security_headers(wrong_method)


@pytest.mark.django_db
def test_redirect_carries_security_headers():
    response = Client().get("/konto/uebersicht/")
    assert response.status_code == 302
    assert_security_headers(response)


@pytest.mark.django_db
def test_bad_host_header_is_logged_as_one_line_without_traceback(caplog):
    response = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert "evil.example" in records[0].getMessage()
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text
