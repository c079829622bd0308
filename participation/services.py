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
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Goal, KeyMessage, Measure
from participation import notifications
from participation.models import (
    Comment,
    CommentRound,
    ModerationDigest,
    ModerationLogEntry,
    OfficialAnswer,
    Report,
    Support,
    User,
)

MODERATION_GROUP = "Moderation"
# (app label, codename): what moderators need to work the queue, answer and read the log.
# change_comment lets them save answers written on the contribution's page; the text and
# status fields are read-only there for everybody.
MODERATION_PERMISSIONS = [
    ("participation", "view_comment"),
    ("participation", "change_comment"),
    ("participation", "moderate_comment"),
    ("participation", "view_commentround"),
    ("participation", "view_report"),
    ("participation", "view_moderationlogentry"),
    ("participation", "add_officialanswer"),
    ("participation", "change_officialanswer"),
    ("participation", "view_officialanswer"),
    ("goals", "view_goal"),
    ("events", "view_event"),
]

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
    if comment.status == Comment.Status.PUBLISHED:
        _notify_reply(comment)
    return comment, True


def _notify_reply(reply: Comment) -> None:
    parent = reply.parent
    if parent is None or parent.author_id is None or parent.author_id == reply.author_id:
        return
    transaction.on_commit(lambda: notifications.send_reply_notification(reply_id=reply.pk))


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


# Moderation ----------------------------------------------------------------------------------


def _log(
    comment: Comment,
    *,
    actor: User | None,
    action: str,
    old_status: str = "",
    new_status: str = "",
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
) -> ModerationLogEntry:
    return ModerationLogEntry.objects.create(
        comment=comment,
        actor=actor,
        action=action,
        old_status=old_status,
        new_status=new_status,
        reason=reason,
        note=note,
        created_at=now or timezone.now(),
    )


def comment_report(
    *, comment: Comment, reporter: User, reason: str, text: str = "", now: datetime | None = None
) -> Report:
    """Record a citizen's report; enough reports from different accounts hide the contribution
    at once until a moderator has looked at it (MODERATION_REPORT_THRESHOLD)."""
    now = now or timezone.now()
    if not user_is_verified(reporter):
        raise ContributionRefused(
            _("Please confirm your e-mail address first. Only confirmed accounts can report.")
        )
    if comment.author_id == reporter.pk:
        raise ContributionRefused(_("You cannot report your own contribution."))
    if comment.status != Comment.Status.PUBLISHED:
        raise ContributionRefused(_("This contribution is not shown and cannot be reported."))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if Report.objects.filter(comment=locked, reporter=reporter).exists():
            raise ContributionRefused(_("You have already reported this contribution."))
        report = Report.objects.create(
            comment=locked, reporter=reporter, reason=reason, text=text, created_at=now
        )
        reporters = (
            Report.objects.open()
            .filter(comment=locked, reporter__isnull=False)
            .values("reporter")
            .distinct()
            .count()
        )
        if reporters >= settings.MODERATION_REPORT_THRESHOLD and locked.is_published:
            locked.status = Comment.Status.HIDDEN
            locked.moderation_reason = ""
            locked.moderated_by = None
            locked.moderated_at = now
            locked.save(
                update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"]
            )
            _log(
                locked,
                actor=None,
                action=ModerationLogEntry.Action.AUTO_HIDE,
                old_status=Comment.Status.PUBLISHED,
                new_status=Comment.Status.HIDDEN,
                note=_("%(count)s accounts reported the contribution.") % {"count": reporters},
                now=now,
            )
            comment.status = locked.status
    return report


class ModerationRefused(ContributionRefused):
    pass


def _moderate(
    comment: Comment,
    *,
    moderator: User,
    action: str,
    allowed_from: tuple[str, ...],
    new_status: str,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
) -> ModerationLogEntry:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        old_status = locked.status
        if old_status not in allowed_from:
            raise ModerationRefused(
                _("Contribution %(pk)s is „%(status)s“; this action does not apply.")
                % {"pk": locked.pk, "status": locked.get_status_display()}
            )
        locked.status = new_status
        locked.moderation_reason = reason
        locked.moderation_note = note
        locked.moderated_by = moderator
        locked.moderated_at = now
        # Only moderation fields are written: the text is never touched.
        locked.save(
            update_fields=[
                "status",
                "moderation_reason",
                "moderation_note",
                "moderated_by",
                "moderated_at",
            ]
        )
        Report.objects.open().filter(comment=locked).update(resolved_at=now)
        entry = _log(
            locked,
            actor=moderator,
            action=action,
            old_status=old_status,
            new_status=new_status,
            reason=reason,
            note=note,
            now=now,
        )
        if old_status == Comment.Status.PENDING and new_status == Comment.Status.PUBLISHED:
            _notify_reply(locked)
    comment.refresh_from_db()
    return entry


