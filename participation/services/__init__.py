"""The participation writes, one module per concern; import them from here."""

from . import imports
from .accounts import (
    AccountActionRefused,
    account_block,
    account_data_export,
    account_delete,
    account_set_roles,
    account_unblock,
    may_block,
    notification_unsubscribe,
    role_groups,
    user_contributions,
)
from .contributions import (
    comment_create,
    comment_edit,
    comment_withdraw,
    support_toggle,
    workshop_contribution_create,
)
from .evaluation import EvaluationRefused, answer_create, comment_evaluate, outcome_log
from .follows import follow_add, follow_remove, is_following, send_follow_news
from .imports import ImportRefused, ImportReport, contributions_import
from .moderation import (
    comment_approve,
    comment_hide,
    comment_object,
    comment_report,
    comment_restore,
    moderation_actions,
    moderation_actions_for,
    moderation_digest_send,
)
from .rules import ContributionRefused, ModerationRefused, open_round_for, user_is_verified

__all__ = [
    "AccountActionRefused",
    "account_block",
    "account_set_roles",
    "account_unblock",
    "may_block",
    "role_groups",
    "ContributionRefused",
    "EvaluationRefused",
    "ImportRefused",
    "ImportReport",
    "ModerationRefused",
    "account_data_export",
    "account_delete",
    "answer_create",
    "comment_approve",
    "comment_create",
    "comment_edit",
    "comment_evaluate",
    "comment_hide",
    "comment_object",
    "comment_report",
    "comment_restore",
    "comment_withdraw",
    "follow_add",
    "follow_remove",
    "is_following",
    "imports",
    "contributions_import",
    "moderation_actions",
    "moderation_actions_for",
    "moderation_digest_send",
    "notification_unsubscribe",
    "open_round_for",
    "outcome_log",
    "send_follow_news",
    "support_toggle",
    "user_contributions",
    "user_is_verified",
    "workshop_contribution_create",
]
