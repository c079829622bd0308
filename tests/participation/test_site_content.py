"""What a worker keeps of the editors' content (hagen_isek/site_content.py) never outlives a
change: with the page cache off, as signed-in citizens always see the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from goals.models import KeyMessage
from hagen_isek import page_cache, site_content
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False


def page(client, goal) -> str:
    response = client.get(goal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_edited_key_message_shows_on_the_next_visit(client, goal, key_message):
    assert "Verkehrsbelastungen verringern" in page(client, goal)
    key_message.text = "Lärm und Abgase an Hauptstraßen senken"
    key_message.save()
    html = page(client, goal)
    assert "Lärm und Abgase an Hauptstraßen senken" in html
    assert "Verkehrsbelastungen verringern" not in html


def test_a_key_message_written_without_signals_shows_after_the_bump(client, goal, key_message):
    page(client, goal)
    KeyMessage.objects.filter(pk=key_message.pk).update(text="Neue Kernbotschaft")
    page_cache.bump_content_version()  # what an import or a bulk change calls at its end
    assert "Neue Kernbotschaft" in page(client, goal)


def test_a_closed_round_takes_the_form_away_at_once(citizen, goal, open_round):
    client = logged_in(citizen)
    assert 'name="text"' in page(client, goal)
    open_round.ends_at = timezone.now() - timedelta(minutes=1)
    open_round.save()
    html = page(client, goal)
    assert 'name="text"' not in html


def test_a_round_that_closes_by_the_clock_is_closed_without_any_write(
    citizen, goal, open_round, monkeypatch
):
    client = logged_in(citizen)
    assert 'name="text"' in page(client, goal)
    later = open_round.ends_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert 'name="text"' not in page(client, goal)


def test_another_workers_write_is_seen_through_the_shared_version(client, goal, key_message):
    page(client, goal)
    # Another worker saved the key message: the row changed and so did the shared version;
    # this worker's kept copy is all it has of the old text.
    KeyMessage.objects.filter(pk=key_message.pk).update(text="Von nebenan geändert")
    page_cache._replace_versions([page_cache.page_scopes.SITE])
    assert "Von nebenan geändert" in page(client, goal)


def test_a_kept_entry_is_not_used_longer_than_the_page_cache_lifetime(
    client, goal, key_message, settings, monkeypatch
):
    page(client, goal)
    KeyMessage.objects.filter(pk=key_message.pk).update(text="Ohne Signal geändert")
    assert "Ohne Signal geändert" not in page(client, goal)  # kept, as documented
    clock = site_content.time.monotonic() + settings.PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(site_content.time, "monotonic", lambda: clock)
    assert "Ohne Signal geändert" in page(client, goal)


def test_a_contribution_changes_nothing_that_is_kept(client, goal, open_round, citizen):
    from participation import services

    page(client, goal)
    before = site_content.site_version()
    services.comment_create(author=citizen, goal=goal, text="Mehr Bänke am Volkspark")
    assert site_content.site_version() == before
    assert "Mehr Bänke am Volkspark" in page(client, goal)


def test_the_calendar_keeps_each_filter_apart_and_shows_a_new_event_at_once(client):
    from events.models import District
    from tests.events.conftest import make_event

    haspe = District.objects.create(name="Haspe", slug="haspe", position=3)
    eilpe = District.objects.create(name="Eilpe", slug="eilpe", position=2)
    make_event("werkstatt-haspe", district=haspe)
    make_event("werkstatt-eilpe", district=eilpe)
    everything = client.get("/termine/").content.decode()
    assert "Werkstatt Haspe" in everything and "Werkstatt Eilpe" in everything
    only_haspe = client.get("/termine/?district=haspe").content.decode()
    assert "Werkstatt Haspe" in only_haspe and "Werkstatt Eilpe" not in only_haspe
    assert "Werkstatt Eilpe" in client.get("/termine/").content.decode()
    make_event("forum-haspe", district=haspe)
    assert "Forum Haspe" in client.get("/termine/?district=haspe").content.decode()


def test_pages_still_work_while_the_shared_cache_is_down(
    citizen, goal, open_round, key_message, monkeypatch
):
    """Redis down: nothing is kept or taken, every piece is read for its request."""
    import redis

    class Down:
        def __getattr__(self, name):
            def refused(*args, **kwargs):
                raise redis.ConnectionError("Connection refused")

            return refused

    client = logged_in(citizen)
    page(client, goal)
    monkeypatch.setattr(page_cache, "_cache", Down)
    key_message.text = "Während des Ausfalls geändert"
    KeyMessage.objects.filter(pk=key_message.pk).update(text=key_message.text)
    html = page(client, goal)
    assert "Während des Ausfalls geändert" in html and 'name="text"' in html
    assert client.get("/termine/").status_code == 200
