"""Small builders for the moderation tests (imported by test modules and conftest)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from events.models import District, Event

BERLIN = ZoneInfo("Europe/Berlin")


def haspe() -> District:
    return District.objects.get_or_create(slug="haspe", defaults={"name": "Haspe"})[0]


def haspe_workshop() -> Event:
    return Event.objects.create(
        title="Stadtbezirkswerkstatt Haspe",
        slug="stadtbezirkswerkstatt-haspe",
        kind=Event.Kind.DISTRICT_WORKSHOP,
        audience=Event.Audience.PUBLIC,
        district=haspe(),
        starts_at=datetime(2018, 7, 3, 18, 0, tzinfo=BERLIN),
        status=Event.Status.HELD,
        is_published=True,
    )
