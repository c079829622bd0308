"""The discussion on a goal page: which round, which page, filter and sort, and the form."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, Subquery, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from goals.models import Goal, KeyMessage, Measure, goal_content_lookups
from hagen_isek import page_scopes, site_content
from hagen_isek.fragments import content_key
from participation import services
from participation.forms import CommentForm
from participation.models import Comment, CommentRound, ContributionCount, Support, User
from participation.models.contributions import (
    COUNTED_STATUSES,
    listed_condition,
    tally_aggregates,
)

COMMENTS_PER_PAGE = 20
# The first pages of each list are kept by the worker (about 150 KB each); deeper ones, which
# few readers open, are read for each request rather than push the others out.
KEPT_PAGES = 3
# Query parameter value → CommentQuerySet ordering method.
SORTS = {"neu": "newest_first", "zustimmung": "most_supported_first"}
DEFAULT_SORT = "neu"
# What a listed contribution shows of its related rows (participation/includes/comment.html):
# the author joined; the goal's key messages and measures taken from the goal page's own
# prefetch (attach_goal_content); workshops and districts by a query each, only when the page
# shows any. Each further join multiplied PostgreSQL's planning time (7 ms for the 7-table
# query, 0.5 ms for the one join; bench/PERF_GOALPAGE.md).
JOINED_RELATIONS = ("author",)
PREFETCHED_RELATIONS = ("official_answers", "event", "district")


@dataclass(frozen=True)
class OutcomeFilter:
    slug: str
    label: str
    is_active: bool


@dataclass(frozen=True)
class Discussion:
    comment_round: CommentRound | None
    round_state: str  # "open", "upcoming", "closed" or "none"
    page: Page
    # The first, the last and two on each side of the current one: a goal with 15,000
    # contributions has 750 pages, and looping over them all cost 10 ms per request.
    page_links: list
    sort: str
    outcome_slug: str  # "" when the list is not filtered
    filters: list[OutcomeFilter]
    can_write: bool
    is_verified: bool
    form: CommentForm | None
    tally: dict[str, int]  # the goal's counted contributions (CommentQuerySet.tally)
    # The digest of everything the page's list shows this reader (_reader_state of each
    # contribution and reply, and whether they may write): the key of one stored piece for the
    # whole list (participation/includes/goal_discussion.html, {% list_piece %}).
    list_key: str = ""
    supported_ids: frozenset[int] = frozenset()  # the listed ones this reader supports

    ellipsis = Paginator.ELLIPSIS


def round_for_goal(
    goal: Goal, now: datetime, *, kept: bool = False
) -> tuple[CommentRound | None, str]:
    """The goal's open round, else the next one, else the last closed one (one query; none
    with `kept`, for pages that only show it: the rounds as this worker keeps them for the
    current site version, hagen_isek/site_content.py)."""
    rounds = _kept_rounds(goal) if kept else _published_rounds(goal)
    by_state: dict[str, list[CommentRound]] = {state: [] for state in CommentRound.State}
    for comment_round in rounds:
        by_state[comment_round.state(now)].append(comment_round)
    if by_state[CommentRound.State.OPEN]:
        return min(by_state["open"], key=lambda r: (r.ends_at, r.pk)), "open"
    if by_state[CommentRound.State.UPCOMING]:
        return min(by_state["upcoming"], key=lambda r: (r.starts_at, r.pk)), "upcoming"
    if by_state[CommentRound.State.CLOSED]:
        return max(by_state["closed"], key=lambda r: (r.ends_at, -r.pk)), "closed"
    return None, "none"


def _published_rounds(goal: Goal) -> list[CommentRound]:
    return list(CommentRound.objects.published().for_goal(goal))


def _kept_rounds(goal: Goal) -> list[CommentRound]:
    return site_content.kept(("rounds", goal.pk), lambda: _published_rounds(goal))


def goal_figures(goal: Goal, *, user: User | AnonymousUser, outcome: str | None) -> dict:
    """The goal's figures (CommentQuerySet.tally: `total`, `hidden`) and `listed`, the number of
    top-level contributions the list shows `user` (with `outcome`, if given), in one query.

    PostgreSQL reads them from ContributionCount, a few rows whatever the number of
    contributions; other databases count the contributions (the same definitions)."""
    if connection.vendor != "postgresql":
        listed = Q(parent__isnull=True) & listed_condition(user)
        if outcome:
            listed &= Q(outcome=outcome)
        return Comment.objects.filter(goal=goal).aggregate(
            **tally_aggregates(), listed=Count("pk", filter=listed)
        )
    listed = Q(is_reply=False) & ~Q(status=Comment.Status.PENDING)
    if outcome:
        listed &= Q(outcome=outcome)
    listed_count = Coalesce(Sum("count", filter=listed), 0)
    if user.is_authenticated:  # listed_condition: and the user's own awaiting moderation
        own_pending = Comment.objects.filter(
            goal=goal, author=user, status=Comment.Status.PENDING, parent__isnull=True
        )
        if outcome:
            own_pending = own_pending.filter(outcome=outcome)
        own_count = own_pending.order_by().values("goal").annotate(n=Count("pk")).values("n")
        listed_count = listed_count + Coalesce(Subquery(own_count), 0)
    return ContributionCount.objects.filter(goal=goal).aggregate(
        total=Coalesce(Sum("count", filter=Q(status__in=COUNTED_STATUSES)), 0),
        hidden=Coalesce(Sum("count", filter=Q(status=Comment.Status.HIDDEN)), 0),
        listed=listed_count,
    )


def fragment_key(comment: Comment) -> str:
    """The key of the contribution's cached pieces (participation/includes/comment.html): all
    it shows to every reader, from its loaded related rows and prefetched answers. Its support
    count and what only its author sees are rendered outside the pieces."""
    author, event = comment.author, comment.event
    return content_key(
        comment.pk,
        comment.status,
        comment.source,
        comment.text,
        comment.created_at,
        comment.edited_at,
        comment.moderation_reason,
        author.public_name if author else None,
        (event.title, event.starts_at) if event else None,
        comment.key_message.text if comment.key_message else None,
        (comment.measure.slug, comment.measure.text) if comment.measure else None,
        comment.outcome,
        comment.outcome_at,
        comment.outcome_note,
        (comment.outcome_measure.slug, comment.outcome_measure.text)
        if comment.outcome_measure
        else None,
        comment.outcome_key_message.text if comment.outcome_key_message else None,
        [(answer.pk, answer.created_at, answer.text) for answer in comment.official_answers.all()],
    )


def _reader_state(
    comment: Comment, user: User | AnonymousUser, now: datetime, supported_ids: frozenset[int]
) -> tuple:
    """What a listed contribution shows to `user`, as far as it differs between readers: its
    content and support count for everybody; for a signed-in reader also whether they support
    it and whether it is their own, and then whether they may still edit it and have a change
    awaiting moderation (participation/includes/comment.html shows nothing else per reader)."""
    shown = (comment.fragment_key, comment.support_count)
    if not user.is_authenticated:
        return shown
    is_own = comment.author_id == user.pk
    own = (comment.is_editable(now), comment.has_pending_edit) if is_own else None
    return (*shown, comment.pk in supported_ids, is_own, own)


def attach_goal_content(comments: list[Comment], goal: Goal) -> None:
    """Set the key messages and measures the contributions refer to (also as their outcome)
    from what the goal page has loaded already (goal_content_lookups); the rare one that is not
    among them (a measure of another goal, unpublished since) costs one query per kind."""
    if "key_messages" not in getattr(goal, "_prefetched_objects_cache", {}):
        prefetch_related_objects([goal], *goal_content_lookups())
    known = {
        KeyMessage: {km.pk: km for km in goal.key_messages.all()},
        Measure: {link.measure_id: link.measure for link in goal.measure_links.all()},
    }
    fields = {
        "key_message": KeyMessage,
        "outcome_key_message": KeyMessage,
        "measure": Measure,
        "outcome_measure": Measure,
    }
    for model, rows in known.items():
        missing = {
            pk
            for comment in comments
            for field, of in fields.items()
            if of is model and (pk := getattr(comment, f"{field}_id")) and pk not in rows
        }
        if missing:
            rows.update(model.objects.in_bulk(missing))
    for comment in comments:
        for field, model in fields.items():
            pk = getattr(comment, f"{field}_id")
            setattr(comment, field, known[model].get(pk) if pk is not None else None)


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


@dataclass(frozen=True)
class Listing:
    """One page of a goal's list as one reader state sees it: shared by the requests of a
    worker when kept (goal_discussion), so read it, never change it."""

    page: Page
    page_links: list
    figures: dict[str, int]


def _listing(
    goal: Goal,
    user: User | AnonymousUser,
    sort: str,
    outcome: str | None,
    page_number: int,
) -> Listing:
    """The page's contributions with their replies and everything they show, and the goal's
    figures: seven queries, fewer when no listed contribution has answers, workshops or
    districts, whatever the number of contributions."""
    comments = (
        Comment.objects.filter(goal=goal)
        .listed_for(user)
        .with_support_count()
        .select_related(*JOINED_RELATIONS)
        .defer("search_vector")
    )
    top_level = Comment.objects.filter(goal=goal).listed_for(user).top_level()
    if outcome:
        top_level = top_level.with_outcome(outcome)
    if sort == "zustimmung":
        top_level = top_level.with_support_count()
    # The page's ids first, then its rows by id: PostgreSQL took 20-60 ms to plan the one
    # query that joined the six related tables and sorted and paginated at once (the joins
    # multiply the plans it considers), and 3 ms for the two (bench/PERF_GOALPAGE.md).
    page_ids = getattr(top_level, SORTS[sort])().values_list("pk", flat=True)
    figures = goal_figures(goal, user=user, outcome=outcome)
    paginator = Paginator(page_ids, COMMENTS_PER_PAGE)
    paginator.count = figures.pop("listed")
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    replies = comments.order_by("created_at", "pk")
    rows = comments.filter(pk__in=ids).prefetch_related(
        Prefetch("replies", queryset=replies, to_attr="listed_replies")
    )
    by_id = {comment.pk: comment for comment in rows.order_by()}
    # A contribution withdrawn or hidden between the two queries is still listed (as its
    # placeholder); one that vanished from the list altogether is left out.
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    # One query each for the answers, workshops and districts of the page's contributions and
    # replies, whatever the page holds (none for a relation that no listed one has).
    listed = [c for comment in page.object_list for c in (comment, *comment.listed_replies)]
    prefetch_related_objects(listed, *PREFETCHED_RELATIONS)
    attach_goal_content(listed, goal)
    # The edit rules ask for the round: the goal's published rounds, kept for the site version
    # like the rows (no query per row; the clock is asked on each request).
    rounds = {comment_round.pk: comment_round for comment_round in _kept_rounds(goal)}
    for listed_comment in listed:
        listed_comment.fragment_key = fragment_key(listed_comment)
        if listed_comment.round_id in rounds:
            listed_comment.round = rounds[listed_comment.round_id]
    return Listing(
        page=page,
        page_links=list(
            page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ),
        figures=figures,
    )


def goal_discussion(
    goal: Goal, *, user: User | AnonymousUser, params: Mapping[str, str]
) -> Discussion:
    """The round, the requested page of contributions and, while a round is open, the form.

    `params` is the request's query string (`ergebnis`, `sortierung`, `seite`); unknown or
    malformed values fall back to the defaults, never an error. Runs a fixed number of
    queries however many contributions the goal has; rendering `form` adds the queries
    for its choices.
    """
    now = timezone.now()
    comment_round, round_state = round_for_goal(goal, now, kept=True)
    sort = params.get("sortierung", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    outcome_slug = params.get("ergebnis", "")
    outcome = Comment.OUTCOME_SLUGS.get(outcome_slug)
    if outcome is None:
        outcome_slug = ""

    page_number = _page_number(params.get("seite"))
    has_own_pending = user.is_authenticated and (
        Comment.objects.filter(goal=goal, author=user, status=Comment.Status.PENDING).exists()
    )
    # Unless the list holds what only this reader sees, it is the one every reader sees: its
    # first pages kept per worker until a write on the goal.
    reader = user if has_own_pending else AnonymousUser()

    def build() -> Listing:
        return _listing(goal, reader, sort, outcome, page_number)

    if has_own_pending or page_number > KEPT_PAGES:
        listing = build()
    else:
        listing = site_content.kept(
            ("goal-listing", goal.pk, sort, outcome_slug, page_number),
            build,
            scopes=(page_scopes.goal_scope(goal.slug),),
        )
    page = listing.page
    listed_ids = [c.pk for comment in page.object_list for c in (comment, *comment.listed_replies)]
    supported_ids = (
        frozenset(
            Support.objects.filter(user=user, comment_id__in=listed_ids)
            .order_by()
            .values_list("comment_id", flat=True)
        )
        if user.is_authenticated and listed_ids
        else frozenset()
    )

    is_verified = services.user_is_verified(user) if user.is_authenticated else False
    # A draft's preview has no form: comments are only taken on the published goal.
    can_write = round_state == "open" and is_verified and goal.status == Goal.Status.PUBLISHED
    list_key = content_key(
        can_write,
        [
            [_reader_state(c, user, now, supported_ids) for c in (comment, *comment.listed_replies)]
            for comment in page.object_list
        ],
    )
    return Discussion(
        comment_round=comment_round,
        round_state=round_state,
        page=page,
        page_links=listing.page_links,
        sort=sort,
        outcome_slug=outcome_slug,
        filters=[
            OutcomeFilter(slug, Comment.Outcome(value).label, slug == outcome_slug)
            for slug, value in Comment.OUTCOME_SLUGS.items()
        ],
        can_write=can_write,
        is_verified=is_verified,
        form=(
            CommentForm(goal=goal, allows_placing=comment_round.allows_placing)
            if can_write
            else None
        ),
        tally=listing.figures,
        supported_ids=supported_ids,
        list_key=list_key,
    )
