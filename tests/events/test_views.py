import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.events.conftest import local, make_event


def test_calendar_shows_all_seed_events_with_local_dates(client, seeded):
    html = client.get(reverse("events:list")).content.decode()
    for title in Event.objects.values_list("title", flat=True):
        assert title.replace("„", "&bdquo;") in html or title in html
    assert "Dienstag, 5. Juni 2018" in html
    assert "18:00–21:00 Uhr" in html
    assert "Mittwoch, 25. März 2020" in html
    assert "voraussichtlich Mitte 2019" in html
    assert "Juni 2018" in html


def test_calendar_lists_upcoming_before_past(client, db):
    make_event(
        "future-workshop",
        title="Zukunftswerkstatt",
        starts_at=timezone.now() + datetime.timedelta(days=7),
    )
    make_event("old-workshop", title="Alte Werkstatt", starts_at=local(2018, 6, 5, 18))
    html = client.get(reverse("events:list")).content.decode()
    assert html.index("Zukunftswerkstatt") < html.index("Alte Werkstatt")


def test_filters_combine(client, haspe, hohenlimburg):
    make_event("haspe-session", title="Sitzung Haspe", kind=Event.Kind.SESSION, district=haspe)
    make_event("haspe-workshop", title="Werkstatt Haspe", district=haspe)
    make_event(
        "hohenlimburg-session",
        title="Sitzung Hohenlimburg",
        kind=Event.Kind.SESSION,
        district=hohenlimburg,
    )
    html = client.get(
        reverse("events:list"), {"district": "haspe", "kind": "sitzung"}
    ).content.decode()
    assert "Sitzung Haspe" in html
    assert "Werkstatt Haspe" not in html
    assert "Sitzung Hohenlimburg" not in html


def test_filter_by_goal(client, goal):
    on_goal = make_event("on-goal", title="Forum Zentren")
    on_goal.goals.add(goal)
    make_event("other", title="Anderes Forum")
    html = client.get(reverse("events:list"), {"goal": goal.slug}).content.decode()
    assert "Forum Zentren" in html
    assert "Anderes Forum" not in html


@pytest.mark.parametrize(
    "params",
    [{"district": "atlantis"}, {"kind": "party"}, {"audience": "<script>"}, {"goal": "999"}],
)
def test_bad_filter_values_are_ignored(client, haspe, params):
    make_event("haspe-workshop", title="Werkstatt Haspe", district=haspe)
    response = client.get(
        reverse("events:list"), {**params, "district": params.get("district", "haspe")}
    )
    assert response.status_code == 200
    assert "Werkstatt Haspe" in response.content.decode() or params.get("district") == "atlantis"


def test_bad_value_does_not_drop_valid_filter(client, haspe, hohenlimburg):
    make_event("haspe-workshop", title="Werkstatt Haspe", district=haspe)
    make_event("hl-workshop", title="Werkstatt Hohenlimburg", district=hohenlimburg)
    html = client.get(
        reverse("events:list"), {"district": "haspe", "kind": "party"}
    ).content.decode()
    assert "Werkstatt Haspe" in html
    assert "Werkstatt Hohenlimburg" not in html


def test_filter_state_stays_in_form_and_feed_link(client, haspe):
    html = client.get(reverse("events:list"), {"district": "haspe"}).content.decode()
    assert '<option value="haspe" selected>' in html
    assert "feed.ics?district=haspe" in html
    assert "webcal://" in html


def test_event_page_shows_details_and_links(client, seeded):
    html = client.get(
        reverse("events:detail", args=["stadtbezirkswerkstatt-haspe-2018"])
    ).content.decode()
    assert "Stadtbezirkswerkstatt Haspe" in html
    assert "Berliner Straße 110a, Hagen" in html
    assert (
        "https://www.openstreetmap.org/search?query=Berliner%20Stra%C3%9Fe%20110a%2C%20Hagen"
        in html
    )
    assert "In meinen Kalender" in html
    assert reverse("events:ics", args=["stadtbezirkswerkstatt-haspe-2018"]) in html
    assert "<iframe" not in html


def test_event_page_links_goals(client, goal):
    event = make_event("forum")
    event.goals.add(goal)
    html = client.get(event.get_absolute_url()).content.decode()
    assert goal.get_absolute_url() in html


def test_unpublished_event_is_not_found(client, db):
    event = make_event("secret", is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_timeline_shows_planned_and_actual(client, seeded):
    html = client.get(reverse("events:timeline")).content.decode()
    assert "14. November 2018" in html
    assert "13. Dezember 2018" in html
    assert "14. November 2019" in html
    assert "Geplant" in html and "Tatsächlich" in html


def test_district_pages(client, seeded):
    html = client.get(reverse("events:district-list")).content.decode()
    assert "Bezirksvertretung Eilpe/Dahl" in html
    html = client.get(reverse("events:district", args=["hohenlimburg"])).content.decode()
    assert "Stadtbezirkswerkstatt Hohenlimburg" in html
    assert "Stadtbezirkswerkstatt Haspe" not in html


def test_home_shows_recent_events(client, seeded):
    html = client.get(reverse("home")).content.decode()
    assert "HagenKonferenz" in html


def test_goal_events_tag_lists_events_of_goal(goal, rf):
    from django.template import Context, Template

    event = make_event("zentren-forum", title="Forum Zentren", starts_at=local(2018, 6, 5, 18))
    event.goals.add(goal)
    html = Template("{% load events_tags %}{% goal_events goal %}").render(Context({"goal": goal}))
    assert "Forum Zentren" in html
    assert "Vergangene" in html


def test_event_page_shows_documentation(client, db):
    event = make_event(
        "werkstatt", starts_at=local(2018, 6, 5, 18), report="Ergebnisse der Werkstatt"
    )
    event.documents.create(
        title="Plakat aus der Zukunft",
        file="events/werkstatt/plakat.png",
        alt_text="Plakat mit Fahrrädern",
    )
    event.documents.create(title="Protokoll", file="events/werkstatt/protokoll.pdf")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Dokumentation" in html
    assert "Ergebnisse der Werkstatt" in html
    assert 'alt="Plakat mit Fahrrädern"' in html
    assert "/media/events/werkstatt/protokoll.pdf" in html
