"""Evaluation: the city's official answers and the outcomes editors record."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import notifications
from participation.models import (
    Comment,
    EvaluationTag,
    ModerationLogEntry,
    OfficialAnswer,
    User,
)

from .moderation import log_action

# What an editor may change in one evaluation step (the bulk action and the change form).
EVALUATION_FIELDS = (
    "outcome",
    "outcome_note",
    "outcome_measure",
    "outcome_key_message",
    "department",
)


class EvaluationRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
    """Record that an editor set or changed the outcome (called after saving it), and tell
    the author by e-mail once the transaction is committed (at most once per outcome)."""
    log_action(
        comment,
        actor=editor,
        action=ModerationLogEntry.Action.OUTCOME,
        note=comment.get_outcome_display(),
    )
    if comment.outcome and comment.author_id and comment.outcome != comment.outcome_notified:
        comment_id = comment.pk
        transaction.on_commit(
            lambda: notifications.send_outcome_notification(comment_id=comment_id)
        )


def comment_evaluate(
    *,
    comment: Comment,
    editor: User,
    changes: dict,
    add_tags: Iterable[EvaluationTag] = (),
    now=None,
) -> list[str]:
    """Apply an editor's evaluation (outcome, reason, changed measure or key message,
    department) and add tags; returns the names of the fields that changed.

    The same rules as the change form (Comment.clean): an adopted contribution names what it
    changed, a rejected one gives the reason, the measure and key message are the goal's own.
    Raises EvaluationRefused with the reason and changes nothing if a rule is broken."""
    unknown = set(changes) - set(EVALUATION_FIELDS)
    if unknown:
        raise ValueError(f"Not an evaluation field: {sorted(unknown)}")
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, changes[name])
        if "outcome" in changed:
            locked.outcome_at = (now or timezone.now()) if locked.outcome else None
        try:
            locked.clean()
        except ValidationError as error:
            messages = [str(m) for errors in error.message_dict.values() for m in errors]
            raise EvaluationRefused(
                _("Contribution %(pk)s: %(reason)s")
                % {"pk": locked.pk, "reason": " ".join(messages)}
            ) from error
        if changed:
            locked.save(update_fields=[*changed, "outcome_at"])
        new_tags = [
            tag for tag in add_tags if tag.pk not in set(locked.tags.values_list("pk", flat=True))
        ]
        if new_tags:
            locked.tags.add(*new_tags)
            changed.append("tags")
        if {"outcome", "outcome_note"} & set(changed):
            outcome_log(comment=locked, editor=editor)
    for name in changed:
        if name != "tags":
            setattr(comment, name, getattr(locked, name))
    comment.outcome_at = locked.outcome_at
    return changed
