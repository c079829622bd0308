import uuid
from datetime import time

from django import template
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from goals.models import Goal
from participation import services
from participation.forms import CommentForm
from participation.models import Comment, CommentRound
from participation.text import render_comment_text

register = template.Library()

COMMENTS_PER_PAGE = 20
SORTS = {"neu": "newest_first", "zustimmung": "most_supported_first"}


@register.filter
def comment_text(text: str) -> SafeString:
    """Escape everything, keep line breaks, make http(s) links clickable (rel nofollow ugc)."""
    return render_comment_text(text or "")


@register.inclusion_tag("participation/includes/home_section.html")
def home_participation() -> dict:
    return round_overview()


def round_overview(now=None) -> dict:
    """The open round, else the next one; what the home page and /beteiligung/ lead with."""
    now = now or timezone.now()
    rounds = CommentRound.objects.published()
    return {
        "open_round": rounds.open(now).order_by("ends_at", "pk").first(),
        "next_round": rounds.upcoming(now).order_by("starts_at", "pk").first(),
    }


def _round_for_goal(goal: Goal, now) -> tuple[CommentRound | None, str]:
    """The goal's open round, else the next one, else the last closed one (one query)."""
    rounds = list(CommentRound.objects.published().for_goal(goal))
    open_rounds = [r for r in rounds if r.starts_at <= now < r.ends_at]
    if open_rounds:
        return min(open_rounds, key=lambda r: (r.ends_at, r.pk)), "open"
    upcoming = [r for r in rounds if r.starts_at > now]
    if upcoming:
        return min(upcoming, key=lambda r: (r.starts_at, r.pk)), "upcoming"
    closed = [r for r in rounds if r.ends_at <= now]
    if closed:
        return max(closed, key=lambda r: (r.ends_at, -r.pk)), "closed"
    return None, "none"


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


@register.simple_tag(takes_context=True)
def goal_discussion(context, goal: Goal) -> str:
    """The comment round and contributions of a goal, with the form while a round is open.

    Runs a fixed number of queries however many contributions the goal has.
    """
    request = context["request"]
    user = request.user
    now = timezone.now()
    comment_round, round_state = _round_for_goal(goal, now)
    sort = request.GET.get("sortierung", "neu")
    if sort not in SORTS:
        sort = "neu"
    outcome_slug = request.GET.get("ergebnis", "")
    outcome = Comment.OUTCOME_SLUGS.get(outcome_slug)
    if outcome is None:
        outcome_slug = ""
    comments = (
        Comment.objects.filter(goal=goal)
        .listed_for(user)
        .with_support_count()
        .with_supported_by(user)
        .select_related(
            "author", "key_message", "measure", "event", "outcome_measure", "outcome_key_message"
        )
    )
    replies = comments.order_by("created_at", "pk")
    top_level = comments.top_level()
    if outcome:
        top_level = top_level.with_outcome(outcome)
    top_level = getattr(top_level, SORTS[sort])().prefetch_related(
        Prefetch("replies", queryset=replies, to_attr="listed_replies")
    )
    page = Paginator(top_level, COMMENTS_PER_PAGE).get_page(_page_number(request.GET.get("seite")))
    # One query for the answers of the page's contributions and replies, whatever the page holds.
    page.object_list = list(page.object_list)
    listed = [c for comment in page.object_list for c in (comment, *comment.listed_replies)]
    prefetch_related_objects(listed, "official_answers")
    for listed_comment in listed:  # the edit rules ask for the round; no query per row
        if comment_round and listed_comment.round_id == comment_round.pk:
            listed_comment.round = comment_round
    is_verified = services.user_is_verified(user) if user.is_authenticated else False
    can_write = round_state == "open" and is_verified
    form = context.get("comment_form") or (CommentForm(goal=goal) if can_write else None)
    return render_to_string(
        "participation/includes/goal_discussion.html",
        {
            "goal": goal,
            "comment_round": comment_round,
            "round_state": round_state,
            "page": page,
            # The first, the last and two on each side of the current one: a goal with 15,000
            # contributions has 750 pages, and looping over them all cost 10 ms per request.
            "page_links": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "ellipsis": Paginator.ELLIPSIS,
            "sort": sort,
            "outcome_slug": outcome_slug,
            "outcome_filters": [
                (slug, Comment.Outcome(value).label)
                for slug, value in Comment.OUTCOME_SLUGS.items()
            ],
            "can_write": can_write,
            "is_verified": is_verified,
            "form": form,
            "now": now,
            "goal_url": goal.get_absolute_url(),
        },
        request=request,
    )


@register.simple_tag
def new_submission_token() -> str:
    """A fresh token per rendered form, so that a double submission creates one contribution."""
    return str(uuid.uuid4())


def _format_day(day) -> str:
    return date_format(day, "j. F Y")


@register.filter
def round_start(comment_round: CommentRound) -> str:
    local = timezone.localtime(comment_round.starts_at)
    if local.time() == time(0):
        return _format_day(local.date())
    return _("%(date)s, %(time)s o’clock") % {
        "date": _format_day(local.date()),
        "time": date_format(local, "H:i"),
    }


@register.filter
def round_end(comment_round: CommentRound) -> str:
    """The end as people say it: a round ending at midnight runs "until" the day before."""
    if comment_round.ends_at_midnight:
        return _format_day(comment_round.last_day)
    local = timezone.localtime(comment_round.ends_at)
    return _("%(date)s, %(time)s o’clock") % {
        "date": _format_day(local.date()),
        "time": date_format(local, "H:i"),
    }


@register.inclusion_tag("participation/includes/measure_contributions.html")
def measure_contributions(measure) -> dict:
    """Contributions that led to the measure (outcome „übernommen“), one query."""
    comments = (
        Comment.objects.published()
        .filter(outcome_measure=measure)
        .select_related("goal", "author", "event")
        .order_by("created_at", "pk")
    )
    return {"comments": comments}


@register.inclusion_tag("participation/includes/district_contributions.html")
def district_contributions(district, limit: int = 10) -> dict:
    """Contributions from the district as counts, and the latest input from its workshops
    (three queries). Residents' own contributions are never listed here: sign-up promises that
    the district a person names is never shown publicly, and a list would tie it to pseudonyms."""
    comments = Comment.objects.from_district(district).exclude(status=Comment.Status.PENDING)
    return {
        "district": district,
        "total": comments.count(),
        "workshop": comments.from_events().count(),
        "latest": Comment.objects.published()
        .top_level()
        .filter(event__district=district)
        .select_related("goal", "event")
        .newest_first()[:limit],
    }


@register.inclusion_tag("participation/includes/dossier_counts.html")
def dossier_participation_counts() -> dict:
    from participation import statistics

    return {"rows": statistics.per_goal(), "outcome_labels": statistics.outcome_labels()}
