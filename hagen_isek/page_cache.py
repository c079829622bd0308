"""Whole public pages for anonymous visitors, kept in the shared cache.

A page is served from the cache only to a request that carries no session and no messages
cookie: such a visitor is certainly anonymous and has nothing personal waiting. A page is stored
only when it is plainly public: a 200 HTML or iCalendar answer to such a GET request that set no
cookie, did not use the CSRF token (a form) and is not marked private.

Every stored page carries the *content version* that was current when it was rendered. Changing
anything a public page can show (see PAGE_CACHE_CONTENT_APPS) replaces the version, so every
stored page is stale at once; a stale page is never served, it is simply rendered again.
"""

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

from hagen_isek.languages import page_language

VERSION_KEY = "page-cache:content-version"
HEADER = "X-Page-Cache"
SAFE_METHODS = {"GET", "HEAD"}
CACHEABLE_TYPES = ("text/html", "text/calendar")
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")
# What a stored page may vary by: the key holds the language, and a visitor served from the
# cache sends no session or messages cookie. A page that varies by anything else is not stored.
VARY_COVERED = {"accept-language", "cookie"}


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def bump_content_version() -> None:
    """Make every stored page stale. Call it after changes that bypass model signals
    (queryset.update(), bulk_create(), raw SQL), e.g. at the end of a data import."""
    _cache().set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def _page_key(request: HttpRequest) -> str:
    # Scheme and host are part of the key: pages and feeds contain absolute URLs. The language
    # is too: a plain URL answers a visitor who wishes for English (cookie or Accept-Language)
    # with a redirect, and nothing else in an anonymous request changes a page (VARY_COVERED).
    url = (
        f"{page_language(request)} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    )
    return "page-cache:page:" + hashlib.sha256(url.encode()).hexdigest()


def _is_anonymous_visit(request: HttpRequest) -> bool:
    if not settings.PAGE_CACHE_ENABLED or request.method not in SAFE_METHODS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path.startswith(tuple(settings.PAGE_CACHE_SKIP_PREFIXES))


def _is_public_page(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if not _varies_only_by_key(response):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
        return False
    # A per-request nonce must never be handed to a second visitor.
    if "nonce-" in response.get("Content-Security-Policy", ""):
        return False
    return b"csrfmiddlewaretoken" not in response.content


def _varies_only_by_key(response: HttpResponse) -> bool:
    vary = {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}
    return vary <= VARY_COVERED


class LocalPages:
    """The pages a worker process served last, each with the content version it was rendered
    for. A hit then costs reading the version from the shared cache, not the whole page (60 KB,
    base64 in the database cache). Never decides freshness itself: the caller compares the
    version it just read from the shared cache. Bounded, least recently used out first."""

    def __init__(self, size: int = 200) -> None:
        self.size = size
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, version: str | None) -> tuple | None:
        with self.lock:
            stored = self.pages.get(key)
            if stored is None or version is None or stored[0] != version:
                return None
            self.pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: tuple) -> None:
        with self.lock:
            self.pages[key] = stored
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


_local_pages = LocalPages()


class PageCacheMiddleware:
    """Serves and stores whole pages for anonymous visitors; sets `X-Page-Cache: hit|miss`.

    Sits before the session middleware: a hit costs one cache read and no session, user or view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_anonymous_visit(request):
            response = self.get_response(request)
            self._note_write(request, response)
            return response

        cache = _cache()
        key = _page_key(request)
        # The version is read from the shared cache on every request (a few bytes, one query
        # with the database cache), so a change is seen at once by every worker. The page
        # itself comes from this worker's memory when it holds the current version.
        version = cache.get(VERSION_KEY)
        stored = _local_pages.get(key, version)
        if version is not None and stored is None:
            stored = cache.get(key)
            if stored is not None and stored[0] == version:
                _local_pages.put(key, stored)
        if version is not None and stored is not None and stored[0] == version:
            _, content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            response.headers[HEADER] = "hit"
            return response

        response = self.get_response(request)
        if _is_public_page(request, response):
            if version is None:
                version = secrets.token_hex(8)
                cache.set(VERSION_KEY, version, timeout=None)
            headers = [(name, value) for name, value in response.headers.items() if name != HEADER]
            stored = (version, response.content, headers)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            _local_pages.put(key, stored)
        response.headers[HEADER] = "miss"
        return response

    @staticmethod
    def _note_write(request: HttpRequest, response: HttpResponse) -> None:
        # A successful POST (a contribution, a moderation decision, an admin action) may change
        # public pages even where the code writes with queryset.update(), which sends no signal.
        # Logging in and out under /konto/ changes nothing public.
        if (
            settings.PAGE_CACHE_ENABLED
            and request.method not in SAFE_METHODS
            and response.status_code < 400
            and not request.path.startswith(tuple(settings.PAGE_CACHE_QUIET_WRITE_PREFIXES))
        ):
            bump_content_version()


# House style keeps cache work out of signals (STYLE.md rule 6), and services do the real work.
# Invalidation is the exception: signals are the one place that also sees changes made in the
# admin, the shell, seed and import commands, and by code other apps add later. A page that
# outlives a change would show citizens something the city has already corrected or moderated.


def _content_changed(sender, using: str = "default", **kwargs) -> None:
    if not settings.PAGE_CACHE_ENABLED:
        return  # nothing is served from the cache; stored pages expire within the TTL
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed announces each change twice
    update_fields = kwargs.get("update_fields")
    quiet_fields = settings.PAGE_CACHE_QUIET_FIELDS.get(sender._meta.label, ())
    if update_fields and set(update_fields) <= set(quiet_fields):
        return  # e.g. logging in or a citizen's e-mail settings change no public page
    # With the database cache this write joins the open transaction (so it is rolled back with
    # it and already visible inside it, as in tests); after the commit the version is replaced
    # once more, so a cache outside the database cannot keep a page rendered before the commit.
    bump_content_version()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(
        entry[1] is bump_content_version for entry in connection.run_on_commit
    ):
        transaction.on_commit(bump_content_version, using=using)


def content_models() -> list[type]:
    """Every model of the apps whose data public pages show, including m2m through models,
    without simple-history's historical copies and the rows no public page shows
    (PAGE_CACHE_QUIET_MODELS)."""
    from simple_history.models import HistoricalChanges

    found = []
    for label in settings.PAGE_CACHE_CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if issubclass(model, HistoricalChanges) or model.__name__.startswith("Historical"):
                continue
            if model._meta.label in settings.PAGE_CACHE_QUIET_MODELS:
                continue
            found.append(model)
    return found


def connect_invalidation() -> None:
    for model in content_models():
        uid = f"page-cache:{model._meta.label}"
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_content_changed, sender=model, dispatch_uid=uid)
