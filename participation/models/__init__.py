"""The participation models, one module per concern; import them from here."""

from .accounts import AccountLogEntry, User, UserManager
from .contributions import (
    Comment,
    CommentQuerySet,
    ContributionCount,
    ContributionVersion,
    Support,
)
from .evaluation import Department, EvaluationTag, OfficialAnswer
from .follows import Follow, FollowNotice, FollowQuerySet
from .moderation import (
    ModerationDigest,
    ModerationLogEntry,
    Objection,
    ObjectionQuerySet,
    Report,
    ReportQuerySet,
)
from .rounds import CommentRound, CommentRoundQuerySet
from .tally import TalliedContribution, TallyCell

__all__ = [
    "ContributionCount",
    "AccountLogEntry",
    "Comment",
    "CommentQuerySet",
    "CommentRound",
    "CommentRoundQuerySet",
    "ContributionVersion",
    "Department",
    "EvaluationTag",
    "Follow",
    "FollowNotice",
    "FollowQuerySet",
    "ModerationDigest",
    "ModerationLogEntry",
    "Objection",
    "ObjectionQuerySet",
    "OfficialAnswer",
    "Report",
    "ReportQuerySet",
    "Support",
    "TalliedContribution",
    "TallyCell",
    "User",
    "UserManager",
]
