"""Atom feeds: a goal's contributions and answers, and all answers of the city."""

from datetime import timedelta

import feedparser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal
from participation.models import Comment, OfficialAnswer
from tests.participation.conftest import make_comment


def parse(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def make_public_and_private(goal, comment_round, citizen, other_citizen) -> dict[str, Comment]:
    now = timezone.now()
    comments = {
        status: make_comment(
            goal=goal,
            comment_round=comment_round,
            author=citizen,
            text=f"Text {status}",
            status=status,
            created_at=now - timedelta(hours=i),
        )
        for i, status in enumerate(Comment.Status.values)
    }
    published = comments[Comment.Status.PUBLISHED]
    published.pending_text = "Noch nicht freigegebene Änderung"
    published.save()
    OfficialAnswer.objects.create(comment=published, text="Antwort auf veröffentlicht")
    OfficialAnswer.objects.create(
        comment=comments[Comment.Status.HIDDEN], text="Antwort auf ausgeblendet"
    )
    OfficialAnswer.objects.create(
        comment=comments[Comment.Status.WITHDRAWN], text="Antwort auf zurückgezogen"
    )
    return comments


def test_goal_feed_lists_published_contributions_and_answers_only(
    client, goal, open_round, citizen, other_citizen
):
    make_public_and_private(goal, open_round, citizen, other_citizen)
    response = client.get(reverse("participation:goal-feed", args=[goal.slug]))
    feed = parse(response)
    assert feed.feed.title == "Mobilität neu denken! – Beiträge und Antworten"
    texts = [entry.summary for entry in feed.entries]
    assert sorted(texts) == ["Antwort auf veröffentlicht", "Text published"]
    body = response.content.decode()
    for secret in ["Text pending", "Text hidden", "Text withdrawn", "Noch nicht freigegebene"]:
        assert secret not in body
    assert "ausgeblendet" not in body and "zurückgezogen" not in body
    # Never the pseudonym or the e-mail address of the author.
    assert citizen.display_name not in body and citizen.email not in body
    [answer] = [e for e in feed.entries if e.summary.startswith("Antwort")]
    assert answer.author == "Stadt Hagen"
    published = Comment.objects.get(text="Text published")
    assert answer.link.endswith(f"{goal.get_absolute_url()}#beitrag-{published.pk}")
    assert len({entry.id for entry in feed.entries}) == 2


def test_goal_feed_leaves_out_unpublished_rounds(client, goal, open_round, citizen):
    open_round.is_published = False
    open_round.save()
    make_comment(
        goal=goal, comment_round=open_round, author=citizen, text="Unveröffentlichte Runde"
    )
    feed = parse(client.get(reverse("participation:goal-feed", args=[goal.slug])))
    assert feed.entries == []


def test_draft_goal_has_no_feed(client, goal):
    goal.status = Goal.Status.DRAFT
    goal.save()
    assert client.get(reverse("participation:goal-feed", args=[goal.slug])).status_code == 404


def test_answers_feed_lists_every_public_answer_newest_first(
    client, goal, other_goal, open_round, citizen, other_citizen
):
    make_public_and_private(goal, open_round, citizen, other_citizen)
    other = make_comment(goal=other_goal, comment_round=open_round, author=other_citizen)
    OfficialAnswer.objects.create(
        comment=other, text="Antwort zu Zentren", created_at=timezone.now() + timedelta(minutes=1)
    )
    response = client.get(reverse("participation:answers-feed"))
    feed = parse(response)
    assert feed.feed.title == "HAGENplant 2035 – Antworten der Stadt Hagen"
    assert [entry.summary for entry in feed.entries] == [
        "Antwort zu Zentren",
        "Antwort auf veröffentlicht",
    ]
    assert other_goal.get_absolute_url() in feed.entries[0].link
    assert "ausgeblendet" not in response.content.decode()


def test_pages_advertise_their_feeds(client, goal, open_round):
    goal_page = client.get(goal.get_absolute_url()).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Neue Beiträge und Antworten zu '
        in goal_page
    )
    assert f'href="/ziele/{goal.slug}/feed/"' in goal_page
    index = client.get(reverse("participation:index")).content.decode()
    assert 'type="application/atom+xml"' in index
    assert 'href="/beteiligung/antworten/feed/"' in index


def test_feed_query_count_does_not_grow(client, goal, open_round, citizen):
    url = reverse("participation:goal-feed", args=[goal.slug])
    client.get(url)  # the current site is looked up once and then cached

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    make_comment(goal=goal, comment_round=open_round, author=citizen)
    small = count()
    for i in range(30):
        comment = make_comment(goal=goal, comment_round=open_round, author=citizen, text=f"B{i}")
        OfficialAnswer.objects.create(comment=comment, text=f"A{i}")
    assert count() == small
