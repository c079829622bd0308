from datetime import datetime

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hagen_isek import site_content

# The ISEK has 16 strategic goals (council decision of 13.12.2018); not all titles are known yet.
TOTAL_GOALS = 16


class GoalQuerySet(models.QuerySet):
    def published(self) -> "GoalQuerySet":
        return self.filter(status=Goal.Status.PUBLISHED)

    def progress(self) -> dict[str, int]:
        """How many of the 16 goals are published, in preparation, or not known at all."""
        counts = self.aggregate(
            published=Count("pk", filter=Q(status=Goal.Status.PUBLISHED)),
            drafts=Count("pk", filter=Q(status=Goal.Status.DRAFT)),
        )
        counts["total"] = TOTAL_GOALS
        counts["unknown"] = max(TOTAL_GOALS - counts["published"] - counts["drafts"], 0)
        return counts

    def with_followed_by(self, user) -> "GoalQuerySet":
        """Annotate `is_followed`: does this signed-in user follow the goal? (no extra query)"""
        if not user.is_authenticated:
            return self.annotate(is_followed=Value(False))
        follows = apps.get_model("participation", "Follow").objects
        return self.annotate(is_followed=Exists(follows.filter(goal=OuterRef("pk"), user=user)))

    def with_counts(self) -> "GoalQuerySet":
        """Annotate `key_message_count` and `measure_count` (two subqueries, no row explosion)."""
        key_messages = (
            KeyMessage.objects.filter(goal=OuterRef("pk"))
            .order_by()
            .values("goal")
            .annotate(n=Count("pk"))
            .values("n")
        )
        measures = (
            MeasureGoal.objects.filter(goal=OuterRef("pk"), measure__is_published=True)
            .order_by()
            .values("goal")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            key_message_count=Coalesce(Subquery(key_messages), 0),
            measure_count=Coalesce(Subquery(measures), 0),
        )

    def with_content(self) -> "GoalQuerySet":
        """Prefetch key messages and published measures (in goal order) with every goal they
        serve, and the council papers that dealt with the goal."""
        return self.prefetch_related(*goal_content_lookups())


def goal_content_lookups() -> list:
    """What a goal page shows beside the goal (GoalQuerySet.with_content), also for
    prefetch_related_objects on a goal already loaded."""
    return [
        "key_messages",
        "council_papers",
        Prefetch(
            "measure_links",
            queryset=MeasureGoal.objects.select_related("measure")
            .filter(measure__is_published=True)
            .prefetch_related(
                Prefetch(
                    "measure__goal_links",
                    queryset=MeasureGoal.objects.select_related("goal").filter(
                        goal__status=Goal.Status.PUBLISHED
                    ),
                )
            ),
        ),
    ]


def attach_kept_content(goal: "Goal") -> None:
    """Give `goal` what its page shows beside it (goal_content_lookups) as this worker keeps it
    for the current site version (hagen_isek/site_content.py): no query while no editor has
    changed anything."""

    def load() -> dict:
        fresh = Goal.objects.get(pk=goal.pk)
        prefetch_related_objects([fresh], *goal_content_lookups())
        return fresh._prefetched_objects_cache

    goal._prefetched_objects_cache = dict(site_content.kept(("goal-content", goal.pk), load))


