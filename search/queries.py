"""The search over what the public sees: goals, key messages, measures, events, contributions.

On PostgreSQL each kind is searched in its stored, GIN-indexed German vector (`search_vector`,
kept current by triggers), ranked with ts_rank and shown with a ts_headline snippet. On SQLite
(the embedded default) a row matches when it holds every query word as a whole word in any
letter case (search/words.py), newest first. Either way a search runs a fixed number of
queries: one per kind shown (its hits with the number of matches), and for contributions one
for the ids (and ranks) of the matches and one for the rows of the hits shown.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchConfig, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, QuerySet, TextField, Value, Window
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from events.models import Event
from goals.models import Goal, KeyMessage, Measure
from participation.models import Comment
from search import words as w

PER_KIND_PREVIEW = 5  # hits per kind on the overview
PER_PAGE = 20  # hits per page once one kind is chosen
MAX_RANKED = 1000  # more matches than this are shown as „mehr als 1.000“, the newest ranked


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    snippet: SafeString
    context: str = ""  # e.g. the goal a key message belongs to, the date of an event


@dataclass(frozen=True)
class Kind:
    slug: str  # the ?art= value
    label: Promise
    rows: Callable[[], QuerySet]  # the public rows of this kind
    fields: tuple[str, ...]  # the text searched on SQLite and used for the snippet
    hit: Callable[[object, SafeString], Hit]
    # Rows that grow with the participation (100,000 contributions): their matches are
    # ranked among the newest MAX_RANKED + 1 only. The other kinds are a few hundred rows.
    many: bool = False


def _goal_hit(goal: Goal, snippet: SafeString) -> Hit:
    return Hit(goal.full_title, goal.get_absolute_url(), snippet)


def _key_message_hit(key_message: KeyMessage, snippet: SafeString) -> Hit:
    goal = key_message.goal
    return Hit(goal.full_title, goal.get_absolute_url(), snippet, str(_("Key message")))


def _measure_hit(measure: Measure, snippet: SafeString) -> Hit:
    return Hit(measure.text, measure.get_absolute_url(), snippet, measure.get_status_display())


def _event_hit(event: Event, snippet: SafeString) -> Hit:
    when = (
        date_format(timezone.localtime(event.starts_at), "DATE_FORMAT")
        if event.starts_at
        else event.tentative_period
    )
    where = ", ".join(part for part in (event.venue, str(event.district or "")) if part)
    return Hit(
        event.title, event.get_absolute_url(), snippet, " · ".join(p for p in (when, where) if p)
    )


def _comment_hit(comment: Comment, snippet: SafeString) -> Hit:
    context = _("%(name)s on %(date)s") % {
        "name": comment.author.public_name if comment.author else _("Workshop input"),
        "date": date_format(timezone.localtime(comment.created_at), "DATE_FORMAT"),
    }
    return Hit(comment.goal.full_title, comment.get_absolute_url(), snippet, str(context))


def _public_goals() -> QuerySet:
    return Goal.objects.published()


# The rows of goals are joined for the hit anyway: a join filter plans and compiles faster
# than `goal__in=Goal.objects.published()` (a subquery per search and kind).
_ON_PUBLISHED_GOAL = {"goal__status": Goal.Status.PUBLISHED}


KINDS = (
    Kind("ziele", _("Goals"), _public_goals, ("title", "claim", "intro"), _goal_hit),
    Kind(
        "kernbotschaften",
        _("Key messages"),
        lambda: KeyMessage.objects.filter(**_ON_PUBLISHED_GOAL).select_related("goal"),
        ("text",),
        _key_message_hit,
    ),
    Kind(
        "massnahmen",
        _("Measures"),
        lambda: Measure.objects.public(),
        ("text", "description", "department"),
        _measure_hit,
    ),
    Kind(
        "termine",
        _("Dates"),
        lambda: Event.objects.published().select_related("district"),
        ("title", "venue", "address", "district__name", "description"),
        _event_hit,
    ),
    Kind(
        "beitraege",
        _("Contributions"),
        # Only what the goal pages show with its text: never pending, hidden or withdrawn.
        lambda: (
            Comment.objects.published()
            .filter(**_ON_PUBLISHED_GOAL)
            .select_related("goal", "author")
            # What a hit shows (_comment_hit): a page of hits read 67 columns per row before.
            .only(
                "text",
                "created_at",
                "goal__slug",
                "goal__title",
                "goal__claim",
                "author__display_name",
                "author__deleted_at",
            )
        ),
        ("text",),
        _comment_hit,
        many=True,
    ),
)
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}


@dataclass
class KindResults:
    kind: Kind
    count: int
    hits: list[Hit]
    page: Page | None = None  # only when this kind alone is shown
    page_links: list = field(default_factory=list)
    ellipsis = Paginator.ELLIPSIS

    @property
    def is_capped(self) -> bool:
        return self.count > MAX_RANKED

    @property
    def shown_count(self) -> int:
        return min(self.count, MAX_RANKED)


@dataclass
class SearchResults:
    query: w.CleanQuery
    problem: str = ""  # "empty", "no_words" or "stop_words": a friendly page instead of hits
    kind: Kind | None = None  # the chosen kind, else all kinds in preview
    groups: list[KindResults] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(min(group.count, MAX_RANKED) for group in self.groups)

    @property
    def is_capped(self) -> bool:
        return any(group.is_capped for group in self.groups)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _search_query(query: w.CleanQuery) -> SearchQuery:
    # websearch syntax: quotes for phrases, "-" to exclude, "or"; it never raises on input.
    return SearchQuery(query.text, config="german", search_type="websearch")


def _only_stop_words(query: w.CleanQuery) -> bool:
    """PostgreSQL drops German stop words („der“, „und“); a query of only those finds nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery('german', %s))", [query.text])
        return cursor.fetchone()[0] == 0


