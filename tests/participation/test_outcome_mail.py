"""Issue 13, outcome notifications: one e-mail per outcome, with what it is, the reason, the
measure and a link; the per-kind unsubscribe is respected; bulk actions send them too."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail

from participation import services
from participation.models import Comment

from .conftest import make_comment
from .test_answers_outcomes import INLINES, unsubscribe_path


def set_outcome(client, comment, **data):
    return client.post(f"/admin/participation/comment/{comment.pk}/change/", {**data, **INLINES})


def test_author_gets_one_mail_with_outcome_reason_measure_and_link(
    editor_client, comment, measure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = set_outcome(
            editor_client,
            comment,
            outcome="adopted",
            outcome_note="Wird im Radverkehrskonzept aufgegriffen.",
            outcome_measure=measure.pk,
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject.endswith("Was aus Ihrem Beitrag wurde")
    assert "Ergebnis: Übernommen" in message.body
    assert "Begründung: Wird im Radverkehrskonzept aufgegriffen." in message.body
    assert "Maßnahme, zu der er geführt hat: Radverkehr stärken" in message.body
    assert f"/massnahmen/{measure.slug}/" in message.body
    assert f"/ziele/{comment.goal.slug}/#beitrag-{comment.pk}" in message.body
    html = message.alternatives[0][0]
    assert "Radverkehr stärken</a>" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_saving_the_same_outcome_again_sends_nothing(
    editor_client, comment, django_capture_on_commit_callbacks
):
    data = {"outcome": "forwarded", "outcome_note": "An FB 32."}
    with django_capture_on_commit_callbacks(execute=True):
        set_outcome(editor_client, comment, **data)
    with django_capture_on_commit_callbacks(execute=True):
        set_outcome(editor_client, comment, **{**data, "outcome_note": "An FB 32 und 61."})
    assert len(mail.outbox) == 1
    # The same outcome, recorded twice at once (two tabs), is mailed once.
    from participation import notifications

    assert notifications.send_outcome_notification(comment_id=comment.pk) is False


def test_a_different_outcome_is_mailed_again(comment, editor, django_capture_on_commit_callbacks):
    for outcome, note in (("considered", ""), ("rejected", "Nicht zuständig.")):
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_evaluate(
                comment=comment,
                editor=editor,
                changes={"outcome": outcome, "outcome_note": note},
            )
    assert [m.body.count("Ergebnis:") for m in mail.outbox] == [1, 1]
    assert "Ergebnis: Geprüft – nicht übernommen" in mail.outbox[1].body
    assert "Begründung: Nicht zuständig." in mail.outbox[1].body


def test_unsubscribed_authors_get_no_outcome_mail_but_still_answer_mails(
    client, editor, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_evaluate(comment=comment, editor=editor, changes={"outcome": "considered"})
    assert client.post(unsubscribe_path(mail.outbox[0].body)).status_code == 200
    comment.author.refresh_from_db()
    assert comment.author.notify_on_outcome is False and comment.author.notify_on_answer
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_evaluate(comment=comment, editor=editor, changes={"outcome": "forwarded"})
    assert len(mail.outbox) == 1


def test_bulk_evaluation_mails_each_author_once(
    editor_client, goal, open_round, citizen, other_citizen, django_capture_on_commit_callbacks
):
    comments = [
        make_comment(goal=goal, comment_round=open_round, author=citizen, text="A"),
        make_comment(goal=goal, comment_round=open_round, author=other_citizen, text="B"),
        make_comment(goal=goal, comment_round=open_round, author=None, text="Werkstatt"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/participation/comment/",
            {
                "action": "evaluate_selected",
                ACTION_CHECKBOX_NAME: [c.pk for c in comments],
                "apply": "1",
                "outcome": "considered",
            },
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert Comment.objects.filter(outcome_notified="considered").count() == 2


@pytest.mark.parametrize("status", [Comment.Status.WITHDRAWN])
def test_withdrawn_contributions_are_not_mailed(
    comment, editor, status, django_capture_on_commit_callbacks
):
    comment.status = status
    comment.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_evaluate(comment=comment, editor=editor, changes={"outcome": "considered"})
    assert mail.outbox == []


def test_account_page_offers_the_outcome_mail_switch(citizen_client):
    html = citizen_client.get("/konto/uebersicht/").content.decode()
    assert "E-Mail zum Ergebnis" in html
    assert re.search(r'name="notify_on_outcome"[^>]*checked', html)
