"""Every write URL against every persona: who may do what, and what the others get.

One row per (action, persona). "done" means the change really happened (checked in the
database); every other outcome means nothing changed. Admin changelists stand in for the
admin's write pages: a persona who cannot list a model cannot change it either.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from goals.models import Goal
from participation.models import Comment, CommentRound, Support, User
from tests.conftest import PASSWORD, logged_in, make_user

PERSONAS = ["anonymous", "unverified", "citizen", "author", "moderator", "editor"]

LOGIN = "login"  # 302 to the login page, nothing changed
DONE = "done"  # the write happened
NOT_FOUND = "404"  # the object does not exist for this persona, nothing changed
REFUSED = "refused"  # 403 with a German explanation, nothing changed
REFUSED_BACK = "refused, back to the page"  # 302 back with a German error message
FORBIDDEN = "403"  # staff without the permission
ADMIN_LOGIN = "admin login"  # non-staff are sent to the (allauth) login of the admin


@dataclass
class World:
    goal: Goal
    comment: Comment  # written by the "author" persona
    users: dict[str, User | None]


@pytest.fixture
def world(db) -> World:
    now = timezone.now()
    goal = Goal.objects.create(slug="ziel", title="Hagener Zentren", status=Goal.Status.PUBLISHED)
    comment_round = CommentRound.objects.create(
        title="Runde",
        slug="runde",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=5),
        is_published=True,
    )
    users = {
        "anonymous": None,
        "unverified": make_user("u@example.org", "Unbestätigt", verified=False),
        "citizen": make_user("c@example.org", "Bürgerin"),
        "author": make_user("a@example.org", "Autorin"),
        "moderator": make_user("m@example.org", "Moderation", staff=True, groups=("Moderation",)),
        "editor": make_user("e@example.org", "Redaktion", staff=True, groups=("Redaktion",)),
    }
    comment = Comment.objects.create(
        goal=goal, round=comment_round, author=users["author"], text="Mehr Bäume!"
    )
    return World(goal=goal, comment=comment, users=users)


def client_for(world: World, persona: str) -> Client:
    user = world.users[persona]
    return Client() if user is None else logged_in(user)


# action -> (method, url, data, "did it happen?" check)
def actions(world: World) -> dict:
    c, g = world.comment, world.goal

    def text_is(value):
        return lambda user: Comment.objects.filter(text=value, author=user).exists()

    return {
        "comment create": (
            "post",
            f"/ziele/{g.slug}/beitraege/neu/",
            {"text": "Neuer Beitrag"},
            text_is("Neuer Beitrag"),
        ),
        "reply": (
            "post",
            f"/beitraege/{c.pk}/antworten/",
            {"text": "Eine Antwort"},
            lambda user: Comment.objects.filter(parent=c, text="Eine Antwort").exists(),
        ),
        "edit form": ("get", f"/beitraege/{c.pk}/bearbeiten/", {}, None),
        "edit": (
            "post",
            f"/beitraege/{c.pk}/bearbeiten/",
            {"text": "Geändert"},
            lambda user: Comment.objects.get(pk=c.pk).text == "Geändert",
        ),
        "withdraw form": ("get", f"/beitraege/{c.pk}/zurueckziehen/", {}, None),
        "withdraw": (
            "post",
            f"/beitraege/{c.pk}/zurueckziehen/",
            {},
            lambda user: Comment.objects.get(pk=c.pk).status == Comment.Status.WITHDRAWN,
        ),
        "support": (
            "post",
            f"/beitraege/{c.pk}/zustimmung/",
            {},
            lambda user: Support.objects.filter(comment=c).exists(),
        ),
        "account edit": (
            "post",
            "/konto/uebersicht/",
            {"display_name": "Neuer Name"},
            lambda user: User.objects.filter(pk=user.pk, display_name="Neuer Name").exists(),
        ),
        "account download": ("get", "/konto/meine-daten/", {}, None),
        "account delete": (
            "post",
            "/konto/loeschen/",
            {"password": PASSWORD},
            lambda user: User.objects.get(pk=user.pk).is_deleted,
        ),
        "admin goals": ("get", "/admin/goals/goal/", {}, None),
        "admin events": ("get", "/admin/events/event/", {}, None),
        "admin comments": ("get", "/admin/participation/comment/", {}, None),
        "admin comment rounds": ("get", "/admin/participation/commentround/", {}, None),
        "admin users": ("get", "/admin/participation/user/", {}, None),
        "admin add goal": ("get", "/admin/goals/goal/add/", {}, None),
        "admin add event": ("get", "/admin/events/event/add/", {}, None),
        "admin add comment round": ("get", "/admin/participation/commentround/add/", {}, None),
    }


ANYONE_SIGNED_IN = dict.fromkeys(PERSONAS[1:], DONE) | {"anonymous": LOGIN}
WRITERS = {
    "anonymous": LOGIN,
    "unverified": REFUSED,
    "citizen": DONE,
    "author": DONE,
    "moderator": DONE,
    "editor": DONE,
}
AUTHOR_ONLY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"anonymous": LOGIN, "author": DONE}
STAFF_WITHOUT_PERMISSION = {
    "anonymous": ADMIN_LOGIN,
    "unverified": ADMIN_LOGIN,
    "citizen": ADMIN_LOGIN,
    "author": ADMIN_LOGIN,
    "moderator": FORBIDDEN,
    "editor": FORBIDDEN,
}
EDITORS_ONLY = STAFF_WITHOUT_PERMISSION | {"editor": DONE}
# Moderators read goals, events and rounds in the admin (to judge a contribution in context),
# moderate comments, but add or change no content.
STAFF_ONLY = EDITORS_ONLY | {"moderator": DONE}

MATRIX = {
    "comment create": WRITERS,
    "reply": WRITERS,
    "edit form": AUTHOR_ONLY,
    "edit": AUTHOR_ONLY,
    "withdraw form": AUTHOR_ONLY,
    "withdraw": AUTHOR_ONLY,
    "support": WRITERS | {"unverified": REFUSED_BACK, "author": REFUSED_BACK},
    "account edit": ANYONE_SIGNED_IN,
    "account download": ANYONE_SIGNED_IN,
    "account delete": ANYONE_SIGNED_IN,
    "admin goals": STAFF_ONLY,
    "admin events": STAFF_ONLY,
    "admin comments": STAFF_ONLY,
    "admin comment rounds": STAFF_ONLY,
    "admin add goal": EDITORS_ONLY,
    "admin add event": EDITORS_ONLY,
    "admin add comment round": EDITORS_ONLY,
    # Moderators look at accounts (and block them); editors have no business there.
    "admin users": STAFF_WITHOUT_PERMISSION | {"moderator": DONE, "editor": FORBIDDEN},
}
CASES = [(action, persona) for action, row in MATRIX.items() for persona in PERSONAS]


def test_matrix_covers_every_persona():
    assert all(set(row) == set(PERSONAS) for row in MATRIX.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_permission_matrix(world, action, persona):
    method, url, data, happened = actions(world)[action]
    expected = MATRIX[action][persona]
    user = world.users[persona]
    response = getattr(client_for(world, persona), method)(url, data)
    status, location = response.status_code, response.get("Location", "")

    if expected == LOGIN:
        assert status == 302 and location.startswith("/konto/login/"), (status, location)
    elif expected == ADMIN_LOGIN:
        assert status == 302 and location.startswith("/admin/login/"), (status, location)
    elif expected == NOT_FOUND:
        assert status == 404
    elif expected == FORBIDDEN:
        assert status == 403
    elif expected == REFUSED:
        assert status == 403
        assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in response.content.decode()
    elif expected == REFUSED_BACK:
        assert status == 302 and location.startswith(world.goal.get_absolute_url())
    else:
        assert status in (200, 302), status
        if status == 302:
            assert not location.startswith("/konto/login/"), location
        if happened is not None:
            assert happened(user)
    if expected != DONE and happened is not None:
        assert not happened(user) if user else not happened(world.users["citizen"])