def _text(kind: Kind) -> Func:
    if _is_postgresql():
        # One function call (NULLs skipped) compiles in a fraction of the time of Concat's
        # nested COALESCE pairs, and the search builds it on every request.
        fields = [F(name) for name in kind.fields]
        return Func(Value(" "), *fields, function="concat_ws", output_field=TextField())
    parts = [part for name in kind.fields for part in (F(name), Value(" "))]
    return Concat(*parts, output_field=TextField())


def _matches(kind: Kind, query: w.CleanQuery) -> QuerySet:
    rows = kind.rows()
    if _is_postgresql():
        return rows.filter(search_vector=_search_query(query))
    matched = Func(
        _text(kind),
        Value(json.dumps(query.words)),
        function=w.SQLITE_FUNCTION,
        output_field=BooleanField(),
    )
    return rows.alias(search_match=matched).filter(search_match=True)


def _ranked_ids(kind: Kind, query: w.CleanQuery) -> list[int]:
    """The primary keys of the kind's matches, best first, among its newest MAX_RANKED + 1
    matches: one query that reads ids and ranks only, never a row's text.

    A frequent word matches a fifth of 100,000 contributions; ranking all of them took 150 ms.
    The newest matches are found by walking the primary key (or, for a rare word, the GIN
    index) and stop early, so a search costs about the same whatever the amount of data. The
    at most 1,001 ranks are sorted here rather than in a second pass of the database.
    """
    newest = _matches(kind, query).order_by("-pk")
    if not _is_postgresql():
        return list(newest.values_list("pk", flat=True)[: MAX_RANKED + 1])
    ranks = newest.annotate(rank=SearchRank(F("search_vector"), _search_query(query)))
    found = ranks.values_list("pk", "rank")[: MAX_RANKED + 1]
    return [pk for pk, _rank in sorted(found, key=lambda hit: (-hit[1], -hit[0]))]


def _page_hits(kind: Kind, ids: list[int], query: w.CleanQuery) -> list[Hit]:
    """The hits for the ids shown (at most one page): their rows, in the order of `ids`, with
    a snippet computed for these rows only. The rows are read through the kind's public rows
    again, so nothing that stopped being public in between is shown."""
    if not ids:
        return []
    rows = _with_headline(kind.rows().filter(pk__in=ids), kind, query)
    by_pk = {row.pk: row for row in rows}
    return _hits(kind, [by_pk[pk] for pk in ids if pk in by_pk], query)


