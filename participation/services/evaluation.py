"""Evaluation: the city's official answers and the outcomes editors record."""

from django.db import transaction

from participation import notifications
from participation.models import (
    Comment,
    ModerationLogEntry,
    OfficialAnswer,
    User,
)

from .moderation import log_action


def answer_create(*, comment: Comment, author: User, text: str) -> OfficialAnswer:
    """The city's answer; the author of the contribution gets an e-mail after the commit."""
    with transaction.atomic():
        answer = OfficialAnswer.objects.create(comment=comment, author=author, text=text)
        log_action(comment, actor=author, action=ModerationLogEntry.Action.ANSWER)
        if comment.author_id:
            transaction.on_commit(
                lambda: notifications.send_answer_notification(answer_id=answer.pk)
            )
    return answer


def outcome_log(*, comment: Comment, editor: User) -> None:
    """Record that an editor set or changed the outcome (called by the admin after saving)."""
    log_action(
        comment,
        actor=editor,
        action=ModerationLogEntry.Action.OUTCOME,
        note=comment.get_outcome_display(),
    )
