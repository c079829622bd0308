import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events.models import Event

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


@register.inclusion_tag("events/includes/goal_events.html")
def goal_events(goal) -> dict:
    """Upcoming and past events of a goal, shown on the goal page."""
    upcoming, past = Event.objects.published().for_goal(goal).for_listing().upcoming_and_past()
    return {"goal": goal, "upcoming_events": upcoming, "past_events": past}


@register.filter
def json_ld(value: dict) -> str:
    """A JSON-LD script element, escaped like Django's json_script: no text in the data can
    close the element or open a comment (<, > and & become \\u escapes)."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
