"""Figures for the public statistics page and the committee dossier: a fixed number of queries.

The whole portal's figures come from the counts kept on every write (participation/models/
tally.py), a few thousand rows instead of every contribution; figures of a part (one round's,
for the dossier) are counted from the contributions.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from events.models import District
from goals.models import Goal
from participation.models import Comment, CommentRound, TallyCell
from participation.models.contributions import tally_aggregates

OUTCOME_COLUMNS = [
    (outcome.value, f"outcome_{outcome.value}", outcome.label) for outcome in Comment.Outcome
]
CHART_WIDTH = 100  # percent of the bar area
KEPT_DIMENSIONS = ("goal", "round", "district_key", "source")


def _figures(queryset, *group_by: str) -> list[dict]:
    """Counted contributions (`total`, `hidden`), supports and outcomes per group, as one
    aggregate query."""
    outcome_counts = {
        key: Count("pk", filter=Q(outcome=value), distinct=True)
        for value, key, _label in OUTCOME_COLUMNS
    }
    return list(
        queryset.values(*group_by)
        .annotate(
            **tally_aggregates(),
            workshop=Count("pk", filter=Q(source=Comment.Source.EVENT), distinct=True),
            supports=Count("supports", distinct=True),
            **outcome_counts,
        )
        .order_by(*group_by)
    )


def _empty_figures() -> dict:
    return dict.fromkeys(("total", "hidden", "workshop", "supports"), 0) | {
        key: 0 for _value, key, _label in OUTCOME_COLUMNS
    }


def kept_figures() -> dict[str, dict]:
    """The figures of `counted()` per goal, round, district (`district_key`) and source, as
    `_figures` counts them, summed from the kept counts: one query over a few hundred rows."""
    outcome_keys = {value: key for value, key, _label in OUTCOME_COLUMNS}
    groups: dict[str, dict] = {dimension: {} for dimension in KEPT_DIMENSIONS}
    cells = TallyCell.objects.filter(contributions__gt=0).values_list(
        "goal_id",
        "round_id",
        "district_key",
        "source",
        "is_hidden",
        "outcome",
        "contributions",
        "supports",
    )
    for goal, round_, district, source, is_hidden, outcome, number, supports in cells:
        for dimension, value in zip(KEPT_DIMENSIONS, (goal, round_, district, source), strict=True):
            row = groups[dimension].get(value)
            if row is None:
                row = groups[dimension][value] = {dimension: value, **_empty_figures()}
            row["total"] += number
            row["hidden"] += number if is_hidden else 0
            row["workshop"] += number if source == Comment.Source.EVENT else 0
            row["supports"] += supports
            if outcome in outcome_keys:
                row[outcome_keys[outcome]] += number
    return {dimension: dict(sorted(rows.items())) for dimension, rows in groups.items()}


def counted() -> "Comment.objects":
    """What every figure counts: CommentQuerySet.counted, the portal's one definition."""
    return Comment.objects.counted()


def per_goal(comments=None) -> list[dict]:
    """Every published goal, in the goals' order, with zeros where nothing came in yet; the
    figures of `comments` (a part of `counted()`, e.g. one round's) or of all counted ones."""
    goals = list(Goal.objects.published())
    if comments is None:
        figures = kept_figures()["goal"]
    else:
        figures = {row["goal"]: row for row in _figures(comments.filter(goal__in=goals), "goal")}
    return _goal_rows(goals, figures)


def _goal_rows(goals: list[Goal], figures: dict) -> list[dict]:
    rows = []
    for goal in goals:
        row = {**_empty_figures(), **figures.get(goal.pk, {}), "goal": goal}
        row["label"] = goal.full_title
        row["short"] = goal.title
        row["outcomes"] = _outcomes(row)
        rows.append(row)
    return rows


def outcome_labels() -> list[str]:
    return [label for _value, _key, label in OUTCOME_COLUMNS]


def _outcomes(row: dict) -> list[int]:
    return [row[key] for _value, key, _label in OUTCOME_COLUMNS]


def overview() -> dict:
    figures = kept_figures()
    goals = _goal_rows(list(Goal.objects.published()), figures["goal"])
    rounds = {r.pk: r for r in CommentRound.objects.published()}
    by_round = [
        {**row, "label": rounds[pk].title} for pk, row in figures["round"].items() if pk in rounds
    ]
    by_district = _per_district(list(figures["district_key"].values()))
    by_source = [
        {**row, "label": Comment.Source(row["source"]).label} for row in figures["source"].values()
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
        "tally": {
            "total": sum(row["total"] for row in by_source),
            "hidden": sum(row["hidden"] for row in by_source),
        },
    }


def _per_district(rows: list[dict]) -> list[dict]:
    """Districts by name, then the contributions counted for none."""
    names = dict(
        District.objects.filter(pk__in=[row["district_key"] for row in rows]).values_list(
            "pk", "name"
        )
    )
    for row in rows:
        row["label"] = names.get(row["district_key"]) or _("No district given")
    return sorted(rows, key=lambda row: (row["district_key"] not in names, row["label"]))


def bar_chart(rows: list[dict], *, row_height: int = 44, bar_height: int = 16) -> dict:
    """Geometry for a horizontal SVG bar chart: a label line, then the bar, per row."""
    largest = max((row["total"] for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        y = index * row_height
        bars.append(
            {
                "label": row.get("short", row["label"]),
                "value": row["total"],
                "text_y": y + 16,
                "bar_y": y + 22,
                # Percent of the chart width; the value is part of the label.
                "width": round(row["total"] / largest * CHART_WIDTH, 2),
            }
        )
    return {"bars": bars, "height": max(len(bars) * row_height, 1), "bar": bar_height}
