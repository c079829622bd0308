from django import template
from django.template.loader import select_template

from goals.models import Goal, MeasureGoal

register = template.Library()


@register.inclusion_tag("goals/includes/home_section.html")
def home_goals() -> dict:
    goals = list(Goal.objects.published().only("slug", "title", "claim", "number", "position"))
    return {"goals": goals, "progress": Goal.objects.progress()}


@register.filter
def other_goals(link: MeasureGoal, goal: Goal) -> list[Goal]:
    """The other published goals a measure serves; needs `measure__goal_links` prefetched."""
    return [other.goal for other in link.measure.goal_links.all() if other.goal_id != goal.pk]


@register.simple_tag
def goal_pictogram(goal: Goal) -> str:
    """The goal's own pictogram (templates/goals/pictograms/<slug>.svg), drawn for the portal;
    goals without one get the generic target. Decorative: the title beside it says it all."""
    template = select_template(
        [f"goals/pictograms/{goal.slug}.svg", "goals/pictograms/default.svg"]
    )
    return template.render()
