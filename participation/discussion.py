"""The discussion on a goal page: which round, which page, filter and sort, and the form."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from goals.models import Goal
from participation import services
from participation.forms import CommentForm
from participation.models import Comment, CommentRound, User
from participation.models.contributions import listed_condition, tally_aggregates

COMMENTS_PER_PAGE = 20
# Query parameter value → CommentQuerySet ordering method.
SORTS = {"neu": "newest_first", "zustimmung": "most_supported_first"}
DEFAULT_SORT = "neu"


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

    ellipsis = Paginator.ELLIPSIS


def round_for_goal(goal: Goal, now: datetime) -> tuple[CommentRound | None, str]:
    """The goal's open round, else the next one, else the last closed one (one query)."""
    by_state: dict[str, list[CommentRound]] = {state: [] for state in CommentRound.State}
    for comment_round in CommentRound.objects.published().for_goal(goal):
        by_state[comment_round.state(now)].append(comment_round)
    if by_state[CommentRound.State.OPEN]:
        return min(by_state["open"], key=lambda r: (r.ends_at, r.pk)), "open"
    if by_state[CommentRound.State.UPCOMING]:
        return min(by_state["upcoming"], key=lambda r: (r.starts_at, r.pk)), "upcoming"
    if by_state[CommentRound.State.CLOSED]:
        return max(by_state["closed"], key=lambda r: (r.ends_at, -r.pk)), "closed"
    return None, "none"


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


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
    comment_round, round_state = round_for_goal(goal, now)
    sort = params.get("sortierung", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    outcome_slug = params.get("ergebnis", "")
    outcome = Comment.OUTCOME_SLUGS.get(outcome_slug)
    if outcome is None:
        outcome_slug = ""

    comments = (
        Comment.objects.filter(goal=goal)
        .listed_for(user)
        .with_support_count()
        .with_supported_by(user)
        .select_related(
            "author",
            "key_message",
            "measure",
            "event",
            "outcome_measure",
            "outcome_key_message",
            "district",
        )
    )
    replies = comments.order_by("created_at", "pk")
    top_level = comments.top_level()
    if outcome:
        top_level = top_level.with_outcome(outcome)
    top_level = getattr(top_level, SORTS[sort])().prefetch_related(
        Prefetch("replies", queryset=replies, to_attr="listed_replies")
    )
    # One aggregate for the goal's figures (the portal's one count definition) and the number
    # of listed contributions, which the paginator would otherwise count in a query of its own.
    listed = Q(parent__isnull=True) & listed_condition(user)
    if outcome:
        listed &= Q(outcome=outcome)
    figures = Comment.objects.filter(goal=goal).aggregate(
        **tally_aggregates(), listed=Count("pk", filter=listed)
    )
    paginator = Paginator(top_level, COMMENTS_PER_PAGE)
    paginator.count = figures.pop("listed")
    page = paginator.get_page(_page_number(params.get("seite")))
    # One query for the answers of the page's contributions and replies, whatever the page holds.
    page.object_list = list(page.object_list)
    listed = [c for comment in page.object_list for c in (comment, *comment.listed_replies)]
    prefetch_related_objects(listed, "official_answers")
    for listed_comment in listed:  # the edit rules ask for the round; no query per row
        if comment_round and listed_comment.round_id == comment_round.pk:
            listed_comment.round = comment_round

    is_verified = services.user_is_verified(user) if user.is_authenticated else False
    # A draft's preview has no form: comments are only taken on the published goal.
    can_write = round_state == "open" and is_verified and goal.status == Goal.Status.PUBLISHED
    return Discussion(
        comment_round=comment_round,
        round_state=round_state,
        page=page,
        page_links=list(
            page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ),
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
        tally=figures,
    )
