"""Comment rounds: exact open/close instants, goal coverage, seed and demo commands."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from participation.models import CommentRound
from tests.participation.conftest import make_round

START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
END = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


@pytest.fixture
def march(db) -> CommentRound:
    return make_round(starts_at=START, ends_at=END)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (START - TICK, "upcoming"),
        (START, "open"),
        (END - TICK, "open"),
        (END, "closed"),
    ],
)
def test_round_is_open_from_start_inclusive_to_end_exclusive(march, now, state):
    rounds = CommentRound.objects
    assert list(rounds.upcoming(now)) == ([march] if state == "upcoming" else [])
    assert list(rounds.open(now)) == ([march] if state == "open" else [])
    assert list(rounds.closed(now)) == ([march] if state == "closed" else [])
    assert march.is_open(now) is (state == "open")


def test_unpublished_round_is_never_open(db):
    hidden = make_round(starts_at=START, ends_at=END, is_published=False)
    assert not CommentRound.objects.published().open(START).exists()
    assert hidden.is_open(START) is False


def test_round_without_goals_covers_every_goal(march, goal, other_goal):
    assert set(CommentRound.objects.for_goal(goal)) == {march}
    march.goals.add(other_goal)
    assert list(CommentRound.objects.for_goal(goal)) == []
    assert list(CommentRound.objects.for_goal(other_goal)) == [march]


def test_seed_rounds_are_the_two_real_phases_and_closed(db):
    call_command("load_rounds", verbosity=0)
    call_command("load_rounds", verbosity=0)
    assert CommentRound.objects.count() == 2
    phase1 = CommentRound.objects.get(slug="phase-1-2018")
    assert phase1.title == "1. Phase der Onlinebeteiligung"
    assert phase1.ends_at - phase1.starts_at == timedelta(days=28)
    assert "vier Wochen" in phase1.intro
    phase2 = CommentRound.objects.get(slug="phase-2-2019")
    assert phase2.last_day.isoformat() == "2019-03-31"
    assert "Herbst/Winter 2018" in phase2.intro
    assert set(CommentRound.objects.closed()) == {phase1, phase2}
    assert not CommentRound.objects.filter(is_demo=True).exists()


@override_settings(DEMO_MODE=True)
def test_demo_round_is_open_post_moderated_and_created_once(db):
    call_command("create_demo_data", stdout=None)
    call_command("create_demo_data", stdout=None)
    demo = CommentRound.objects.get(is_demo=True)
    assert CommentRound.objects.filter(is_demo=True).count() == 1
    assert demo.title == "Demo-Beteiligungsrunde"
    assert demo.is_open()
    assert demo.moderation == CommentRound.Moderation.POST
    assert timedelta(days=29) < demo.ends_at - demo.starts_at <= timedelta(days=31)


@override_settings(DEMO_MODE=True)
def test_demo_round_is_reopened_on_a_later_run(db):
    call_command("create_demo_data", stdout=None)
    CommentRound.objects.filter(is_demo=True).update(
        starts_at=START - timedelta(days=400), ends_at=END - timedelta(days=400)
    )
    call_command("create_demo_data", stdout=None)
    assert CommentRound.objects.get(is_demo=True).is_open()


@override_settings(DEMO_MODE=False)
def test_demo_round_is_refused_without_demo_mode(db):
    with pytest.raises(CommandError):
        call_command("create_demo_data", stdout=None)
    assert not CommentRound.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (timedelta(seconds=-1), "upcoming"),
        (timedelta(0), "open"),
        (timedelta(days=28) - timedelta(microseconds=1), "open"),
        (timedelta(days=28), "closed"),
    ],
)
def test_round_state_and_querysets_agree_at_the_boundaries(offset, state):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2026, 3, 1, tzinfo=ZoneInfo("Europe/Berlin"))
    comment_round = CommentRound.objects.create(
        title="Runde", slug="grenzen", starts_at=start, ends_at=start + timedelta(days=28)
    )
    now = start + offset
    assert comment_round.state(now) == state
    by_queryset = {
        "upcoming": CommentRound.objects.upcoming(now),
        "open": CommentRound.objects.open(now),
        "closed": CommentRound.objects.closed(now),
    }
    assert {name for name, rounds in by_queryset.items() if comment_round in rounds} == {state}


def round_form_data(**overrides) -> dict:
    from django.utils import timezone

    now = timezone.localtime()
    data = {
        "title": "Zweite Runde",
        "slug": "zweite-runde",
        "intro": "",
        "starts_at_0": now.strftime("%d.%m.%Y"),
        "starts_at_1": "00:00:00",
        "ends_at_0": (now + timedelta(days=10)).strftime("%d.%m.%Y"),
        "ends_at_1": "00:00:00",
        "moderation": "post",
        "is_published": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_goal_cannot_be_in_two_published_rounds_at_the_same_time(editor_client, goal, open_round):
    open_round.goals.add(goal)
    response = editor_client.post(
        "/admin/participation/commentround/add/", round_form_data(goals=[goal.pk])
    )
    assert response.status_code == 200
    assert "bereits in der Runde „Testrunde“" in response.content.decode()
    assert not CommentRound.objects.filter(slug="zweite-runde").exists()


@pytest.mark.django_db
def test_a_round_for_all_goals_clashes_with_any_open_round(editor_client, goal, open_round):
    response = editor_client.post("/admin/participation/commentround/add/", round_form_data())
    assert "bereits in der Runde" in response.content.decode()
    assert not CommentRound.objects.filter(slug="zweite-runde").exists()


@pytest.mark.django_db
def test_a_later_round_or_an_unpublished_draft_may_share_goals(editor_client, goal, open_round):
    from django.utils import timezone

    later = timezone.localtime(open_round.ends_at) + timedelta(days=1)
    data = round_form_data(
        goals=[goal.pk], starts_at_0=later.strftime("%d.%m.%Y"), ends_at_0="31.12.2099"
    )
    assert editor_client.post("/admin/participation/commentround/add/", data).status_code == 302
    draft = round_form_data(goals=[goal.pk], slug="entwurf", is_published="")
    assert editor_client.post("/admin/participation/commentround/add/", draft).status_code == 302


@pytest.mark.django_db
def test_draft_goals_cannot_be_added_to_a_round(editor_client, goal):
    from goals.models import Goal

    draft = Goal.objects.create(slug="entwurf", title="Entwurf", status=Goal.Status.DRAFT)
    response = editor_client.post(
        "/admin/participation/commentround/add/",
        round_form_data(goals=[draft.pk], is_published=""),
    )
    assert response.status_code == 200
    assert not CommentRound.objects.filter(slug="zweite-runde").exists()
    html = editor_client.get("/admin/participation/commentround/add/").content.decode()
    assert f'value="{draft.pk}"' not in html and f'value="{goal.pk}"' in html


@pytest.mark.django_db
def test_round_changes_in_the_admin_are_kept_in_its_history(editor_client, editor, open_round):
    from django.utils import timezone

    starts = timezone.localtime(open_round.starts_at)
    ends = timezone.localtime(open_round.ends_at)
    data = round_form_data(
        title="Umbenannte Runde",
        slug=open_round.slug,
        starts_at_0=starts.strftime("%d.%m.%Y"),
        starts_at_1=starts.strftime("%H:%M:%S"),
        ends_at_0=ends.strftime("%d.%m.%Y"),
        ends_at_1=ends.strftime("%H:%M:%S"),
    )
    url = f"/admin/participation/commentround/{open_round.pk}/change/"
    assert editor_client.post(url, data).status_code == 302
    latest = open_round.history.latest()
    assert (latest.title, latest.history_user) == ("Umbenannte Runde", editor)
    history_url = f"/admin/participation/commentround/{open_round.pk}/history/"
    history = editor_client.get(history_url).content.decode()
    assert "<td>Redaktion</td>" in history  # who, by the name staff know each other by
    assert "Umbenannte Runde</ins>" in history  # and what changed
