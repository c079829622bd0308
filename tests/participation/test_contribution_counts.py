"""The goal page's figures come from ContributionCount on PostgreSQL, kept by a trigger: they stay
equal to a full recount after every kind of write, also bulk ones that send no signal."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from participation import services
from participation.discussion import goal_figures
from participation.models import Comment
from participation.models.contributions import listed_condition, tally_aggregates
from tests.participation.conftest import make_comment

pytestmark = pytest.mark.django_db


def recount(goal, user, outcome=None) -> dict:
    listed = Comment.objects.filter(goal=goal, parent__isnull=True).filter(listed_condition(user))
    if outcome:
        listed = listed.filter(outcome=outcome)
    return {
        **Comment.objects.filter(goal=goal).aggregate(**tally_aggregates()),
        "listed": listed.count(),
    }


def assert_exact(goal, *users) -> None:
    for user in (AnonymousUser(), *users):
        for outcome in (None, Comment.Outcome.ADOPTED, Comment.Outcome.REJECTED):
            assert goal_figures(goal, user=user, outcome=outcome) == recount(goal, user, outcome)


def test_figures_equal_a_full_recount_after_every_kind_of_write(
    goal, other_goal, open_round, citizen, other_citizen, moderator
):
    if connection.vendor != "postgresql":
        pytest.skip("the counter table is kept by a PostgreSQL trigger")
    first = make_comment(goal=goal, comment_round=open_round, author=citizen)
    make_comment(goal=goal, comment_round=open_round, author=citizen, status="pending")
    reply = make_comment(goal=goal, comment_round=open_round, author=other_citizen, parent=first)
    assert_exact(goal, citizen, other_citizen)

    services.comment_hide(comment=first, moderator=moderator, reason="spam", note="Werbung")
    assert_exact(goal, citizen, other_citizen)
    services.comment_withdraw(comment=reply, user=other_citizen)
    assert_exact(goal, citizen, other_citizen)

    Comment.objects.filter(goal=goal, status="pending").update(status="published")
    Comment.objects.filter(pk=first.pk).update(status="published", outcome="adopted")
    Comment.objects.bulk_create(
        Comment(
            goal=goal, round=open_round, author=citizen, text=f"Beitrag {n}", outcome="rejected"
        )
        for n in range(5)
    )
    Comment.objects.filter(pk=reply.pk).update(goal=other_goal, parent=None)
    assert_exact(goal, citizen, other_citizen)
    assert_exact(other_goal, citizen)

    Comment.objects.filter(goal=goal, text="Beitrag 0").delete()
    first.text = "Nur der Text ändert sich"
    first.save()
    assert_exact(goal, citizen, other_citizen)
    assert goal_figures(goal, user=AnonymousUser(), outcome=None)["total"] == 6
