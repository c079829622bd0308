"""Issue 17: the statistics page reads counts kept on every write; they always equal a full
recount of the contributions, whatever the write, and the page's queries do not grow."""

import threading
from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone

from events.models import District, Event
from participation import services, statistics
from participation.models import Comment, Support, TalliedContribution, TallyCell
from participation.services.tally import counted_now, tally_rebuild
from tests.conftest import make_user

from .conftest import make_comment, make_round


def full_recount() -> dict[tuple, tuple[int, int]]:
    totals = defaultdict(lambda: [0, 0])
    for key, supports in counted_now(Comment.objects.all()).values():
        totals[key][0] += 1
        totals[key][1] += supports
    return {key: tuple(value) for key, value in totals.items()}


def kept_counts() -> dict[tuple, tuple[int, int]]:
    return {
        cell.key: (cell.contributions, cell.supports)
        for cell in TallyCell.objects.all()
        if cell.contributions or cell.supports
    }


def page_figures() -> list:
    """Every figure of the statistics page, as the page shows them."""
    overview = statistics.overview()
    return [
        [
            (
                str(row["label"]),
                row["total"],
                row["hidden"],
                row["workshop"],
                row["supports"],
                row["outcomes"],
            )
            for row in table["rows"]
        ]
        for table in overview["tables"]
    ] + [overview["tally"]]


def recounted_page_figures() -> list:
    """The same figures counted from every contribution, as the page did before it kept counts."""
    TallyCell.objects.all().delete()
    tally_rebuild()
    return page_figures()


def assert_exact() -> None:
    assert kept_counts() == full_recount()
    shown = page_figures()
    assert shown == recounted_page_figures()


@pytest.fixture
def haspe(db) -> District:
    return District.objects.create(name="Haspe", slug="haspe", position=3)


@pytest.fixture
def eilpe(db) -> District:
    return District.objects.create(name="Eilpe", slug="eilpe", position=4)


def test_counts_equal_a_full_recount_after_every_kind_of_write(
    goal, other_goal, open_round, citizen, other_citizen, moderator, editor, haspe, eilpe
):
    citizen.district = haspe
    citizen.save()
    post, _new = services.comment_create(author=citizen, goal=goal, text="Mehr Bänke am Volmeufer")
    reply, _new = services.comment_create(
        author=other_citizen, goal=goal, text="Und Schatten", parent=post
    )
    assert_exact()
    services.support_toggle(comment=post, user=other_citizen)
    services.support_toggle(comment=reply, user=citizen)
    assert_exact()
    services.support_toggle(comment=reply, user=citizen)  # taken back
    assert_exact()
    services.comment_hide(
        comment=post, moderator=moderator, reason=Comment.ModerationReason.SPAM, note="Werbung"
    )
    assert_exact()
    services.comment_restore(comment=Comment.objects.get(pk=post.pk), moderator=moderator)
    assert_exact()
    services.comment_withdraw(comment=Comment.objects.get(pk=reply.pk), user=other_citizen)
    assert_exact()
    # Pre-moderation: not counted until approved.
    open_round.moderation = open_round.Moderation.PRE
    open_round.save()
    waiting, _new = services.comment_create(
        author=other_citizen, goal=other_goal, text="Ein Spielplatz"
    )
    assert waiting.status == Comment.Status.PENDING
    assert_exact()
    services.comment_approve(comment=waiting, moderator=moderator)
    assert_exact()
    # Workshop input counts for its event's district.
    workshop = Event.objects.create(
        slug="werkstatt-eilpe",
        title="Werkstatt Eilpe",
        starts_at=timezone.now() - timedelta(days=1),
        district=eilpe,
    )
    card = services.workshop_contribution_create(
        editor=editor, goal=goal, round=open_round, event=workshop, text="Radweg Eilper Straße"
    )
    assert_exact()
    workshop.district = haspe
    workshop.save()
    assert_exact()
    services.comment_evaluate(
        comment=card, editor=editor, changes={"outcome": Comment.Outcome.FORWARDED}
    )
    assert_exact()
    # The author moves, then deletes the account: the contributions stay and count elsewhere.
    citizen.district = eilpe
    citizen.save(update_fields=["district"])
    assert_exact()
    services.account_delete(citizen)
    assert_exact()
    # An editor moves a contribution to another round and goal.
    later = make_round(
        slug="spaeter",
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=60),
    )
    moved = Comment.objects.get(pk=post.pk)
    moved.round, moved.goal = later, other_goal
    moved.save()
    assert_exact()
    later.is_published = False  # its row leaves the table per round
    later.save()
    assert_exact()
    Support.objects.filter(comment=moved).delete()
    extra = make_comment(goal=goal, comment_round=open_round, author=other_citizen)
    Support.objects.create(comment=extra, user=other_citizen)
    assert_exact()
    extra.delete()
    assert_exact()
    assert kept_counts()


