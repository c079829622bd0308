"""Writing contributions and replies, editing, withdrawing and supporting them."""

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.services import Place
from goals.models import Goal, KeyMessage, Measure
from participation import notifications
from participation.models import (
    Comment,
    ContributionVersion,
    Support,
    User,
)

from .rules import (
    ContributionRefused,
    check_may_write,
    check_rate_limit,
    count_for_rate_limit,
    lock_account,
)


def comment_create(
    *,
    author: User,
    goal: Goal,
    text: str,
    key_message: KeyMessage | None = None,
    measure: Measure | None = None,
    parent: Comment | None = None,
    submission_token: uuid.UUID | None = None,
    place: Place | None = None,
    now: datetime | None = None,
) -> tuple[Comment, bool]:
    """Create a contribution or reply; returns (comment, created).

    `place` (district, perhaps a rounded point) is kept only on a contribution in a round that
    allows placing; a round switched off meanwhile keeps the text and drops the place.

    A repeated submission with the same token returns the first contribution and creates nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # One account's writes one after the other: the token check and the rate limit see
        # every earlier submission, also one a parallel request is saving this moment.
        lock_account(author)
        if submission_token:
            existing = Comment.objects.filter(
                author=author, submission_token=submission_token
            ).first()
            if existing:
                return existing, False
        comment_round = check_may_write(user=author, goal=goal, now=now)
        if parent is not None:
            if parent.goal_id != goal.pk or parent.parent_id is not None:
                raise ContributionRefused(_("You can only reply to a contribution on this goal."))
            if parent.status != Comment.Status.PUBLISHED:
                raise ContributionRefused(_("This contribution can no longer be answered."))
        check_rate_limit(author)
        status = (
            Comment.Status.PENDING if comment_round.is_pre_moderated else Comment.Status.PUBLISHED
        )
        if parent is not None or not comment_round.allows_placing:
            place = None
        comment = Comment.objects.create(
            district=place.district if place else None,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            round=comment_round,
            goal=goal,
            key_message=key_message if parent is None else None,
            measure=measure if parent is None else None,
            parent=parent,
            author=author,
            text=text,
            status=status,
            created_at=now,
            submission_token=submission_token,
        )
        count_for_rate_limit(author)
    if comment.status == Comment.Status.PUBLISHED:
        notify_reply(comment)
    return comment, True


def notify_reply(reply: Comment) -> None:
    parent = reply.parent
    if parent is None or parent.author_id is None or parent.author_id == reply.author_id:
        return
    transaction.on_commit(lambda: notifications.send_reply_notification(reply_id=reply.pk))


def comment_edit(*, comment: Comment, user: User, text: str, now: datetime | None = None) -> None:
    """Change the author's text, keeping the previous one as a ContributionVersion.

    In a pre-moderated round an edit of a published contribution goes back to the moderation
    queue as `pending_text`; the public keeps seeing the text the moderator approved."""
    now = now or timezone.now()
    if comment.author_id != user.pk:
        raise ContributionRefused(_("You can only edit your own contributions."))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("round").get(pk=comment.pk)
        refusal = locked.edit_refusal(now)
        if refusal:
            raise ContributionRefused(refusal)
        if text == locked.current_text:
            return
        ContributionVersion.objects.create(
            comment=locked,
            text=locked.current_text,
            written_at=locked.edited_at or locked.created_at,
            replaced_at=now,
            replaced_by=user,
        )
        if locked.is_published and locked.round.is_pre_moderated:
            locked.pending_text = text
        else:
            locked.text = text
        locked.edited_at = now
        locked.save(update_fields=["text", "pending_text", "edited_at"])
    comment.refresh_from_db()


def comment_withdraw(*, comment: Comment, user: User) -> None:
    if comment.author_id != user.pk:
        raise ContributionRefused(_("You can only withdraw your own contributions."))
    if comment.status not in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
        raise ContributionRefused(_("This contribution can no longer be withdrawn."))
    # The text stays in the database (nothing is ever destroyed); templates and exports hide it.
    comment.status = Comment.Status.WITHDRAWN
    comment.save(update_fields=["status"])


def support_toggle(*, comment: Comment, user: User, now: datetime | None = None) -> bool:
    """Add or remove the user's support; returns whether the user now supports the comment."""
    now = now or timezone.now()
    check_may_write(user=user, goal=comment.goal, now=now)
    if comment.status != Comment.Status.PUBLISHED:
        raise ContributionRefused(_("This contribution cannot be supported."))
    if comment.author_id == user.pk:
        raise ContributionRefused(_("You cannot support your own contribution."))
    with transaction.atomic():
        # Parallel toggles by one account run one after the other, as if clicked in turn.
        lock_account(user)
        deleted, _rows = Support.objects.filter(comment=comment, user=user).delete()
        if deleted:
            return False
        Support.objects.create(comment=comment, user=user)
    return True


def workshop_contribution_create(*, editor: User, **fields) -> Comment:
    """Input from a workshop card: no account, the event as source, published at once."""
    with transaction.atomic():
        comment = Comment(
            author=None, source=Comment.Source.EVENT, status=Comment.Status.PUBLISHED, **fields
        )
        comment.full_clean()
        comment.save()
    return comment
