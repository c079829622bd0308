"""Comment rounds: the time windows in which goals are open for contributions."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    F,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models import Goal


class CommentRoundQuerySet(models.QuerySet):
    """Time windows follow the phase vocabulary: a round is open iff starts_at <= now < ends_at."""

    def published(self) -> "CommentRoundQuerySet":
        return self.filter(is_published=True)

    def upcoming(self, now: datetime | None = None) -> "CommentRoundQuerySet":
        return self.filter(starts_at__gt=now or timezone.now())

    def open(self, now: datetime | None = None) -> "CommentRoundQuerySet":
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)

    def closed(self, now: datetime | None = None) -> "CommentRoundQuerySet":
        return self.filter(ends_at__lte=now or timezone.now())

    def overlapping(self, starts_at: datetime, ends_at: datetime) -> "CommentRoundQuerySet":
        """Rounds whose time window shares an instant with [starts_at, ends_at)."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def sharing_goals_with(self, goals: list[Goal]) -> "CommentRoundQuerySet":
        """Rounds that cover one of the goals; a round without goals covers all of them, so
        with no goals given every round shares one."""
        if not goals:
            return self
        return self.filter(Q(goals__in=goals) | Q(goals__isnull=True)).distinct()

    def for_goal(self, goal: Goal) -> "CommentRoundQuerySet":
        """Rounds in which the goal may be discussed; a round without goals covers all of them."""
        return self.filter(Q(goals=goal) | Q(goals__isnull=True)).distinct()

    def with_hidden_counts(self) -> list["CommentRound"]:
        """The rounds as a list, each with `hidden_by_reason` [(label, count)] (two queries)."""
        from .contributions import Comment

        rounds = list(self)
        counts: dict[int, list[tuple[str, int]]] = {r.pk: [] for r in rounds}
        hidden = (
            Comment.objects.filter(round__in=[r.pk for r in rounds], status=Comment.Status.HIDDEN)
            .values("round_id", "moderation_reason")
            .annotate(total=Count("pk"))
            .order_by("round_id", "moderation_reason")
        )
        labels = dict(Comment.ModerationReason.choices)
        for row in hidden:
            label = labels.get(row["moderation_reason"]) or _("Under review after reports")
            counts[row["round_id"]].append((label, row["total"]))
        for r in rounds:
            r.hidden_by_reason = counts[r.pk]
            r.hidden_total = sum(total for _label, total in counts[r.pk])
            if hasattr(r, "comment_count"):  # published + hidden: CommentQuerySet.counted
                r.tally = {"total": r.comment_count + r.hidden_total, "hidden": r.hidden_total}
        return rounds

    def with_comment_count(self) -> "CommentRoundQuerySet":
        from .contributions import Comment

        return self.annotate(
            comment_count=Count(
                "comments",
                filter=Q(comments__status=Comment.Status.PUBLISHED),
                distinct=True,
            )
        )


class CommentRound(models.Model):
    """A period in which citizens comment on the goals (Phase der Onlinebeteiligung)."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Moderation(models.TextChoices):
        PRE = "pre", _("Pre-moderation: new contributions wait for approval")
        POST = "post", _("Post-moderation: visible at once, reviewed afterwards")

    title = models.CharField(
        _("title"), max_length=200, help_text=_("E.g. „1. Phase der Onlinebeteiligung“.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    starts_at = models.DateTimeField(
        _("starts at"), help_text=_("From this instant on, contributions are accepted.")
    )
    ends_at = models.DateTimeField(
        _("ends at"),
        help_text=_(
            "From this instant on, contributions are refused. For a round that runs until "
            "31 March inclusive, enter 1 April, 00:00."
        ),
    )
    goals = models.ManyToManyField(
        Goal,
        verbose_name=_("goals"),
        related_name="comment_rounds",
        blank=True,
        help_text=_("The goals open for comment. Leave empty for all published goals."),
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.POST
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published rounds are shown and open.")
    )
    allows_placing = models.BooleanField(
        _("contributions can be placed on the map"),
        default=False,
        help_text=_(
            "Citizens may then name the Stadtbezirk their contribution concerns, from a list or "
            "by a point on the map (stored rounded to about 100 m)."
        ),
    )
    is_demo = models.BooleanField(
        _("demo round"),
        default=False,
        help_text=_("Created for a local demo; never part of production data."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CommentRoundQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("comment round")
        verbose_name_plural = _("comment rounds")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="participation_round_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:index") + f"#runde-{self.slug}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The round must end after it starts.")})

    def state(self, now: datetime | None = None) -> "CommentRound.State":
        """The one definition of a round's state (CommentRoundQuerySet filters the same way)."""
        now = now or timezone.now()
        if now < self.starts_at:
            return self.State.UPCOMING
        if now < self.ends_at:
            return self.State.OPEN
        return self.State.CLOSED

    def is_open(self, now: datetime | None = None) -> bool:
        return self.is_published and self.state(now) == self.State.OPEN

    @property
    def is_pre_moderated(self) -> bool:
        return self.moderation == self.Moderation.PRE

    @property
    def ends_at_midnight(self) -> bool:
        local = timezone.localtime(self.ends_at)
        return (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)

    @property
    def last_day(self) -> date:
        """The last calendar day on which contributions are accepted (ends_at is exclusive)."""
        return timezone.localtime(self.ends_at - timedelta(microseconds=1)).date()
