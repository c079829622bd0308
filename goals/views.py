from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from events.models import District
from goals.models import Goal, Measure, attach_kept_content
from hagen_isek import page_scopes, site_content
from participation import dossier as dossier_data
from participation.discussion import goal_discussion
from workbench.services import confirmed_themes_by_goal


def goal_list(request: HttpRequest) -> HttpResponse:
    goals = Goal.objects.published().with_counts()
    return render(
        request, "goals/goal_list.html", {"goals": goals, "progress": Goal.objects.progress()}
    )


def _neighbours(goal: Goal, order: list[Goal]) -> tuple[Goal | None, Goal | None]:
    """Previous and next goal of `goal` in `order`, the published goals in the official order."""
    index = next((i for i, other in enumerate(order) if other.pk == goal.pk), None)
    if index is None:
        return None, None
    previous = order[index - 1] if index > 0 else None
    following = order[index + 1] if index + 1 < len(order) else None
    return previous, following


def _render_goal(request: HttpRequest, goal: Goal, order: list[Goal], *, preview: bool):
    previous, following = _neighbours(goal, order)
    context = {
        "goal": goal,
        "previous": previous,
        "next": following,
        "preview": preview,
        "discussion": goal_discussion(goal, user=request.user, params=request.GET),
    }
    return render(request, "goals/goal_detail.html", context)


def goal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # All published goals in one query: the page's goal and its neighbours in the pager.
    order = list(Goal.objects.published().with_followed_by(request.user))
    goal = next((other for other in order if other.slug == slug), None)
    if goal is None:
        raise Http404
    # What the page keys its kept parts by, in one round trip (hagen_isek/site_content.py).
    site_content.read_versions(
        page_scopes.SITE, page_scopes.goal_scope(slug), page_scopes.goal_map_scope(slug)
    )
    attach_kept_content(goal)
    return _render_goal(request, goal, order, preview=False)


def goal_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Editors see a goal, draft or not, as the public will; everybody else gets a 404."""
    if not request.user.has_perm("goals.view_goal"):
        raise Http404
    goal = get_object_or_404(Goal.objects.with_content(), slug=slug)
    order = list(Goal.objects.published().only("slug", "title", "claim", "number", "position"))
    response = _render_goal(request, goal, order, preview=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def measure_list(request: HttpRequest) -> HttpResponse:
    goals = list(Goal.objects.published())
    # Unknown or malformed filter values are ignored, never an error.
    goal = next((g for g in goals if g.slug == request.GET.get("ziel")), None)
    status = request.GET.get("status")
    if status not in Measure.Status.values:
        status = None
    measures = Measure.objects.public().with_public_goals()
    if goal:
        measures = measures.serving(goal)
    if status:
        measures = measures.filter(status=status)
    context = {
        "measures": measures,
        "goals": goals,
        "statuses": Measure.Status.choices,
        "selected_goal": goal,
        "selected_status": status,
    }
    return render(request, "goals/measure_list.html", context)


def measure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.public().with_public_goals(), slug=slug)
    context = {"measure": measure, "status_history": measure.status_history()}
    return render(request, "goals/measure_detail.html", context)


def measure_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Editors see a measure, draft or not, as the public will; everybody else gets a 404."""
    if not request.user.has_perm("goals.view_measure"):
        raise Http404
    measure = get_object_or_404(Measure.objects.with_public_goals(), slug=slug)
    response = render(request, "goals/measure_detail.html", {"measure": measure, "preview": True})
    response["X-Robots-Tag"] = "noindex"
    return response


def matrix(request: HttpRequest) -> HttpResponse:
    goals = list(Goal.objects.published())
    rows = []
    for measure in Measure.objects.public().with_public_goals():
        served = {link.goal_id for link in measure.public_goal_links}
        rows.append((measure, [goal.pk in served for goal in goals]))
    return render(request, "goals/matrix.html", {"goals": goals, "rows": rows})


def dossier(request: HttpRequest) -> HttpResponse:
    goals = list(Goal.objects.published().with_content())
    public_input = dossier_data.goal_input(goals)
    themes = confirmed_themes_by_goal(goals)
    context = {
        "goals": goals,
        "sections": [(goal, public_input[goal.pk], themes.get(goal.pk, [])) for goal in goals],
        "districts": District.objects.all(),
        "progress": Goal.objects.progress(),
    }
    return render(request, "goals/dossier.html", context)
