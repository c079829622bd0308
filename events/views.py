from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from events.models import District


def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/event_list.html")


def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_object_or_404(District, slug=slug)
    return render(request, "events/district_detail.html", {"district": district})