class Goal(models.Model):
    """One of the 16 strategic goals (strategische Ziele) of the ISEK."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveSmallIntegerField(
        _("official number"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Only fill in where the official goal number is known (e.g. Ziel 1, Ziel 10)."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of the goal in lists; lower comes first.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("The part before the dash, e.g. „Hagener Kieze“."),
    )
    claim = models.CharField(
        _("claim"),
        max_length=200,
        blank=True,
        help_text=_("The part after the dash, e.g. „urbane Quartiere entwickeln!“."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    easy_text = models.TextField(
        _("explained simply"),
        blank=True,
        help_text=_(
            "Optional: the goal in Leichte Sprache, shown as „Leicht erklärt“ and marked as an "
            "editorial summary (never the council's wording). One sentence per line; at most 15 "
            "words per sentence; split long words with a hyphen or Mediopunkt (·); no passive, "
            "no subjunctive."
        ),
    )
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where the wording comes from (document, minutes, press); shown to editors."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept current by a PostgreSQL trigger (goals/migrations/0006); always empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_vector"])
    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["position", "number", "title"]

    def __str__(self) -> str:
        return self.full_title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", kwargs={"slug": self.slug})

    @property
    def full_title(self) -> str:
        return f"{self.title} – {self.claim}" if self.claim else self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class KeyMessage(models.Model):
    """A key message (Kernbotschaft) of one goal."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="key_messages"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")
        ordering = ["goal", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class MeasureGoal(models.Model):
    """Links a measure to a goal it serves, with the measure's position on that goal's page."""

    measure = models.ForeignKey(
        "Measure", verbose_name=_("measure"), on_delete=models.CASCADE, related_name="goal_links"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="measure_links"
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of the measure on this goal's page.")
    )

    class Meta:
        db_table = "goals_measure_goals"
        verbose_name = _("measure of a goal")
        verbose_name_plural = _("measures of a goal")
        ordering = ["goal", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "goal"], name="goals_measuregoal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.goal.title}: {self.measure.text}"


class MeasureQuerySet(models.QuerySet):
    def published(self) -> "MeasureQuerySet":
        return self.filter(is_published=True)

    def public(self) -> "MeasureQuerySet":
        """Published measures that serve at least one published goal (each measure once)."""
        return self.published().filter(
            pk__in=MeasureGoal.objects.filter(goal__status=Goal.Status.PUBLISHED).values("measure")
        )

    def serving(self, goal: "Goal") -> "MeasureQuerySet":
        return self.filter(pk__in=MeasureGoal.objects.filter(goal=goal).values("measure"))

    def with_public_goals(self) -> "MeasureQuerySet":
        """Prefetch `public_goal_links`: the links to published goals, in goal order."""
        return self.prefetch_related(
            Prefetch(
                "goal_links",
                queryset=MeasureGoal.objects.select_related("goal")
                .filter(goal__status=Goal.Status.PUBLISHED)
                .order_by("goal__position", "goal__number", "goal__title"),
                to_attr="public_goal_links",
            )
        )


class Measure(models.Model):
    """A concrete measure (Maßnahme); one measure can serve several goals."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DECIDED = "decided", _("Decided")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Implemented")
        DEFERRED = "deferred", _("Deferred")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    text = models.TextField(_("text"), help_text=_("The measure as worded in the concept."))
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "What the measure is for, in plain words: the problem it addresses and what "
            "changes for residents. Shown on the measure's page."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Only published measures appear on goal pages, in lists, search and open data; "
            "editors can preview a draft."
        ),
    )
    department = models.CharField(
        _("responsible department"),
        max_length=200,
        blank=True,
        help_text=_("E.g. FB 61 – Stadtentwicklung, -planung und Bauordnung."),
    )
    goals = models.ManyToManyField(
        Goal,
        verbose_name=_("goals"),
        related_name="measures",
        blank=True,
        through=MeasureGoal,
        help_text=_("Every goal this measure serves."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(m2m_fields=[goals], excluded_fields=["search_vector"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["text", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("goals:measure-detail", kwargs={"slug": self.slug})

    def status_history(self) -> list[tuple[datetime, str]]:
        """When the measure reached each of its statuses, oldest first (one query)."""
        changes = []
        for record in self.history.order_by("history_date", "history_id").only(
            "history_date", "status"
        ):
            if not changes or changes[-1][1] != record.status:
                changes.append((record.history_date, record.status))
        labels = dict(self.Status.choices)
        return [(when, labels.get(status, status)) for when, status in changes]
