"""Moderation: reports, the moderation log and the daily digest for moderators."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .contributions import Comment


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        """Reports no moderator has decided on yet."""
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """A citizen's „Melden“ of a contribution; one per account and contribution."""

    class Reason(models.TextChoices):
        INSULT = "insult", _("Insult")
        SPAM = "spam", _("Spam")
        PERSONAL_DATA = "personal_data", _("Personal data")
        OTHER = "other", _("Other")

    comment = models.ForeignKey(
        Comment, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("explanation"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(
        _("resolved at"),
        null=True,
        blank=True,
        help_text=_("Set when a moderator approved, hid or restored the contribution."),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="participation_report_unique_per_user"
            ),
        ]
        indexes = [
            # The moderation queue: open reports per contribution.
            models.Index(fields=["comment", "resolved_at"], name="participation_report_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} → {self.comment_id}"


class ModerationLogEntry(models.Model):
    """One moderation action on a contribution: who, when, old and new status, why."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        AUTO_HIDE = "auto_hide", _("Hidden automatically after reports")
        REPORT = "report", _("Reported")
        ANSWER = "answer", _("Answered by the city")
        OUTCOME = "outcome", _("Outcome set")
        OBJECTION = "objection", _("Objection by the author")

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="moderation_log",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for automatic actions."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    old_status = models.CharField(
        _("old status"), max_length=20, choices=Comment.Status.choices, blank=True
    )
    new_status = models.CharField(
        _("new status"), max_length=20, choices=Comment.Status.choices, blank=True
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=Comment.ModerationReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    text = models.TextField(
        _("moderated text"), blank=True, help_text=_("The text the decision was taken on.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.comment_id})"


class ObjectionQuerySet(models.QuerySet):
    def open(self) -> "ObjectionQuerySet":
        """Objections no moderator has decided on yet."""
        return self.filter(resolved_at__isnull=True)


class Objection(models.Model):
    """The author's Widerspruch against hiding their contribution; it puts the contribution
    back into the moderation queue until a moderator decides again."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="objections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objections",
    )
    text = models.TextField(_("objection"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(
        _("resolved at"),
        null=True,
        blank=True,
        help_text=_("Set when a moderator restored the contribution or confirmed the decision."),
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The moderation queue: open objections per contribution.
            models.Index(fields=["comment", "resolved_at"], name="participation_objection_open"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} → {self.comment_id}"


class ModerationDigest(models.Model):
    """One sent daily digest; makes `send_moderation_digest` safe to run twice a day."""

    day = models.DateField(_("day"), unique=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    pending = models.PositiveIntegerField(_("pending contributions"), default=0)
    reported = models.PositiveIntegerField(_("reported contributions"), default=0)

    class Meta:
        verbose_name = _("moderation digest")
        verbose_name_plural = _("moderation digests")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}"
