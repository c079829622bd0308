"""Fixtures for the participation tests: a goal, rounds around `now`, contributions."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from goals.models import Goal, KeyMessage, Measure
from participation.models import Comment, CommentRound


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        slug="mobilitaet-neu-denken",
        title="Mobilität neu denken!",
        number=10,
        status=Goal.Status.PUBLISHED,
    )


@pytest.fixture
def other_goal(db) -> Goal:
    return Goal.objects.create(
        slug="hagener-zentren", title="Hagener Zentren", status=Goal.Status.PUBLISHED
    )


@pytest.fixture
def key_message(goal) -> KeyMessage:
    return KeyMessage.objects.create(goal=goal, text="Verkehrsbelastungen verringern")


@pytest.fixture
def measure(goal) -> Measure:
    measure = Measure.objects.create(
        is_published=True, slug="radverkehr", text="Radverkehr stärken"
    )
    measure.goals.add(goal)
    return measure


def make_round(*, starts_at, ends_at, slug="runde", **kwargs) -> CommentRound:
    return CommentRound.objects.create(
        title=kwargs.pop("title", "Testrunde"),
        slug=slug,
        starts_at=starts_at,
        ends_at=ends_at,
        is_published=kwargs.pop("is_published", True),
        **kwargs,
    )


@pytest.fixture
def open_round(db) -> CommentRound:
    now = timezone.now()
    return make_round(
        slug="offen", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10)
    )


@pytest.fixture
def closed_round(db) -> CommentRound:
    now = timezone.now()
    return make_round(
        slug="beendet",
        title="Beendete Runde",
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=10),
    )


def make_comment(*, goal, comment_round, author, text="Ein Beitrag", **kwargs) -> Comment:
    return Comment.objects.create(
        goal=goal, round=comment_round, author=author, text=text, **kwargs
    )


@pytest.fixture
def comment(goal, open_round, citizen) -> Comment:
    return make_comment(goal=goal, comment_round=open_round, author=citizen, text="Mehr Radwege!")
