"""iCalendar export of events (RFC 5545) with the icalendar library."""

import datetime
import re
from collections.abc import Iterable

from django.http import HttpRequest
from django.utils import timezone
from icalendar import Calendar, vText
from icalendar import Event as VEvent

from events.models import Event
from hagen_isek.site_url import absolute_url

TZID = "Europe/Berlin"
# How often a subscribed calendar app should fetch the feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = datetime.timedelta(hours=12)
# RFC 5545 TEXT allows no control characters but the line break (escaped by icalendar) and tab.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def one_line(value: str) -> str:
    """Titles, places and calendar names are one line in every calendar app."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())


def multi_line(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@hagen-isek"


def _vevent(event: Event, request: HttpRequest) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", event.updated_at or timezone.now())
    vevent.add("summary", one_line(event.title))
    start = timezone.localtime(event.starts_at)
    if event.has_time:
        vevent.add("dtstart", start)
        vevent.add("dtend", timezone.localtime(event.ends_at) if event.ends_at else start)
    else:
        # Only the day is known: an all-day entry, no invented time.
        vevent.add("dtstart", start.date())
        vevent.add("dtend", start.date() + datetime.timedelta(days=1))
    location = ", ".join(part for part in (event.venue, event.address) if part)
    if location:
        vevent.add("location", one_line(location))
    if event.description:
        vevent.add("description", multi_line(event.description))
    vevent.add("url", absolute_url(event.get_absolute_url()))
    if event.status == Event.Status.CANCELLED:
        vevent.add("status", "CANCELLED")
    return vevent


def build_calendar(events: Iterable[Event], request: HttpRequest, *, name: str) -> bytes:
    """A calendar of the dated events; tentative ones are left out until they have a date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Stadt Hagen//HAGENplant 2035//DE")
    calendar.add("version", "2.0")
    # RFC 7986 NAME for current apps, X-WR-CALNAME for the many that only know the old name.
    # icalendar does not know their type (TEXT): without vText a line break in a title stays raw.
    calendar.add("name", vText(one_line(name)))
    calendar.add("x-wr-calname", vText(one_line(name)))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-wr-timezone", TZID)
    days = []
    for event in events:
        if event.starts_at is not None:
            calendar.add_component(_vevent(event, request))
            days.append(timezone.localdate(event.starts_at))
    if days:
        # Transitions only for the years the events span keep the VTIMEZONE short.
        calendar.add_missing_timezones(
            first_date=datetime.date(min(days).year, 1, 1),
            last_date=datetime.date(max(days).year + 1, 1, 1),
        )
    return calendar.to_ical()
