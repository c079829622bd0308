"""Site-wide pages: home, about and the health check. The error pages are Django's own views
rendering templates/400.html … 500.html (500 without the request, as Django does)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


def healthz(request: HttpRequest) -> HttpResponse:
    # For load balancers and as the benchmark's baseline: no database, no session, no template.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
