"""The search page and the follow settings in a real browser: axe-clean, no sideways scrolling,
screenshots at 1280 and 375 px (var/test-artifacts/search-*.png, follow-*.png)."""

from pathlib import Path

import pytest

from goals.models import Goal
from participation.models import Comment, Follow
from tests.e2e.conftest import axe_violations, has_horizontal_scroll, log_in

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "var" / "test-artifacts"
WIDTHS = {"1280": 1280, "375": 375}


def look(page, name: str) -> list[str]:
    problems = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{label}: {v}" for v in axe_violations(page)]
        if has_horizontal_scroll(page):
            problems.append(f"{label}: horizontal scrolling")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    return problems


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_search_results_and_follow_settings_are_accessible(
    live_server, page, seeded, open_round, citizen
):
    goal = Goal.objects.published().first()
    Comment.objects.bulk_create(
        Comment(goal=goal, round=open_round, author=citizen, text=f"Der Bahnhofsvorplatz {i} <b>")
        for i in range(25)
    )
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Portal durchsuchen").fill("Bahnhofsvorplatz")
    page.get_by_role("search").get_by_role("button", name="Suche").click()
    page.wait_for_url("**/suche/?q=Bahnhofsvorplatz")
    assert page.locator(".search-hit").count() >= 5
    problems = look(page, "search")
    page.goto(live_server.url + "/suche/?q=Bahnhofsvorplatz&art=beitraege&seite=2")
    problems += look(page, "search-page2")

    Follow.objects.create(user=citizen, goal=goal)
    log_in(page, live_server.url, citizen.email)
    page.goto(live_server.url + "/konto/uebersicht/#folgen")
    problems += look(page, "follow-settings")
    page.goto(live_server.url + goal.get_absolute_url())
    assert page.get_by_role("button", name="Nicht mehr folgen").count() == 1
    assert problems == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_search_and_open_data_pages_are_accessible_in_both_languages(
    live_server, page, seeded, open_round, citizen
):
    goal = Goal.objects.published().get(slug="hagener-zentren")
    Comment.objects.bulk_create(
        Comment(goal=goal, round=open_round, author=citizen, text=f"Mehr Grün im Quartier {i}")
        for i in range(8)
    )
    pages = {
        "search-all": "/suche/?q=Quartier",
        "search-kind": "/suche/?q=Quartier&art=beitraege",
        "search-empty": "/suche/?q=",
        "search-none": "/suche/?q=Zeppelinlandeplatz",
        "search-odd": "/suche/?q=%22%3C%2Fscript%3E+%26%26+-",
        "open-data": "/offene-daten/",
        "goal-papers": goal.get_absolute_url(),
    }
    problems = []
    for name, url in pages.items():
        for prefix, language in (("", "de"), ("/en", "en")):
            response = page.goto(live_server.url + prefix + url)
            assert response.status == 200, prefix + url
            assert page.locator("html").get_attribute("lang") == language
            problems += [f"{prefix}{url} {problem}" for problem in look(page, f"{name}-{language}")]
    page.goto(live_server.url + "/offene-daten/")
    assert page.get_by_role("link", name="Datenkatalog").count() == 1
    page.goto(live_server.url + goal.get_absolute_url())
    assert page.get_by_role("heading", name="Beraten in").count() == 1
    assert problems == []
