"""Authors are told: an e-mail when the moderation hides their contribution (reason,
netiquette, how to object) and when it publishes it after pre-moderation; the objection form
puts the contribution back into the moderation queue (visible in the admin, logged)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from participation import services
from participation.models import Comment, ModerationLogEntry, Objection

from .conftest import make_comment

pytestmark = pytest.mark.django_db

MODERATE = "/admin/participation/comment/{pk}/moderation/{action}/"


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def pending(goal, open_round, citizen) -> Comment:
    open_round.moderation = open_round.Moderation.PRE
    open_round.save()
    return make_comment(
        goal=goal, comment_round=open_round, author=citizen, text="Mehr Bänke", status="pending"
    )


def hide(moderator_client, comment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            MODERATE.format(pk=comment.pk, action="ausblenden"),
            {"reason": "insult", "note": "Beleidigt andere (intern)"},
        )
    assert response.status_code == 302
    comment.refresh_from_db()


def test_hidden_mail_names_reason_netiquette_and_objection(
    moderator_client, comment, django_capture_on_commit_callbacks
):
    hide(moderator_client, comment, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject.endswith("Ihr Beitrag wurde von der Moderation ausgeblendet")
    assert "Grund: Beleidigung" in message.body
    assert "Mehr Radwege!" in message.body  # the text it is about
    assert "Beleidigt andere (intern)" not in message.body  # the moderator's note is internal
    paths = [path_of(url) for url in links(message.body)]
    assert "/netiquette/" in paths
    assert reverse("participation:comment-object", args=[comment.pk]) in paths
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    html = message.alternatives[0][0]
    assert "Der Entscheidung widersprechen</a>" in html and "Netiquette lesen</a>" in html


def test_approval_after_pre_moderation_is_mailed(
    moderator_client, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(MODERATE.format(pk=pending.pk, action="freigeben"))
    pending.refresh_from_db()
    assert pending.is_published
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.endswith("Ihr Beitrag ist veröffentlicht")
    assert "Mehr Bänke" in message.body
    assert f"#beitrag-{pending.pk}" in message.body


def test_approved_edit_after_pre_moderation_is_mailed(
    citizen_client, moderator, pending, django_capture_on_commit_callbacks
):
    services.comment_approve(comment=pending, moderator=moderator)
    citizen_client.post(
        reverse("participation:comment-edit", args=[pending.pk]), {"text": "Mehr Bänke am Markt"}
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=pending, moderator=moderator)
    assert len(mail.outbox) == 1 and "Mehr Bänke am Markt" in mail.outbox[0].body


def test_declaring_a_reported_contribution_fine_sends_no_mail(
    moderator, comment, other_citizen, django_capture_on_commit_callbacks
):
    services.comment_report(comment=comment, reporter=other_citizen, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, moderator=moderator)
    assert mail.outbox == []


def test_unsubscribed_author_gets_no_moderation_mail(
    moderator_client, comment, citizen, django_capture_on_commit_callbacks
):
    citizen.notify_on_moderation = False
    citizen.save()
    hide(moderator_client, comment, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_unsubscribe_link_of_the_mail_switches_it_off(
    client, moderator_client, comment, citizen, django_capture_on_commit_callbacks
):
    hide(moderator_client, comment, django_capture_on_commit_callbacks)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(path_of(url))
    assert "keine E-Mails mehr zu Moderationsentscheidungen" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.notify_on_moderation is False and citizen.notify_on_answer is True


def test_author_objects_and_the_contribution_returns_to_the_queue(
    citizen_client, moderator_client, comment, django_capture_on_commit_callbacks
):
    hide(moderator_client, comment, django_capture_on_commit_callbacks)
    assert comment not in Comment.objects.awaiting_review()
    # The author's view of the hidden contribution links the objection form.
    own = citizen_client.get(comment.goal.get_absolute_url()).content.decode()
    url = reverse("participation:comment-object", args=[comment.pk])
    assert f'href="{url}"' in own
    form = citizen_client.get(url).content.decode()
    assert "Grund: Beleidigung" in form and "Mehr Radwege!" in form
    response = citizen_client.post(url, {"text": "Das war Satire, keine Beleidigung."})
    assert response.status_code == 302
    assert comment in Comment.objects.awaiting_review()
    objection = Objection.objects.get(comment=comment)
    assert objection.text == "Das war Satire, keine Beleidigung." and objection.resolved_at is None
    entry = ModerationLogEntry.objects.filter(comment=comment).first()
    assert entry.action == "objection" and entry.note == objection.text
    queue = moderator_client.get("/admin/participation/comment/?queue=1").content.decode()
    assert "Widerspruch" in queue and f"/admin/participation/comment/{comment.pk}/" in queue
    page = moderator_client.get(f"/admin/participation/comment/{comment.pk}/change/")
    assert "Das war Satire, keine Beleidigung." in page.content.decode()


def test_moderator_restores_or_confirms_after_an_objection(
    citizen, moderator, moderator_client, comment, django_capture_on_commit_callbacks
):
    hide(moderator_client, comment, django_capture_on_commit_callbacks)
    services.comment_object(comment=comment, author=citizen, text="Bitte prüfen")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(
            comment=comment, moderator=moderator, reason="insult", note="Bestätigt"
        )
    assert Objection.objects.get(comment=comment).resolved_at is not None
    assert comment not in Comment.objects.awaiting_review()
    assert len(mail.outbox) == 1  # the author hears the confirmed decision
    services.comment_object(comment=comment, author=citizen, text="Noch einmal bitte")
    services.comment_restore(comment=comment, moderator=moderator)
    comment.refresh_from_db()
    assert comment.is_published and not Objection.objects.open().exists()


def test_only_the_author_objects_and_only_once(
    citizen_client, citizen, other_citizen, moderator, comment
):
    from tests.conftest import logged_in

    url = reverse("participation:comment-object", args=[comment.pk])
    # Not hidden yet: nothing to object to.
    assert citizen_client.get(url).status_code == 302
    services.comment_hide(comment=comment, moderator=moderator, reason="spam", note="x")
    assert logged_in(other_citizen).get(url).status_code == 404
    assert logged_in(other_citizen).post(url, {"text": "Ich auch"}).status_code == 404
    citizen_client.post(url, {"text": "Erster Widerspruch"})
    response = citizen_client.post(url, {"text": "Zweiter Widerspruch"})
    assert response.status_code == 400
    assert "bereits widersprochen" in response.content.decode()
    assert "Zweiter Widerspruch" in response.content.decode()  # what was typed is kept
    assert Objection.objects.count() == 1


def test_objection_needs_login(client, comment):
    url = reverse("participation:comment-object", args=[comment.pk])
    response = client.post(url, {"text": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Objection.objects.exists()
