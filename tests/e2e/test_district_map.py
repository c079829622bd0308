"""Issue 15, map section, in a real browser: axe on the pages with the map in German and English,
placing a contribution by a click on the map, keyboard focus, and the screenshots."""

from decimal import Decimal
from pathlib import Path

import pytest

from goals.models import Goal
from participation.models import Comment
from tests.conftest import make_user
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import PageChecks

SHOTS = Path("/work/tr/shots/map")


@pytest.fixture
def placing_round(open_round):
    open_round.allows_placing = True
    open_round.save()
    return open_round


@pytest.mark.django_db(transaction=True)
def test_map_pages_pass_axe_in_both_languages_and_look_right(
    live_server, page, seeded, placing_round
):
    from events.models import District

    goal = Goal.objects.published().first()
    author = make_user("karte@example.org", "Karte")
    for latitude, longitude, slug in [
        ("51.363", "7.461", "hagen-mitte"),
        ("51.393", "7.492", "hagen-nord"),
        ("51.352", "7.576", "hohenlimburg"),
    ]:
        Comment.objects.create(
            goal=goal,
            round=placing_round,
            author=author,
            text=f"Beitrag in {slug}",
            district=District.objects.get(slug=slug),
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
    for slug, count in [("haspe", 9), ("hagen-mitte", 6), ("eilpe-dahl", 3)]:
        for number in range(count):
            Comment.objects.create(
                goal=goal,
                round=placing_round,
                text=f"Import {slug} {number}",
                source=Comment.Source.IMPORTED,
                district=District.objects.get(slug=slug),
            )
    urls = [
        "/bezirke/haspe/",
        "/bezirke/",
        "/termine/",
        goal.get_absolute_url(),
        "/beteiligung/statistik/",
    ]
    checks = PageChecks(page)
    for url in urls + [f"/en{url}" for url in urls]:
        checks.visit(live_server.url, url)
    log_in(page, live_server.url, "karte@example.org")
    checks.visit(live_server.url, goal.get_absolute_url())  # with the form and its map
    assert checks.problems == {}

    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url, selector in [
            ("district", "/bezirke/haspe/", "main"),
            ("goal-map", goal.get_absolute_url(), ".district-map-section"),
            ("goal-form", goal.get_absolute_url(), ".comment-form"),
            ("statistics", "/beteiligung/statistik/", "section[aria-labelledby=tabelle-bezirke]"),
            ("calendar", "/termine/", ".district-map-section"),
        ]:
            page.goto(live_server.url + url)
            page.locator(selector).first.screenshot(path=SHOTS / f"{name}-{width}.png")


@pytest.mark.django_db(transaction=True)
def test_a_click_on_the_map_places_the_contribution(live_server, page, seeded, placing_round):
    goal = Goal.objects.published().first()
    make_user("klick@example.org", "Klick")
    log_in(page, live_server.url, "klick@example.org")
    page.goto(live_server.url + goal.get_absolute_url())
    picker = page.locator("[data-district-picker]")
    assert picker.is_visible()  # the script shows it
    page.locator("#id_text").fill("Mehr Bänke am Bahnhof.")
    page.locator('#ortswahl a[data-district="haspe"] path').click()
    assert page.locator("#id_place_district").input_value() == "haspe"
    assert page.locator("input[name=latitude]").input_value() != ""
    assert "Haspe" in page.locator("[data-picker-status]").inner_text()
    page.locator("main").get_by_role("button", name="Beitrag absenden").click()
    page.wait_for_url(f"**{goal.get_absolute_url()}*")
    comment = Comment.objects.get(text="Mehr Bänke am Bahnhof.")
    assert comment.district.slug == "haspe"
    assert comment.latitude.as_tuple().exponent == -3  # stored rounded to about 100 m


@pytest.mark.django_db(transaction=True)
def test_map_districts_are_reachable_by_keyboard_with_visible_focus(live_server, page, seeded):
    page.goto(live_server.url + "/bezirke/")
    link = page.locator('#bezirkskarte svg a[data-district="haspe"]')
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('data-district')") == "haspe"
    stroke = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('path')).strokeWidth"
    )
    assert stroke == "6px"
    page.keyboard.press("Enter")
    page.wait_for_url("**/bezirke/haspe/")
