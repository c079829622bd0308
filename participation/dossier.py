"""What the public said, for the committee dossiers (per goal and per Stadtbezirk) and the
public page „Was aus den Beiträgen wurde“ of a round: a fixed number of queries each.

Every figure counts `statistics.counted()` (CommentQuerySet.counted), the portal's one
definition. District figures use the district a contribution counts for (`with_district`);
residents' contributions are only ever counted, never listed, and small per-goal counts of
residents are not stated exactly (see `RESIDENTS_SHOWN_FROM`)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from events.models import District, Event
from goals.models import Goal, Measure
from participation import statistics
from participation.models import Comment, CommentRound, OfficialAnswer
from participation.models.contributions import tally_aggregates

ANSWERS_PER_GOAL = 5
INPUT_PER_GOAL = 5
# A district dossier states residents' contributions per goal only from this many on: with
# one or two, a reader who knows who wrote on the goal could tell where they live.
RESIDENTS_SHOWN_FROM = 5


def public_measures() -> QuerySet[Measure]:
    """The measures a public page may name and link (switch here when measures get drafts)."""
    return Measure.objects.public()


@dataclass
class Changed:
    """A measure or key message changed by `count` contributions. For a key message `measure`
    is None and `key_message` its text; with neither, the measure is not public yet and the
    page says so instead of naming it."""

    count: int
    measure: Measure | None = None
    key_message: str = ""


@dataclass
class OutcomeRow:
    value: str
    label: str
    count: int = 0
    changed: list[Changed] = field(default_factory=list)


@dataclass
class PublicInput:
    """What the public said on a goal (goal dossier) or in a round (results page)."""

    tally: dict
    by_source: list[tuple[str, int]]
    outcomes: list[OutcomeRow]
    unevaluated: int
    by_round: list[dict] = field(default_factory=list)
    answered: int = 0
    answers: list[OfficialAnswer] = field(default_factory=list)

    @property
    def changed_count(self) -> int:
        return sum(item.count for row in self.outcomes for item in row.changed)


def _outcome_rows(values: list[dict], measures: dict[int, Measure]) -> tuple[list, int]:
    """OutcomeRows from rows of (outcome, outcome_measure, outcome_key_message__text, n)."""
    rows = {value: OutcomeRow(value, label) for value, label in Comment.Outcome.choices}
    unevaluated = 0
    for row in values:
        if not row["outcome"]:
            unevaluated += row["n"]
            continue
        outcome = rows[row["outcome"]]
        outcome.count += row["n"]
        if row["outcome_measure"]:
            measure = measures.get(row["outcome_measure"])
            outcome.changed.append(Changed(row["n"], measure=measure))
        if row["outcome_key_message__text"]:
            outcome.changed.append(Changed(row["n"], key_message=row["outcome_key_message__text"]))
    return list(rows.values()), unevaluated


def _outcome_values(comments: QuerySet, *group_by: str) -> list[dict]:
    return list(
        comments.values(*group_by, "outcome", "outcome_measure", "outcome_key_message__text")
        .annotate(n=Count("pk"))
        # Key messages (no measure) before measures on every database: NULLs sort first.
        .order_by(
            *group_by,
            "outcome",
            F("outcome_measure").asc(nulls_first=True),
            "outcome_key_message__text",
        )
    )


def _measures_in(values: list[dict]) -> dict[int, Measure]:
    ids = {row["outcome_measure"] for row in values if row["outcome_measure"]}
    return {m.pk: m for m in public_measures().filter(pk__in=ids)} if ids else {}


def _by_source(comments: QuerySet) -> list[tuple[str, int]]:
    """(label, counted) per source, in the order of Comment.Source (one query)."""
    totals = dict(comments.values_list("source").annotate(n=Count("pk")).order_by())
    return [(label, totals[value]) for value, label in Comment.Source.choices if value in totals]


def goal_input(goals: list[Goal]) -> dict[int, PublicInput]:
    """Per goal: counts by source and round, outcomes with what they changed, answers
    (five or six queries, whatever the number of goals or contributions)."""
    comments = statistics.counted().filter(goal__in=goals)
    per_source = defaultdict(dict)
    tallies = defaultdict(lambda: {"total": 0, "hidden": 0})
    for row in comments.values("goal", "source").annotate(**tally_aggregates()).order_by():
        per_source[row["goal"]][row["source"]] = row["total"]
        tallies[row["goal"]]["total"] += row["total"]
        tallies[row["goal"]]["hidden"] += row["hidden"]
    by_source = {
        goal: [(label, totals[value]) for value, label in Comment.Source.choices if value in totals]
        for goal, totals in per_source.items()
    }
    by_round = defaultdict(list)
    for row in (
        comments.values("goal", "round", "round__title")
        .annotate(**tally_aggregates())
        .order_by("goal", "round__starts_at", "round")
    ):
        by_round[row["goal"]].append(
            {"label": row["round__title"], "total": row["total"], "hidden": row["hidden"]}
        )
    outcome_values = _outcome_values(comments, "goal")
    measures = _measures_in(outcome_values)
    outcomes_per_goal = defaultdict(list)
    for row in outcome_values:
        outcomes_per_goal[row["goal"]].append(row)
    answered = dict(
        comments.answered().values_list("goal").annotate(n=Count("pk")).order_by("goal")
    )
    answers = defaultdict(list)
    latest_answers = (
        OfficialAnswer.objects.public()
        .filter(comment__goal__in=goals)
        .select_related("comment")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("comment__goal")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=ANSWERS_PER_GOAL)
        .order_by("comment__goal", "rank")
    )
    for answer in latest_answers:
        answers[answer.comment.goal_id].append(answer)
    result = {}
    for goal in goals:
        outcomes, unevaluated = _outcome_rows(outcomes_per_goal[goal.pk], measures)
        result[goal.pk] = PublicInput(
            tally=tallies[goal.pk],
            by_source=by_source.get(goal.pk, []),
            outcomes=outcomes,
            unevaluated=unevaluated,
            by_round=by_round[goal.pk],
            answered=answered.get(goal.pk, 0),
            answers=answers[goal.pk],
        )
    return result


def round_results(comment_round: CommentRound) -> dict:
    """„Was aus den Beiträgen wurde“: the round's tallies, outcomes, what they changed, the
    moderation ledger and the figures per goal."""
    comments = statistics.counted().filter(round=comment_round)
    by_source = _by_source(comments)
    outcome_values = _outcome_values(comments)
    outcomes, unevaluated = _outcome_rows(outcome_values, _measures_in(outcome_values))
    (ledger,) = CommentRound.objects.filter(pk=comment_round.pk).with_hidden_counts()
    return {
        "comment_round": comment_round,
        "input": PublicInput(
            tally=comments.tally(),
            by_source=by_source,
            outcomes=outcomes,
            unevaluated=unevaluated,
        ),
        "hidden_by_reason": ledger.hidden_by_reason,
        "hidden_total": ledger.hidden_total,
        "rows": [row for row in statistics.per_goal(comments) if row["total"]],
        "outcome_labels": statistics.outcome_labels(),
    }


@dataclass
class DistrictGoal:
    goal: Goal
    residents: int
    workshop: int
    imported: int
    events: list[Event]
    input: list[Comment]

    @property
    def concerns_district(self) -> bool:
        return bool(self.residents or self.workshop or self.imported or self.events)


def district_input(comments: QuerySet, district: District) -> QuerySet[Comment]:
    """Input that belongs to the district itself, not to a person: published workshop input
    from its events and imported input recorded for it (never residents' contributions)."""
    return comments.filter(
        Q(source=Comment.Source.EVENT, event__district=district)
        | Q(source=Comment.Source.IMPORTED, district=district)
    )


def district_dossier(district: District) -> dict:
    """The dossier for a Bezirksvertretung (eight queries)."""
    counted = statistics.counted().from_district(district)
    goals = list(Goal.objects.published())
    per_goal = defaultdict(lambda: defaultdict(int))
    for row in counted.values("goal", "source").annotate(n=Count("pk")).order_by():
        per_goal[row["goal"]][row["source"]] += row["n"]
    by_source = _by_source(counted)
    # Outcomes only of the district's own input: residents' outcomes are public per
    # contribution, so counts of them per district would tell where their authors live.
    own_input = district_input(statistics.counted(), district)
    outcome_counts = dict(own_input.values_list("outcome").annotate(n=Count("pk")).order_by())
    outcomes = [
        OutcomeRow(value, label, outcome_counts.get(value, 0))
        for value, label in Comment.Outcome.choices
    ]
    events = list(
        Event.objects.published()
        .in_district(district)
        .with_sort_key()
        .prefetch_related("goals")
        .order_by(F("sort_at").asc(nulls_last=True), "title")
    )
    events_per_goal = defaultdict(list)
    for event in events:
        for goal in event.goals.all():
            events_per_goal[goal.pk].append(event)
    inputs = defaultdict(list)
    latest = (
        district_input(Comment.objects.public().top_level(), district)
        .filter(goal__in=goals)
        .select_related("event", "outcome_measure", "outcome_key_message")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("goal")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=INPUT_PER_GOAL)
        .order_by("goal", "rank")
    )
    for comment in latest:
        inputs[comment.goal_id].append(comment)
    rows = [
        DistrictGoal(
            goal=goal,
            residents=per_goal[goal.pk][Comment.Source.ONLINE],
            workshop=per_goal[goal.pk][Comment.Source.EVENT],
            imported=per_goal[goal.pk][Comment.Source.IMPORTED],
            events=events_per_goal[goal.pk],
            input=inputs[goal.pk],
        )
        for goal in goals
    ]
    return {
        "district": district,
        "tally": counted.tally(),
        "by_source": by_source,
        "outcomes": outcomes,
        "unevaluated": outcome_counts.get("", 0),
        "events": events,
        "rows": rows,
        "residents_shown_from": RESIDENTS_SHOWN_FROM,
    }
