"""The record of a contribution: edits keep the earlier text, pre-moderation holds edits back,
and nobody edits after the round closed or after the city answered or evaluated it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participation import services
from participation.models import Comment, ContributionVersion, ModerationLogEntry

from .conftest import make_comment

pytestmark = pytest.mark.django_db


def edit_url(comment) -> str:
    return reverse("participation:comment-edit", args=[comment.pk])


@pytest.fixture
def approved(goal, open_round, citizen, moderator) -> Comment:
    open_round.moderation = open_round.Moderation.PRE
    open_round.save()
    comment = make_comment(
        goal=goal, comment_round=open_round, author=citizen, text="Mehr Bänke", status="pending"
    )
    services.comment_approve(comment=comment, moderator=moderator)
    return comment


def test_edit_in_pre_moderated_round_goes_back_to_review_and_keeps_approved_text_public(
    client, citizen_client, approved, moderator
):
    citizen_client.post(edit_url(approved), {"text": "Ihr seid alle Idioten"})
    approved.refresh_from_db()
    public = client.get(approved.goal.get_absolute_url()).content.decode()
    assert "Mehr Bänke" in public and "Idioten" not in public
    assert approved in Comment.objects.awaiting_review()
    own = citizen_client.get(approved.goal.get_absolute_url()).content.decode()
    assert "Ihre Änderung wartet auf Freigabe" in own
    # The log of the first approval names the text the moderator saw, not the edit.
    first = ModerationLogEntry.objects.get(comment=approved, action="approve")
    assert first.text == "Mehr Bänke"


def test_moderator_approves_the_edit_and_the_log_keeps_what_was_approved(
    client, citizen_client, approved, moderator
):
    citizen_client.post(edit_url(approved), {"text": "Mehr Bänke und Bäume"})
    services.comment_approve(comment=approved, moderator=moderator)
    approved.refresh_from_db()
    assert (approved.text, approved.pending_text) == ("Mehr Bänke und Bäume", "")
    assert "Mehr Bänke und Bäume" in client.get(approved.goal.get_absolute_url()).content.decode()
    texts = list(
        ModerationLogEntry.objects.filter(comment=approved, action="approve")
        .order_by("created_at", "pk")
        .values_list("text", flat=True)
    )
    assert texts == ["Mehr Bänke", "Mehr Bänke und Bäume"]
    assert approved not in Comment.objects.awaiting_review()


def test_every_edit_keeps_the_earlier_text_for_staff(citizen_client, comment, editor_client):
    citizen_client.post(edit_url(comment), {"text": "Zweite Fassung"})
    citizen_client.post(edit_url(comment), {"text": "Dritte Fassung"})
    versions = ContributionVersion.objects.filter(comment=comment)
    assert list(versions.values_list("text", flat=True)) == ["Mehr Radwege!", "Zweite Fassung"]
    html = editor_client.get(f"/admin/participation/comment/{comment.pk}/change/").content.decode()
    assert "Frühere Fassungen" in html and "Mehr Radwege!" in html and "Zweite Fassung" in html


def test_no_edit_after_the_round_closed(citizen_client, comment, open_round):
    open_round.starts_at = timezone.now() - timedelta(days=2)
    open_round.ends_at = timezone.now() - timedelta(seconds=1)
    open_round.save()
    response = citizen_client.post(edit_url(comment), {"text": "Nachträglich"}, follow=True)
    comment.refresh_from_db()
    assert comment.text == "Mehr Radwege!"
    assert "Die Beteiligungsrunde ist beendet" in response.content.decode()


def test_no_edit_after_the_city_answered(citizen_client, comment, editor):
    services.answer_create(comment=comment, author=editor, text="Danke, wir prüfen das.")
    response = citizen_client.post(edit_url(comment), {"text": "Ganz anders"}, follow=True)
    comment.refresh_from_db()
    assert comment.text == "Mehr Radwege!"
    assert "bereits beantwortet oder ausgewertet" in response.content.decode()


def test_no_edit_after_an_outcome_was_recorded(citizen_client, comment):
    Comment.objects.filter(pk=comment.pk).update(outcome=Comment.Outcome.CONSIDERED)
    citizen_client.post(edit_url(comment), {"text": "Ganz anders"})
    comment.refresh_from_db()
    assert comment.text == "Mehr Radwege!"
    assert not ContributionVersion.objects.filter(comment=comment).exists()


def test_edit_form_and_link_state_until_when_editing_is_possible(citizen_client, comment):
    deadline = timezone.localtime(comment.created_at + Comment.EDIT_WINDOW).strftime("%H:%M")
    form = citizen_client.get(edit_url(comment)).content.decode()
    assert f"Sie können Ihren Beitrag bis {deadline} Uhr bearbeiten." in form
    page = citizen_client.get(comment.goal.get_absolute_url()).content.decode()
    assert f"(bis {deadline} Uhr möglich)" in page


def test_public_sees_when_a_contribution_was_edited(client, citizen_client, comment):
    citizen_client.post(edit_url(comment), {"text": "Geändert"})
    comment.refresh_from_db()
    stamp = timezone.localtime(comment.edited_at).strftime("%H:%M")
    html = client.get(comment.goal.get_absolute_url()).content.decode()
    assert "bearbeitet am" in html and stamp in html
