"""What the portal counts is defined once (CommentQuerySet.counted): the goal page, the
statistics page, the district page and the committee dossier state the same figures, with the
same labels („Beiträge und Antworten“, „davon ausgeblendet“)."""

import re

import pytest

from participation import services
from participation.models import Comment
from tests.html import tallies

from .conftest import make_comment
from .moderation_fixtures import haspe, haspe_workshop

LABELS = ("Beiträge und Antworten", "davon ausgeblendet")


@pytest.fixture
def mixed(goal, open_round, citizen, other_citizen, editor, moderator):
    """From Haspe: two published, one reply, one hidden, one withdrawn, one pending and one
    workshop input – counted are the published ones, the reply, the hidden and the workshop."""
    for person in (citizen, other_citizen):
        person.district = haspe()
        person.save()
    first = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Eins")
    make_comment(goal=goal, comment_round=open_round, author=other_citizen, text="Zwei")
    make_comment(goal=goal, comment_round=open_round, author=other_citizen, parent=first)
    hidden = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Weg")
    services.comment_hide(comment=hidden, moderator=moderator, reason="spam", note="Werbung")
    make_comment(goal=goal, comment_round=open_round, author=citizen, status="withdrawn")
    make_comment(goal=goal, comment_round=open_round, author=citizen, status="pending")
    services.workshop_contribution_create(
        editor=editor, round=open_round, goal=goal, event=haspe_workshop(), text="Karte"
    )
    return {"total": 5, "hidden": 1}


def table_row(html: str, label: str) -> tuple[int, int]:
    """The first two figures („Beiträge und Antworten“, „davon ausgeblendet“) of a table row."""
    match = re.search(
        rf"<th scope=\"row\">(?:<a [^>]*>)?{re.escape(label)}(?:</a>)?</th>\s*"
        r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        html,
    )
    assert match, f"no row {label!r}"
    return int(match[1]), int(match[2])


def test_goal_statistics_district_and_dossier_state_the_same_counts(client, goal, mixed):
    expected = (mixed["total"], mixed["hidden"])
    assert Comment.objects.filter(goal=goal).tally() == mixed

    goal_page = client.get(goal.get_absolute_url()).content.decode()
    statistics = client.get("/beteiligung/statistik/").content.decode()
    district = client.get("/bezirke/haspe/").content.decode()
    dossier = client.get("/ziele/dossier/").content.decode()

    assert tallies(goal_page) == [expected]
    assert tallies(statistics) == [expected]  # the whole portal: one goal here
    assert table_row(statistics, goal.full_title) == expected
    assert table_row(statistics, "Haspe") == expected
    assert table_row(statistics, "Testrunde") == expected
    assert tallies(district) == [expected]
    assert table_row(dossier, goal.full_title) == expected
    for html in (goal_page, statistics, district, dossier):
        for label in LABELS:
            assert label in html


def test_withdrawn_and_pending_contributions_are_not_counted(goal, open_round, citizen):
    make_comment(goal=goal, comment_round=open_round, author=citizen, status="withdrawn")
    make_comment(goal=goal, comment_round=open_round, author=citizen, status="pending")
    assert Comment.objects.filter(goal=goal).tally() == {"total": 0, "hidden": 0}


def test_participation_page_counts_rounds_the_same_way(client, goal, open_round, mixed):
    html = client.get("/beteiligung/").content.decode()
    assert (mixed["total"], mixed["hidden"]) in tallies(html)
