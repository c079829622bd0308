"""Admin forms that keep what was entered and read like the editor means it: files that must be
chosen again are named, all-day events have no "00:00", slugs keep German words readable and a
renamed copy of an event loses its "-kopie"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event
from hagen_isek.slugs import german_slugify, unique_slug
from tests.events.conftest import local, make_event
from tests.html import form_values


def change_form(client, event: Event) -> dict[str, list[str]]:
    url = reverse("admin:events_event_change", args=[event.pk])
    return form_values(client.get(url).content.decode(), "event_form")


@pytest.mark.django_db
def test_a_failed_save_names_the_valid_file_to_choose_again(editor_client):
    event = make_event("forum", title="Forum")
    data = change_form(editor_client, event)
    data["title"] = [""]  # the error that stops the save
    data["documents-0-title"] = ["Protokoll"]
    data["documents-0-file"] = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 Protokoll")
    response = editor_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "diese Dateien müssen vor dem Speichern erneut ausgewählt werden: „protokoll.pdf“" in page
    )
    assert "„protokoll.pdf“ war in Ordnung, muss aber erneut ausgewählt werden" in page
    assert 'value="Protokoll"' in page  # what was typed is kept
    assert not event.documents.exists()


@pytest.mark.django_db
def test_an_invalid_file_gets_its_own_error_not_the_reselect_note(editor_client):
    event = make_event("forum", title="Forum")
    data = change_form(editor_client, event)
    data["documents-0-title"] = ["Protokoll"]
    data["documents-0-file"] = SimpleUploadedFile("protokoll.pdf", b"MZ kein PDF")
    response = editor_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    page = response.content.decode()
    assert "Es können nur PDF-, JPEG- und PNG-Dateien hochgeladen werden." in page
    assert "war in Ordnung" not in page


@pytest.mark.django_db
def test_an_all_day_event_shows_no_midnight_in_list_and_form(editor_client):
    event = make_event("stadtfest", title="Stadtfest", starts_at=local(2030, 6, 5), has_time=False)
    listing = editor_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "05.06.2030" in listing and "00:00" not in listing
    data = change_form(editor_client, event)
    assert data["starts_at_0"] == ["05.06.2030"]
    assert data["starts_at_1"] == [""]
    data["title"] = ["Stadtfest am Volmeufer"]
    response = editor_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == local(2030, 6, 5)
    assert event.has_time is False


@pytest.mark.django_db
def test_an_event_with_a_time_keeps_showing_it(editor_client):
    event = make_event("forum", title="Forum", starts_at=local(2030, 6, 5, 18))
    assert change_form(editor_client, event)["starts_at_1"] == ["18:00:00"]


def test_slugs_keep_german_transliteration():
    assert german_slugify("Grünflächen an der Straße") == "gruenflaechen-an-der-strasse"
    assert german_slugify("Ökologie & Übergänge") == "oekologie-uebergaenge"


@pytest.mark.django_db
def test_a_renamed_copy_gets_a_slug_from_its_new_title(editor_client):
    event = make_event("forum", title="Forum")
    editor_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "duplicate", "_selected_action": [event.pk]},
    )
    copy = Event.objects.get(slug="forum-kopie")
    data = change_form(editor_client, copy)
    data["title"] = ["Bürgerforum Hohenlimburg"]
    response = editor_client.post(reverse("admin:events_event_change", args=[copy.pk]), data)
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.slug == "buergerforum-hohenlimburg"
    event.refresh_from_db()
    assert event.slug == "forum"  # the original keeps its address


@pytest.mark.django_db
def test_a_published_events_slug_stays_when_renamed(editor_client):
    event = make_event("forum-kopie", title="Forum (Kopie)", is_published=True)
    data = change_form(editor_client, event)
    data["title"] = ["Forum im Rathaus"]
    editor_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    event.refresh_from_db()
    assert event.slug == "forum-kopie"  # a published address is never changed silently


@pytest.mark.django_db
def test_unique_slug_counts_on(db):
    make_event("buergerforum", title="Bürgerforum")
    assert unique_slug(Event, "Bürgerforum") == "buergerforum-2"
