"""The district map on the public pages (templates/maps/district_map.html)."""

from django import template
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from events import maps
from events.models import District, Event
from hagen_isek import page_scopes, site_content

register = template.Library()
MAP_TEMPLATE = "maps/district_map.html"
# The goal page shows at most this many placed points (the newest); the counts cover all.
POINT_LIMIT = 500


def _dates(count: int) -> str:
    return ngettext("%(count)s date", "%(count)s dates", count) % {"count": count}


def _contributions(count: int) -> str:
    return ngettext("%(count)s contribution", "%(count)s contributions", count) % {"count": count}


def _event_counts() -> dict[int, int]:
    return site_content.kept(
        ("event-counts",),
        lambda: dict(
            Event.objects.published()
            .exclude(district=None)
            .values("district")
            .annotate(n=Count("pk"))
            .values_list("district", "n")
        ),
    )


@register.inclusion_tag(MAP_TEMPLATE)
def district_map_of_districts(current: District | None = None) -> dict:
    """District pages: every district links to its page and says how many dates it has."""
    return {
        "map": maps.district_map(
            map_id="bezirkskarte",
            title=_("Map of Hagen's five districts"),
            counts=_event_counts,
            count_text=_dates,
            current=current,
        )
    }


@register.inclusion_tag(MAP_TEMPLATE)
def district_map_of_calendar() -> dict:
    """The calendar: every district filters the calendar to its dates."""
    calendar = reverse("events:list")
    return {
        "map": maps.district_map(
            map_id="terminkarte",
            title=_("Dates by district"),
            href=lambda district: f"{calendar}?district={district.slug}#upcoming-title",
            counts=_event_counts,
            count_text=_dates,
        )
    }


@register.simple_tag
def district_map_of_goal(goal) -> SafeString:
    """The goal page: published contributions per district (where they were placed, imported
    for or discussed at a workshop) and the points citizens placed. Rendered once per worker
    until a write to one of the goal's contributions on the map (page_scopes.goal_map_scope,
    hagen_isek/site_content.py): two queries, the projection of up to 500 points and their SVG."""
    from participation.models import Comment

    public = Comment.objects.filter(goal=goal).public()

    def counts() -> dict[int, int]:
        # The condition of the index participation_comment_located, so that it is used.
        located = Q(district__isnull=False) | Q(event__isnull=False)
        return dict(
            public.filter(located)
            .with_public_district()
            .exclude(public_district=None)
            .values("public_district")
            .annotate(n=Count("pk"))
            .values_list("public_district", "n")
        )

    points = public.placed().order_by("-created_at").values_list("longitude", "latitude")

    def render() -> str:
        district_map = maps.district_map(
            map_id=f"karte-{goal.slug}",
            title=_("Contributions on this goal by district"),
            counts=counts,
            count_text=_contributions,
            points=points[:POINT_LIMIT],
        )
        return render_to_string(MAP_TEMPLATE, {"map": district_map, "points_note": True})

    html = site_content.kept(
        ("goal-map", goal.pk, get_language()),
        render,
        scopes=(page_scopes.goal_map_scope(goal.slug),),
    )
    return mark_safe(html)  # noqa: S308 - rendered from the template, escaped there


@register.inclusion_tag(MAP_TEMPLATE)
def district_choropleth(rows: list[dict]) -> dict:
    """The statistics page: districts coloured by their counted contributions (the rows of the
    "per district" table, which shows the same figures)."""
    counts = {row["district_key"]: row["total"] for row in rows if row["district_key"]}
    return {
        "map": maps.district_map(
            map_id="statistikkarte",
            title=_("Contributions and replies per district"),
            counts=counts,
            count_text=_contributions,
            choropleth=True,
        )
    }


@register.inclusion_tag("maps/district_picker.html")
def district_picker(form) -> dict:
    """The contribution form's optional map: a click places a point (static/js/district-map.js);
    hidden until the script runs, so the district list stays the way without JavaScript."""
    return {
        "form": form,
        "map": maps.district_map(
            map_id="ortswahl",
            title=_("Place your contribution on the map"),
            href=lambda district: f"#ortswahl-{district.slug}",
        ),
    }
