from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from participation.models import User


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
    }


def _delete_sessions_of(user: User) -> None:
    # Sessions are signed blobs without a user column; decode the live ones to find the user's.
    user_pk = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_pk
    ]
    Session.objects.filter(pk__in=stale).delete()


def account_delete(user: User) -> None:
    """Erase the person, keep the account row so its contributions show as "Gelöschtes Konto"."""
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        _delete_sessions_of(user)
        user.email = None
        user.display_name = None
        user.district = None
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.deleted_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()


# --- replaced by the comments branch -------------------------------------------------------
# The comments branch defines the real `user_contributions` (comments and supports of the user).
# When merging, keep theirs and delete this placeholder.
def user_contributions(user: User) -> list[dict]:
    return []
