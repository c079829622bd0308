"""The admin start page: what needs doing, each figure a link to the list it counts.

Every count uses the same QuerySet method as the list filter it links to, so the number on the
start page is the number of rows the planner sees after the click."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from urllib.parse import urlencode

from django.contrib.flatpages.models import FlatPage
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.admin import DocumentationFilter
from events.models import Event
from goals.models import Goal, KeyMessage, Measure
from participation.admin.moderation import QueueFilter
from participation.models import (
    Comment,
    CommentRound,
    ModerationLogEntry,
    OfficialAnswer,
)
from participation.models.contributions import awaiting_approval_q, open_reports_q

ACTIVITY_LENGTH = 12
UPCOMING_DAYS = 7


@dataclass(frozen=True)
class Task:
    text: str
    count: int
    url: str


@dataclass(frozen=True)
class RoundTasks:
    round: CommentRound
    tasks: list[Task]


@dataclass(frozen=True)
class RoundDate:
    round: CommentRound
    text: str
    url: str


@dataclass(frozen=True)
class Activity:
    at: datetime
    text: str
    url: str


def changelist(model, **params) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def can_view(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def moderation_tasks(user) -> list[Task]:
    if not can_view(user, Comment):
        return []
    counts = Comment.objects.aggregate(
        awaiting=Count("pk", filter=awaiting_approval_q()),
        reported=Count("pk", filter=open_reports_q()),
    )
    return [
        Task(
            ngettext(
                "contribution awaits approval",
                "contributions await approval",
                counts["awaiting"],
            ),
            counts["awaiting"],
            changelist(Comment, queue=QueueFilter.AWAITING_APPROVAL),
        ),
        Task(
            ngettext(
                "contribution with open reports",
                "contributions with open reports",
                counts["reported"],
            ),
            counts["reported"],
            changelist(Comment, queue=QueueFilter.OPEN_REPORTS),
        ),
    ]


def round_tasks(user, now: datetime) -> list[RoundTasks]:
    """Per open round: published contributions without an answer and without an outcome
    (two queries however many rounds are open)."""
    if not can_view(user, Comment):
        return []
    rounds = list(CommentRound.objects.open(now).order_by("ends_at", "pk"))
    answered = Exists(OfficialAnswer.objects.filter(comment=OuterRef("pk")))
    counts = {
        row["round"]: row
        for row in Comment.objects.filter(round__in=rounds, status=Comment.Status.PUBLISHED)
        .values("round")
        .annotate(
            unanswered=Count("pk", filter=~answered),
            without_outcome=Count("pk", filter=Q(outcome="")),
        )
        .order_by()
    }
    result = []
    for open_round in rounds:
        row = counts.get(open_round.pk, {"unanswered": 0, "without_outcome": 0})
        in_round = {"round__id__exact": open_round.pk, "status__exact": Comment.Status.PUBLISHED}
        result.append(
            RoundTasks(
                open_round,
                [
                    Task(
                        ngettext(
                            "published contribution without an answer of the city",
                            "published contributions without an answer of the city",
                            row["unanswered"],
                        ),
                        row["unanswered"],
                        changelist(Comment, **in_round, beantwortet="nein"),
                    ),
                    Task(
                        ngettext(
                            "published contribution without an outcome",
                            "published contributions without an outcome",
                            row["without_outcome"],
                        ),
                        row["without_outcome"],
                        changelist(Comment, **in_round, ergebnis="keines"),
                    ),
                ],
            )
        )
    return result


def round_dates(user, now: datetime) -> list[RoundDate]:
    """Rounds that open or close within the next seven days."""
    if not can_view(user, CommentRound):
        return []
    soon = now + timedelta(days=UPCOMING_DAYS)
    rounds = CommentRound.objects.filter(
        Q(starts_at__gte=now, starts_at__lt=soon) | Q(ends_at__gte=now, ends_at__lt=soon)
    ).order_by("starts_at", "pk")
    dates = []
    for coming in rounds:
        url = reverse("admin:participation_commentround_change", args=[coming.pk])
        if now <= coming.starts_at < soon:
            text = _("opens on %(date)s") % {"date": _local(coming.starts_at)}
            dates.append(RoundDate(coming, text, url))
        if now <= coming.ends_at < soon:
            text = _("closes on %(date)s") % {"date": _local(coming.ends_at)}
            dates.append(RoundDate(coming, text, url))
    return dates


def event_tasks(user) -> list[Task]:
    if not can_view(user, Event):
        return []
    count = Event.objects.undocumented().count()
    return [
        Task(
            ngettext(
                "event took place and is not documented yet",
                "events took place and are not documented yet",
                count,
            ),
            count,
            changelist(Event, **{DocumentationFilter.parameter_name: DocumentationFilter.MISSING}),
        )
    ]


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y, %H:%M} Uhr"


# Activity ----------------------------------------------------------------------------------

# model -> (accusative noun phrase with article, how a record is named)
TRACKED = {
    Goal: (gettext_lazy("the goal"), lambda record: record.title),
    KeyMessage: (gettext_lazy("the key message"), lambda record: record.text),
    Measure: (gettext_lazy("the measure"), lambda record: record.text),
    Event: (gettext_lazy("the event"), lambda record: record.title),
    CommentRound: (gettext_lazy("the comment round"), lambda record: record.title),
    FlatPage: (gettext_lazy("the page"), lambda record: record.title),
}

# What a change of the publication state means, per model: (field, published value).
PUBLICATION = {
    Goal: ("status", Goal.Status.PUBLISHED),
    Event: ("is_published", True),
    CommentRound: ("is_published", True),
}

MODERATION_VERBS = {
    ModerationLogEntry.Action.APPROVE: gettext_lazy(
        "%(user)s approved contribution no. %(number)s."
    ),
    ModerationLogEntry.Action.HIDE: gettext_lazy("%(user)s hid contribution no. %(number)s."),
    ModerationLogEntry.Action.RESTORE: gettext_lazy(
        "%(user)s restored contribution no. %(number)s."
    ),
    ModerationLogEntry.Action.ANSWER: gettext_lazy(
        "%(user)s answered contribution no. %(number)s on behalf of the city."
    ),
    ModerationLogEntry.Action.OUTCOME: gettext_lazy(
        "%(user)s recorded the outcome of contribution no. %(number)s."
    ),
}


def _history_sentence(model, record, previous_state) -> str:
    thing, name = TRACKED[model]
    words = {
        "user": record.history_user.public_name,
        "thing": thing,
        "object": Truncator(name(record)).chars(60),
    }
    if record.history_type == "+":
        return _("%(user)s created %(thing)s ‚%(object)s‘.") % words
    if record.history_type == "-":
        return _("%(user)s deleted %(thing)s ‚%(object)s‘.") % words
    if model in PUBLICATION and previous_state is not None:
        field, published = PUBLICATION[model]
        was, now = previous_state == published, getattr(record, field) == published
        if now and not was:
            return _("%(user)s published %(thing)s ‚%(object)s‘.") % words
        if was and not now:
            return _("%(user)s unpublished %(thing)s ‚%(object)s‘.") % words
    return _("%(user)s changed %(thing)s ‚%(object)s‘.") % words


def _history_activity(model) -> list[Activity]:
    """The latest changes by staff to one model, one query (with the previous publication
    state as a subquery, so "published" needs no query per row)."""
    history = model.history.model
    records = (
        history.objects.filter(history_user__isnull=False)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if model in PUBLICATION:
        field = PUBLICATION[model][0]
        previous = history.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        ).order_by("-history_date", "-history_id")
        records = records.annotate(previous_state=previous.values(field)[:1])
    activity = []
    for record in records[:ACTIVITY_LENGTH]:
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[record.id]
        )
        sentence = _history_sentence(model, record, getattr(record, "previous_state", None))
        activity.append(Activity(record.history_date, sentence, url))
    return activity


def _moderation_activity() -> list[Activity]:
    entries = (
        ModerationLogEntry.objects.filter(actor__isnull=False, action__in=MODERATION_VERBS)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:ACTIVITY_LENGTH]
    )
    return [
        Activity(
            entry.created_at,
            MODERATION_VERBS[entry.action]
            % {"user": entry.actor.public_name, "number": entry.comment_id},
            reverse("admin:participation_comment_change", args=[entry.comment_id]),
        )
        for entry in entries
    ]


def recent_activity(user) -> list[Activity]:
    """The latest changes of all staff, newest first: one query per kind of record."""
    activity = [
        item
        for model in TRACKED
        if can_view(user, model) and hasattr(model, "history")
        for item in _history_activity(model)
    ]
    if can_view(user, ModerationLogEntry):
        activity += _moderation_activity()
    activity.sort(key=lambda item: item.at, reverse=True)
    return list(islice(activity, ACTIVITY_LENGTH))


def dashboard(user) -> dict:
    now = timezone.now()
    return {
        "moderation_tasks": moderation_tasks(user),
        "round_tasks": round_tasks(user, now),
        "round_dates": round_dates(user, now),
        "event_tasks": event_tasks(user),
        "activity": recent_activity(user),
    }
