"""The goal page's list of contributions, kept by each worker until a write on the goal
(participation/discussion.py, hagen_isek/site_content.py): every write shows at once to every
reader, what only one reader sees never reaches another, and a write elsewhere keeps the list."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.models import Comment, CommentRound
from participation.services import moderation
from tests.conftest import logged_in
from tests.html import parse
from tests.participation.conftest import make_comment

pytestmark = pytest.mark.django_db


def post(client: Client, goal, text: str):
    return client.post(
        reverse("participation:comment-create", args=[goal.slug]),
        {"text": text, "submission_token": str(uuid.uuid4())},
    )


def support_buttons(html: str) -> dict[str, str]:
    """aria-pressed of each support button, by the contribution it belongs to."""
    pressed = {}
    for tag, attrs in parse(html).tags:
        if tag == "form" and attrs.get("action", "").endswith("/zustimmung/"):
            current = attrs["action"]
        if tag == "button" and "aria-pressed" in attrs:
            pressed[current] = attrs["aria-pressed"]
    return pressed


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_new_contribution_is_listed_at_once_for_every_reader(
    client, goal, open_round, citizen_client, other_citizen
):
    url = goal.get_absolute_url()
    reader = logged_in(other_citizen)
    client.get(url), reader.get(url)  # both lists kept
    assert post(citizen_client, goal, "Ein Spielplatz am Volmeufer.").status_code == 302
    assert "Ein Spielplatz am Volmeufer." in client.get(url).content.decode()
    assert "Ein Spielplatz am Volmeufer." in reader.get(url).content.decode()


def test_a_hidden_contribution_leaves_every_kept_list_at_once(
    client, goal, open_round, citizen, other_citizen, moderator
):
    shown = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Unsinn!")
    url = goal.get_absolute_url()
    reader = logged_in(other_citizen)
    assert "Unsinn!" in client.get(url).content.decode()
    assert "Unsinn!" in reader.get(url).content.decode()
    moderation.comment_hide(comment=shown, moderator=moderator, reason="spam", note="Werbung")
    assert "Unsinn!" not in client.get(url).content.decode()
    assert "Unsinn!" not in reader.get(url).content.decode()


def test_a_contribution_awaiting_moderation_is_listed_for_its_author_alone(
    client, goal, open_round, citizen_client, other_citizen
):
    open_round.moderation = CommentRound.Moderation.PRE
    open_round.save()
    url = goal.get_absolute_url()
    reader = logged_in(other_citizen)
    client.get(url), reader.get(url)
    post(citizen_client, goal, "Noch nicht freigegeben.")
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "Noch nicht freigegeben." in citizen_client.get(url).content.decode()
    # The author's list is their own, never kept for the others.
    assert "Noch nicht freigegeben." not in reader.get(url).content.decode()
    assert "Noch nicht freigegeben." not in client.get(url).content.decode()


def test_each_reader_sees_their_own_supports_on_the_shared_list(
    client, goal, open_round, citizen, other_citizen
):
    first = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Erster")
    make_comment(goal=goal, comment_round=open_round, author=citizen, text="Zweiter")
    url = goal.get_absolute_url()
    supporter, neighbour = logged_in(other_citizen), logged_in(citizen)
    toggle = reverse("participation:support-toggle", args=[first.pk])
    assert supporter.post(toggle, {"next": url}).status_code == 302
    pressed = support_buttons(supporter.get(url).content.decode())
    assert pressed[toggle] == "true"
    assert list(pressed.values()).count("true") == 1  # the other one not
    assert "true" not in support_buttons(neighbour.get(url).content.decode()).values()
    assert "1 Zustimmung" in client.get(url).content.decode()
    assert supporter.post(toggle, {"next": url}).status_code == 302  # withdrawn
    assert "true" not in support_buttons(supporter.get(url).content.decode()).values()
    assert "1 Zustimmung" not in client.get(url).content.decode()


def test_a_write_on_another_goal_keeps_this_goals_list(
    client, goal, other_goal, open_round, citizen, citizen_client
):
    make_comment(goal=goal, comment_round=open_round, author=citizen, text="Hier")
    url = goal.get_absolute_url()
    client.get(url)
    kept = queries(client, url)
    make_comment(goal=other_goal, comment_round=open_round, author=citizen, text="Dort")
    assert queries(client, url) == kept  # the list and the map were not read again
    make_comment(goal=goal, comment_round=open_round, author=citizen, text="Auch hier")
    assert queries(client, url) > kept
    assert "Auch hier" in client.get(url).content.decode()


def test_only_the_first_pages_are_kept(client, goal, open_round, citizen):
    from participation.discussion import COMMENTS_PER_PAGE, KEPT_PAGES
    from tests.participation.test_goal_page import build_contributions

    build_contributions(goal, open_round, citizen, citizen, COMMENTS_PER_PAGE * (KEPT_PAGES + 1))
    kept_page = f"{goal.get_absolute_url()}?seite={KEPT_PAGES}"
    deep_page = f"{goal.get_absolute_url()}?seite={KEPT_PAGES + 1}"
    client.get(kept_page), client.get(deep_page)
    assert queries(client, deep_page) > queries(client, kept_page)
    assert "Beitrag 0" in client.get(deep_page).content.decode()  # the oldest, on the last page
