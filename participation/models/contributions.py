"""Contributions (Beiträge), replies and supports."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from goals.models import Goal

from .rounds import CommentRound


def awaiting_approval_q() -> Q:
    return Q(status=Comment.Status.PENDING) | Q(
        status=Comment.Status.PUBLISHED, pending_text__gt=""
    )


def open_reports_q() -> Q:
    from .moderation import Report

    open_reports = Report.objects.open().filter(comment=OuterRef("pk"))
    return Q(Exists(open_reports), status__in=[Comment.Status.PUBLISHED, Comment.Status.HIDDEN])


def open_objections_q() -> Q:
    from .moderation import Objection

    open_objections = Objection.objects.open().filter(comment=OuterRef("pk"))
    return Q(Exists(open_objections), status=Comment.Status.HIDDEN)


class CommentQuerySet(models.QuerySet):
    def published(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PUBLISHED)

    def public(self) -> "CommentQuerySet":
        """Published text anyone may read and reuse: published contributions in published
        rounds on published goals (feeds and open data; never hidden, pending or withdrawn)."""
        return self.filter(
            status=Comment.Status.PUBLISHED,
            round__is_published=True,
            goal__status=Goal.Status.PUBLISHED,
        )

    def visible(self) -> "CommentQuerySet":
        """What the public page lists: published text, or a placeholder (hidden, withdrawn)."""
        return self.exclude(status=Comment.Status.PENDING)

    def listed_for(self, user) -> "CommentQuerySet":
        """The public list plus the user's own contributions that still await moderation."""
        return self.filter(listed_condition(user))

    def top_level(self) -> "CommentQuerySet":
        return self.filter(parent__isnull=True)

    def by_author(self, user) -> "CommentQuerySet":
        return self.filter(author=user)

    def for_author_listing(self, user) -> "CommentQuerySet":
        """Everything the user wrote, in every status, newest first, with what the account page
        shows beside it (goal, outcome measure, the city's answers) loaded in two queries."""
        return (
            self.by_author(user)
            .select_related("goal", "parent", "outcome_measure")
            .prefetch_related("official_answers")
            .newest_first()
        )

    def with_support_count(self) -> "CommentQuerySet":
        """Annotate `support_count` with a correlated subquery, not a JOIN + GROUP BY: the
        database then counts supports only for the page of contributions it returns, and
        count() leaves the subquery out (a JOIN made both scan a goal's every contribution)."""
        supports = (
            Support.objects.filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(support_count=Coalesce(Subquery(supports), 0))

    def online(self) -> "CommentQuerySet":
        return self.filter(source=Comment.Source.ONLINE)

    def from_events(self) -> "CommentQuerySet":
        return self.filter(source=Comment.Source.EVENT)

    def with_outcome(self, outcome: str) -> "CommentQuerySet":
        return self.filter(outcome=outcome)

    def with_public_district(self) -> "CommentQuerySet":
        """Annotate `public_district`: the district anybody may know a contribution by – where it
        was placed or imported for, else its workshop's; never its author's own district."""
        return self.annotate(public_district=Coalesce("district_id", "event__district_id"))

    def placed(self) -> "CommentQuerySet":
        """Contributions placed on the map as a point."""
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def from_district(self, district) -> "CommentQuerySet":
        """Contributions of residents of the district, workshop input from its events and
        imported input recorded for the district.

        A contribution belongs to the district its author named, else to its workshop's, else to
        the one recorded on import: the same rule as the statistics' table (`with_district`)."""
        return self.with_district().filter(counted_district=district.pk)

    def with_district(self) -> "CommentQuerySet":
        """Annotate `counted_district` and `counted_district_name`: the district the
        contribution counts for (its author's, else its workshop's, else the imported one)."""
        return self.annotate(
            counted_district=Coalesce("author__district_id", "event__district_id", "district_id"),
            counted_district_name=Coalesce(
                "author__district__name", "event__district__name", "district__name"
            ),
        )

    def counted(self) -> "CommentQuerySet":
        """What every figure on the portal counts: contributions and replies, online and from
        workshops, that are published or hidden by moderation ("Beiträge und Antworten",
        "davon ausgeblendet"). Not counted: those awaiting moderation (nobody has approved
        them yet) and withdrawn ones (their authors took them back)."""
        return self.filter(status__in=COUNTED_STATUSES)

    def tally(self) -> dict[str, int]:
        """`total` and `hidden` of the counted contributions, in one aggregate query."""
        return self.aggregate(**tally_aggregates())

    def answered(self) -> "CommentQuerySet":
        from .evaluation import OfficialAnswer

        return self.filter(Exists(OfficialAnswer.objects.filter(comment=OuterRef("pk"))))

    def unanswered(self) -> "CommentQuerySet":
        from .evaluation import OfficialAnswer

        return self.exclude(Exists(OfficialAnswer.objects.filter(comment=OuterRef("pk"))))

    def without_outcome(self) -> "CommentQuerySet":
        return self.filter(outcome="")

    def reported(self) -> "CommentQuerySet":
        """Contributions somebody reported at least once (decided or not)."""
        from .moderation import Report

        return self.filter(Exists(Report.objects.filter(comment=OuterRef("pk"))))

    def awaiting_review(self) -> "CommentQuerySet":
        """The moderation queue proper: pending, with reports nobody has decided on, or hidden
        with the author's objection nobody has decided on."""
        return self.filter(awaiting_approval_q() | open_reports_q() | open_objections_q())

    def awaiting_approval(self) -> "CommentQuerySet":
        """New contributions and edits of published ones that no moderator has approved yet."""
        return self.filter(awaiting_approval_q())

    def with_open_reports(self) -> "CommentQuerySet":
        """Visible contributions with reports nobody has decided on."""
        return self.filter(open_reports_q())

    def for_moderation(self) -> "CommentQuerySet":
        """Admin queue order: pending, reported and objected first, each row with its open
        reports."""
        from .moderation import Objection, Report

        open_reports = Report.objects.open().filter(comment=OuterRef("pk"))
        open_objections = Objection.objects.open().filter(comment=OuterRef("pk"))
        return (
            self.annotate(
                open_report_count=Count(
                    "reports", filter=Q(reports__resolved_at__isnull=True), distinct=True
                ),
                needs_review=Case(
                    When(status=Comment.Status.PENDING, then=Value(True)),
                    When(status=Comment.Status.PUBLISHED, pending_text__gt="", then=Value(True)),
                    When(Exists(open_reports), then=Value(True)),
                    When(Exists(open_objections), status=Comment.Status.HIDDEN, then=Value(True)),
                    default=Value(False),
                    output_field=models.BooleanField(),
                ),
            )
            .select_related("goal", "round", "author", "event")
            .prefetch_related(
                Prefetch("reports", queryset=Report.objects.open(), to_attr="open_reports")
            )
            .order_by("-needs_review", "-created_at", "-pk")
        )

    def for_export(self) -> "CommentQuerySet":
        """The annotations an export row needs besides the contribution's own columns (see
        participation/export.py, which adds answers and tags per chunk)."""
        # Support counts by subquery (with_support_count): a JOIN + GROUP BY made PostgreSQL
        # aggregate all supports before the first row.
        versions = (
            ContributionVersion.objects.filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.with_support_count()
            .annotate(
                author_district=F("author__district__name"),
                moderator_name=F("moderated_by__display_name"),
                version_count=Coalesce(Subquery(versions), 0),
            )
            .order_by("pk")
        )

    def newest_first(self) -> "CommentQuerySet":
        return self.order_by("-created_at", "-pk")

    def most_supported_first(self) -> "CommentQuerySet":
        return self.order_by("-support_count", "-created_at", "-pk")


class Comment(models.Model):
    """A citizen's contribution to a goal in a comment round. Never deleted; see `status`."""

    EDIT_WINDOW = timedelta(minutes=15)
    MAX_LENGTH = 4000

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by moderation")
        WITHDRAWN = "withdrawn", _("Withdrawn by the author")

    class ModerationReason(models.TextChoices):
        NETIQUETTE = "netiquette", _("Violation of the netiquette")
        INSULT = "insult", _("Insult")
        SPAM = "spam", _("Spam")
        PERSONAL_DATA = "personal_data", _("Personal data")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        EVENT = "event", _("Event")
        IMPORTED = "imported", _("Imported (earlier procedure)")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Examined – not adopted")
        FORWARDED = "forwarded", _("Forwarded to the department")
        CONSIDERED = "considered", _("Will be considered later in the process")

    # The goal page filter: ?ergebnis=<slug>.
    OUTCOME_SLUGS = {
        "uebernommen": Outcome.ADOPTED,
        "nicht-uebernommen": Outcome.REJECTED,
        "weitergeleitet": Outcome.FORWARDED,
        "beruecksichtigt": Outcome.CONSIDERED,
    }

    round = models.ForeignKey(
        CommentRound,
        verbose_name=_("comment round"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="comments"
    )
    key_message = models.ForeignKey(
        "goals.KeyMessage",
        verbose_name=_("key message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text=_("Optional: the key message of the goal the contribution refers to."),
    )
    measure = models.ForeignKey(
        "goals.Measure",
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text=_("Optional: the measure of the goal the contribution refers to."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text=_("Empty for contributions without an account (e.g. workshop input)."),
    )
    text = models.TextField(
        _("text"), max_length=MAX_LENGTH, validators=[MaxLengthValidator(MAX_LENGTH)]
    )
    pending_text = models.TextField(
        _("edited text awaiting moderation"),
        max_length=MAX_LENGTH,
        blank=True,
        help_text=_(
            "In a pre-moderated round, an edit of a published contribution waits here for "
            "approval; until then the public sees the last approved text."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_reason = models.CharField(
        _("moderation reason"), max_length=20, choices=ModerationReason.choices, blank=True
    )
    moderation_note = models.TextField(
        _("moderation note"), blank=True, help_text=_("Internal; never shown publicly.")
    )
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=Source.choices,
        default=Source.ONLINE,
        help_text=_("Online, or entered by the editors from an event (workshop input)."),
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        help_text=_("For workshop input: the event the contribution comes from."),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text=_("What became of the contribution; shown publicly."),
    )
    outcome_note = models.TextField(
        _("outcome explanation"),
        blank=True,
        help_text=_("Shown publicly; required when the contribution was not adopted."),
    )
    outcome_key_message = models.ForeignKey(
        "goals.KeyMessage",
        verbose_name=_("changed key message"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_comments",
        help_text=_("For adopted contributions: the key message the contribution changed."),
    )
    outcome_measure = models.ForeignKey(
        "goals.Measure",
        verbose_name=_("changed measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_comments",
        help_text=_("For adopted contributions: the measure the contribution changed or led to."),
    )
    outcome_at = models.DateTimeField(_("outcome set at"), null=True, blank=True)
    outcome_notified = models.CharField(
        _("author notified of outcome"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_("The outcome the author was last told about by e-mail (never twice)."),
    )
    department = models.ForeignKey(
        "participation.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("The Fachbereich that evaluates the contribution."),
    )
    district = models.ForeignKey(
        "events.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The district the contribution concerns: recorded on import, or where the citizen "
            "placed it (in rounds that allow placing). Never the author's own district, which "
            "stays private."
        ),
    )
    # Where the citizen placed the contribution, rounded to about 100 m (events.geo.rounded);
    # empty unless they clicked a point on the map.
    latitude = models.DecimalField(
        _("latitude"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    origin = models.CharField(
        _("origin"),
        max_length=200,
        blank=True,
        help_text=_("For imported input: where it comes from, e.g. „Plan-Portal 2018/19“."),
    )
    import_key = models.CharField(
        _("import key"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Set by the import, so that importing the same file twice creates nothing."),
    )
    tags = models.ManyToManyField(
        "participation.EvaluationTag",
        verbose_name=_("evaluation tags"),
        blank=True,
        related_name="comments",
    )
    submission_token = models.UUIDField(
        _("submission token"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sent with the form so that a double submission creates one contribution."),
    )
    # The published `text` only (never `pending_text`); kept current by a PostgreSQL trigger
    # (participation/migrations/0009); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("moderate_comment", _("Can approve, hide and restore contributions")),
            ("export_comment", _("Can export contributions for evaluation")),
        ]
        indexes = [
            # The goal page: a goal's top-level contributions, newest first, and their count.
            # Partial, because PostgreSQL cannot take the order from an index after a column
            # matched by IS NULL: with (goal, parent, -created_at) it sorted all 15,000 rows.
            models.Index(
                fields=["goal", "-created_at", "-id"],
                condition=Q(parent__isnull=True),
                name="participation_comment_goal_new",
            ),
            # The moderation queue (issue 6) and the per-round counts: filter by status.
            models.Index(fields=["status", "-created_at"], name="participation_comment_status"),
            # The goal page filter by outcome (?ergebnis=...).
            models.Index(fields=["goal", "outcome"], name="participation_comment_outcome"),
            # The goal page's map (events/templatetags/map_tags.py): the newest placed points and
            # the counts of those with a public district read only these rows, not all of the
            # goal's (15 and 22 ms on a goal with 20,000 contributions, bench/PERF_GOALPAGE.md).
            models.Index(
                fields=["goal", "-created_at"],
                condition=Q(status="published", latitude__isnull=False, longitude__isnull=False),
                name="participation_comment_placed",
            ),
            models.Index(
                fields=["goal", "district", "event"],
                condition=Q(status="published")
                & (Q(district__isnull=False) | Q(event__isnull=False)),
                name="participation_comment_located",
            ),
        ]
        constraints = [
            # Double submission protection: one contribution per form token and account.
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="participation_comment_unique_submission",
            ),
            models.CheckConstraint(
                condition=~Q(source="event") | Q(event__isnull=False),
                name="participation_comment_event_source_has_event",
            ),
            # A placed point has both coordinates, and it always lies in the district it names.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False, district__isnull=False),
                name="participation_comment_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.text).chars(60)

    def get_absolute_url(self) -> str:
        return self.goal.get_absolute_url() + f"#beitrag-{self.pk}"

    def clean(self) -> None:
        errors = {}
        if self.key_message_id and self.goal_id and self.key_message.goal_id != self.goal_id:
            errors["key_message"] = _("The key message does not belong to this goal.")
        if (
            self.measure_id
            and self.goal_id
            and not self.measure.goals.filter(pk=self.goal_id).exists()
        ):
            errors["measure"] = _("The measure does not belong to this goal.")
        if (
            self.outcome_key_message_id
            and self.goal_id
            and self.outcome_key_message.goal_id != self.goal_id
        ):
            errors["outcome_key_message"] = _("The key message does not belong to this goal.")
        if (
            self.outcome_measure_id
            and self.goal_id
            and not self.outcome_measure.goals.filter(pk=self.goal_id).exists()
        ):
            errors["outcome_measure"] = _("The measure does not belong to this goal.")
        if self.parent_id and self.parent.parent_id:
            errors["parent"] = _("Replies can only be given to contributions, not to replies.")
        if self.source == self.Source.EVENT and not self.event_id:
            errors["event"] = _("Workshop input needs the event it comes from.")
        if self.outcome == self.Outcome.ADOPTED and not (
            self.outcome_key_message_id or self.outcome_measure_id
        ):
            errors["outcome_measure"] = _(
                "Link the measure or key message the contribution changed."
            )
        if self.outcome == self.Outcome.REJECTED and not self.outcome_note.strip():
            errors["outcome_note"] = _("Please give the reason why it was not adopted.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_workshop_input(self) -> bool:
        return self.source == self.Source.EVENT

    @property
    def is_imported(self) -> bool:
        return self.source == self.Source.IMPORTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def shows_text(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.PENDING)

    @property
    def edit_deadline(self) -> datetime:
        return self.created_at + self.EDIT_WINDOW

    @property
    def has_pending_edit(self) -> bool:
        return bool(self.pending_text)

    @property
    def current_text(self) -> str:
        """The author's latest text: an edit awaiting moderation, else the published text."""
        return self.pending_text or self.text

    def edit_refusal(self, now: datetime | None = None) -> str | None:
        """Why the author may not edit the contribution now, or None if they may.

        The one definition of the edit rules: within EDIT_WINDOW of writing, while its round is
        open, and before the city answered it or recorded an outcome. Uses prefetched
        `official_answers` and a selected `round` where the caller loaded them."""
        now = now or timezone.now()
        if not self.shows_text:
            return str(_("This contribution can no longer be edited."))
        if now >= self.edit_deadline:
            return str(_("Contributions can only be edited within 15 minutes of being written."))
        if self.outcome or self.official_answers.all():
            return str(
                _(
                    "The city has already answered or evaluated this contribution; "
                    "it can no longer be edited."
                )
            )
        if not self.round.is_open(now):
            return str(_("The comment round has ended; contributions can no longer be edited."))
        return None

    def is_editable(self, now: datetime | None = None) -> bool:
        return self.edit_refusal(now) is None


class Support(models.Model):
    """A citizen's „Zustimmung“ to a contribution; one per account and contribution."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="participation_support_unique_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.comment_id}"


class ContributionVersion(models.Model):
    """An earlier text of a contribution, kept when its author edited it (never deleted)."""

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    text = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["comment", "replaced_at", "pk"]

    def __str__(self) -> str:
        return Truncator(self.text).chars(60)


class ContributionCount(models.Model):
    """How many contributions and replies a goal has per status and outcome, so that the goal
    page reads its figures and its number of pages in constant time (counting 20,000 rows took
    17 ms a request). On PostgreSQL a trigger keeps it on every insert, update and delete, also
    bulk ones (participation/migrations/0013); the application never writes it. SQLite counts
    the contributions themselves (participation.discussion.goal_figures)."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Comment.Status.choices)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    is_reply = models.BooleanField(_("reply"))
    count = models.IntegerField(_("count"))

    class Meta:
        verbose_name = _("contribution count")
        verbose_name_plural = _("contribution counts")
        ordering = ["goal", "status", "outcome", "is_reply"]
        constraints = [
            # The trigger's INSERT ... ON CONFLICT needs exactly this unique index.
            models.UniqueConstraint(
                fields=["goal", "status", "outcome", "is_reply"],
                name="participation_contributioncount_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.status} {self.outcome} {self.is_reply}: {self.count}"


# The one definition of what is counted (CommentQuerySet.counted, .tally) and the aggregates
# every table of figures uses for its "Beiträge und Antworten" and "davon ausgeblendet" columns.
COUNTED_STATUSES = [Comment.Status.PUBLISHED, Comment.Status.HIDDEN]


def tally_aggregates() -> dict[str, Count]:
    return {
        "total": Count("pk", filter=Q(status__in=COUNTED_STATUSES), distinct=True),
        "hidden": Count("pk", filter=Q(status=Comment.Status.HIDDEN), distinct=True),
    }


def listed_condition(user) -> Q:
    """Which contributions a list shows `user` (CommentQuerySet.listed_for)."""
    if user is None or not user.is_authenticated:
        return ~Q(status=Comment.Status.PENDING)
    return ~Q(status=Comment.Status.PENDING) | Q(author=user)
