from django import template

register = template.Library()


@register.inclusion_tag("participation/includes/home_section.html")
def home_participation() -> dict:
    return {}


@register.simple_tag(takes_context=True)
def goal_discussion(context, goal) -> str:
    """The comment round and contributions of a goal (filled in by the participation app)."""
    return ""