def comment_approve(*, comment: Comment, moderator: User, note: str = "") -> ModerationLogEntry:
    """Publish a pending contribution, or declare a reported one fine (also one hidden
    automatically after reports) and close its reports."""
    return _moderate(
        comment,
        moderator=moderator,
        action=ModerationLogEntry.Action.APPROVE,
        allowed_from=(Comment.Status.PENDING, Comment.Status.PUBLISHED, Comment.Status.HIDDEN),
        new_status=Comment.Status.PUBLISHED,
        note=note,
    )


def comment_hide(
    *, comment: Comment, moderator: User, reason: str, note: str
) -> ModerationLogEntry:
    if reason not in Comment.ModerationReason.values:
        raise ModerationRefused(_("Please choose a reason from the list."))
    if not note.strip():
        raise ModerationRefused(_("Please add a note explaining the decision."))
    return _moderate(
        comment,
        moderator=moderator,
        action=ModerationLogEntry.Action.HIDE,
        # A contribution hidden automatically after reports gets its reviewed reason here.
        allowed_from=(Comment.Status.PENDING, Comment.Status.PUBLISHED, Comment.Status.HIDDEN),
        new_status=Comment.Status.HIDDEN,
        reason=reason,
        note=note.strip(),
    )


def comment_restore(*, comment: Comment, moderator: User, note: str = "") -> ModerationLogEntry:
    return _moderate(
        comment,
        moderator=moderator,
        action=ModerationLogEntry.Action.RESTORE,
        allowed_from=(Comment.Status.HIDDEN,),
        new_status=Comment.Status.PUBLISHED,
        note=note,
    )


def answer_create(*, comment: Comment, author: User, text: str) -> OfficialAnswer:
    """The city's answer; the author of the contribution gets an e-mail after the commit."""
    with transaction.atomic():
        answer = OfficialAnswer.objects.create(comment=comment, author=author, text=text)
        _log(comment, actor=author, action=ModerationLogEntry.Action.ANSWER)
        if comment.author_id:
            transaction.on_commit(
                lambda: notifications.send_answer_notification(answer_id=answer.pk)
            )
    return answer


def outcome_log(*, comment: Comment, editor: User) -> None:
    """Record that an editor set or changed the outcome (called by the admin after saving)."""
    _log(
        comment,
        actor=editor,
        action=ModerationLogEntry.Action.OUTCOME,
        note=comment.get_outcome_display(),
    )


def workshop_contribution_create(*, editor: User, **fields) -> Comment:
    """Input from a workshop card: no account, the event as source, published at once."""
    with transaction.atomic():
        comment = Comment(
            author=None, source=Comment.Source.EVENT, status=Comment.Status.PUBLISHED, **fields
        )
        comment.full_clean()
        comment.save()
    return comment


def moderation_digest_send(*, now: datetime | None = None) -> ModerationDigest | None:
    """Send today's digest of pending and reported contributions to the Moderation group.

    Returns None when today's digest was already sent (safe to run twice)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        digest, created = ModerationDigest.objects.get_or_create(day=day)
        if not created:
            return None
        queue = Comment.objects.awaiting_review()
        digest.pending = queue.filter(status=Comment.Status.PENDING).count()
        digest.reported = queue.exclude(status=Comment.Status.PENDING).count()
        recipients = list(
            User.objects.filter(groups__name=MODERATION_GROUP, is_active=True, email__isnull=False)
            .distinct()
            .values_list("email", flat=True)
        )
        digest.recipients = len(recipients) if (digest.pending or digest.reported) else 0
        digest.sent_at = now
        digest.save()
        if digest.recipients:
            transaction.on_commit(
                lambda: notifications.send_moderation_digest(digest=digest, recipients=recipients)
            )
    return digest


def notification_unsubscribe(*, user: User, kind: str) -> None:
    field = notifications.KINDS[kind]
    if getattr(user, field):
        setattr(user, field, False)
        user.save(update_fields=[field])


def sync_moderation_group(apps=global_apps) -> None:
    """Give the "Moderation" group exactly MODERATION_PERMISSIONS (idempotent; also used by
    the migration with historical `apps`)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=MODERATION_GROUP)
    group.permissions.set(
        [
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in MODERATION_PERMISSIONS
        ]
    )
