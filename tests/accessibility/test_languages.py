"""English beside German: URLs, switch, Accept-Language, <html lang>, page cache per language."""

import pytest
from django.test import Client

from goals.models import Goal
from hagen_isek.page_cache import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_german_stays_at_plain_urls_and_english_lives_under_en(client, seeded):
    german = client.get("/ziele/")
    english = client.get("/en/ziele/")
    assert '<html lang="de">' in german.content.decode()
    assert "Strategische Ziele" in german.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Strategic goals" in english.content.decode()


def test_browser_preferring_english_is_led_to_the_english_page(seeded):
    response = Client(headers={"accept-language": "en-GB,en;q=0.9"}).get("/ziele/?seite=1")
    assert response.status_code == 302
    assert response["Location"] == "/en/ziele/?seite=1"
    assert "Accept-Language" in response["Vary"]


def test_choosing_german_keeps_an_english_browser_on_german_pages(seeded):
    browser = Client(headers={"accept-language": "en"})
    switch = browser.get("/sprache/de/?next=/en/ziele/")
    assert switch.status_code == 302 and switch["Location"] == "/ziele/"
    page = browser.get("/ziele/")
    assert page.status_code == 200
    assert '<html lang="de">' in page.content.decode()


def test_switch_follows_only_paths_on_this_site(client):
    assert client.get("/sprache/en/?next=https://evil.example/")["Location"] == "/en/"
    assert client.get("/sprache/en/?next=//evil.example/")["Location"] == "/en/"


def test_every_page_links_the_other_language_without_javascript(client, seeded):
    html = client.get("/ziele/").content.decode()
    assert 'href="/sprache/en/?next=%2Fziele%2F"' in html
    assert 'hreflang="en" href="/en/ziele/"' in html
    english = client.get("/en/ziele/").content.decode()
    assert 'href="/sprache/de/?next=%2Fen%2Fziele%2F"' in english


def test_german_content_is_marked_german_on_english_pages(client, seeded):
    goal = Goal.objects.published().first()
    html = client.get(f"/en{goal.get_absolute_url()}").content.decode()
    assert f'<span class="goal-title" lang="de">{goal.title}</span>' in html


@pytest.mark.usefixtures("page_cache_on")
def test_page_cache_serves_each_reader_of_one_url_their_language(seeded):
    german = Client().get("/ziele/")
    english_browser = Client(headers={"accept-language": "en"})
    redirected = english_browser.get("/ziele/")
    assert german[HEADER] == "miss"
    assert redirected.status_code == 302  # never the German page from the cache
    english = english_browser.get("/en/ziele/")
    assert "Strategic goals" in english.content.decode()
    again_german = Client(headers={"accept-language": "de"}).get("/ziele/")
    assert again_german[HEADER] == "hit"
    assert "Strategische Ziele" in again_german.content.decode()
    again_english = Client().get("/en/ziele/")
    assert again_english[HEADER] == "hit"
    assert "Strategic goals" in again_english.content.decode()


def test_allauth_pages_in_both_languages(client):
    german = client.get("/konto/login/").content.decode()
    english = client.get("/en/konto/login/").content.decode()
    assert '<html lang="de">' in german and "Anmelden" in german
    assert '<html lang="en">' in english and ("Sign In" in english or "Log in" in english)
