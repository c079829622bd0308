import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event, EventDocument
from tests.events.conftest import make_event


def test_event_admin_pages_load(admin_client, seeded):
    assert admin_client.get(reverse("admin:events_event_changelist")).status_code == 200
    assert (
        admin_client.get(
            reverse("admin:events_event_changelist"), {"kind__exact": "werkstatt", "q": "Haspe"}
        ).status_code
        == 200
    )
    event = Event.objects.get(slug="hagenforum-2018")
    assert (
        admin_client.get(reverse("admin:events_event_change", args=[event.pk])).status_code == 200
    )
    assert admin_client.get(reverse("admin:events_milestone_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:events_district_changelist")).status_code == 200


def test_duplicate_action_creates_unpublished_copy_with_goals(admin_client, goal):
    event = make_event("forum", title="Forum")
    event.goals.add(goal)
    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "duplicate", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "1 Termin wurde als unveröffentlichter Entwurf kopiert." in response.content.decode()
    copy = Event.objects.get(slug="forum-kopie")
    assert copy.is_published is False
    assert list(copy.goals.all()) == [goal]
    assert copy.title == "Forum (Kopie)"


def test_document_must_really_be_pdf_or_image(db):
    event = make_event("forum")
    fake = SimpleUploadedFile("bericht.pdf", b"MZ not a pdf")
    document = EventDocument(event=event, title="Bericht", file=fake)
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "file" in error.value.message_dict


def test_image_needs_alternative_text(db):
    event = make_event("forum")
    image = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    document = EventDocument(event=event, title="Foto", file=image)
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "alt_text" in error.value.message_dict


def test_event_needs_start_or_tentative_period(db):
    event = Event(title="Ohne Datum", slug="ohne-datum", kind="fachforum", audience="fach")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "tentative_period" in error.value.message_dict
