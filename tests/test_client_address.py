"""The client's address behind the proxy: limits per real client, no spoofing without a proxy."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from hagen_isek.client_address import client_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.5"  # what REMOTE_ADDR is for every visitor behind the proxy


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1  # DJANGO_BEHIND_PROXY=true


def through_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the app server through the proxy."""
    return Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded_for})


def log_in(client: Client, email: str, password: str):
    return client.post("/konto/login/", {"login": email, "password": password})


def fail_ten_logins(client: Client) -> None:
    # Different accounts, so only the per-address limit (10 per minute) is reached.
    for number in range(10):
        log_in(client, f"geraten-{number}@example.org", "falsch-geraten")


@pytest.mark.parametrize(
    "hops, forwarded, expected",
    [
        (0, "203.0.113.9", PROXY),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # leftmost entry written by the client
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (1, "", PROXY),
        (1, "kein-ip", PROXY),
        (2, "203.0.113.9", PROXY),  # fewer entries than trusted hops: not trustworthy
    ],
)
def test_client_address_counts_trusted_hops_from_the_right(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_proxy_ten_failed_logins_do_not_block_another_client(behind_proxy, citizen):
    attacker = through_proxy("203.0.113.9")
    fail_ten_logins(attacker)
    refused = log_in(attacker, citizen.email, PASSWORD)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.content.decode()

    response = log_in(through_proxy("198.51.100.7"), citizen.email, PASSWORD)
    assert response.status_code == 302  # logged in


def test_without_proxy_setting_a_forged_header_does_not_escape_the_limit(settings, citizen):
    settings.TRUSTED_PROXY_COUNT = 0
    fail_ten_logins(through_proxy("203.0.113.9"))
    # Another made-up X-Forwarded-For from the same connection is still the same client.
    refused = log_in(through_proxy("198.51.100.7"), citizen.email, PASSWORD)
    assert refused.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.content.decode()


def test_too_many_signups_get_german_page_in_layout_with_retry_time(behind_proxy):
    client = through_proxy("203.0.113.9")
    for _ in range(20):
        assert client.post("/konto/signup/", {}).status_code == 200
    response = client.post("/konto/signup/", {})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Zu viele Anfragen" in html
    assert "spätestens in 60 Minuten" in html
    assert response["Retry-After"] == "3600"
    assert 'id="main"' in html and "site-footer" in html  # the site layout
    # Another client behind the same proxy may still register.
    assert through_proxy("198.51.100.7").post("/konto/signup/", {}).status_code == 200
