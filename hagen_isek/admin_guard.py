"""Bad input to the admin is answered 400, 404 or 405, never 500.

Django's admin views trust their input more than a public site may: an object id that is not a
number, a filter value the database cannot compare (a NUL byte, an integer beyond 64 bits), a
prefilled foreign key that is no id, an unknown HTTP method. A fuzz found 184 server errors
there. This middleware is the one place that answers them, in front of the admin's URLs
(the AdminSite itself stays Django's, customised elsewhere):

- methods other than GET, HEAD and POST: 405 with Allow;
- a NUL byte or bytes that are not UTF-8 in the path, query string or form: 400;
- a prefill value (``add/?goal=abc``) that cannot be an id of the related model: ignored, the
  form opens without it, as it does for any other unusable prefill;
- ValueError, ValidationError, OverflowError or DataError raised by an admin view on such
  input: 404 when the object id in the URL cannot exist, 400 otherwise; one log line each.
"""

import logging
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults

ALLOWED_METHODS = ("GET", "HEAD", "POST")
BAD_INPUT_ERRORS = (ValueError, ValidationError, OverflowError, DataError)

logger = logging.getLogger("hagen_isek.admin_guard")


def is_admin_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(reverse("admin:index"))


def is_unreadable(raw: bytes | str) -> bool:
    """True for url-encoded text with a NUL byte or bytes that are not UTF-8."""
    data = unquote_to_bytes(raw)
    try:
        data.decode()
    except UnicodeDecodeError:
        return True
    return b"\x00" in data


def unreadable_input(request: HttpRequest) -> str | None:
    """Which part of the request cannot be read as text, if any."""
    if "\x00" in request.path_info:
        return "path"
    try:
        query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    except UnicodeEncodeError:  # ASGI: already decoded text beyond Latin-1, not raw bytes
        query = request.META.get("QUERY_STRING", "").encode()
    if is_unreadable(query):
        return "query string"
    if request.method == "POST":
        if request.content_type == "application/x-www-form-urlencoded":
            if is_unreadable(request.body):
                return "form"
        elif any("\x00" in value for values in request.POST.lists() for value in values[1]):
            return "form"  # multipart: Django decoded the fields already; files are not text
    return None


def model_admin_of(request: HttpRequest):
    """The ModelAdmin whose view answers the request (Django marks its views with it)."""
    match = request.resolver_match
    return getattr(match.func, "model_admin", None) if match else None


def is_impossible_object_id(request: HttpRequest) -> bool:
    model_admin = model_admin_of(request)
    object_id = request.resolver_match.kwargs.get("object_id") if model_admin else None
    if object_id is None:
        return False
    try:
        model_admin.model._meta.pk.to_python(unquote(object_id))
    except ValidationError:
        return True
    return False


def without_impossible_prefill(model_admin, request: HttpRequest):
    """The add form's prefill (the query string) without values that cannot be ids of the
    related model; the autocomplete widget would fail on them."""
    query = request.GET.copy()
    for name, value in request.GET.items():
        try:
            field = model_admin.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not (field.many_to_one or field.one_to_one or field.many_to_many):
            continue
        target = field.target_field
        try:
            for part in value.split(",") if field.many_to_many else [value]:
                target.to_python(part)
        except ValidationError:
            del query[name]
    return query


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    response = render(request, "405.html", status=405)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return defaults.bad_request(request, exception)


def answered(response: HttpResponse) -> HttpResponse:
    response._has_been_logged = True  # our one line; Django would log the 4xx once more
    return response


class AdminGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_admin_request(request):
            return self.get_response(request)
        if request.method not in ALLOWED_METHODS:
            logger.warning(
                "Admin: method not allowed, answered 405: %r %r", request.method, request.path
            )
            return answered(method_not_allowed(request))
        if part := unreadable_input(request):
            logger.warning(
                "Admin: unreadable %s, answered 400: %s %r", part, request.method, request.path
            )
            return answered(bad_request(request))
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is not None and view_func.__name__ == "add_view" and request.GET:
            request.GET = without_impossible_prefill(model_admin, request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BAD_INPUT_ERRORS) or not is_admin_request(request):
            return None
        impossible_id = is_impossible_object_id(request)
        logger.warning(
            "Admin: bad input, answered %s: %s %r (%s: %r)",
            404 if impossible_id else 400,
            request.method,
            request.get_full_path(),
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        if impossible_id:
            return answered(defaults.page_not_found(request, Http404()))
        return answered(bad_request(request, exception))
