from pathlib import Path

from django.apps import apps
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce, Right
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.validators import validate_document_content
from hagen_isek import site_content

RESERVED_EVENT_SLUGS = {"ablauf", "feed"}


class DistrictQuerySet(models.QuerySet):
    def with_followed_by(self, user) -> "DistrictQuerySet":
        """Annotate `is_followed`: does this signed-in user follow the district?"""
        if not user.is_authenticated:
            return self.annotate(is_followed=models.Value(False))
        follows = apps.get_model("participation", "Follow").objects
        return self.annotate(
            is_followed=models.Exists(follows.filter(district=models.OuterRef("pk"), user=user))
        )

    def with_event_count(self) -> "DistrictQuerySet":
        return self.annotate(
            event_count=models.Count("events", filter=Q(events__is_published=True))
        )


class District(models.Model):
    """One of Hagen's five Stadtbezirke."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    official_name = models.CharField(
        _("official body"),
        max_length=120,
        blank=True,
        help_text=_("Name of the district council, e.g. Bezirksvertretung Haspe."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_source = models.CharField(
        _("source of the population figure"), max_length=200, blank=True
    )
    quarters = models.CharField(
        _("quarters"),
        max_length=300,
        blank=True,
        help_text=_("Parts of the district, separated by commas."),
    )

    history = HistoricalRecords()
    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:district", kwargs={"slug": self.slug})

    @property
    def quarter_list(self) -> list[str]:
        return [part.strip() for part in self.quarters.split(",") if part.strip()]


class DistrictAreaQuerySet(models.QuerySet):
    def as_geojson_by_district(self) -> dict[int, str]:
        """District id -> boundary as GeoJSON text: what events/geo.py draws and searches."""
        return dict(self.values_list("district_id", "geojson"))


class DistrictArea(models.Model):
    """The boundary of a Stadtbezirk on the map: schematic until the city supplies official
    polygons (manage.py load_district_polygons)."""

    district = models.OneToOneField(
        District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="area"
    )
    geojson = models.TextField(
        _("boundary (GeoJSON)"),
        help_text=_("A GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS84)."),
    )
    source = models.CharField(_("source"), max_length=300)
    is_official = models.BooleanField(
        _("official boundary"),
        default=False,
        help_text=_(
            "Off for the schematic division the portal derives itself; the map then says "
            "„schematic, not official boundaries“."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DistrictAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("district area")
        verbose_name_plural = _("district areas")
        ordering = ["district__position", "district__name"]

    def __str__(self) -> str:
        return str(self.district)


class EventQuerySet(models.QuerySet):
    def published(self) -> "EventQuerySet":
        return self.filter(is_published=True)

    def dated(self) -> "EventQuerySet":
        return self.filter(starts_at__isnull=False)

    def tentative(self) -> "EventQuerySet":
        """Events that only have a period text such as „voraussichtlich Mitte 2019“."""
        return self.filter(starts_at__isnull=True)

    @staticmethod
    def _not_over_q() -> Q:
        now = timezone.now()
        start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return (
            Q(ends_at__gte=now)
            # Without an end time an event counts as upcoming for the whole of its day.
            | Q(ends_at__isnull=True, starts_at__gte=start_of_today)
            | Q(starts_at__isnull=True, sorts_as__isnull=True)
            | Q(starts_at__isnull=True, sorts_as__gte=timezone.localdate(now))
        )

    def with_sort_key(self) -> "EventQuerySet":
        """`sort_at`: the start, or for tentative events their approximate day."""
        return self.annotate(
            sort_at=Coalesce("starts_at", Cast("sorts_as", output_field=models.DateTimeField()))
        )

    def upcoming(self) -> "EventQuerySet":
        """Events not over yet, soonest first; tentative ones by their approximate day."""
        return (
            self.filter(self._not_over_q())
            .with_sort_key()
            .order_by(models.F("sort_at").asc(nulls_last=True), "title")
        )

    def past(self) -> "EventQuerySet":
        """Events that are over, most recent first."""
        return (
            self.exclude(self._not_over_q())
            .with_sort_key()
            .order_by(models.F("sort_at").desc(nulls_last=True), "title")
        )

    def in_listing_order(self) -> "EventQuerySet":
        """Soonest first, with `sort_at`: the order of `upcoming()`, for split_upcoming_and_past."""
        return self.with_sort_key().order_by(models.F("sort_at").asc(nulls_last=True), "title")

    def upcoming_and_past(self) -> tuple[list["Event"], list["Event"]]:
        """`upcoming()` and `past()` in their orders, read in one query."""
        return split_upcoming_and_past(list(self.in_listing_order()))

    def in_district(self, district: District) -> "EventQuerySet":
        return self.filter(district=district)

    def of_kind(self, kind: str) -> "EventQuerySet":
        return self.filter(kind=kind)

    def for_audience(self, audience: str) -> "EventQuerySet":
        return self.filter(audience=audience)

    def for_goal(self, goal) -> "EventQuerySet":
        return self.filter(goals=goal)

    def undocumented(self) -> "EventQuerySet":
        """Events that took place but have neither a written documentation nor a document."""
        held = self.exclude(self._not_over_q()).exclude(status=Event.Status.CANCELLED)
        return held.filter(report="").exclude(
            Exists(EventDocument.objects.filter(event=OuterRef("pk")))
        )

    def for_listing(self) -> "EventQuerySet":
        return self.select_related("district")


class Event(models.Model):
    """A workshop, forum or session of the ISEK process."""

    class Kind(models.TextChoices):
        EXPERT_FORUM = "fachforum", _("Expert forum")
        DISTRICT_WORKSHOP = "werkstatt", _("District workshop")
        TARGET_GROUP_WORKSHOP = "zielgruppe", _("Target group workshop")
        CONFERENCE = "konferenz", _("Citizens' forum / conference")
        SESSION = "sitzung", _("Committee or council session")
        INFORMATION = "information", _("Information event")

    class Audience(models.TextChoices):
        EXPERTS = "fach", _("Experts and institutions")
        PUBLIC = "public", _("General public")
        POLITICS = "politik", _("Politics")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("Part of the address, e.g. stadtbezirkswerkstatt-haspe-2018."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Leave empty for city-wide events."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(
        _("address"),
        max_length=200,
        blank=True,
        help_text=_("Street and town, used for the map link, e.g. Freiheitsstraße 3, Hagen."),
    )
    starts_at = models.DateTimeField(
        _("starts at"),
        null=True,
        blank=True,
        help_text=_("Leave empty while only a period is known; then fill in the period text."),
    )
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    has_time = models.BooleanField(
        _("time of day known"),
        default=True,
        help_text=_(
            "Untick when only the day is known; the event is then shown and exported as a "
            "whole day, without a time."
        ),
    )
    tentative_period = models.CharField(
        _("tentative period"),
        max_length=120,
        blank=True,
        help_text=_("Shown instead of a date, e.g. „voraussichtlich Mitte 2019“."),
    )
    sorts_as = models.DateField(
        _("sorted as"),
        null=True,
        blank=True,
        help_text=_(
            "Only for events without a start: an approximate day used to sort the event "
            "among the others. It is never shown."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(
        "goals.Goal",
        verbose_name=_("goals"),
        related_name="events",
        blank=True,
        help_text=_("The strategic goals this event deals with."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("New events start unpublished; tick once the date and place are confirmed."),
    )
    report = models.TextField(
        _("documentation"),
        blank=True,
        help_text=_("Documentation after the event, e.g. the results of a workshop."),
    )
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where date, time and place come from; shown on the event page."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Title, venue, address, district name and description; kept current by a PostgreSQL
    # trigger (events/migrations/0003), also when the district is renamed; empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(m2m_fields=[goals], excluded_fields=["search_vector"])
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = [models.F("starts_at").asc(nulls_last=True), "sorts_as", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=False) | ~Q(tentative_period=""),
                name="event_start_or_tentative_period",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
        ]
        indexes = [
            # The calendar lists published events by start (upcoming()/past()).
            models.Index(fields=["is_published", "starts_at"], name="event_published_start_idx"),
        ]

    def __str__(self) -> str:
        if self.starts_at:
            return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"
        return f"{self.title} ({self.tentative_period})"

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def get_ics_url(self) -> str:
        return reverse("events:ics", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.slug in RESERVED_EVENT_SLUGS:
            errors["slug"] = _("This address is reserved; please choose another one.")
        if not self.starts_at and not self.tentative_period:
            errors["tentative_period"] = _(
                "Fill in either a start or a tentative period such as „voraussichtlich Mitte 2019“."
            )
        if self.ends_at and not self.starts_at:
            errors["ends_at"] = _("An end needs a start.")
        elif self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end must not be before the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_tentative(self) -> bool:
        return self.starts_at is None

    @property
    def is_past(self) -> bool:
        now = timezone.now()
        if self.starts_at is None:
            return self.sorts_as is not None and self.sorts_as < timezone.localdate(now)
        if self.ends_at:
            return self.ends_at < now
        return timezone.localdate(self.starts_at) < timezone.localdate(now)

    @property
    def outcome_unknown(self) -> bool:
        """Past but still „planned“: the sources don't say whether it took place."""
        return self.is_past and self.status == self.Status.PLANNED

    @property
    def map_query(self) -> str:
        if self.address:
            return self.address
        return f"{self.venue}, Hagen" if self.venue else ""


