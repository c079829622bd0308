"""Whole public pages for anonymous visitors, kept in the shared cache.

A page is served from the cache only to a request that carries no session and no messages
cookie: such a visitor is certainly anonymous and has nothing personal waiting. A page is stored
only when it is plainly public: a 200 HTML or iCalendar answer to such a GET request that set no
cookie, did not use the CSRF token (a form) and is not marked private.

Every page depends on *scopes* (hagen_isek/page_scopes.py: which pages show what, and which
writes change what): "site" for all of them, then what it shows, e.g. "goal:<slug>" for a goal's
page. Each scope has a version in the shared cache; a stored page carries the versions of its
scopes from before it was rendered and is served only while all of them are still current. A
write replaces the versions of the scopes it changes, in every worker at once (the versions live
only in the shared cache); a stale page is never served, it is simply rendered again.
"""

import contextvars
import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from hagen_isek import page_scopes, shared_cache, site_content
from hagen_isek.languages import page_language

VERSION_PREFIX = "page-cache:version:"
HEADER = "X-Page-Cache"
SAFE_METHODS = {"GET", "HEAD"}
CACHEABLE_TYPES = ("text/html", "text/calendar")
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")
# What a stored page may vary by: the key holds the language, and a visitor served from the
# cache sends no session or messages cookie. A page that varies by anything else is not stored.
VARY_COVERED = {"accept-language", "cookie"}
# Whether this request's writes already made their scopes stale (then its POST needs no more).
_invalidated_in_request = contextvars.ContextVar("page_cache_invalidated", default=False)


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def version_key(scope: str) -> str:
    return VERSION_PREFIX + scope


# Scopes whose versions this worker could not replace because the shared cache failed: replaced
# at its next request that reaches it; until then the worker serves and keeps nothing.
_unreplaced: set[str] = set()
_unreplaced_lock = threading.Lock()


def _replace_versions(scopes: Iterable[str]) -> None:
    with _unreplaced_lock:
        scopes = set(scopes) | _unreplaced
        _unreplaced.clear()
    try:
        if scopes:
            new = {version_key(scope): secrets.token_hex(8) for scope in scopes}
            shared_cache.call(lambda: _cache().set_many(new, None))
    except shared_cache.SharedCacheUnavailable:
        with _unreplaced_lock:
            _unreplaced.update(scopes)
    if scopes:
        site_content.forget_request_versions()


def _versions_trusted() -> None:
    """Raise SharedCacheUnavailable while a version this worker had to replace is not."""
    if _unreplaced:
        _replace_versions(())
        if _unreplaced:
            raise shared_cache.SharedCacheUnavailable("versions not replaced yet")


def current_version(scope: str) -> str:
    """The scope's version in the shared cache, set now if it has none (first use, evicted).
    SharedCacheUnavailable while the shared cache fails."""
    cache = _cache()
    _versions_trusted()
    version = shared_cache.call(lambda: cache.get(version_key(scope)))
    if version is None:
        version = secrets.token_hex(8)
        if not shared_cache.call(lambda: cache.add(version_key(scope), version, None)):
            # another worker was first
            version = shared_cache.call(lambda: cache.get(version_key(scope))) or version
    return version


def current_versions(scopes: Iterable[str]) -> dict[str, str]:
    """current_version of each scope, in one round trip unless one has no version yet."""
    cache = _cache()
    _versions_trusted()
    keys = {version_key(scope): scope for scope in scopes}
    found = shared_cache.call(lambda: cache.get_many(list(keys)))
    return {scope: found.get(key) or current_version(scope) for key, scope in keys.items()}


class _BumpAfterCommit:
    """The scopes a transaction changed, made stale once more after its commit (one callback per
    transaction, however many writes it holds)."""

    def __init__(self) -> None:
        self.scopes: set[str] = set()

    def __call__(self) -> None:
        _replace_versions(self.scopes)


def invalidate(scopes: Iterable[str], using: str = "default") -> None:
    """Make every stored page that shows one of `scopes` stale (page_scopes.SITE: every page,
    and what hagen_isek/site_content.py keeps). Runs with the page cache off too: the versions
    are what site_content keys by.

    With the database cache this write joins the open transaction (so it is rolled back with
    it and already visible inside it, as in tests); after the commit the versions are replaced
    once more, so a cache outside the database (Redis) cannot keep a page rendered from the
    data before the commit."""
    scopes = set(scopes)
    if not scopes:
        return
    _invalidated_in_request.set(True)
    _replace_versions(scopes)
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        pending = next(
            (
                entry[1]
                for entry in connection.run_on_commit
                if isinstance(entry[1], _BumpAfterCommit)
            ),
            None,
        )
        if pending is None:
            pending = _BumpAfterCommit()
            transaction.on_commit(pending, using=using)
        pending.scopes |= scopes


def bump_content_version() -> None:
    """Make every stored page stale. Call it after changes that bypass model signals
    (queryset.update(), bulk_create(), raw SQL), e.g. at the end of a data import."""
    invalidate([page_scopes.SITE])


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
    """The pages a worker process served last, each with the versions of its scopes it was
    rendered for. A hit then costs reading those versions from the shared cache, not the whole
    page (60 KB, base64 in the database cache). Never decides freshness itself: the caller
    compares the versions it just read from the shared cache. Bounded, least recently used out
    first."""

    def __init__(self, size: int = 200) -> None:
        self.size = size
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, versions: dict | None = None) -> tuple | None:
        """The page if it was rendered for `versions`; without `versions`, whatever is held."""
        with self.lock:
            stored = self.pages.get(key)
            if stored is None or (versions is not None and not _current(stored, versions)):
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


