"""generate_bench_data on a tiny scale: consistent, clearly synthetic, idempotent, refused."""

import uuid
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from events.models import Event
from goals.models import Goal, KeyMessage, MeasureGoal
from participation.models import Comment, CommentRound, OfficialAnswer, Report, Support, User

pytestmark = pytest.mark.django_db

SCALE = 0.001  # 20 accounts (the minimum), 100 contributions


def generate(**options) -> str:
    out = StringIO()
    call_command(
        "generate_bench_data", scale=SCALE, yes_benchmark_database=True, stdout=out, **options
    )
    return out.getvalue()


def snapshot() -> dict:
    comments = Comment.objects.filter(round__slug__startswith="benchmark-runde-")
    return {
        "goals": sorted(Goal.objects.values_list("slug", flat=True)),
        "events": Event.objects.count(),
        "accounts": sorted(User.objects.values_list("email", flat=True)),
        "comments": sorted(comments.values_list("pk", "goal__slug", "parent", "text", "status")),
        "supports": Support.objects.count(),
        "reports": Report.objects.count(),
        "answers": OfficialAnswer.objects.count(),
    }


def test_refused_without_demo_mode_or_flag(seeded, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="benchmark database"):
        call_command("generate_bench_data", scale=SCALE, stdout=StringIO())
    assert not CommentRound.objects.filter(slug__startswith="benchmark-").exists()


def test_generates_consistent_clearly_synthetic_data(seeded):
    real_goals = set(Goal.objects.values_list("slug", "status", "title"))
    real_rounds = list(CommentRound.objects.values_list("slug", "starts_at", "ends_at"))
    output = generate()
    assert "Benchmark data generated" in output

    # 16 goals: the real ones unchanged, the rest synthetic, published, with content.
    assert Goal.objects.count() == 16
    assert real_goals <= set(Goal.objects.values_list("slug", "status", "title"))
    synthetic = Goal.objects.filter(slug__startswith="benchmark-ziel-")
    assert synthetic.count() == 16 - len(real_goals)
    for goal in synthetic:
        assert goal.title.startswith("Benchmark-Ziel ")
        assert goal.is_published
        assert KeyMessage.objects.filter(goal=goal).count() >= 3
        assert MeasureGoal.objects.filter(goal=goal).count() >= 5
    assert Event.objects.count() == 60
    assert (
        list(
            CommentRound.objects.exclude(slug__startswith="benchmark-").values_list(
                "slug", "starts_at", "ends_at"
            )
        )
        == real_rounds
    )

    accounts = User.objects.filter(email__endswith="@benchmark.example.org")
    assert accounts.count() == 20
    assert EmailAddress.objects.filter(user__in=accounts, verified=True, primary=True).count() == 20
    assert all(
        name.startswith("Benchmark-Konto ")
        for name in accounts.values_list("display_name", flat=True)
    )

    comments = Comment.objects.filter(round__slug__startswith="benchmark-runde-")
    assert comments.count() == Comment.objects.count() == 100
    assert comments.values("round").distinct().count() == 2
    # Uneven: the busiest goal has 20 % of the contributions.
    per_goal = list(comments.values("goal").annotate(n=Count("pk")).order_by("-n"))
    assert per_goal[0]["n"] == 20
    assert per_goal[-1]["n"] < per_goal[1]["n"]
    assert not comments.filter(goal__status=Goal.Status.DRAFT).exists()
    # Replies answer a top-level contribution of the same goal and round, never before it.
    replies = comments.filter(parent__isnull=False).select_related("parent")
    assert replies.exists()
    for reply in replies:
        assert reply.parent.parent_id is None
        assert (reply.goal_id, reply.round_id) == (reply.parent.goal_id, reply.parent.round_id)
        assert reply.created_at >= reply.parent.created_at
    # References point into the contribution's own goal.
    for comment in comments.filter(key_message__isnull=False).select_related("key_message"):
        assert comment.key_message.goal_id == comment.goal_id
    for comment in comments.filter(measure__isnull=False):
        assert comment.measure.goals.filter(pk=comment.goal_id).exists()
    assert Support.objects.filter(comment__in=comments).exists()
    assert not Support.objects.exclude(comment__status=Comment.Status.PUBLISHED).exists()


def test_second_run_leaves_the_same_data_and_removes_posts(seeded):
    generate()
    before = snapshot()
    # A contribution posted through the form during a benchmark run (it has a token).
    posted = Comment.objects.create(
        goal=Goal.objects.get(slug="benchmark-ziel-9"),
        round=CommentRound.objects.get(slug="benchmark-runde-2"),
        author=User.objects.filter(email__endswith="@benchmark.example.org").first(),
        text="Beitrag aus bench/run",
        submission_token=uuid.uuid4(),
    )
    output = generate()
    assert "already there" in output and "removed 1 contributions" in output
    assert not Comment.objects.filter(pk=posted.pk).exists()
    assert snapshot() == before


def test_other_parameters_replace_the_synthetic_data(seeded):
    generate()
    first = snapshot()
    generate(seed=7)
    assert snapshot()["comments"] != first["comments"]
    assert Goal.objects.count() == 16 and Event.objects.count() == 60
    assert Comment.objects.count() == 100
    assert User.objects.filter(email__endswith="@benchmark.example.org").count() == 20
    generate(reset=True, seed=7)
    assert Comment.objects.count() == 100
