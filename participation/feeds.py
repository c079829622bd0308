"""Atom feeds: a goal's new contributions and answers, and every answer of the city.

Only what anyone may read on the goal pages goes in (Comment.objects.public()): never hidden,
pending or withdrawn text, never an edit awaiting moderation, never a pseudonym.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import Goal
from participation.models import Comment, OfficialAnswer

FEED_LENGTH = 50
AUTHOR_CITY = "Stadt Hagen"


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    text: str
    link: str
    published: datetime
    updated: datetime
    category: str
    author: str


def _contribution_entry(comment: Comment, domain: str) -> Entry:
    return Entry(
        guid=f"tag:{domain},2018:beitrag-{comment.pk}",
        title=_("Contribution: %(text)s") % {"text": Truncator(comment.text).chars(80)},
        text=comment.text,
        link=comment.get_absolute_url(),
        published=comment.created_at,
        updated=comment.edited_at or comment.created_at,
        category=_("Contribution"),
        # Never the pseudonym: a feed is copied and kept where a withdrawal cannot reach.
        author=_("Contribution from the public"),
    )


def _answer_entry(answer: OfficialAnswer, domain: str) -> Entry:
    comment = answer.comment
    return Entry(
        guid=f"tag:{domain},2018:antwort-{answer.pk}",
        title=_("Answer of the City of Hagen on: %(text)s")
        % {"text": Truncator(comment.text).chars(60)},
        text=answer.text,
        link=comment.get_absolute_url(),
        published=answer.created_at,
        updated=answer.updated_at or answer.created_at,
        category=_("Answer of the City of Hagen"),
        author=AUTHOR_CITY,
    )


def _newest(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.published, e.guid), reverse=True)[:FEED_LENGTH]


class _AtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = AUTHOR_CITY

    def __call__(self, request: HttpRequest, *args, **kwargs):
        self.domain = request.get_host().split(":")[0]
        return super().__call__(request, *args, **kwargs)

    def item_guid(self, item: Entry) -> str:
        return item.guid

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.text

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_pubdate(self, item: Entry) -> datetime:
        return item.published

    def item_updateddate(self, item: Entry) -> datetime:
        return item.updated

    def item_categories(self, item: Entry) -> list[str]:
        return [item.category]

    def item_author_name(self, item: Entry) -> str:
        return item.author


class GoalFeed(_AtomFeed):
    """New published contributions and official answers on one goal, newest first."""

    def get_object(self, request: HttpRequest, slug: str) -> Goal:
        return get_object_or_404(Goal.objects.published(), slug=slug)

    def title(self, goal: Goal) -> str:
        return _("%(goal)s – contributions and answers") % {"goal": goal.full_title}

    def subtitle(self, goal: Goal) -> str:
        return _(
            "New contributions and answers of the City of Hagen on this goal of HAGENplant 2035."
        )

    def link(self, goal: Goal) -> str:
        return goal.get_absolute_url()

    def feed_url(self, goal: Goal) -> str:
        return reverse("participation:goal-feed", kwargs={"slug": goal.slug})

    def items(self, goal: Goal) -> list[Entry]:
        comments = Comment.objects.public().filter(goal=goal).newest_first()[:FEED_LENGTH]
        answers = (
            OfficialAnswer.objects.public()
            .filter(comment__goal=goal)
            .select_related("comment__goal")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )
        return _newest(
            [_contribution_entry(c, self.domain) for c in comments.select_related("goal")]
            + [_answer_entry(a, self.domain) for a in answers]
        )


class AnswersFeed(_AtomFeed):
    """Every official answer of the city („Antworten der Stadt“), newest first."""

    title = gettext_lazy("HAGENplant 2035 – Answers of the City of Hagen")
    subtitle = gettext_lazy("The city's answers to contributions on the goals of HAGENplant 2035.")

    def link(self) -> str:
        return reverse("participation:index")

    def feed_url(self) -> str:
        return reverse("participation:answers-feed")

    def items(self) -> list[Entry]:
        answers = (
            OfficialAnswer.objects.public()
            .select_related("comment__goal")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )
        return [_answer_entry(a, self.domain) for a in answers]
