"""New events start unpublished; the calendar, iCal, sitemap, search and open data show only
published ones."""

import pytest

from events.models import Event
from tests.events.conftest import make_event

TITLE = "Geheime Vorbesprechung Eilpe"


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def unpublished(db) -> Event:
    return make_event("vorbesprechung-eilpe", title=TITLE, is_published=False)


@pytest.mark.django_db
def test_a_new_event_starts_unpublished(db):
    event = make_event("neu", title="Neu")
    event = Event.objects.create(slug="neu-2", title="Neu", starts_at=event.starts_at)
    assert event.is_published is False


@pytest.mark.django_db
def test_admin_add_form_defaults_to_unpublished(editor_client):
    html = editor_client.get("/admin/events/event/add/").content.decode()
    checkbox = (
        html.split('name="is_published"')[0].rsplit("<input", 1)[1]
        + html.split('name="is_published"')[1].split(">", 1)[0]
    )
    assert "checked" not in checkbox


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/termine/",
        "/termine/ablauf/",
        "/termine/feed.ics",
        "/sitemap.xml",
        "/suche/?q=Vorbesprechung",
        "/offene-daten/termine.json",
        "/offene-daten/termine.csv",
    ],
)
def test_unpublished_event_is_not_public(client, unpublished, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = body(response)
    assert TITLE not in text and "vorbesprechung-eilpe" not in text


@pytest.mark.django_db
def test_unpublished_event_page_and_ics_are_404(client, unpublished):
    assert client.get("/termine/vorbesprechung-eilpe/").status_code == 404
    assert client.get("/termine/vorbesprechung-eilpe.ics").status_code == 404
    unpublished.is_published = True
    unpublished.save()
    assert TITLE in client.get("/termine/").content.decode()
    assert TITLE in client.get("/termine/feed.ics").content.decode()
