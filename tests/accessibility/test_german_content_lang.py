"""On English pages, content that exists only in German is marked lang="de", so that screen
readers pronounce it in German: events, districts, milestones and contributions."""

import pytest
from django.test import Client

from events.models import District, Event, Milestone
from goals.models import Goal
from participation.models import Comment, CommentRound, OfficialAnswer
from tests.html import languages_of


def english(url: str) -> str:
    response = Client().get("/en" + url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


def test_event_texts_are_german_on_english_pages(seeded):
    event = Event.objects.published().exclude(description="").exclude(venue="").first()
    html = english(event.get_absolute_url())
    main = html[html.index("<main") :]
    assert languages_of(main, event.title) == {"de"}
    assert languages_of(main, event.description.split("\n")[0][:60]) == {"de"}
    assert languages_of(main, event.venue) == {"de"}
    listing = english("/termine/")
    assert languages_of(listing[listing.index("<main") :], event.title) == {"de"}


def test_district_texts_are_german_on_english_pages(seeded):
    district = District.objects.exclude(quarters="").first()
    main = english(district.get_absolute_url()).split("<main", 1)[1]
    assert languages_of(main, district.official_name) == {"de"}
    assert languages_of(main, district.quarter_list[0]) == {"de"}
    listing = english("/bezirke/").split("<main", 1)[1]
    assert languages_of(listing, district.official_name) == {"de"}


def test_milestone_texts_are_german_on_english_pages(seeded):
    main = english("/termine/ablauf/").split("<main", 1)[1]
    milestones = list(Milestone.objects.exclude(description=""))
    assert milestones
    for milestone in milestones:
        assert languages_of(main, milestone.title) == {"de"}, milestone.title
        assert languages_of(main, milestone.description[:50]) == {"de"}


@pytest.mark.django_db
def test_contribution_and_answer_texts_are_german_on_english_pages(citizen, editor):
    goal = Goal.objects.create(slug="ziel", title="Ein Ziel", number=1, status="published")
    comment_round = CommentRound.objects.create(
        title="Runde", slug="runde", starts_at="2020-01-01T00:00Z", ends_at="2020-02-01T00:00Z",
        is_published=True,
    )  # fmt: skip
    comment = Comment.objects.create(
        goal=goal, round=comment_round, author=citizen, text="Mehr Bänke an der Volme",
        outcome=Comment.Outcome.REJECTED, outcome_note="Dafür fehlt der Platz am Ufer",
    )  # fmt: skip
    OfficialAnswer.objects.create(comment=comment, author=editor, text="Wir prüfen den Vorschlag")
    main = english(goal.get_absolute_url()).split("<main", 1)[1]
    for text in ["Mehr Bänke an der Volme", "Dafür fehlt der Platz", "Wir prüfen den Vorschlag"]:
        assert languages_of(main, text) == {"de"}, text
