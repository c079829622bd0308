"""Site-wide pages: home, about and the health check. The error pages are Django's own views
rendering templates/400.html … 500.html (500 without the request, as Django does)."""

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import static


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


def healthz(request: HttpRequest) -> HttpResponse:
    # For load balancers and as the benchmark's baseline: no database, no session, no template.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


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
