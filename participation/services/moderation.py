"""Moderation: citizens' reports, the moderators' decisions (each logged) and the daily digest."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hagen_isek.roles import MODERATORS
from participation import notifications
from participation.models import (
    Comment,
    ModerationDigest,
    ModerationLogEntry,
    Objection,
    Report,
    User,
)

from .contributions import notify_reply
from .rules import ContributionRefused, ModerationRefused, user_is_verified


def log_action(
    comment: Comment,
    *,
    actor: User | None,
    action: str,
    old_status: str = "",
    new_status: str = "",
    reason: str = "",
    note: str = "",
    text: str | None = None,
    now: datetime | None = None,
) -> ModerationLogEntry:
    """Log an action on a contribution, with the text it was taken on (by default the
    contribution's current text)."""
    return ModerationLogEntry.objects.create(
        comment=comment,
        actor=actor,
        action=action,
        old_status=old_status,
        new_status=new_status,
        reason=reason,
        note=note,
        text=comment.current_text if text is None else text,
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
            log_action(
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


# The moderators' decisions: action -> the status it leads to. Which of them a contribution's
# state allows is `moderation_actions`; services, admin buttons and bulk actions all ask it.
MODERATION_RESULT = {
    ModerationLogEntry.Action.APPROVE: Comment.Status.PUBLISHED,
    ModerationLogEntry.Action.HIDE: Comment.Status.HIDDEN,
    ModerationLogEntry.Action.RESTORE: Comment.Status.PUBLISHED,
}


def moderation_actions(
    comment: Comment, *, has_open_reports: bool, has_open_objection: bool = False
) -> list[str]:
    """The moderation actions the contribution's state allows, in the order they are offered.

    Approve: publish a pending contribution or an edit awaiting review, or declare a reported
    one fine (also one hidden automatically after reports). Hide: a pending or published one,
    give one hidden automatically its reviewed reason, or confirm the hiding the author
    objected to. Restore: a hidden one. Withdrawn ones are the author's.
    """
    status = comment.status
    hidden_automatically = status == Comment.Status.HIDDEN and not comment.moderation_reason
    actions = []
    if (
        status == Comment.Status.PENDING
        or (status == Comment.Status.PUBLISHED and (has_open_reports or comment.has_pending_edit))
        or hidden_automatically
    ):
        actions.append(ModerationLogEntry.Action.APPROVE)
    if (
        status in (Comment.Status.PENDING, Comment.Status.PUBLISHED)
        or hidden_automatically
        or (status == Comment.Status.HIDDEN and has_open_objection)
    ):
        actions.append(ModerationLogEntry.Action.HIDE)
    if status == Comment.Status.HIDDEN:
        actions.append(ModerationLogEntry.Action.RESTORE)
    return actions


def moderation_actions_for(comment: Comment) -> list[str]:
    """`moderation_actions` for one contribution, looking up its open reports and objections
    (two queries)."""
    return moderation_actions(
        comment,
        has_open_reports=Report.objects.open().filter(comment=comment).exists(),
        has_open_objection=Objection.objects.open().filter(comment=comment).exists(),
    )


def _moderate(
    comment: Comment,
    *,
    moderator: User,
    action: str,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
) -> ModerationLogEntry:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        old_status = locked.status
        new_status = MODERATION_RESULT[action]
        if action not in moderation_actions_for(locked):
            raise ModerationRefused(
                _("Contribution %(pk)s is „%(status)s“; this action does not apply.")
                % {"pk": locked.pk, "status": locked.get_status_display()}
            )
        moderated_text = locked.current_text
        after_review = action == ModerationLogEntry.Action.APPROVE and (
            old_status == Comment.Status.PENDING or locked.has_pending_edit
        )
        if action == ModerationLogEntry.Action.APPROVE and locked.has_pending_edit:
            # The approved edit becomes public; the earlier text is already a version.
            locked.text, locked.pending_text = locked.pending_text, ""
        locked.status = new_status
        locked.moderation_reason = reason
        locked.moderation_note = note
        locked.moderated_by = moderator
        locked.moderated_at = now
        locked.save(
            update_fields=[
                "text",
                "pending_text",
                "status",
                "moderation_reason",
                "moderation_note",
                "moderated_by",
                "moderated_at",
            ]
        )
        Report.objects.open().filter(comment=locked).update(resolved_at=now)
        Objection.objects.open().filter(comment=locked).update(resolved_at=now)
        entry = log_action(
            locked,
            actor=moderator,
            action=action,
            old_status=old_status,
            new_status=new_status,
            reason=reason,
            note=note,
            text=moderated_text,
            now=now,
        )
        if old_status == Comment.Status.PENDING and new_status == Comment.Status.PUBLISHED:
            notify_reply(locked)
        if after_review:
            transaction.on_commit(
                lambda: notifications.send_approved_notification(comment_id=locked.pk)
            )
        if action == ModerationLogEntry.Action.HIDE:
            transaction.on_commit(
                lambda: notifications.send_hidden_notification(comment_id=locked.pk)
            )
    comment.refresh_from_db()
    return entry


def comment_object(*, comment: Comment, author: User, text: str) -> Objection:
    """The author objects to hiding their contribution: it goes back into the moderation
    queue (logged) until a moderator restores it or confirms the decision."""
    text = text.strip()
    if comment.author_id != author.pk or not user_is_verified(author):
        raise ContributionRefused(_("Only the author can object to this decision."))
    if not text:
        raise ContributionRefused(_("Please explain why the contribution should be shown."))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status != Comment.Status.HIDDEN:
            raise ContributionRefused(_("This contribution is not hidden."))
        if Objection.objects.open().filter(comment=locked).exists():
            raise ContributionRefused(
                _("You have already objected; the moderation team will decide again.")
            )
        objection = Objection.objects.create(comment=locked, author=author, text=text)
        log_action(
            locked,
            actor=author,
            action=ModerationLogEntry.Action.OBJECTION,
            old_status=locked.status,
            new_status=locked.status,
            note=text,
        )
    return objection


def comment_approve(*, comment: Comment, moderator: User, note: str = "") -> ModerationLogEntry:
    """Publish a pending contribution, or declare a reported one fine (also one hidden
    automatically after reports) and close its reports."""
    return _moderate(
        comment,
        moderator=moderator,
        action=ModerationLogEntry.Action.APPROVE,
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
        reason=reason,
        note=note.strip(),
    )


def comment_restore(*, comment: Comment, moderator: User, note: str = "") -> ModerationLogEntry:
    return _moderate(
        comment,
        moderator=moderator,
        action=ModerationLogEntry.Action.RESTORE,
        note=note,
    )


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
            User.objects.filter(groups__name=MODERATORS, is_active=True, email__isnull=False)
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
