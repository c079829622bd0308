import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events.models import Event, split_upcoming_and_past
from hagen_isek import site_content
from hagen_isek.fragments import content_key

register = template.Library()

HOME_LIMIT = 3
# What django.utils.html.json_script escapes, so that no text can end the script element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("events/includes/home_section.html")
def home_events() -> dict:
    events = Event.objects.published().for_listing()
    upcoming = list(events.upcoming()[:HOME_LIMIT])
    recent = [] if upcoming else list(events.past()[:HOME_LIMIT])
    return {"upcoming_events": upcoming, "recent_events": recent}


def listing_key(*event_lists) -> str:
    """The fragment key of lists of events as events/includes/event_item.html shows them
    (with `outcome_unknown`, which turns true when a planned event is over)."""
    return content_key(
        [
            [
                (
                    event.pk,
                    event.slug,
                    event.title,
                    event.kind,
                    event.starts_at,
                    event.ends_at,
                    event.has_time,
                    event.tentative_period,
                    event.district.name if event.district else None,
                    event.venue,
                    event.status,
                    event.outcome_unknown,
                )
                for event in events
            ]
            for events in event_lists
        ]
    )


@register.inclusion_tag("events/includes/goal_events.html", takes_context=True)
def goal_events(context, goal) -> dict:
    """Upcoming and past events of a goal, shown on the goal page."""
    # The goal's events as this worker keeps them for the site version; split by the clock now.
    events = site_content.kept(
        ("goal-events", goal.pk),
        lambda: list(Event.objects.published().for_goal(goal).for_listing().in_listing_order()),
    )
    upcoming, past = split_upcoming_and_past(events)
    return {
        "goal": goal,
        "upcoming_events": upcoming,
        "past_events": past,
        "events_key": listing_key(upcoming, past),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.filter
def json_ld(value: dict) -> str:
    """A JSON-LD script element, escaped like Django's json_script: no text in the data can
    close the element or open a comment (<, > and & become \\u escapes)."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
