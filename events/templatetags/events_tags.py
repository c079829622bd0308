from django import template

from events.models import Event

register = template.Library()

HOME_LIMIT = 3


@register.inclusion_tag("events/includes/home_section.html")
def home_events() -> dict:
    events = Event.objects.published().for_listing()
    upcoming = list(events.upcoming()[:HOME_LIMIT])
    recent = [] if upcoming else list(events.past()[:HOME_LIMIT])
    return {"upcoming_events": upcoming, "recent_events": recent}


@register.inclusion_tag("events/includes/goal_events.html")
def goal_events(goal) -> dict:
    """Upcoming and past events of a goal, shown on the goal page."""
    events = Event.objects.published().for_goal(goal).for_listing()
    return {"goal": goal, "upcoming_events": events.upcoming(), "past_events": events.past()}
