"""Every open-data download and the DCAT catalogue run as many queries for a little data as
for ten times as much."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import CouncilPaper, District, Milestone
from goals.models import Goal, KeyMessage, Measure, MeasureGoal
from opendata.catalog import FORMATS
from opendata.datasets import DATASETS
from participation.models import Comment, CommentRound, OfficialAnswer, Support
from tests.conftest import make_user
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

URLS = [
    "/offene-daten/katalog.jsonld",
    *(f"/offene-daten/{dataset.slug}.{extension}" for dataset in DATASETS for extension in FORMATS),
]


def grow(n: int, start: int) -> None:
    """n more of everything a dataset lists, each linked to the others."""
    now = timezone.now()
    district = District.objects.create(name=f"Bezirk {start}", slug=f"bezirk-{start}")
    author = make_user(f"autor-{start}@example.org", f"Autor {start}")
    author.district = district
    author.save()
    for i in range(start, start + n):
        goal = Goal.objects.create(slug=f"ziel-{i}", title=f"Ziel {i}", status="published")
        KeyMessage.objects.bulk_create(
            KeyMessage(goal=goal, position=k, text=f"Kernbotschaft {i}.{k}") for k in range(3)
        )
        measure = Measure.objects.create(slug=f"massnahme-{i}", text=f"Maßnahme {i}")
        MeasureGoal.objects.create(measure=measure, goal=goal)
        event = make_event(f"termin-{i}", district=district)
        event.goals.add(goal)
        milestone = Milestone.objects.create(title=f"Schritt {i}", event=event)
        comment_round = CommentRound.objects.create(
            title=f"Runde {i}",
            slug=f"runde-{i}",
            starts_at=now - timezone.timedelta(days=2),
            ends_at=now + timezone.timedelta(days=2),
            is_published=True,
        )
        comment_round.goals.add(goal)
        paper = CouncilPaper.objects.create(number=f"{i}/2019", kind="decision")
        paper.goals.add(goal)
        paper.events.add(event)
        paper.milestones.add(milestone)
        for k in range(3):
            comment = Comment.objects.create(
                goal=goal, round=comment_round, author=author, text=f"Beitrag {i}.{k}", event=event
            )
            Comment.objects.create(
                goal=goal, round=comment_round, author=author, text="Antwort", parent=comment
            )
            OfficialAnswer.objects.create(comment=comment, text="Wir prüfen das.")
            Support.objects.create(comment=comment, user=author)


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body
    return len(context), "\n".join(query["sql"] for query in context.captured_queries)


@pytest.mark.parametrize("url", URLS)
def test_download_runs_the_same_queries_for_ten_times_the_data(client, url):
    grow(1, start=100)
    small, small_sql = count_queries(client, url)
    grow(10, start=200)
    large, large_sql = count_queries(client, url)
    assert small == large, f"{small} != {large}\n--- small:\n{small_sql}\n--- large:\n{large_sql}"
    assert small <= 10, small_sql
