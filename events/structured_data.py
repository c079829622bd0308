"""schema.org Event data (JSON-LD) for an event page, for search engines and calendar tools."""

from django.http import HttpRequest
from django.utils import timezone

from events.models import Event

ORGANIZER = {
    "@type": "GovernmentOrganization",
    "name": "Stadt Hagen",
    "url": "https://www.hagen.de/",
}
EVENT_STATUS = {
    Event.Status.PLANNED: "https://schema.org/EventScheduled",
    Event.Status.HELD: "https://schema.org/EventScheduled",
    Event.Status.POSTPONED: "https://schema.org/EventPostponed",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
}


def _moment(event: Event, value) -> str:
    """ISO 8601 in Berlin time with its offset (+01:00 or +02:00); only the day when the time
    of day is unknown."""
    local = timezone.localtime(value)
    return local.isoformat() if event.has_time else local.date().isoformat()


def _place(event: Event) -> dict:
    street, _comma, town = event.address.rpartition(",")
    address = {
        "@type": "PostalAddress",
        "addressLocality": town.strip() if street else "Hagen",
        "addressCountry": "DE",
    }
    if street.strip():
        address["streetAddress"] = street.strip()
    elif event.address.strip() and event.address.strip() != "Hagen":
        address["streetAddress"] = event.address.strip()
    return {"@type": "Place", "name": event.venue or address["addressLocality"], "address": address}


def event_json_ld(event: Event, request: HttpRequest) -> dict | None:
    """The event as schema.org/Event, or None while it has no date (tentative)."""
    if event.starts_at is None:
        return None
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "startDate": _moment(event, event.starts_at),
        "eventStatus": EVENT_STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(event),
        "organizer": ORGANIZER,
        "isAccessibleForFree": True,
        "inLanguage": "de",
    }
    if event.ends_at:
        data["endDate"] = _moment(event, event.ends_at)
    if event.description:
        data["description"] = event.description
    return data
