from django import template

from goals.models import Goal

register = template.Library()


@register.inclusion_tag("goals/includes/home_section.html")
def home_goals() -> dict:
    return {"published_count": Goal.objects.published().count()}
