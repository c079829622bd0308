"""Which stored pages a write makes stale: the one place that maps pages and writes to scopes.

Every page depends on SITE. A page listed in PAGES_OF_ONE shows the contributions of one goal,
district, round or event only ("goal:<slug>", ...); a page in PAGES_WITHOUT_CONTRIBUTIONS shows
none; every other page is taken to show any contribution (CONTRIBUTIONS: the home page's counts,
statistics, feeds, measure pages, search, dossiers) - a page added later is safe by default.

A write to a contribution or to what belongs to it (a support, an official answer, a report, a
moderation decision, an earlier version) makes stale the scopes of that contribution; any other
write (an editor's change to a goal, event or page, a changed account) makes every page stale
(SITE); a new account changes no page.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation

SITE = "site"
CONTRIBUTIONS = "contributions"

PAGES_OF_ONE = {
    "goals:detail": "goal",
    "participation:goal-feed": "goal",
    "events:district": "district",
    "participation:round-results": "round",
}
# tests/test_page_cache_scopes.py renders each of them before and after every kind of write to
# contributions and fails if one changed.
PAGES_WITHOUT_CONTRIBUTIONS = {
    "home",
    "goals:list",
    "goals:measure-list",
    "about",
    "sources",
    "easy-language",
    "sign-language",
    "events:list",
    "events:timeline",
    "events:feed",
    "events:ics",
    "events:detail",
    "events:district-list",
}
# Rows that belong to one contribution (each has `comment_id`).
CONTRIBUTION_PARTS = {
    "participation.Support",
    "participation.OfficialAnswer",
    "participation.Report",
    "participation.Objection",
    "participation.ModerationLogEntry",
    "participation.ContributionVersion",
}


@lru_cache(maxsize=4096)
def of_page(path: str) -> tuple[str, ...]:
    """The scopes of the page at `path` (its URL without the query string), in a fixed order."""
    code = translation.get_language_from_path(path)
    plain = (path[len(code) + 1 :] or "/") if code and code != settings.LANGUAGE_CODE else path
    try:
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(plain)
    except Resolver404:
        return (SITE, CONTRIBUTIONS)
    kind = PAGES_OF_ONE.get(match.view_name)
    if kind and "slug" in match.kwargs:
        return (SITE, f"{kind}:{match.kwargs['slug']}")
    if match.view_name in PAGES_WITHOUT_CONTRIBUTIONS:
        return (SITE,)
    return (SITE, CONTRIBUTIONS)


def of_write(instance, *, created: bool = False) -> set[str]:
    """The scopes a saved or deleted row changes."""
    from participation.models import Comment, User

    if created and isinstance(instance, User):
        return set()  # a new account has written nothing yet
    if isinstance(instance, Comment):
        loaded = _loaded_slugs(instance)
        return _scopes(*loaded) if loaded else of_contribution(instance)
    if instance is not None and instance._meta.label in CONTRIBUTION_PARTS:
        return of_contribution(Comment(pk=instance.comment_id))
    return {SITE}


def goal_scope(slug: str) -> str:
    """What shows the contributions on a goal (its page, its feed)."""
    return f"goal:{slug}"


def goal_map_scope(slug: str) -> str:
    """The goal's map: its contributions with a place, a district or a workshop. Only a write to
    one of them changes it (also one that gets or loses a place)."""
    return f"goal-map:{slug}"


def of_contribution(comment) -> set[str]:
    """The scopes of the pages that show `comment` as the database holds it now: its goal, its
    round, its workshop, every district it may count for, and every page that shows any
    contribution. One query (more only for a contribution that was just deleted)."""
    from events.models import District, Event
    from goals.models import Goal
    from participation.models import Comment, CommentRound, User

    row = (
        Comment.objects.filter(pk=comment.pk)
        .values_list(
            "goal__slug",
            "round__slug",
            "event__slug",
            "event__district__slug",
            "author__district__slug",
            "district__slug",
            "latitude",
        )
        .first()
    )
    if row is None:  # deleted: what it referred to is still on the instance
        event = Event.objects.filter(pk=comment.event_id).values_list("slug", "district__slug")
        row = (
            Goal.objects.filter(pk=comment.goal_id).values_list("slug", flat=True).first(),
            CommentRound.objects.filter(pk=comment.round_id).values_list("slug", flat=True).first(),
            *(event.first() or (None, None)),
            User.objects.filter(pk=comment.author_id)
            .values_list("district__slug", flat=True)
            .first(),
            District.objects.filter(pk=comment.district_id).values_list("slug", flat=True).first(),
            comment.latitude,
        )
    return _scopes(*row)


def _scopes(goal, round_, event, event_district, author_district, district, latitude) -> set[str]:
    scopes = {CONTRIBUTIONS, goal_scope(goal), f"round:{round_}"}
    if event:
        scopes.add(f"event:{event}")
    scopes.update(f"district:{d}" for d in (event_district, author_district, district) if d)
    if event or district or latitude is not None:  # on the goal's map (events/maps.py)
        scopes.add(goal_map_scope(goal))
    return scopes


# The relations of_contribution reads, as paths from the contribution to a slug.
_SLUG_PATHS = (
    ("goal",),
    ("round",),
    ("event",),
    ("event", "district"),
    ("author", "district"),
    ("district",),
)


def _loaded_slugs(comment) -> tuple | None:
    """of_contribution's row from the related rows already on a contribution just saved (the
    service that writes it holds them; districts as this worker keeps them), or None when one
    of them would need a query."""
    from events.models import kept_districts

    slugs = []
    for path in _SLUG_PATHS:
        row = comment
        for name in path:
            field = row._meta.get_field(name)
            related_id = getattr(row, field.attname)
            if related_id is None:
                row = None
                break
            if field.is_cached(row):
                row = getattr(row, name)
            elif name == "district":
                row = next((d for d in kept_districts() if d.pk == related_id), None)
                if row is None:
                    return None
            else:
                return None
        slugs.append(row.slug if row is not None else None)
    return (*slugs, comment.latitude)