def document_path(instance: "EventDocument", filename: str) -> str:
    return f"events/{instance.event.slug}/{Path(filename).name}"


class EventDocument(models.Model):
    """A file documenting an event: a PDF or an image with alternative text."""

    IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png"}

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        validators=[
            FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]),
            validate_document_content,
        ],
        help_text=_("PDF, JPEG or PNG."),
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("Required for images: describe what the image shows for blind readers."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return Path(self.file.name).suffix.lower() in self.IMAGE_EXTENSIONS

    def clean(self) -> None:
        if self.file and self.is_image and not self.alt_text.strip():
            raise ValidationError({"alt_text": _("Images need an alternative text.")})


class Milestone(models.Model):
    """A step of the decision process („Ablauf Beschlussfassung“) with planned and actual dates."""

    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    planned_text = models.CharField(
        _("planned (text)"),
        max_length=120,
        blank=True,
        help_text=_("When no exact day was planned, e.g. „vor der Sommerpause 2018“."),
    )
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    actual_text = models.CharField(
        _("actual (text)"),
        max_length=120,
        blank=True,
        help_text=_("When the step spans several days, e.g. „September bis November 2018“."),
    )
    description = models.TextField(_("description"), blank=True)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
        help_text=_("The session where this step took place, if there is one."),
    )
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["title"], name="milestone_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def differs_from_plan(self) -> bool:
        planned = self.planned_date or self.planned_text
        actual = self.actual_date or self.actual_text
        if not planned or not actual:
            return False
        if self.planned_date and self.actual_date:
            return self.planned_date != self.actual_date
        if self.planned_date or self.actual_date:
            return True
        return self.planned_text.strip() != self.actual_text.strip()


