from django import template

register = template.Library()


@register.inclusion_tag("events/includes/home_section.html")
def home_events() -> dict:
    return {}


@register.simple_tag
def goal_events(goal) -> str:
    """Upcoming and past events of a goal, shown on the goal page (filled in by the events app)."""
    return ""
