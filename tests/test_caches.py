"""Caches with a purpose each: cached pages can never push out a rate-limit counter."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from hagen_isek import urls as project_urls
from hagen_isek.settings import redis_caches
from tests.conftest import PASSWORD

PAGE_VIEWS = 400  # more than the 300 entries a shared cache of Django's defaults held


def public_page(request: HttpRequest) -> HttpResponse:
    # A public page that is cheap to render: the page cache stores it like any other.
    return HttpResponse("<!doctype html><title>Seite</title><p>Öffentlich</p>")


urlpatterns = [path("seite/", public_page), *project_urls.urlpatterns]
handler429 = project_urls.handler429
handler500 = project_urls.handler500


@pytest.fixture(params=["configured", "redis"])
def cache_backend(request, settings):
    """The caches this run is configured with (the database tables unless REDIS_URL is set),
    and the Redis configuration on a private server."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {**settings.CACHES, **redis_caches(url)}
        for alias in caches:
            caches[alias].clear()
    settings.PAGE_CACHE_ENABLED = True
    yield request.param
    if request.param == "redis":
        for alias in caches:
            caches[alias].clear()


def failed_login(client: Client, email: str) -> str:
    response = client.post("/konto/login/", {"login": email, "password": "falsch-geraten"})
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.test_caches")
def test_page_views_do_not_remove_a_login_failure_counter(cache_backend, citizen):
    attacker = Client()
    for _ in range(5):
        failed_login(attacker, citizen.email)
    visitor = Client()
    for number in range(PAGE_VIEWS):
        response = visitor.get(f"/seite/?nummer={number}")
        assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"  # every view stored a page of its own
    # The fifth failure still counts: the right password is refused for now.
    refused = Client().post("/konto/login/", {"login": citizen.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.content.decode()


def test_page_cache_and_rate_limits_use_separate_caches():
    assert django_settings.PAGE_CACHE_ALIAS != "default"
    default, pages = django_settings.CACHES["default"], django_settings.CACHES["pages"]
    assert (default["BACKEND"], default["LOCATION"], default.get("KEY_PREFIX")) != (
        pages["BACKEND"],
        pages["LOCATION"],
        pages.get("KEY_PREFIX"),
    )
    if default["BACKEND"].endswith("DatabaseCache"):
        assert default["OPTIONS"]["MAX_ENTRIES"] >= 10 * PAGE_VIEWS


def test_malformed_redis_url_stops_start_up_naming_the_variable():
    from tests.test_settings import run_manage

    result = run_manage("check", DJANGO_DEBUG="true", REDIS_URL="localhost:6379")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
