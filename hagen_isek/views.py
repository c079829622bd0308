"""Site-wide pages: home, about, Leichte Sprache, Gebärdensprache and the health check. The
error pages are Django's own views rendering templates/400.html … 500.html (500 without the
request, as Django does)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from goals.models import Goal
from hagen_isek.models import TOPIC_ORDER, EasyLanguageSection, SignLanguageVideo, Topic


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


def easy_language(request: HttpRequest) -> HttpResponse:
    sections = sorted(EasyLanguageSection.objects.all(), key=lambda section: section.position)
    goals = Goal.objects.published().exclude(easy_text="").only("slug", "title", "claim")
    return render(request, "easy_language.html", {"sections": sections, "easy_goals": goals})


def sign_language(request: HttpRequest) -> HttpResponse:
    videos = sorted(
        SignLanguageVideo.objects.published(), key=lambda video: TOPIC_ORDER.index(video.topic)
    )
    shown = {video.topic for video in videos}
    missing = [topic for topic in Topic if topic.value not in shown]
    return render(request, "sign_language.html", {"videos": videos, "missing_topics": missing})


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login: staff log in through allauth, so two-factor login cannot be bypassed.

    A signed-in citizen who opens the admin gets a clear "no access" page (a redirect to the
    login would send an already signed-in visitor straight back: a loop)."""
    if request.user.is_authenticated and not request.user.is_staff:
        return render(request, "403.html", status=403)
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))


def healthz(request: HttpRequest) -> HttpResponse:
    # For load balancers and as the benchmark's baseline: no database, no session, no template.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