def _current(stored: tuple | None, versions: dict) -> bool:
    """Was the stored page rendered for these versions (all known)?"""
    return stored is not None and all(versions.values()) and stored[0] == versions


def _look_up(key: str, scopes: tuple[str, ...]) -> tuple[dict, tuple | None]:
    """The current versions of the page's scopes and the page stored for them, if any.

    The versions are read from the shared cache on every request, before the page is rendered,
    so a write is seen at once by every worker and a page rendered while a write commits
    carries the versions from before it. SharedCacheUnavailable while the shared cache fails."""
    cache = _cache()
    _versions_trusted()
    keys = {version_key(scope): scope for scope in scopes}
    local = _local_pages.get(key)
    found = shared_cache.call(lambda: cache.get_many(list(keys) if local else [key, *keys]))
    versions = {scope: found.get(name) for name, scope in keys.items()}
    stored = local if _current(local, versions) else None
    if stored is None and local is not None:
        # this worker's copy is stale; another may have a fresh one
        stored = shared_cache.call(lambda: cache.get(key))
    elif stored is None:
        stored = found.get(key)
    if _current(stored, versions):
        if stored is not local:
            _local_pages.put(key, stored)
        _local_pages.get(key)  # most recently used
        return versions, stored
    missing = {scope: secrets.token_hex(8) for scope, version in versions.items() if not version}
    if missing:  # first use, or evicted: set before rendering, as a write would
        shared_cache.call(
            lambda: cache.set_many({version_key(scope): v for scope, v in missing.items()}, None)
        )
        versions.update(missing)
    return versions, None


class PageCacheMiddleware:
    """Serves and stores whole pages for anonymous visitors; sets `X-Page-Cache: hit|miss`.

    Sits before the session middleware: a hit costs one round trip to the shared cache (the
    page's versions, and the page itself unless this worker holds it) and no session, user or
    view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_anonymous_visit(request):
            noted = _invalidated_in_request.set(False)
            try:
                response = self.get_response(request)
                self._note_write(request, response)
            finally:
                _invalidated_in_request.reset(noted)
            return response

        key = _page_key(request)
        try:
            versions, stored = _look_up(key, page_scopes.of_page(request.path_info))
        except shared_cache.SharedCacheUnavailable:
            response = self.get_response(request)  # rendered for this request, not stored
            response.headers[HEADER] = "bypass"
            return response
        if stored is not None:
            _, content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            response.headers[HEADER] = "hit"
            return response

        response = self.get_response(request)
        if _is_public_page(request, response):
            headers = [(name, value) for name, value in response.headers.items() if name != HEADER]
            stored = (versions, response.content, headers)
            try:
                shared_cache.call(lambda: _cache().set(key, stored, settings.PAGE_CACHE_SECONDS))
            except shared_cache.SharedCacheUnavailable:
                pass  # served all the same; the next visitor's request renders it again
            else:
                _local_pages.put(key, stored)
        response.headers[HEADER] = "miss"
        return response

    @staticmethod
    def _note_write(request: HttpRequest, response: HttpResponse) -> None:
        # A successful POST may change public pages where the code writes with
        # queryset.update(), which sends no signal: unless its writes already made their scopes
        # stale, it makes every page stale. Logging in and out under /konto/ changes nothing.
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and not _invalidated_in_request.get()
            and not request.path.startswith(tuple(settings.PAGE_CACHE_QUIET_WRITE_PREFIXES))
        ):
            bump_content_version()


# House style keeps cache work out of signals (STYLE.md rule 6), and services do the real work.
# Invalidation is the exception: signals are the one place that also sees changes made in the
# admin, the shell, seed and import commands, and by code other apps add later. A page that
# outlives a change would show citizens something the city has already corrected or moderated.


def _content_changed(sender, instance=None, using: str = "default", **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed announces each change twice
    update_fields = kwargs.get("update_fields")
    quiet_fields = settings.PAGE_CACHE_QUIET_FIELDS.get(sender._meta.label, ())
    if update_fields and set(update_fields) <= set(quiet_fields):
        return  # e.g. logging in or a citizen's e-mail settings change no public page
    if "action" in kwargs and not isinstance(instance, _contribution_model()):
        instance = None  # an m2m change seen from the other side: not one contribution's
    before = instance.__dict__.pop("_page_scopes_before", set()) if instance else set()
    scopes = page_scopes.of_write(instance, created=kwargs.get("created", False)) | before
    invalidate(scopes, using=using)


def _contribution_saving(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    # A full save (the admin's form) may move a contribution to another goal, round or
    # workshop: the pages that showed it before are stale too. Saves of some fields never move.
    if instance.pk and update_fields is None and not raw:
        instance._page_scopes_before = page_scopes.of_contribution(instance)


def _contribution_model():
    from participation.models import Comment

    return Comment


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
    pre_save.connect(
        _contribution_saving, sender=_contribution_model(), dispatch_uid="page-cache:before"
    )