def _ranked_rows(kind: Kind, query: w.CleanQuery) -> QuerySet:
    """A small kind's matches, best first, each with the number of all matches (`total`): a
    slice of it is one query, and PostgreSQL computes the snippets for the sliced rows only
    (ts_headline is evaluated after the sort and the limit)."""
    rows = _matches(kind, query).annotate(total=Window(Count("pk")))
    if _is_postgresql():
        rank = SearchRank(F("search_vector"), _search_query(query))
        rows = rows.annotate(rank=rank).order_by("-rank", "-pk")
    else:
        rows = rows.order_by("-pk")
    return _with_headline(rows, kind, query)


def _results(kind: Kind, query: w.CleanQuery, start: int, size: int) -> tuple[int, list[Hit]]:
    """The number of matches (at most MAX_RANKED + 1 for a kind with many rows) and the hits
    start … start + size."""
    if kind.many:
        ids = _ranked_ids(kind, query)
        return len(ids), _page_hits(kind, ids[start : start + size], query)
    rows = list(_ranked_rows(kind, query)[start : start + size])
    if not rows and start:
        return _ranked_rows(kind, query).count(), []  # a page after the last one
    return (rows[0].total if rows else 0), _hits(kind, rows, query)


# ts_headline's options as one constant: SearchHeadline composes them with the database
# driver (a cursor per option) each time a query is compiled, a millisecond per kind.
HEADLINE_OPTIONS = (
    f"StartSel='{w.START}', StopSel='{w.STOP}', MaxWords=35, MinWords=15, MaxFragments=2, "
    "FragmentDelimiter=' … '"
)


def _with_headline(rows: QuerySet, kind: Kind, query: w.CleanQuery) -> QuerySet:
    if not _is_postgresql():
        return rows
    headline = Func(
        SearchConfig("german"),
        _text(kind),
        _search_query(query),
        Value(HEADLINE_OPTIONS),
        function="ts_headline",
        output_field=TextField(),
    )
    return rows.annotate(headline=headline)


def _hits(kind: Kind, rows, query: w.CleanQuery) -> list[Hit]:
    hits = []
    for row in rows:
        if _is_postgresql():
            snippet = w.highlighted(row.headline)
        else:
            text = " ".join(str(_lookup(row, name) or "") for name in kind.fields)
            snippet = w.snippet(text, query.words)
        hits.append(kind.hit(row, snippet))
    return hits


def _lookup(row, name: str):
    for part in name.split("__"):
        row = getattr(row, part, None) if row is not None else None
    return row


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def search(params: Mapping[str, str]) -> SearchResults:
    """The results for the query string (`q`, `art`, `seite`); odd input never raises."""
    query = w.clean_query(params.get("q"))
    results = SearchResults(query=query, kind=KINDS_BY_SLUG.get(params.get("art", "")))
    if not query.text:
        results.problem = "empty"
        return results
    if not query.words:
        results.problem = "no_words"
        return results
    if results.kind:
        kind = results.kind
        number = _page_number(params.get("seite"))
        count, hits = _results(kind, query, (number - 1) * PER_PAGE, PER_PAGE)
        # The paginator only does the page arithmetic; the rows are read above.
        paginator = Paginator(range(count), PER_PAGE)
        page = paginator.get_page(number)
        if page.number != number and count:  # beyond the last page: show the last one
            count, hits = _results(kind, query, page.start_index() - 1, PER_PAGE)
        links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
        results.groups.append(KindResults(kind, count, hits, page, links))
    else:
        for kind in KINDS:
            count, hits = _results(kind, query, 0, PER_KIND_PREVIEW)
            results.groups.append(KindResults(kind, count, hits))
    # Asked only when nothing was found: a query of German stop words finds nothing.
    if not results.total and _is_postgresql() and _only_stop_words(query):
        results.groups = []
        results.problem = "stop_words"
    return results
