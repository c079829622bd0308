"""Account services: the data download, deleting an account, e-mail preferences."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hagen_isek.roles import ROLES
from participation import notifications
from participation.models import (
    AccountLogEntry,
    Comment,
    Follow,
    User,
)

from .rules import ContributionRefused


class AccountActionRefused(ContributionRefused):
    """A staff action on an account that is not allowed; the message is German."""


def may_block(*, staff: User, account: User) -> bool:
    """Moderators block citizens' accounts; only superusers block staff; nobody blocks
    themselves or a deleted account."""
    if account.pk == staff.pk or account.is_deleted:
        return False
    if account.is_staff or account.is_superuser:
        return staff.is_superuser
    return staff.has_perm("participation.block_user")


@transaction.atomic
def account_block(*, account: User, staff: User, reason: str) -> AccountLogEntry:
    """Block the account: it can no longer log in (its sessions end) nor write."""
    reason = reason.strip()
    if not reason:
        raise AccountActionRefused(_("Please give the reason for the block."))
    if not may_block(staff=staff, account=account):
        raise AccountActionRefused(_("You may not block this account."))
    locked = User.objects.select_for_update().get(pk=account.pk)
    if locked.is_blocked:
        raise AccountActionRefused(_("This account is already blocked."))
    locked.is_active = False
    locked.blocked_at = timezone.now()
    locked.block_reason = reason
    locked.save(update_fields=["is_active", "blocked_at", "block_reason"])
    account.refresh_from_db()
    return AccountLogEntry.objects.create(
        account=locked, actor=staff, action=AccountLogEntry.Action.BLOCK, reason=reason
    )


@transaction.atomic
def account_unblock(*, account: User, staff: User, reason: str = "") -> AccountLogEntry:
    if not may_block(staff=staff, account=account):
        raise AccountActionRefused(_("You may not unblock this account."))
    locked = User.objects.select_for_update().get(pk=account.pk)
    if not locked.is_blocked:
        raise AccountActionRefused(_("This account is not blocked."))
    locked.is_active = True
    locked.blocked_at = None
    locked.block_reason = ""
    locked.save(update_fields=["is_active", "blocked_at", "block_reason"])
    account.refresh_from_db()
    return AccountLogEntry.objects.create(
        account=locked, actor=staff, action=AccountLogEntry.Action.UNBLOCK, reason=reason.strip()
    )


def role_groups():
    """The groups of the staff roles (hagen_isek.roles), the only groups staff assign."""
    return Group.objects.filter(name__in=ROLES).order_by("name")


@transaction.atomic
def account_set_roles(*, account: User, staff: User, roles) -> AccountLogEntry | None:
    """Give the account exactly these roles; an account with a role reaches the admin."""
    if not staff.is_superuser:
        raise AccountActionRefused(_("Only administrators assign roles."))
    wanted = set(role_groups().filter(pk__in=[group.pk for group in roles]))
    current = set(account.groups.filter(name__in=ROLES))
    if wanted == current:
        return None
    account.groups.remove(*(current - wanted))
    account.groups.add(*(wanted - current))
    is_staff = bool(wanted) or account.is_superuser
    if account.is_staff != is_staff:
        account.is_staff = is_staff
        account.save(update_fields=["is_staff"])
    names = ", ".join(sorted(group.name for group in wanted)) or "–"
    return AccountLogEntry.objects.create(
        account=account, actor=staff, action=AccountLogEntry.Action.ROLES, reason=names
    )


def user_contributions(user: User) -> list[dict]:
    """The user's own contributions for the data download; withdrawn ones without their text."""
    comments = (
        Comment.objects.by_author(user).select_related("goal", "round").order_by("created_at", "pk")
    )
    return [
        {
            "id": comment.pk,
            "goal": comment.goal.full_title,
            "round": comment.round.title,
            "text": None if comment.is_withdrawn else comment.text,
            "created_at": comment.created_at.isoformat(),
            "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
            "status": comment.status,
            "parent": comment.parent_id,
            "key_message": comment.key_message_id,
            "measure": comment.measure_id,
        }
        for comment in comments
    ]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def account_data_export(user: User) -> dict[str, Any]:
    """Everything the portal stores about a person, for the "download my data" button."""
    return {
        "profile": {
            "display_name": user.display_name,
            "email": user.email,
            "district": user.district.name if user.district else None,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "consents": {
            "netiquette_accepted_at": _iso(user.netiquette_accepted_at),
            "privacy_accepted_at": _iso(user.privacy_accepted_at),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "contributions": user_contributions(user),
        "follows": [
            {
                "goal": follow.goal.full_title if follow.goal else None,
                "district": follow.district.name if follow.district else None,
                "since": _iso(follow.created_at),
            }
            for follow in Follow.objects.of_user(user).for_listing()
        ],
        "follow_settings": {
            "answers_and_outcomes": user.notify_follow_answers,
            "comment_rounds": user.notify_follow_rounds,
            "new_dates": user.notify_follow_events,
            "weekly_digest": user.follow_digest,
        },
    }


def account_delete(user: User) -> None:
    """Erase the person, keep the account row so its contributions show as "Gelöschtes Konto"."""
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Follow.objects.filter(user=user).delete()
        user.email = None
        user.display_name = None
        user.district = None
        # A new password hash ends every session of the account (session auth hash).
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.deleted_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()


def notification_unsubscribe(*, user: User, kind: str) -> None:
    fields = [field for field in notifications.KINDS[kind] if getattr(user, field)]
    for field in fields:
        setattr(user, field, False)
    if fields:
        user.save(update_fields=fields)
