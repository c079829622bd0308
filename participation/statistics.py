"""Figures for the public statistics page and the committee dossier: a fixed number of queries."""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from goals.models import Goal
from participation.models import Comment, CommentRound

OUTCOME_COLUMNS = [
    (outcome.value, f"outcome_{outcome.value}", outcome.label) for outcome in Comment.Outcome
]
CHART_WIDTH = 100  # percent of the bar area


def _figures(queryset, *group_by: str) -> list[dict]:
    """Contributions, supports and outcomes per group, as one aggregate query."""
    outcome_counts = {
        key: Count("pk", filter=Q(outcome=value), distinct=True)
        for value, key, _label in OUTCOME_COLUMNS
    }
    return list(
        queryset.values(*group_by)
        .annotate(
            contributions=Count("pk", distinct=True),
            workshop=Count("pk", filter=Q(source=Comment.Source.EVENT), distinct=True),
            supports=Count("supports", distinct=True),
            **outcome_counts,
        )
        .order_by(*group_by)
    )


def counted() -> "Comment.objects":
    """Every contribution received and published at some point: not pending."""
    return Comment.objects.exclude(status=Comment.Status.PENDING)


def per_goal() -> list[dict]:
    """Every published goal, in the goals' order, with zeros where nothing came in yet."""
    goals = list(Goal.objects.published())
    figures = {row["goal"]: row for row in _figures(counted().filter(goal__in=goals), "goal")}
    empty = dict.fromkeys(("contributions", "workshop", "supports"), 0) | {
        key: 0 for _value, key, _label in OUTCOME_COLUMNS
    }
    rows = []
    for goal in goals:
        row = {**empty, **figures.get(goal.pk, {}), "goal": goal, "label": goal.full_title}
        row["short"] = goal.title
        row["outcomes"] = _outcomes(row)
        rows.append(row)
    return rows


def outcome_labels() -> list[str]:
    return [label for _value, _key, label in OUTCOME_COLUMNS]


def _outcomes(row: dict) -> list[int]:
    return [row[key] for _value, key, _label in OUTCOME_COLUMNS]


def overview() -> dict:
    goals = per_goal()
    rounds = {r.pk: r for r in CommentRound.objects.published()}
    by_round = [
        {**row, "label": rounds[row["round"]].title}
        for row in _figures(counted().filter(round__in=list(rounds)), "round")
    ]
    by_district = [
        {**row, "label": row["district_name"] or _("No district given")}
        for row in _figures(
            counted().annotate(
                district_name=Coalesce(
                    "author__district__name", "event__district__name", "district__name"
                )
            ),
            "district_name",
        )
    ]
    by_source = [
        {**row, "label": Comment.Source(row["source"]).label}
        for row in _figures(counted(), "source")
    ]
    for table in (by_round, by_district, by_source):
        for row in table:
            row["outcomes"] = _outcomes(row)
    return {
        "tables": [
            {
                "id": "ziele",
                "heading": _("Per goal"),
                "column": _("Goal"),
                "caption": _("Contributions, supports and outcomes per goal"),
                "rows": goals,
            },
            {
                "id": "runden",
                "heading": _("Per comment round"),
                "column": _("Comment round"),
                "caption": _("Contributions, supports and outcomes per comment round"),
                "rows": by_round,
            },
            {
                "id": "bezirke",
                "heading": _("Per district"),
                "column": _("District"),
                "caption": _(
                    "Contributions, supports and outcomes per district (the district the "
                    "author named in the account, or the district of the workshop)"
                ),
                "rows": by_district,
            },
            {
                "id": "quellen",
                "heading": _("Per source"),
                "column": _("Source"),
                "caption": _("Contributions, supports and outcomes per source"),
                "rows": by_source,
            },
        ],
        "outcome_labels": outcome_labels(),
        "chart": bar_chart(goals),
        "total": sum(row["contributions"] for row in by_source),
    }


def bar_chart(rows: list[dict], *, row_height: int = 44, bar_height: int = 16) -> dict:
    """Geometry for a horizontal SVG bar chart: a label line, then the bar, per row."""
    largest = max((row["contributions"] for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        y = index * row_height
        bars.append(
            {
                "label": row.get("short", row["label"]),
                "value": row["contributions"],
                "text_y": y + 16,
                "bar_y": y + 22,
                # Percent of the chart width; the value is part of the label.
                "width": round(row["contributions"] / largest * CHART_WIDTH, 2),
            }
        )
    return {"bars": bars, "height": max(len(bars) * row_height, 1), "bar": bar_height}
