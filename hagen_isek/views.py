"""Site-wide pages: home, about and the health check. The error pages are Django's own views
rendering templates/400.html … 500.html (500 without the request, as Django does)."""

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


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
    # For load balancers and as the benchmark's baseline: no database, no session, no template.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
