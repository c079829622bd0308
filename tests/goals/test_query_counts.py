"""Every goals page runs the same, small number of queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hagen_isek import site_content
from tests.goals.conftest import make_goals

PAGES = [
    ("/ziele/", 2),
    # + the district map's areas; the first visit after an editor's change also reads the
    # versions (site, goal, map) and loads the goal with its content, its list of contributions
    # and its map for this worker (hagen_isek/site_content.py)
    ("/ziele/ziel-1/", 11),
    ("/massnahmen/", 3),
    ("/massnahmen/?ziel=ziel-1&status=proposed", 3),
    # + status history, contributions that changed or refer to the measure (tally and list each)
    ("/massnahmen/massnahme-1-1/", 7),
    ("/ziele/matrix/", 3),
    # + participation counts per goal, what the public said per goal (five), the districts,
    # council papers
    ("/ziele/dossier/", 15),  # + the confirmed themes of the evaluation workbench
]


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context), "\n".join(query["sql"] for query in context.captured_queries)


def cold_queries(client, url: str) -> tuple[int, str]:
    """The queries of a visit right after an editor's change: nothing kept by the worker
    (hagen_isek/site_content.py), the page's scope versions in the shared cache (set by the
    visit before; creating one costs the database cache a few queries more, once)."""
    client.get(url)
    site_content.clear()
    return count_queries(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "expected"), PAGES)
def test_page_runs_fixed_number_of_queries(client, url, expected):
    make_goals(3, key_messages=2, measures=2)
    small, small_sql = cold_queries(client, url)
    make_goals_more()
    large, large_sql = cold_queries(client, url)
    assert small == large, f"{small} != {large}\n--- small:\n{small_sql}\n--- large:\n{large_sql}"
    assert small == expected, small_sql


@pytest.mark.django_db
def test_the_goal_page_reads_the_editors_content_from_the_worker_while_nothing_changed(client):
    make_goals(3, key_messages=2, measures=2)
    first, _ = cold_queries(client, "/ziele/ziel-1/")
    again, sql = count_queries(client, "/ziele/ziel-1/")
    # Not again: the goal with its key messages, council papers, measures (and their goals),
    # its rounds, its events, the districts' areas, its figures and list, its map. Still read:
    # the goals for the pager, the site, goal and map versions (one read).
    assert (first, again) == (11, 2), sql


def make_goals_more() -> None:
    from goals.models import Goal, KeyMessage, Measure, MeasureGoal

    existing = list(Goal.objects.filter(slug__startswith="ziel-"))
    goals = [
        Goal.objects.create(
            slug=f"mehr-{i}", title=f"Weiteres Ziel {i}", position=10 + i, status="published"
        )
        for i in range(8)
    ]
    for i, goal in enumerate(goals):
        KeyMessage.objects.bulk_create(
            KeyMessage(goal=goal, position=k, text=f"Mehr {i}.{k}") for k in range(6)
        )
        for m in range(10):
            measure = Measure.objects.create(
                is_published=True, slug=f"mehr-{i}-{m}", text=f"Weitere Maßnahme {i}.{m}"
            )
            MeasureGoal.objects.create(measure=measure, goal=goal, position=m)
            MeasureGoal.objects.create(
                measure=measure, goal=existing[i % len(existing)], position=50 + m
            )
    # The goals and measures the URLs above point at get more links, too.
    first = Goal.objects.get(slug="ziel-1")
    for m in range(10):
        KeyMessage.objects.create(goal=first, position=10 + m, text=f"Zusatz {m}")
        MeasureGoal.objects.create(
            measure=Measure.objects.get(slug=f"mehr-0-{m}"), goal=first, position=80 + m
        )
    MeasureGoal.objects.create(
        measure=Measure.objects.get(slug="massnahme-1-1"), goal=goals[3], position=1
    )
    from events.models import CouncilPaper

    for n in range(5):
        paper = CouncilPaper.objects.create(number=f"{100 + n}/2019", kind="decision")
        paper.goals.add(first, *goals[:3])
