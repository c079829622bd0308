import datetime
from zoneinfo import ZoneInfo

import pytest

from events.models import District, Event
from goals.models import Goal

BERLIN = ZoneInfo("Europe/Berlin")


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


def make_event(slug: str, **fields) -> Event:
    defaults = {
        "title": slug.replace("-", " ").title(),
        "kind": Event.Kind.DISTRICT_WORKSHOP,
        "audience": Event.Audience.PUBLIC,
        "is_published": True,
    }
    if "starts_at" not in fields and "tentative_period" not in fields:
        defaults["starts_at"] = local(2030, 6, 5, 18)
    return Event.objects.create(slug=slug, **{**defaults, **fields})


@pytest.fixture
def haspe(db) -> District:
    return District.objects.create(name="Haspe", slug="haspe", position=3)


@pytest.fixture
def hohenlimburg(db) -> District:
    return District.objects.create(name="Hohenlimburg", slug="hohenlimburg", position=5)


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        slug="hagener-zentren",
        title="Hagener Zentren",
        claim="kurze Wege",
        status=Goal.Status.PUBLISHED,
    )
