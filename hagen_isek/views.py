"""Site-wide pages: home, about, Leichte Sprache, Gebärdensprache and the health checks. The
error pages are Django's own views rendering templates/400.html … 500.html (500 without the
request, as Django does); 429 (too many requests) is the portal's own, as allauth's rate limits
answer with it."""

import sys

from allauth.account import app_settings as account_settings
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import defaults, static

from goals.models import Goal
from hagen_isek.models import TOPIC_ORDER, EasyLanguageSection, SignLanguageVideo, Topic
from hagen_isek.outage import (
    DATABASE_ERRORS,
    RETRY_AFTER_SECONDS,
    is_database_error,
    maintenance_response,
)
from hagen_isek.sources import all_sources


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


def sources(request: HttpRequest) -> HttpResponse:
    return render(request, "sources.html", {"sources": all_sources().values()})


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


def print_stamp(request: HttpRequest, day: str) -> HttpResponse:
    """The page footer of printed dossiers: „Stand …“ and „Seite x von y“ in @page margin
    boxes. A stylesheet of its own, because the CSP allows no inline styles; the day is part of
    the URL (the page's „As of“ date), so the response never changes and may be cached."""
    try:
        as_of = parse_date(day) if len(day) == 10 else None
    except ValueError:  # well-formed but not a day, e.g. 2026-13-40
        as_of = None
    if as_of is None:
        raise Http404
    stamp = _("As of %(date)s") % {"date": date_format(as_of, "j. F Y")}
    # One sentence for translators; the counters go where its placeholders were.
    pages = css_string(_("Page %(page)s of %(pages)s") % {"page": "\0", "pages": "\1"})
    pages = pages.replace("\0", '" counter(page) "').replace("\1", '" counter(pages) "')
    css = (
        "@page {\n"
        f'  @bottom-left {{ content: "{css_string(stamp)}"; }}\n'
        f'  @bottom-right {{ content: "{pages}"; }}\n'
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def css_string(text: str) -> str:
    """Text inside a CSS string literal: quotes, backslashes and line breaks escaped."""
    return "".join(f"\\{ord(char):x} " if char in '"\\\n<>' else char for char in text)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login: staff log in through allauth, so two-factor login cannot be bypassed.

    A signed-in citizen who opens the admin gets a clear "no access" page (a redirect to the
    login would send an already signed-in visitor straight back: a loop)."""
    if request.user.is_authenticated and not request.user.is_staff:
        return render(request, "403.html", status=403)
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))


# Pages no search engine should list: staff, accounts and the forms behind a contribution.
ROBOTS_DISALLOW = [
    "/admin/",
    "/konto/",
    "/beitraege/",
    "/ziele/*/beitraege/",
    "/ziele/*/vorschau/",
]


def robots_txt(request: HttpRequest) -> HttpResponse:
    site = get_current_site(request)
    scheme = "https" if settings.HTTPS else "http"
    lines = [
        "User-agent: *",
        *[f"Disallow: {path}" for path in ROBOTS_DISALLOW],
        "",
        f"Sitemap: {scheme}://{site.domain}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def healthz(request: HttpRequest) -> HttpResponse:
    # Liveness, for load balancers and as the benchmark's baseline: no database, no session, no
    # template. It stays 200 while the database is down: restarting the app would not help.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 while the database answers, 503 (with Retry-After) while it does not, so
    the proxy or orchestrator can send visitors elsewhere or show its own notice."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS:
        connection.close()  # the next probe connects afresh
        response = HttpResponse(
            "database unavailable", status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ready", content_type="text/plain; charset=utf-8")


def server_error(request: HttpRequest) -> HttpResponse:
    """urls.handler500: a database error raised outside a view (in the session or page cache
    middleware) is an outage, answered 503 like one raised in a view; anything else is 500."""
    if is_database_error(sys.exc_info()[1]):
        return maintenance_response()
    return defaults.server_error(request)


def longest_rate_limit_window() -> int:
    """Seconds after which every allauth rate limit has certainly let a client in again."""
    rates = [
        rate for config in account_settings.RATE_LIMITS.values() for rate in parse_rates(config)
    ]
    return int(max((rate.duration for rate in rates), default=60))


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's rate limits answer with this (urls.handler429): German, in the site layout, with
    the time after which trying again certainly works (also as Retry-After)."""
    seconds = longest_rate_limit_window()
    response = render(request, "429.html", {"retry_minutes": -(-seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def media_file(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files (only validated PDF, JPEG and PNG) from MEDIA_ROOT, when no proxy serves them.

    Django's static view refuses paths outside the folder, answers 404 for missing files and
    304 to conditional requests; the file name stays the download name."""
    try:
        response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:
        raise Http404 from None
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = content_disposition_header(False, path.rsplit("/", 1)[-1])
    return response
