"""Following goals and districts, and the news their followers get by e-mail.

What a follower hears about ("there" = the followed goal, or for a district: its events and
the workshop input from them; a resident's district is never used, it is private):
- `follow_answers`: a new official answer or a recorded outcome on a published contribution;
- `follow_rounds`: a published comment round covering the goal opens, or ends within
  ROUND_ENDING_SOON (a district's followers hear about every round: rounds are city-wide);
- `follow_events`: a new published date.
Only news from after the follow began, at most LOOKBACK old. `send_follow_news` is run from cron
(single e-mails hourly, `--digest` weekly); the FollowNotice rows make it safe to run twice.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from events.models import District, Event
from goals.models import Goal
from participation import notifications
from participation.models import (
    Comment,
    CommentRound,
    Follow,
    FollowNotice,
    OfficialAnswer,
    User,
)

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(days=14)
ROUND_ENDING_SOON = timedelta(days=3)
DIGEST_INTERVAL = timedelta(days=7)
Item = FollowNotice.Item
# Which preference (and unsubscribe kind, see notifications.KINDS) each item belongs to.
KIND_OF_ITEM = {
    Item.ANSWER: "follow_answers",
    Item.OUTCOME: "follow_answers",
    Item.ROUND_OPEN: "follow_rounds",
    Item.ROUND_ENDING: "follow_rounds",
    Item.EVENT: "follow_events",
}
PREFERENCE_OF_KIND = {kind: notifications.KINDS[kind][0] for kind in set(KIND_OF_ITEM.values())}


def follow_add(*, user: User, goal: Goal | None = None, district: District | None = None) -> bool:
    """Follow a goal or a district; False if the user already did (a double click)."""
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, goal=goal, district=district)
    except IntegrityError:
        return False
    return True


def follow_remove(*, user: User, goal: Goal | None = None, district: District | None = None):
    target = {"goal": goal} if goal else {"district": district}
    Follow.objects.filter(user=user, **target).delete()


def is_following(user: User, *, goal: Goal | None = None, district: District | None = None):
    if not user.is_authenticated:
        return False
    target = {"goal": goal} if goal else {"district": district}
    return Follow.objects.filter(user=user, **target).exists()


@dataclass(frozen=True)
class NewsItem:
    item: str  # FollowNotice.Item
    object_id: int
    happened_at: datetime  # news older than the follow is not sent
    goal_ids: frozenset[int]  # the goals it concerns
    district_ids: frozenset[int]
    all_goals: bool  # a round without goals covers every goal and district
    subject: Promise | str
    headline: str
    text: str
    path: str

    @property
    def kind(self) -> str:
        return KIND_OF_ITEM[self.item]

    def concerns(self, follow: Follow) -> bool:
        if self.all_goals:
            return True
        if follow.goal_id:
            return follow.goal_id in self.goal_ids
        return follow.district_id in self.district_ids


def _day(value: datetime) -> str:
    return date_format(timezone.localtime(value), "DATE_FORMAT")


def _answer_items(since: datetime) -> list[NewsItem]:
    answers = OfficialAnswer.objects.filter(
        created_at__gte=since,
        comment__in=Comment.objects.published(),
        comment__goal__in=Goal.objects.published(),
    ).select_related("comment__goal", "comment__event")
    return [
        NewsItem(
            Item.ANSWER,
            answer.pk,
            answer.created_at,
            frozenset({answer.comment.goal_id}),
            frozenset({answer.comment.event.district_id} if answer.comment.event else ()),
            False,
            _("New answer of the City of Hagen: %(goal)s") % {"goal": answer.comment.goal.title},
            answer.comment.goal.full_title,
            str(_("The City of Hagen answered a contribution: „%(text)s“"))
            % {"text": Truncator(answer.text).chars(200)},
            answer.comment.get_absolute_url(),
        )
        for answer in answers
    ]


def _outcome_items(since: datetime) -> list[NewsItem]:
    comments = (
        Comment.objects.published()
        .filter(goal__in=Goal.objects.published(), outcome_at__gte=since)
        .exclude(outcome="")
        .select_related("goal", "event")
    )
    return [
        NewsItem(
            Item.OUTCOME,
            comment.pk,
            comment.outcome_at,
            frozenset({comment.goal_id}),
            frozenset({comment.event.district_id} if comment.event else ()),
            False,
            _("Outcome of a contribution: %(goal)s") % {"goal": comment.goal.title},
            comment.goal.full_title,
            str(_("What became of a contribution: %(outcome)s."))
            % {"outcome": comment.get_outcome_display()},
            comment.get_absolute_url(),
        )
        for comment in comments
    ]


def _round_items(now: datetime, since: datetime, ending_window: timedelta) -> list[NewsItem]:
    rounds = (
        CommentRound.objects.published()
        .open(now)
        .filter(Q(starts_at__gte=since) | Q(ends_at__lte=now + ending_window))
        .prefetch_related("goals")
    )
    items = []
    for comment_round in rounds:
        goal_ids = frozenset(goal.pk for goal in comment_round.goals.all())
        common = {
            "object_id": comment_round.pk,
            "goal_ids": goal_ids,
            "district_ids": frozenset(),
            # Rounds are city-wide: a district's followers hear about every one.
            "all_goals": not goal_ids,
            "headline": comment_round.title,
            "path": comment_round.get_absolute_url(),
        }
        last_day = date_format(comment_round.last_day, "DATE_FORMAT")
        if comment_round.starts_at >= since:
            items.append(
                NewsItem(
                    item=Item.ROUND_OPEN,
                    happened_at=comment_round.starts_at,
                    subject=_("Comment round open: %(title)s") % {"title": comment_round.title},
                    text=str(_("Contributions are welcome until %(day)s.")) % {"day": last_day},
                    **common,
                )
            )
        if comment_round.ends_at <= now + ending_window:
            items.append(
                NewsItem(
                    item=Item.ROUND_ENDING,
                    happened_at=now,
                    subject=_("Comment round ends soon: %(title)s")
                    % {"title": comment_round.title},
                    text=str(_("Last chance: contributions are accepted until %(day)s."))
                    % {"day": last_day},
                    **common,
                )
            )
    return items


def _event_items(since: datetime) -> list[NewsItem]:
    events = (
        Event.objects.published()
        .filter(created_at__gte=since)
        .exclude(status=Event.Status.CANCELLED)
        .select_related("district")
        .prefetch_related("goals")
    )
    items = []
    for event in events:
        when = _day(event.starts_at) if event.starts_at else event.tentative_period
        where = ", ".join(part for part in (event.venue, str(event.district or "")) if part)
        items.append(
            NewsItem(
                Item.EVENT,
                event.pk,
                event.created_at,
                frozenset(goal.pk for goal in event.goals.all()),
                frozenset({event.district_id} if event.district_id else ()),
                False,
                _("New date: %(title)s") % {"title": event.title},
                event.title,
                " · ".join(part for part in (when, where) if part),
                event.get_absolute_url(),
            )
        )
    return items


def _news(now: datetime, *, digest: bool) -> list[NewsItem]:
    since = now - LOOKBACK
    # A digest comes once a week: "ends soon" must cover the week until the next one.
    ending_window = ROUND_ENDING_SOON + (DIGEST_INTERVAL if digest else timedelta(0))
    return (
        _answer_items(since)
        + _outcome_items(since)
        + _round_items(now, since, ending_window)
        + _event_items(since)
    )


def _recipients(*, digest: bool):
    """Followers with a verified address who want news of at least one kind."""
    wanted = Q()
    for field in PREFERENCE_OF_KIND.values():
        wanted |= Q(**{field: True})
    return (
        User.objects.filter(
            wanted,
            follow_digest=digest,
            is_active=True,
            deleted_at__isnull=True,
            email__isnull=False,
            follows__isnull=False,
            emailaddress__verified=True,
        )
        .distinct()
        .order_by("pk")
    )


def news_for(user: User, follows: list[Follow], news: list[NewsItem], sent: set) -> list:
    """The items this user should get now: concerning a follow begun before the news, of a
    kind the user wants, never one already sent (`sent`: (item, object_id) pairs)."""
    chosen, seen = [], set()
    for item in news:
        key = (item.item, item.object_id)
        if key in sent or key in seen or not getattr(user, PREFERENCE_OF_KIND[item.kind]):
            continue
        for follow in follows:
            district_round = follow.district_id and item.item in (
                Item.ROUND_OPEN,
                Item.ROUND_ENDING,
            )
            if (item.concerns(follow) or district_round) and (
                item.item == Item.ROUND_ENDING or item.happened_at >= follow.created_at
            ):
                chosen.append(item)
                seen.add(key)
                break
    return chosen


def _record_and_send(user: User, items: list[NewsItem], *, digest: bool, now: datetime) -> bool:
    """Record and send in one transaction: a failed hand-over records nothing (the next run
    tries again); a concurrent run that recorded the items first makes this one skip them."""
    try:
        with transaction.atomic():
            FollowNotice.objects.bulk_create(
                FollowNotice(
                    user=user,
                    item=item.item,
                    object_id=item.object_id,
                    sent_at=now,
                    in_digest=digest,
                )
                for item in items
            )
            notifications.send_follow_news(user=user, items=items, digest=digest)
    except IntegrityError:
        return False
    except Exception:
        logger.exception("Could not send follow news to user %s; will retry", user.pk)
        return False
    return True


def send_follow_news(*, digest: bool = False, now: datetime | None = None) -> dict[str, int]:
    """Send what followers have not heard yet: one e-mail per item to those who chose single
    e-mails, or (digest=True) one digest each to those who chose the weekly digest. A person
    with nothing new gets nothing: never an empty digest."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):  # subjects and dates in German
        return _send_all(now, digest=digest)


def _send_all(now: datetime, *, digest: bool) -> dict[str, int]:
    news = _news(now, digest=digest)
    counts = {"recipients": 0, "emails": 0, "items": 0}
    if not news:
        return counts
    for user in _recipients(digest=digest).iterator(chunk_size=500):
        follows = list(Follow.objects.of_user(user))
        sent = set(
            FollowNotice.objects.filter(
                user=user, object_id__in={item.object_id for item in news}
            ).values_list("item", "object_id")
        )
        items = news_for(user, follows, news, sent)
        if not items:
            continue
        batches = [items] if digest else [[item] for item in items]
        delivered = 0
        for batch in batches:
            if _record_and_send(user, batch, digest=digest, now=now):
                delivered += 1
                counts["items"] += len(batch)
        if delivered:
            counts["recipients"] += 1
            counts["emails"] += delivered
    return counts
