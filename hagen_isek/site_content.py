"""What editors wrote that public pages read on every request (a goal's key messages, measures
and council papers, its comment rounds, the districts and their map drawing), kept in each
worker's memory for one version of the site scope; and, with `scopes`, what shows contributions
(a goal page's list and map) for one version of the site and of those scopes as well.

The site scope (hagen_isek/page_scopes.SITE) gets a new version in the shared cache on every
write that is not a contribution's (hagen_isek/page_cache.invalidate, run by the signals of every
content model, page cache on or off). A request reads that version once, at its first use, and
takes what this worker built for that version, or builds it: one round trip to the shared cache
instead of a query for each of these rows. A write is seen by every worker's next request; the
version replaced again after its commit keeps anything built from the data before it from being
used. Writes that send no signal call page_cache.bump_content_version(), and an entry is never
used longer than PAGE_CACHE_SECONDS. What depends on the clock (is a round open? may its author
still edit it?) is decided from the kept rows on every request, never kept; so is what differs
between readers.

The kept rows are shared by the requests of a worker: read them, never change them.
"""

import contextvars
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DatabaseError

from hagen_isek import page_scopes

T = TypeVar("T")
logger = logging.getLogger("hagen_isek.site_content")
SIZE = 256  # entries per worker: the goals, their rounds, the map drawing

# The versions this request has read, by scope (None outside a request: read each time).
_request_versions: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "site_content_versions", default=None
)
_kept: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def read_versions(*scopes: str) -> tuple[str, ...] | None:
    """The versions of `scopes`, each read once per request (those not read yet in one round
    trip); None while the shared cache fails (then nothing is kept or taken: every piece is
    built for its request, as without this). A page that knows which scopes it will key by
    reads them all at its start."""
    from hagen_isek import page_cache, shared_cache

    memo = _request_versions.get()
    read = memo if memo is not None else {}
    wanted = [scope for scope in scopes if scope not in read]
    if wanted:
        try:
            read.update(page_cache.current_versions(wanted))
        except DatabaseError:
            raise  # the database itself: the outage middleware's honest 503
        except shared_cache.SharedCacheUnavailable:
            read.update(dict.fromkeys(wanted))  # Redis failing (logged by shared_cache)
        except Exception as error:  # the shared cache failing otherwise: the page still works
            logger.warning("Shared cache unavailable, nothing kept: %s", error)
            read.update(dict.fromkeys(wanted))
    found = tuple(read[scope] for scope in scopes)
    return None if None in found else found


def site_version() -> str | None:
    """The site scope's version, read once per request; None while the shared cache fails."""
    found = read_versions(page_scopes.SITE)
    return found[0] if found else None


def forget_request_versions() -> None:
    """The versions this request read are no more (page_cache.invalidate calls this)."""
    memo = _request_versions.get()
    if memo is not None:
        memo.clear()


def kept(name: tuple, build: Callable[[], T], *, scopes: tuple[str, ...] = ()) -> T:
    """`build()` for the current site version (and the current versions of `scopes`, for what
    shows contributions: any write to one of them gives a new version), built once per worker
    and versions."""
    versions = read_versions(page_scopes.SITE, *scopes)
    if versions is None:
        return build()
    key = (*name, *versions)
    now = time.monotonic()
    with _lock:
        entry = _kept.get(key)
        if entry is not None and now - entry[0] < settings.PAGE_CACHE_SECONDS:
            _kept.move_to_end(key)
            return entry[1]
    value = build()
    with _lock:
        _kept[key] = (now, value)
        _kept.move_to_end(key)
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _kept.clear()


def _request_begins(**kwargs) -> None:
    _request_versions.set({})


def _request_ends(**kwargs) -> None:
    _request_versions.set(None)


request_started.connect(_request_begins, dispatch_uid="site-content:begin")
request_finished.connect(_request_ends, dispatch_uid="site-content:end")
