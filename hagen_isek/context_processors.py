from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from hagen_isek.languages import language_links

SITE_NAME = "HAGENplant 2035"
SITE_TAGLINE = _("Participation portal for the Integrated Urban Development Concept of Hagen")


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": SITE_NAME,
        "SITE_TAGLINE": SITE_TAGLINE,
        "CANONICAL_URL": canonical_url(request),
    }


def canonical_url(request: HttpRequest) -> str:
    """The page's address without the query string: one per page for link previews and search
    engines; empty on the 400 page of a request with a bad Host header."""
    try:
        return request.build_absolute_uri(request.path)
    except DisallowedHost:
        return ""


def languages(request: HttpRequest) -> dict:
    return {"LANGUAGE_LINKS": SimpleLazyObject(lambda: language_links(request))}
