"""Absolute links from settings.SITE_URL: e-mails, feeds and the admin's "view on site" use it,
so a link never depends on the Host header of whatever request triggered it."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path_or_url: str) -> str:
    """SITE_URL plus the path (and query) of a path or of an absolute URL built elsewhere."""
    parts = urlsplit(path_or_url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{settings.SITE_URL}{path}{query}{fragment}"


def site_domain() -> str:
    """Host and port of SITE_URL, as django.contrib.sites stores it."""
    return urlsplit(settings.SITE_URL).netloc
