"""The participation models, one module per concern; import them from here."""

from .accounts import User, UserManager
from .contributions import Comment, CommentQuerySet, ContributionVersion, Support
from .evaluation import Department, EvaluationTag, OfficialAnswer
from .follows import Follow, FollowNotice, FollowQuerySet
from .moderation import ModerationDigest, ModerationLogEntry, Report, ReportQuerySet
from .rounds import CommentRound, CommentRoundQuerySet

__all__ = [
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
    "OfficialAnswer",
    "Report",
    "ReportQuerySet",
    "Support",
    "User",
    "UserManager",
]