def test_imported_contributions_are_counted(tmp_path, goal, open_round, haspe):
    path = tmp_path / "karten.csv"
    path.write_bytes("Text;Ziel;Stadtbezirk\r\nMehr Bänke;10;Haspe\r\nTempo 30;10;\r\n".encode())
    call_command(
        "import_contributions",
        str(path),
        "--round",
        open_round.slug,
        "--source",
        "imported",
        "--origin",
        "Plan-Portal",
        "--apply",
        stdout=None,
    )
    assert Comment.objects.count() == 2
    assert_exact()
    assert full_recount()[(goal.pk, open_round.pk, haspe.pk, "imported", False, "")] == (1, 0)


def test_rebuild_command_repairs_counts_that_went_wrong(comment, other_citizen):
    Support.objects.create(comment=comment, user=other_citizen)
    TallyCell.objects.update(contributions=99, supports=7)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)  # no signal
    call_command("rebuild_statistics", stdout=None)
    assert kept_counts() == full_recount()
    assert TalliedContribution.objects.get().cell.is_hidden


def test_statistics_page_shows_the_kept_counts(client, settings, comment, other_citizen):
    settings.PAGE_CACHE_ENABLED = False
    Support.objects.create(comment=comment, user=other_citizen)
    html = client.get("/beteiligung/statistik/").content.decode()
    assert "Hagener Zentren: 1" in html or f"{comment.goal.title}: 1" in html
    TallyCell.objects.update(contributions=5)  # the page reads the counts, not the rows
    html = client.get("/beteiligung/statistik/").content.decode()
    assert f"{comment.goal.title}: 5" in html


def write_at_once(*writes) -> None:
    """Run each write in its own thread and database connection, all started together."""
    barrier = threading.Barrier(len(writes))
    errors = []

    def run(write):
        try:
            barrier.wait()
            write()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_two_writes_at_once_lose_no_count(goal, open_round, citizen, moderator):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write at a time; the race needs PostgreSQL")
    comments = [make_comment(goal=goal, comment_round=open_round, author=citizen) for _ in range(2)]
    voters = [make_user(f"v{n}@example.org", f"V{n}") for n in range(4)]
    target = comments[0]
    for _attempt in range(3):
        write_at_once(
            *(
                lambda voter=voter: Support.objects.create(comment=target, user=voter)
                for voter in voters
            ),
            lambda: make_comment(goal=goal, comment_round=open_round, author=citizen),
            lambda: services.comment_hide(
                comment=Comment.objects.get(pk=comments[1].pk),
                moderator=moderator,
                reason=Comment.ModerationReason.SPAM,
                note="Werbung",
            ),
        )
        assert kept_counts() == full_recount()
        Support.objects.all().delete()
        services.comment_restore(
            comment=Comment.objects.get(pk=comments[1].pk), moderator=moderator
        )
        assert kept_counts() == full_recount()
