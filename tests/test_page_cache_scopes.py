"""Issue 17: a write makes stale only the stored pages that show what it changed; those pages are
never served stale, in any worker, and every other page stays in the cache."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from events.models import District
from goals.models import Goal
from hagen_isek import page_cache, page_scopes
from hagen_isek.page_cache import HEADER, LocalPages
from participation import services
from participation.models import Comment
from tests.conftest import make_user
from tests.participation.conftest import make_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def scene(seeded, citizen):
    now = timezone.now()
    make_round(slug="offen", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=9))
    goal_x, goal_y = Goal.objects.published()[:2]
    home, other = District.objects.all()[:2]
    citizen.district = home
    citizen.save()
    return goal_x, goal_y, home, other


def cached(url: str) -> str:
    """Render the page into the cache (if it is not there) and prove it is served from there."""
    Client().get(url)
    response = Client().get(url)
    assert response[HEADER] == "hit", url
    return response.content.decode()


def served(url: str):
    return Client().get(url)


def test_a_post_on_one_goal_leaves_the_pages_of_other_goals_and_districts_cached(
    scene, citizen_client
):
    goal_x, goal_y, home, other = scene
    pages = {
        "x": goal_x.get_absolute_url(),
        "y": goal_y.get_absolute_url(),
        "home": "/",
        "statistics": "/beteiligung/statistik/",
        "own district": f"/bezirke/{home.slug}/",
        "other district": f"/bezirke/{other.slug}/",
        "calendar": "/termine/",
    }
    before = {name: cached(url) for name, url in pages.items()}
    text = "Der Bahnhofsvorplatz braucht mehr Bänke und Schatten."
    response = citizen_client.post(f"/ziele/{goal_x.slug}/beitraege/neu/", {"text": text})
    assert response.status_code == 302
    assert Comment.objects.get(text=text).status == Comment.Status.PUBLISHED

    # The home page shows no contribution and no figure of them.
    for name in ("y", "other district", "calendar", "home"):
        response = served(pages[name])
        assert response[HEADER] == "hit", name
        assert response.content.decode() == before[name]
    for name in ("x", "statistics", "own district"):
        assert served(pages[name])[HEADER] == "miss", name
    assert text in served(pages["x"]).content.decode()


def test_moderation_and_answers_make_stale_only_the_goals_pages(scene, moderator, editor):
    goal_x, goal_y, _home, _other = scene
    author = make_user("carla@example.org", "Carla")
    comment, _new = services.comment_create(
        author=author, goal=goal_x, text="Eine Beleidigung, die verschwinden muss."
    )
    x, y = goal_x.get_absolute_url(), goal_y.get_absolute_url()
    assert "Eine Beleidigung" in cached(x)
    cached(y)

    services.comment_hide(
        comment=comment, moderator=moderator, reason=Comment.ModerationReason.INSULT, note="Nein"
    )
    assert served(y)[HEADER] == "hit"
    response = served(x)
    assert response[HEADER] == "miss"
    assert "Eine Beleidigung" not in response.content.decode()

    services.comment_restore(comment=Comment.objects.get(pk=comment.pk), moderator=moderator)
    cached(x)
    services.answer_create(comment=comment, author=editor, text="Die Stadt prüft den Vorschlag.")
    assert served(y)[HEADER] == "hit"
    response = served(x)
    assert response[HEADER] == "miss"
    assert "Die Stadt prüft den Vorschlag." in response.content.decode()


def test_a_contribution_moved_to_another_goal_leaves_neither_page_stale(scene, editor):
    goal_x, goal_y, _home, _other = scene
    author = make_user("carla@example.org", "Carla")
    comment, _new = services.comment_create(author=author, goal=goal_x, text="Falsch einsortiert.")
    x, y = goal_x.get_absolute_url(), goal_y.get_absolute_url()
    assert "Falsch einsortiert." in cached(x)
    assert "Falsch einsortiert." not in cached(y)
    moved = Comment.objects.get(pk=comment.pk)
    moved.goal = goal_y
    moved.save()  # as the admin's change form saves
    assert "Falsch einsortiert." not in served(x).content.decode()
    assert "Falsch einsortiert." in served(y).content.decode()


def test_an_editors_change_makes_every_page_stale(scene):
    goal_x, goal_y, _home, _other = scene
    cached(goal_y.get_absolute_url())
    cached("/termine/")
    goal_x.title = "Ein neuer Titel"
    goal_x.save()  # goal titles appear in every page's navigation
    assert served(goal_y.get_absolute_url())[HEADER] == "miss"
    assert served("/termine/")[HEADER] == "miss"


def test_another_worker_never_serves_a_page_that_a_write_made_stale(scene, monkeypatch):
    """Two workers share only the cache: the write's versions are there, not in this process."""
    goal_x, goal_y, _home, _other = scene
    x, y = goal_x.get_absolute_url(), goal_y.get_absolute_url()
    cached(x)
    cached(y)
    worker_a = page_cache._local_pages  # holds both pages now
    worker_b = LocalPages()
    monkeypatch.setattr(page_cache, "_local_pages", worker_b)
    assert served(x)[HEADER] == "hit"  # worker B: from the shared cache
    author = make_user("carla@example.org", "Carla")
    services.comment_create(author=author, goal=goal_x, text="Von Arbeiter B geschrieben.")
    monkeypatch.setattr(page_cache, "_local_pages", worker_a)
    response = served(x)
    assert response[HEADER] == "miss"
    assert "Von Arbeiter B geschrieben." in response.content.decode()
    assert served(y)[HEADER] == "hit"