class CouncilPaper(models.Model):
    """A paper (Drucksache/Vorlage) of the city council's information system, modelled after
    OParl's Paper: the goals, events and steps of the decision process it was discussed in."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision paper")
        INFORMATION = "information", _("Information paper")
        REPORT = "report", _("Report paper")

    number = models.CharField(
        _("paper number"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^\d{1,5}/\d{4}(-\d{1,2})?$",
                _("Enter the number as in the council information system, e.g. 0730/2019."),
            )
        ],
        help_text=_("The Drucksache number as in the council information system, e.g. 0730/2019."),
    )
    kind = models.CharField(_("kind of paper"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("subject"),
        max_length=300,
        blank=True,
        help_text=_(
            "The subject (Betreff) exactly as in the council information system; leave empty "
            "while it is not known."
        ),
    )
    url = models.URLField(
        _("address in the council information system"),
        max_length=500,
        blank=True,
        help_text=_("The paper's page on allris.hagen.de; leave empty while it is not known."),
    )
    oparl_id = models.URLField(
        _("OParl ID"),
        max_length=500,
        blank=True,
        help_text=_("Only if the council information system publishes OParl: the paper's id URL."),
    )
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where number, subject and address come from.")
    )
    goals = models.ManyToManyField(
        "goals.Goal",
        verbose_name=_("goals"),
        related_name="council_papers",
        blank=True,
        help_text=_("The goals the paper deals with."),
    )
    events = models.ManyToManyField(
        Event,
        verbose_name=_("sessions"),
        related_name="council_papers",
        blank=True,
        help_text=_("The sessions in which the paper was discussed."),
    )
    milestones = models.ManyToManyField(
        Milestone,
        verbose_name=_("steps of the decision process"),
        related_name="council_papers",
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[goals, events, milestones])

    class Meta:
        verbose_name = _("council paper")
        verbose_name_plural = _("council papers")
        # Papers are numbered per year: "0730/2019" sorts by its year, then by its number.
        ordering = [Right("number", 4), "number"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def split_upcoming_and_past(events: list[Event]) -> tuple[list[Event], list[Event]]:
    """Events in listing order (EventQuerySet.in_listing_order) as `upcoming()` and `past()`
    give them, split by the clock now (Event.is_past: the same rule as the queryset's)."""
    upcoming = [event for event in events if not event.is_past]
    past = sorted((event for event in events if event.is_past), key=lambda event: event.title)
    # Past events always have a sort key (one without is upcoming); stable: titles stay A-Z.
    past.sort(key=lambda event: event.sort_at, reverse=True)
    return upcoming, past


def kept_districts() -> list[District]:
    """The five districts in their order, as this worker keeps them for the site version
    (hagen_isek/site_content.py): for forms that offer them as choices."""
    return site_content.kept(("districts",), lambda: list(District.objects.all()))
