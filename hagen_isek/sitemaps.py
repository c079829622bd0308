"""sitemap.xml: every public page a search engine should know, with absolute URLs from the
site's domain (django.contrib.sites, set by seed_portal). Drafts and unpublished rows never."""

from django.conf import settings
from django.contrib.flatpages.sitemaps import FlatPageSitemap
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import District, Event
from goals.models import Goal, Measure


class _PortalSitemap(Sitemap):
    @property
    def protocol(self) -> str:
        return "https" if settings.HTTPS else "http"


class PageSitemap(_PortalSitemap):
    """The fixed pages: overviews and the open data."""

    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "home",
            "about",
            "goals:list",
            "goals:measure-list",
            "goals:matrix",
            "events:list",
            "events:timeline",
            "events:district-list",
            "participation:index",
            "participation:statistics",
            "opendata:index",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class GoalSitemap(_PortalSitemap):
    changefreq = "daily"

    def items(self):
        return Goal.objects.published()

    def lastmod(self, goal: Goal):
        return goal.updated_at


class MeasureSitemap(_PortalSitemap):
    def items(self):
        return Measure.objects.public()

    def lastmod(self, measure: Measure):
        return measure.updated_at


class EventSitemap(_PortalSitemap):
    def items(self):
        return Event.objects.published().order_by("pk")

    def lastmod(self, event: Event):
        return event.updated_at


class DistrictSitemap(_PortalSitemap):
    def items(self):
        return District.objects.all()


class LegalPageSitemap(_PortalSitemap, FlatPageSitemap):
    """The legal pages (flat pages of this site)."""


SITEMAPS = {
    "seiten": PageSitemap,
    "ziele": GoalSitemap,
    "massnahmen": MeasureSitemap,
    "termine": EventSitemap,
    "bezirke": DistrictSitemap,
    "rechtliches": LegalPageSitemap,
}
