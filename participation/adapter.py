"""allauth adapters: formal German ("Sie") messages instead of allauth's informal catalog.

allauth's own German catalog says "Du". Each msgid below repeats allauth's English text, so
`make messages` collects it into our catalog, and Django prefers our catalog (LOCALE_PATHS) over
allauth's for that msgid everywhere, also inside allauth's forms.
"""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hagen_isek.client_address import client_address
from hagen_isek.site_url import absolute_url

# Strings allauth's forms raise directly (not through the adapter) that its catalog words with "Du".
FORMAL_FORM_MESSAGES = (
    _("You must type the same password each time."),
    _("You must type the same email each time."),
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is currently inactive."),
        "cannot_remove_primary_email": _("You cannot remove your primary email address."),
        "duplicate_email": _("This email address is already associated with this account."),
        "email_password_mismatch": _(
            "The email address and/or password you specified are not correct."
        ),
        "email_taken": _("A user is already registered with this email address."),
        "enter_current_password": _("Please type your current password."),
        "incorrect_code": _("Incorrect code."),
        "incorrect_password": _("Incorrect password."),
        "invalid_or_expired_key": _("Invalid or expired key."),
        "invalid_login": _("Invalid login."),
        "invalid_password_reset": _("The password reset token was invalid."),
        "max_email_addresses": _("You cannot add more than %d email addresses."),
        # Anyone who knows an address can cause this; the owner keeps a way in: resetting the
        # password lifts the block (allauth clears the account's login-failure counter then).
        "too_many_login_attempts": _(
            "Too many failed login attempts for this account. For its protection, logging in "
            "with a password is paused for a few minutes. If you have forgotten your password "
            "or these attempts were not yours: resetting your password lifts the block at once."
        ),
        "unknown_email": _("The email address is not assigned to any user account."),
        "unverified_primary_email": _("Your primary email address must be verified."),
        "select_only_one": _("Please select only one."),
        "same_as_current": _("The new value must be different from the current one."),
        "rate_limited": _("Be patient, you are sending too many requests."),
    }

    def respond_user_inactive(self, request: HttpRequest, user) -> HttpResponse:
        # Only someone who typed the right password gets here, so the reason may be shown.
        if getattr(user, "is_blocked", False):
            return render(request, "account/account_blocked.html", {"account": user}, status=403)
        return super().respond_user_inactive(request, user)

    def get_client_ip(self, request: HttpRequest) -> str:
        # Allauth's per-address limits count the same client as the portal does.
        return client_address(request)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        # The page the visitor signed up from travels in the link itself: the link is often
        # opened in another browser, where the session that knew it does not exist.
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = get_next_redirect_url(request) if request is not None else None
        if next_url:
            url += "?" + urlencode({"next": next_url})
        return absolute_url(url)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return absolute_url(super().get_reset_password_from_key_url(key))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _(
            "You cannot add an email address to an account protected by two-factor authentication."
        ),
        "cannot_delete_authenticator": _("You cannot deactivate two-factor authentication."),
        "cannot_generate_recovery_codes": _(
            "You cannot generate recovery codes without having two-factor authentication enabled."
        ),
        "incorrect_code": _("Incorrect code."),
        "unverified_email": _(
            "You cannot activate two-factor authentication until you have verified your "
            "email address."
        ),
    }
