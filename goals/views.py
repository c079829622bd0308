from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from goals.models import Goal, Measure


def goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "goals/goal_list.html", {"goals": Goal.objects.published()})


def goal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.published(), slug=slug)
    return render(request, "goals/goal_detail.html", {"goal": goal})


def measure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.public(), slug=slug)
    return render(request, "goals/measure_detail.html", {"measure": measure})
