"""Site-wide pages: home, about, the health check and the error pages."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


def healthz(request: HttpRequest) -> HttpResponse:
    # For load balancers and as the benchmark's baseline: no database, no session, no template.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: the error may come from the database that the session,
    # the user and the context processors would need.
    return HttpResponseServerError(loader.get_template("500.html").render())
