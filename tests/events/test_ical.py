import datetime

from django.urls import reverse
from icalendar import Calendar

from events.models import Event
from tests.events.conftest import local, make_event

UTC = datetime.UTC


def parse(response) -> Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_single_event_ics_in_summer_time(client, db):
    event = make_event(
        "werkstatt-hohenlimburg",
        title="Stadtbezirkswerkstatt Hohenlimburg",
        starts_at=local(2018, 6, 5, 18),
        ends_at=local(2018, 6, 5, 21),
        venue="Rathaus Hohenlimburg",
        address="Freiheitsstraße 3, Hagen",
    )
    calendar = parse(client.get(reverse("events:ics", args=[event.slug])))
    [vevent] = calendar.walk("VEVENT")
    assert vevent["DTSTART"].dt.astimezone(UTC) == datetime.datetime(2018, 6, 5, 16, tzinfo=UTC)
    assert vevent["DTEND"].dt.astimezone(UTC) == datetime.datetime(2018, 6, 5, 19, tzinfo=UTC)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(vevent["UID"]) == f"event-{event.pk}@hagen-isek"
    assert str(vevent["LOCATION"]) == "Rathaus Hohenlimburg, Freiheitsstraße 3, Hagen"
    assert str(vevent["URL"]) == f"http://testserver/termine/{event.slug}/"
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Berlin"


def test_single_event_ics_in_winter_time(client, db):
    event = make_event("rat", starts_at=local(2019, 11, 14, 18), ends_at=local(2019, 11, 14, 21))
    [vevent] = parse(client.get(reverse("events:ics", args=[event.slug]))).walk("VEVENT")
    assert vevent["DTSTART"].dt.astimezone(UTC) == datetime.datetime(2019, 11, 14, 17, tzinfo=UTC)


def test_event_without_time_is_an_all_day_entry(client, seeded):
    response = client.get(reverse("events:ics", args=["rat-2018-12-13"]))
    [vevent] = parse(response).walk("VEVENT")
    assert vevent["DTSTART"].dt == datetime.date(2018, 12, 13)
    assert vevent["DTEND"].dt == datetime.date(2018, 12, 14)


def test_tentative_event_has_no_ics(client, db):
    event = make_event("later", tentative_period="voraussichtlich Mitte 2019")
    assert client.get(reverse("events:ics", args=[event.slug])).status_code == 404


def test_feed_contains_dated_events_only_with_uid_location_url(client, seeded):
    calendar = parse(client.get(reverse("events:feed")))
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == Event.objects.published().dated().count()
    uids = {str(v["UID"]) for v in vevents}
    assert len(uids) == len(vevents)
    for vevent in vevents:
        assert str(vevent["URL"]).startswith("http://testserver/termine/")
    summaries = {str(v["SUMMARY"]) for v in vevents}
    assert "Stadtbezirkswerkstatt Nord" in summaries
    tentative = Event.objects.get(slug="hagenkonferenz-mitte-2019")
    assert f"event-{tentative.pk}@hagen-isek" not in uids
    haspe = next(v for v in vevents if str(v["SUMMARY"]) == "Stadtbezirkswerkstatt Haspe")
    assert str(haspe["LOCATION"]) == "Vereinshaus St. Bonifatius, Berliner Straße 110a, Hagen"
    assert haspe["DTSTART"].dt.astimezone(UTC) == datetime.datetime(2018, 7, 3, 17, tzinfo=UTC)


def test_feed_honours_filters(client, seeded):
    calendar = parse(
        client.get(reverse("events:feed"), {"district": "hohenlimburg", "kind": "sitzung"})
    )
    summaries = [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")]
    assert summaries == ["Bezirksvertretung Hohenlimburg: 16 strategische Ziele"]


def test_feed_ignores_bad_filters(client, seeded):
    response = client.get(reverse("events:feed"), {"district": "nowhere"})
    assert len(parse(response).walk("VEVENT")) == Event.objects.dated().count()


def test_calendars_name_themselves_and_ask_for_a_refresh_twice_a_day(client, db):
    """RFC 7986 NAME and REFRESH-INTERVAL (with X-WR-CALNAME for older calendar apps)."""
    event = make_event("rat", title="Ratssitzung", starts_at=local(2019, 11, 14, 18))
    for url, name in [
        (reverse("events:feed"), "HAGENplant 2035 – Termine"),
        (reverse("events:ics", args=[event.slug]), "Ratssitzung"),
    ]:
        response = client.get(url)
        calendar = parse(response)
        assert str(calendar["NAME"]) == name
        assert str(calendar["X-WR-CALNAME"]) == name
        assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=12)
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H" in response.content


def content_lines(body: bytes) -> list[str]:
    """The unfolded content lines of an iCalendar body (RFC 5545 3.1)."""
    return body.decode().replace("\r\n ", "").split("\r\n")


def test_titles_with_line_breaks_and_control_characters_give_a_valid_calendar(client, db):
    # No NUL byte: PostgreSQL cannot store one in a text column.
    title = "Werkstatt\r\nBEGIN:VEVENT\r\nSUMMARY:untergeschoben;, \\ \x1b\x0b Ende"
    event = make_event(
        "zeilenumbruch",
        title=title,
        description="Erste Zeile\r\nZweite Zeile\x07",
        venue="Rathaus\nHaspe",
        starts_at=local(2030, 6, 5, 18),
    )
    response = client.get(reverse("events:ics", args=[event.slug]))
    assert response.status_code == 200
    calendar = parse(response)
    [vevent] = calendar.walk("VEVENT")  # the title did not smuggle in a second event
    one_line = "Werkstatt BEGIN:VEVENT SUMMARY:untergeschoben;, \\ Ende"
    assert str(vevent["SUMMARY"]) == one_line
    assert str(vevent["LOCATION"]) == "Rathaus Haspe"
    assert str(vevent["DESCRIPTION"]) == "Erste Zeile\nZweite Zeile"
    lines = content_lines(response.content)
    assert not any(char in line for line in lines for char in "\r\n\x00\x07\x0b")
    # NAME and X-WR-CALNAME are text: escaped like SUMMARY, read back the same by apps.
    escaped = "Werkstatt BEGIN:VEVENT SUMMARY:untergeschoben\\;\\, \\\\ Ende"
    assert f"NAME:{escaped}" in lines
    assert f"X-WR-CALNAME:{escaped}" in lines
    assert f"SUMMARY:{escaped}" in lines
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))  # folded


def test_long_calendar_names_are_folded(client, db):
    event = make_event("lang", title="Stadtbezirkswerkstatt " * 8, starts_at=local(2030, 6, 5, 18))
    response = client.get(reverse("events:ics", args=[event.slug]))
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    assert str(parse(response)["NAME"]) == ("Stadtbezirkswerkstatt " * 8).strip()
