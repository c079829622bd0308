"""Account services: the data download, deleting an account, e-mail preferences."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone

from participation import notifications
from participation.models import (
    Comment,
    Follow,
    User,
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
