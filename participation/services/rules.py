"""The rules every citizen's write passes (`check_may_write`): a verified e-mail address, an
open comment round for the goal, and for new contributions the rate limit."""

from datetime import datetime

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.utils.translation import gettext as _

from goals.models import Goal
from participation.models import (
    CommentRound,
    User,
)

RATE_LIMIT_COUNT = 5
RATE_LIMIT_SECONDS = 10 * 60


class ContributionRefused(Exception):
    """A write the user may not make; the message is German and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ModerationRefused(ContributionRefused):
    pass


def user_is_verified(user: User) -> bool:
    return (
        user.is_authenticated
        and not user.is_deleted
        and not user.is_blocked
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


def open_round_for(goal: Goal, now: datetime | None = None) -> CommentRound | None:
    return (
        CommentRound.objects.published().open(now).for_goal(goal).order_by("ends_at", "pk").first()
    )


def check_may_write(*, user: User, goal: Goal, now: datetime) -> CommentRound:
    if not user_is_verified(user):
        raise ContributionRefused(
            _(
                "Please confirm your e-mail address first. Only accounts with a confirmed "
                "e-mail address can take part."
            )
        )
    comment_round = open_round_for(goal, now)
    if comment_round is None:
        raise ContributionRefused(
            _(
                "No comment round is open for this goal at the moment, so contributions and "
                "supports are not possible. The discussion stays readable."
            )
        )
    return comment_round


def lock_account(user: User) -> None:
    """Holds the account's row until the surrounding transaction ends.

    Every write whose rule depends on the account's earlier writes (the rate limit, one support
    per contribution, one contribution per submission token) takes this lock first, so parallel
    requests of one account run one after the other instead of all passing the same check.
    """
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()


def _rate_limit_key(user: User) -> str:
    return f"participation:contributions:{user.pk}"


def check_rate_limit(user: User) -> None:
    if cache.get(_rate_limit_key(user), 0) >= RATE_LIMIT_COUNT:
        raise ContributionRefused(
            _(
                "You have written %(count)s contributions in the last %(minutes)s minutes. "
                "Please wait a few minutes before you write the next one; your text is kept below."
            )
            % {"count": RATE_LIMIT_COUNT, "minutes": RATE_LIMIT_SECONDS // 60}
        )


def count_for_rate_limit(user: User) -> None:
    # A fixed window that starts with the first contribution; the shared cache makes it hold
    # across all worker processes.
    key = _rate_limit_key(user)
    if not cache.add(key, 1, RATE_LIMIT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, RATE_LIMIT_SECONDS)
