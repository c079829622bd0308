"""Rendered pieces of pages (a contribution, a list of events), kept in each worker's memory.

A piece is stored under a digest of everything it shows, the language included. A change to any
of it gives a new key, so a stored piece can never be served after the change (hidden, withdrawn,
edited, answered): nothing needs invalidating, and the old entry simply ages out of the bounded
cache. Templates store pieces with Django's own tag:

    {% cache 86400 contribution-body comment.fragment_key LANGUAGE_CODE using="fragments" %}

What a reader alone sees (their support, their edit and report links, the CSRF token) stays
outside the cached pieces and is rendered on every request.
"""

import hashlib

from django.utils import timezone

ALIAS = "fragments"  # settings.CACHES["fragments"], a LocMemCache


def content_key(*shown) -> str:
    """A digest of the values a piece shows; equal values give the same key in every worker.

    `shown` holds plain values (str, int, datetime, None, tuples of them), whose repr is stable.
    The current time zone is part of the key: it changes how dates are shown."""
    text = repr((timezone.get_current_timezone_name(), shown))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
