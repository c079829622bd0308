"""Running the workbench over the database and recording the editors' decisions.

The analysis itself is in workbench/engine.py; this module reads what it needs (the counted
contributions only, never withdrawn or pending text), stores the results and logs decisions."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from goals.models import Goal, KeyMessage, MeasureGoal
from participation.models import Comment, CommentRound, User

from . import engine
from .models import DuplicateGroup, Keyword, LogEntry, Result, Run, StopWord, Theme

BATCH = 2000


def scope(*, comment_round: CommentRound | None = None, goal: Goal | None = None) -> QuerySet:
    """The contributions a run reads: those every figure counts (published or hidden)."""
    comments = Comment.objects.counted()
    if comment_round is not None:
        comments = comments.filter(round=comment_round)
    if goal is not None:
        comments = comments.filter(goal=goal)
    return comments


def _goal_profiles() -> list[engine.GoalProfile]:
    """Every goal's own texts, its editors' keywords and the confirmed examples (counted
    contributions an editor assigned to it), read in a few queries."""
    goals = list(Goal.objects.order_by("position", "pk"))
    measures: dict[int, list[str]] = {}
    for goal_id, text in MeasureGoal.objects.values_list("goal_id", "measure__text"):
        measures.setdefault(goal_id, []).append(text)
    keywords: dict[tuple[int, int | None], list[str]] = {}
    for goal_id, key_message_id, words in Keyword.objects.values_list(
        "goal_id", "key_message_id", "words"
    ):
        keywords.setdefault((goal_id, key_message_id), []).append(words)
    examples: dict[int, list[str]] = {}
    km_examples: dict[int, list[str]] = {}
    confirmed = Result.objects.filter(
        confirmed_goal__isnull=False, comment__in=Comment.objects.counted()
    ).values_list("confirmed_goal_id", "confirmed_key_message_id", "comment__text")
    for goal_id, key_message_id, text in confirmed:
        examples.setdefault(goal_id, []).append(text)
        if key_message_id:
            km_examples.setdefault(key_message_id, []).append(text)
    key_messages: dict[int, list[engine.KeyMessageProfile]] = {}
    for key_message in KeyMessage.objects.order_by("goal", "position", "pk"):
        words = " ".join(keywords.get((key_message.goal_id, key_message.pk), []))
        key_messages.setdefault(key_message.goal_id, []).append(
            engine.KeyMessageProfile(
                key=key_message.pk,
                text=f"{key_message.text}\n{words}",
                examples=km_examples.get(key_message.pk, []),
            )
        )
    return [
        engine.GoalProfile(
            key=goal.pk,
            text="\n".join(
                [
                    goal.title,
                    goal.claim,
                    goal.intro,
                    *[km.text for km in key_messages.get(goal.pk, [])],
                    *measures.get(goal.pk, []),
                ]
            ),
            keywords=" ".join(keywords.get((goal.pk, None), [])),
            examples=examples.get(goal.pk, []),
            key_messages=key_messages.get(goal.pk, []),
        )
        for goal in goals
    ]


def words() -> engine.Words:
    return engine.Words(StopWord.objects.values_list("word", flat=True))


@dataclass
class _Contributions:
    """What a run needs of each contribution, one list per column (index: the contribution)."""

    pks: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # equal texts are one string object
    theme_goals: list[int] = field(default_factory=list)  # confirmed goal, else written on
    published: list[bool] = field(default_factory=list)  # may be quoted
    distinct: list[str] = field(default_factory=list)  # each text once, in order of first use
    distinct_of: list[int] = field(default_factory=list)  # index of the text in `distinct`


def _read(contributions: QuerySet) -> _Contributions:
    """Read in chunks through a server-side cursor (PostgreSQL), keeping each distinct text
    once: 100,000 rows read at once held twice their size (driver buffer and rows)."""
    read = _Contributions()
    seen: dict[str, int] = {}
    rows = (
        contributions.order_by("pk")
        .values_list("pk", "text", "goal_id", "status", "workbench__confirmed_goal_id")
        .iterator(chunk_size=BATCH)
    )
    for pk, text, goal_id, status, confirmed_goal_id in rows:
        index = seen.setdefault(text, len(seen))
        if index == len(read.distinct):
            read.distinct.append(text)
        read.pks.append(pk)
        read.texts.append(read.distinct[index])
        read.distinct_of.append(index)
        read.theme_goals.append(confirmed_goal_id or goal_id)
        read.published.append(status == Comment.Status.PUBLISHED)
    return read


def run_workbench(
    *,
    comment_round: CommentRound | None = None,
    goal: Goal | None = None,
    started_by: User | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> Run:
    """Suggest a goal and key message for every counted contribution in scope, find themes
    within each goal and groups of near-identical contributions; store it all as suggestions.
    Synchronous: about a minute for 100,000 contributions (bench/workbench.py).

    `on_phase` is called with the name of each phase as it begins (bench/workbench.py --phases
    measures them)."""
    phase = on_phase or (lambda name: None)
    phase("read")
    contributions = _read(scope(comment_round=comment_round, goal=goal))
    profiles = _goal_profiles()
    analysis_words = words()
    texts = contributions.texts
    run = Run(
        method_version=engine.METHOD_VERSION,
        round=comment_round,
        goal=goal,
        started_by=started_by,
        contribution_count=len(texts),
    )
    if not texts or not profiles:
        run.finished_at = timezone.now()
        run.save()
        return run
    phase("suggest")
    # Identical texts (copy-paste campaigns, the synthetic bench data) are analysed once.
    distinct_suggestions = engine.suggest(profiles, contributions.distinct, analysis_words)
    suggestions = [distinct_suggestions[i] for i in contributions.distinct_of]
    phase("duplicates")
    groups = engine.duplicate_groups(texts)
    phase("themes")
    # Themes are found within the goal an editor confirmed, else the one it was written on.
    by_goal: dict[int, list[int]] = {}
    for index, theme_goal in enumerate(contributions.theme_goals):
        by_goal.setdefault(theme_goal, []).append(index)
    found_themes: list[tuple[int, engine.Theme, list[int]]] = []
    theme_of: dict[int, int] = {}
    for goal_id, indexes in by_goal.items():
        goal_themes, assignment = engine.themes(
            [texts[i] for i in indexes],
            analysis_words,
            groups=[groups[i] for i in indexes],
            quotable=[contributions.published[i] for i in indexes],
        )
        position = len(found_themes)
        for theme in goal_themes:
            found_themes.append((goal_id, theme, indexes))
        for local, theme_number in enumerate(assignment):
            if theme_number != -1:
                theme_of[indexes[local]] = position + theme_number

    phase("write")
    pks = contributions.pks
    with transaction.atomic():
        run.save()
        group_members: dict[int, list[int]] = {}
        for index, group in enumerate(groups):
            if group != -1:
                group_members.setdefault(group, []).append(index)
        group_objects = DuplicateGroup.objects.bulk_create(
            [
                DuplicateGroup(run=run, size=len(members), representative_id=pks[members[0]])
                for _group, members in sorted(group_members.items())
            ],
            batch_size=BATCH,
        )
        theme_objects = Theme.objects.bulk_create(
            [
                Theme(
                    run=run,
                    goal_id=goal_id,
                    number=theme.number + 1,
                    label=theme.label[:200],
                    top_terms=", ".join(theme.top_terms),
                    size=len(theme.members),
                    quote_ids=[pks[indexes[i]] for i in theme.quotes],
                    method_version=engine.METHOD_VERSION,
                )
                for goal_id, theme, indexes in found_themes
            ],
            batch_size=BATCH,
        )

        # One INSERT … ON CONFLICT per batch of plain tuples (PostgreSQL and SQLite): 100,000
        # model instances through bulk_create took a minute. Editors' confirmations stay.
        table = Result._meta.db_table
        columns = ["comment_id", "run_id", "method_version", "suggested_goal_id", "score",
                   "suggested_key_message_id", "theme_id", "duplicate_group_id"]  # fmt: skip
        # Only constant names go into the statement; every value is a parameter.
        updates = ", ".join(f"{column} = excluded.{column}" for column in columns[1:])
        upsert = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * 8)}) "  # noqa: S608
            f"ON CONFLICT (comment_id) DO UPDATE SET {updates}"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(pks), BATCH):
                values = []
                for index in range(start, min(start + BATCH, len(pks))):
                    suggestion = suggestions[index]
                    theme = theme_objects[theme_of[index]].pk if index in theme_of else None
                    group = group_objects[groups[index]].pk if groups[index] != -1 else None
                    score = max(0.0, min(1.0, suggestion.score))
                    values.append((pks[index], run.pk, engine.METHOD_VERSION, suggestion.goal,
                                   score, suggestion.key_message, theme, group))  # fmt: skip
                cursor.executemany(upsert, values)
        # Suggestions for text that is no longer counted (withdrawn since) go; decisions stay.
        in_scope = Comment.objects.all()
        if comment_round is not None:
            in_scope = in_scope.filter(round=comment_round)
        if goal is not None:
            in_scope = in_scope.filter(goal=goal)
        Result.objects.filter(comment__in=in_scope, confirmed_goal__isnull=True).exclude(
            comment__in=scope(comment_round=comment_round, goal=goal)
        ).delete()
        Theme.objects.filter(goal__in=list(by_goal), is_confirmed=False).exclude(run=run).delete()
        DuplicateGroup.objects.exclude(run=run).filter(results__isnull=True).delete()
        run.theme_count = len(theme_objects)
        run.duplicate_group_count = len(group_objects)
        run.finished_at = timezone.now()
        run.save(update_fields=["theme_count", "duplicate_group_count", "finished_at"])
    return run


# Editors' decisions ------------------------------------------------------------------------


def confirm_goal(
    *,
    result: Result,
    editor: User,
    goal: Goal | None = None,
    key_message: KeyMessage | None = None,
) -> Result:
    """An editor confirms the suggestion (no `goal` given) or corrects it; logged either way.
    The next run learns from it (the contribution becomes an example of that goal)."""
    if goal is None:
        goal, key_message = result.suggested_goal, result.suggested_key_message
    if key_message is not None and key_message.goal_id != goal.pk:
        key_message = None
    corrected = goal.pk != result.suggested_goal_id
    with transaction.atomic():
        result.confirmed_goal = goal
        result.confirmed_key_message = key_message
        result.confirmed_by = editor
        result.confirmed_at = timezone.now()
        result.save(
            update_fields=[
                "confirmed_goal",
                "confirmed_key_message",
                "confirmed_by",
                "confirmed_at",
            ]
        )
        LogEntry.objects.create(
            actor=editor,
            action=LogEntry.Action.CORRECT_GOAL if corrected else LogEntry.Action.CONFIRM_GOAL,
            comment_id=result.comment_id,
            note=f"{result.suggested_goal.title} → {goal.title}"
            + (f" / {key_message.text}" if key_message else ""),
        )
    return result


def confirm_theme(*, theme: Theme, editor: User, label: str | None = None) -> Theme:
    with transaction.atomic():
        old_label = theme.label
        if label:
            theme.label = label[:200]
        theme.is_confirmed = True
        theme.confirmed_by = editor
        theme.confirmed_at = timezone.now()
        theme.save()
        note = theme.label if old_label == theme.label else f"{old_label} → {theme.label}"
        LogEntry.objects.create(
            actor=editor, action=LogEntry.Action.CONFIRM_THEME, theme=theme, note=note
        )
    return theme


def withdraw_theme(*, theme: Theme, editor: User) -> Theme:
    with transaction.atomic():
        theme.is_confirmed = False
        theme.save(update_fields=["is_confirmed"])
        LogEntry.objects.create(
            actor=editor, action=LogEntry.Action.WITHDRAW_THEME, theme=theme, note=theme.label
        )
    return theme


# What the committee dossier shows ----------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    text: str
    url: str


@dataclass(frozen=True)
class DossierTheme:
    label: str
    top_terms: list[str]
    contribution_count: int
    quotes: list[Quote]


def confirmed_themes_for_goal(goal: Goal) -> list[DossierTheme]:
    """The editor-confirmed themes of one goal (see confirmed_themes_by_goal)."""
    return confirmed_themes_by_goal([goal]).get(goal.pk, [])


def confirmed_themes_by_goal(goals: list[Goal]) -> dict[int, list[DossierTheme]]:
    """Per goal the editor-confirmed themes, largest first, each with up to three quotes;
    only published text is quoted (never hidden, pending or withdrawn). Two queries, whatever
    the number of goals."""
    themes = list(
        Theme.objects.filter(goal__in=goals, is_confirmed=True).order_by("goal", "-size", "pk")
    )
    quote_ids = {pk for theme in themes for pk in theme.quote_ids}
    published = {
        comment.pk: comment
        for comment in Comment.objects.published()
        .filter(pk__in=quote_ids)
        .select_related("goal")
        .only("pk", "text", "goal__slug")
    }
    result: dict[int, list[DossierTheme]] = {}
    for theme in themes:
        result.setdefault(theme.goal_id, []).append(
            DossierTheme(
                label=theme.label,
                top_terms=[term for term in theme.top_terms.split(", ") if term],
                contribution_count=theme.size,
                quotes=[
                    Quote(text=published[pk].text, url=published[pk].get_absolute_url())
                    for pk in theme.quote_ids
                    if pk in published
                ][: engine.QUOTES_PER_THEME],
            )
        )
    return result
