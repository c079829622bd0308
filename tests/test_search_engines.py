"""robots.txt, sitemap.xml, link previews and schema.org Event data."""

import json
import re

from django.contrib.sites.models import Site

from events.models import Event
from goals.models import Goal
from tests.events.conftest import local, make_event


def test_robots_txt_points_to_the_sitemap(client, seeded):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body and "Disallow: /konto/" in body
    assert f"Sitemap: http://{Site.objects.get_current().domain}/sitemap.xml" in body


def test_sitemap_lists_every_public_goal_and_event_and_no_draft(client, seeded):
    body = client.get("/sitemap.xml").content.decode()
    domain = Site.objects.get_current().domain
    for goal in Goal.objects.all():
        assert (f"http://{domain}{goal.get_absolute_url()}<" in body) == goal.is_published
    for event in Event.objects.all():
        assert (f"http://{domain}{event.get_absolute_url()}<" in body) == event.is_published
    assert f"http://{domain}/impressum/<" in body


def json_ld(client, event) -> dict:
    html = client.get(event.get_absolute_url()).content.decode()
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(data)


def test_event_json_ld_has_berlin_offsets_in_summer_and_winter(client, db):
    summer = make_event(
        "sommer",
        title="Werkstatt </script><b>",
        starts_at=local(2018, 6, 5, 18),
        ends_at=local(2018, 6, 5, 21),
        venue="Rathaus Hohenlimburg",
        address="Freiheitsstraße 3, Hagen",
    )
    winter = make_event("winter", starts_at=local(2019, 11, 14, 17), status=Event.Status.CANCELLED)
    data = json_ld(client, summer)
    assert data["@type"] == "Event" and data["name"] == "Werkstatt </script><b>"
    assert data["startDate"] == "2018-06-05T18:00:00+02:00"
    assert data["endDate"] == "2018-06-05T21:00:00+02:00"
    assert data["location"]["address"]["streetAddress"] == "Freiheitsstraße 3"
    assert data["organizer"]["name"] == "Stadt Hagen"
    assert data["isAccessibleForFree"] is True
    winter_data = json_ld(client, winter)
    assert winter_data["startDate"] == "2019-11-14T17:00:00+01:00"
    assert winter_data["eventStatus"] == "https://schema.org/EventCancelled"


def test_goal_page_has_its_own_link_preview(client, seeded):
    goal = Goal.objects.published().first()
    html = client.get(goal.get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{goal.full_title}">' in html
    assert '<meta property="og:type" content="article">' in html