def test_a_hit_reads_the_shared_cache_once_and_never_the_database(scene, django_assert_num_queries):
    goal_x, _goal_y, _home, _other = scene
    url = goal_x.get_absolute_url()
    cached(url)
    pages = caches["pages"]
    calls = []
    original = pages.get_many

    def counting(keys, *args, **kwargs):
        calls.append(keys)
        return original(keys, *args, **kwargs)

    pages.get_many = counting
    try:
        if pages.__class__.__name__ == "RedisCache":
            with django_assert_num_queries(0):
                assert served(url)[HEADER] == "hit"
        else:
            with django_assert_num_queries(1):  # the database cache: one SELECT of the versions
                assert served(url)[HEADER] == "hit"
    finally:
        del pages.get_many
    assert len(calls) == 1


def test_the_page_cache_keeps_each_language_apart(scene):
    goal_x, _goal_y, _home, _other = scene
    german = cached(goal_x.get_absolute_url())
    english = cached("/en" + goal_x.get_absolute_url())
    assert german != english
    assert '<html lang="de"' in german and '<html lang="en"' in english


def test_every_page_depends_on_the_site_and_known_pages_on_their_scope():
    assert page_scopes.of_page("/ziele/mobilitaet/") == ("site", "goal:mobilitaet")
    assert page_scopes.of_page("/en/ziele/mobilitaet/") == ("site", "goal:mobilitaet")
    assert page_scopes.of_page("/bezirke/haspe/") == ("site", "district:haspe")
    assert page_scopes.of_page("/termine/") == ("site",)
    assert page_scopes.of_page("/") == ("site",)
    assert page_scopes.of_page("/beteiligung/statistik/") == ("site", "contributions")
    assert page_scopes.of_page("/gibt-es-nicht/") == ("site", "contributions")


def test_a_saved_contribution_has_the_same_scopes_from_its_loaded_rows_as_from_a_query(scene):
    from events.models import Event
    from participation.models import CommentRound

    goal_x, _goal_y, home, other = scene
    author = make_user("mit-bezirk@example.org", "Mit Bezirk")
    author.district = home
    author.save()
    author = type(author).objects.get(pk=author.pk)  # its district not loaded
    event = Event.objects.filter(district__isnull=False).exclude(district=home).first()
    comment_round = CommentRound.objects.get(slug="offen")
    for extra in ({}, {"district": other}, {"event": event} if event else {}):
        comment = Comment.objects.create(
            goal=goal_x, round=comment_round, author=author, text="Ein Ort", **extra
        )
        assert page_scopes._loaded_slugs(comment) is not None  # no query needed
        queried = page_scopes.of_contribution(Comment(pk=comment.pk))
        assert page_scopes.of_write(comment) == queried
        assert f"district:{home.slug}" in queried  # the author's, through the kept districts


def test_the_pages_said_to_show_no_contributions_do_not_change_with_any_write_to_them(
    scene, citizen, moderator, editor, settings
):
    from django.urls import NoReverseMatch, reverse

    from events.models import Event
    from goals.models import Measure
    from participation.models import Support

    goal_x, _goal_y, home, _other = scene
    urls = []
    for name in sorted(page_scopes.PAGES_WITHOUT_CONTRIBUTIONS):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:  # a page of one event or district: its own scope covers it
            event = Event.objects.published().first()
            if name == "events:detail" and event:
                urls.append(event.get_absolute_url())
    assert "/" in urls and "/ziele/" in urls and "/termine/" in urls

    settings.PAGE_CACHE_ENABLED = False  # each page as rendered now

    def pages() -> dict[str, str]:
        return {url: Client().get(url).content.decode() for url in urls}

    before = pages()
    author = make_user("dora@example.org", "Dora")
    comment, _new = services.comment_create(author=author, goal=goal_x, text="Mehr Bänke!")
    services.support_toggle(comment=comment, user=citizen)
    services.answer_create(comment=comment, author=editor, text="Die Stadt prüft das.")
    measure = Measure.objects.filter(goal_links__goal=goal_x).first()
    if measure:
        services.comment_evaluate(
            comment=comment,
            editor=editor,
            changes={"outcome": Comment.Outcome.ADOPTED, "outcome_measure": measure},
        )
    services.comment_hide(
        comment=comment, moderator=moderator, reason=Comment.ModerationReason.SPAM, note="Test"
    )
    assert Support.objects.filter(comment=comment).exists()
    after = pages()
    for url in urls:
        assert after[url] == before[url], url
