from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from hagen_isek.languages import language_links

SITE_NAME = "HAGENplant 2035"
SITE_TAGLINE = _("Participation portal for the Integrated Urban Development Concept of Hagen")


def site(request: HttpRequest) -> dict:
    return {"SITE_NAME": SITE_NAME, "SITE_TAGLINE": SITE_TAGLINE}


def languages(request: HttpRequest) -> dict:
    return {"LANGUAGE_LINKS": SimpleLazyObject(lambda: language_links(request))}
