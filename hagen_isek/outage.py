"""Honest answers while the database fails: 503 with Retry-After and a maintenance page.

Any database error in a request (the server is down, refuses connections, does not answer within
the connect or statement timeout) becomes a 503 page rendered from the template alone: no
context processor, no session, no user, nothing that would ask the database again. The log gets
one line per failed request; a traceback each flooded it (3,100 in 20 s). Django closes a broken
connection when the request ends, so the next request connects afresh: no restart is needed.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import get_language

from hagen_isek.context_processors import SITE_NAME, SITE_TAGLINE

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Long enough for a database restart; a proxy or browser retrying sooner only gets another 503.
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger("hagen_isek.outage")


def is_database_error(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_ERRORS)


def describe(exception: BaseException) -> str:
    first_line = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
    return f"{type(exception).__name__}: {first_line}"


def maintenance_response() -> HttpResponse:
    html = loader.render_to_string(
        "503.html",
        {
            "SITE_NAME": SITE_NAME,
            "SITE_TAGLINE": SITE_TAGLINE,
            # Without the request, no context processor names the page's language.
            "LANGUAGE_CODE": get_language(),
            "retry_seconds": RETRY_AFTER_SECONDS,
        },
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Turns a database error raised by a view (or its template) into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_error(exception):
            return None
        logger.error(
            "Database unavailable, answered 503: %s %s (%s)",
            request.method,
            request.path,
            describe(exception),
        )
        response = maintenance_response()
        response._has_been_logged = True  # the line above; Django would add a second one
        return response


class DatabaseErrorsInOneLine(logging.Filter):
    """For django.request: a database error that reached Django's error handler (raised in a
    middleware, e.g. the session or the page cache) is logged as one line, not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        if is_database_error(exception):
            record.msg = f"{record.getMessage()} (database unavailable, {describe(exception)})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
