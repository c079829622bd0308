"""Multi-step writes of the participation app: contributions, replies, edits, supports,
and the account services (data download, deletion).

Every write checks the same three things in one place (`_check_may_write`): a verified e-mail
address, an open comment round for the goal, and (for new contributions) the rate limit.
"""

import uuid
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Goal, KeyMessage, Measure
from participation.models import Comment, CommentRound, Support, User

RATE_LIMIT_COUNT = 5
RATE_LIMIT_SECONDS = 10 * 60


class ContributionRefused(Exception):
    """A write the user may not make; the message is German and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def user_contributions(user: User) -> list[dict]:
    """The user's own contributions for the data download; withdrawn ones without their text."""
    comments = (
        Comment.objects.by_author(user).select_related("goal", "round").order_by("created_at", "pk")
    )
    return [
        {
            "id": comment.pk,
            "goal": comment.goal.full_title,
            "round": comment.round.title,
            "text": None if comment.is_withdrawn else comment.text,
            "created_at": comment.created_at.isoformat(),
            "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
            "status": comment.status,
            "parent": comment.parent_id,
            "key_message": comment.key_message_id,
            "measure": comment.measure_id,
        }
        for comment in comments
    ]


def user_is_verified(user: User) -> bool:
    return (
        user.is_authenticated
        and not user.is_deleted
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


def open_round_for(goal: Goal, now: datetime | None = None) -> CommentRound | None:
    return (
        CommentRound.objects.published().open(now).for_goal(goal).order_by("ends_at", "pk").first()
    )


def _check_may_write(*, user: User, goal: Goal, now: datetime) -> CommentRound:
    if not user_is_verified(user):
        raise ContributionRefused(
            _(
                "Please confirm your e-mail address first. Only accounts with a confirmed "
                "e-mail address can take part."
            )
        )
    comment_round = open_round_for(goal, now)
    if comment_round is None:
        raise ContributionRefused(
            _(
                "No comment round is open for this goal at the moment, so contributions and "
                "supports are not possible. The discussion stays readable."
            )
        )
    return comment_round


def _rate_limit_key(user: User) -> str:
    return f"participation:contributions:{user.pk}"


def _check_rate_limit(user: User) -> None:
    if cache.get(_rate_limit_key(user), 0) >= RATE_LIMIT_COUNT:
        raise ContributionRefused(
            _(
                "You have written %(count)s contributions in the last %(minutes)s minutes. "
                "Please wait a few minutes before you write the next one; your text is kept below."
            )
            % {"count": RATE_LIMIT_COUNT, "minutes": RATE_LIMIT_SECONDS // 60}
        )


def _count_for_rate_limit(user: User) -> None:
    # A fixed window that starts with the first contribution; the shared cache makes it hold
    # across all worker processes.
    key = _rate_limit_key(user)
    if not cache.add(key, 1, RATE_LIMIT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, RATE_LIMIT_SECONDS)


def comment_create(
    *,
    author: User,
    goal: Goal,
    text: str,
    key_message: KeyMessage | None = None,
    measure: Measure | None = None,
    parent: Comment | None = None,
    submission_token: uuid.UUID | None = None,
    now: datetime | None = None,
) -> tuple[Comment, bool]:
    """Create a contribution or reply; returns (comment, created).

    A repeated submission with the same token returns the first contribution and creates nothing.
    """
    now = now or timezone.now()
    if submission_token:
        existing = Comment.objects.filter(author=author, submission_token=submission_token).first()
        if existing:
            return existing, False
    comment_round = _check_may_write(user=author, goal=goal, now=now)
    if parent is not None:
        if parent.goal_id != goal.pk or parent.parent_id is not None:
            raise ContributionRefused(_("You can only reply to a contribution on this goal."))
        if parent.status != Comment.Status.PUBLISHED:
            raise ContributionRefused(_("This contribution can no longer be answered."))
    _check_rate_limit(author)
    status = Comment.Status.PENDING if comment_round.is_pre_moderated else Comment.Status.PUBLISHED
    comment = Comment(
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
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # The same form was submitted twice at the same moment; the other request won.
        existing = Comment.objects.filter(author=author, submission_token=submission_token).first()
        if existing is None:
            raise
        return existing, False
    _count_for_rate_limit(author)
    return comment, True


def comment_edit(*, comment: Comment, user: User, text: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if comment.author_id != user.pk:
        raise ContributionRefused(_("You can only edit your own contributions."))
    if not comment.is_editable(now):
        raise ContributionRefused(
            _("Contributions can only be edited within 15 minutes of being written.")
        )
    if text == comment.text:
        return
    comment.text = text
    comment.edited_at = now
    comment.save(update_fields=["text", "edited_at"])


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
    _check_may_write(user=user, goal=comment.goal, now=now)
    if comment.status != Comment.Status.PUBLISHED:
        raise ContributionRefused(_("This contribution cannot be supported."))
    if comment.author_id == user.pk:
        raise ContributionRefused(_("You cannot support your own contribution."))
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(comment=comment, user=user).delete()
        if deleted:
            return False
        Support.objects.get_or_create(comment=comment, user=user)
    return True


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def account_data_export(user: User) -> dict[str, Any]:
    """Everything the portal stores about a person, for the "download my data" button."""
    return {
        "profile": {
            "display_name": user.display_name,
            "email": user.email,
            "district": user.district.name if user.district else None,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "consents": {
            "netiquette_accepted_at": _iso(user.netiquette_accepted_at),
            "privacy_accepted_at": _iso(user.privacy_accepted_at),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "contributions": user_contributions(user),
    }


def _delete_sessions_of(user: User) -> None:
    # Sessions are signed blobs without a user column; decode the live ones to find the user's.
    user_pk = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_pk
    ]
    Session.objects.filter(pk__in=stale).delete()


def account_delete(user: User) -> None:
    """Erase the person, keep the account row so its contributions show as "Gelöschtes Konto"."""
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        _delete_sessions_of(user)
        user.email = None
        user.display_name = None
        user.district = None
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.deleted_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
