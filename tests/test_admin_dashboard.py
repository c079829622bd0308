"""The admin start page: what needs doing, each figure a link to the list it counts."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventDocument
from goals.models import Goal
from participation.models import Comment, CommentRound, OfficialAnswer, Report
from tests.conftest import make_user

TASK = re.compile(r'<a href="([^"]+)"><strong class="task-count">(\d+)</strong>([^<]+)</a>')


def tasks(client) -> dict[str, tuple[int, str]]:
    """text -> (count, link) of every task the start page lists."""
    page = client.get(reverse("admin:index")).content.decode()
    return {
        html.unescape(text).strip(): (int(count), html.unescape(url))
        for url, count, text in TASK.findall(page)
    }


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url  # an unknown filter would redirect with ?e=1
    return response.context["cl"].result_count


def make_data(size: int) -> dict:
    now = timezone.now()
    goal = Goal.objects.create(slug=f"ziel-{size}", title="Hagener Kieze", status="published")
    open_round = CommentRound.objects.create(
        title=f"Frühjahrsrunde {size}",
        slug=f"offen-{size}",
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=20),
        is_published=True,
    )
    citizens = [make_user(f"b{size}-{i}@example.org", f"Bürger {size}-{i}") for i in range(size)]
    for i, citizen in enumerate(citizens):
        Comment.objects.create(
            goal=goal, round=open_round, author=citizen, text="Neu", status="pending"
        )
        published = Comment.objects.create(
            goal=goal, round=open_round, author=citizen, text="Sichtbar", status="published"
        )
        Report.objects.create(comment=published, reporter=citizens[i - 1], reason="spam")
        answered = Comment.objects.create(
            goal=goal,
            round=open_round,
            author=citizen,
            text="Beantwortet",
            status="published",
            outcome=Comment.Outcome.values[0],
        )
        OfficialAnswer.objects.create(comment=answered, text="Danke.")
        Event.objects.create(
            title=f"Werkstatt {size}-{i}",
            slug=f"werkstatt-{size}-{i}",
            starts_at=now - timedelta(days=5),
            is_published=True,
        )
    documented = Event.objects.create(
        title="Dokumentiert",
        slug=f"dokumentiert-{size}",
        starts_at=now - timedelta(days=5),
        report="Ergebnisse",
    )
    EventDocument.objects.create(event=documented, title="Protokoll", file="protokoll.pdf")
    closing = CommentRound.objects.create(
        title=f"Herbstrunde {size}",
        slug=f"bald-{size}",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=30),
    )
    return {"goal": goal, "round": open_round, "closing": closing}


@pytest.mark.django_db
def test_moderator_start_page_counts_what_awaits_moderation_and_links_to_it(moderator_client):
    make_data(3)
    found = tasks(moderator_client)
    assert found["Beiträge warten auf Freigabe"][0] == 3
    assert found["Beiträge mit offenen Meldungen"][0] == 3
    for count, url in found.values():
        assert listed(moderator_client, url) == count, url


@pytest.mark.django_db
def test_editor_start_page_counts_answers_outcomes_and_undocumented_events(editor_client):
    make_data(2)
    found = tasks(editor_client)
    # Two published per citizen in the open round, one of them answered and evaluated.
    assert found["veröffentlichte Beiträge ohne Antwort der Stadt"][0] == 2
    assert found["veröffentlichte Beiträge ohne Ergebnis"][0] == 2
    assert found["Termine haben stattgefunden und sind noch nicht dokumentiert"][0] == 2
    for count, url in found.values():
        assert listed(editor_client, url) == count, url


@pytest.mark.django_db
def test_start_page_names_rounds_that_open_soon(editor_client):
    data = make_data(1)
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Herbstrunde 1</a> beginnt am" in page
    change = reverse("admin:participation_commentround_change", args=[data["closing"].pk])
    assert change in page


@pytest.mark.django_db
def test_start_page_tells_in_plain_german_who_did_what(editor_client):
    goal = Goal.objects.create(slug="kieze", title="Hagener Kieze")
    editor_client.post(
        reverse("admin:goals_goal_changelist"),
        {"action": "publish", "_selected_action": [goal.pk]},
    )
    page = html.unescape(editor_client.get(reverse("admin:index")).content.decode())
    assert "Redaktion hat das Ziel ‚Hagener Kieze‘ veröffentlicht." in page
    assert reverse("admin:goals_goal_history", args=[goal.pk]) in page


@pytest.mark.django_db
def test_start_page_shows_moderation_decisions(moderator, moderator_client):
    data = make_data(1)
    pending = Comment.objects.filter(status="pending").get()
    moderator_client.post(
        reverse("admin:participation_comment_moderate", args=[pending.pk, "freigeben"]),
        {"note": ""},
    )
    page = html.unescape(moderator_client.get(reverse("admin:index")).content.decode())
    assert f"Moderation hat Beitrag Nr. {pending.pk} freigegeben." in page
    assert data["round"].title in page


@pytest.mark.django_db
def test_start_page_queries_do_not_grow_with_the_data(editor_client, django_assert_num_queries):
    make_data(1)
    editor_client.get(reverse("admin:index"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        editor_client.get(reverse("admin:index"))
    make_data(6)
    with django_assert_num_queries(len(few.captured_queries)):
        editor_client.get(reverse("admin:index"))


@pytest.mark.django_db
def test_staff_change_their_password_through_the_account_pages(editor_client):
    response = editor_client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:password_change") in page  # the header link leads there


@pytest.mark.django_db
def test_event_list_shows_all_day_events_without_midnight(editor_client):
    day = timezone.make_aware(timezone.datetime(2026, 5, 4))
    Event.objects.create(title="Ganztägig", slug="ganztaegig", starts_at=day, has_time=False)
    Event.objects.create(
        title="Abends", slug="abends", starts_at=day.replace(hour=18), has_time=True
    )
    page = editor_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "04.05.2026</td>" in page
    assert "04.05.2026, 18:00 Uhr" in page
    assert "00:00" not in page
