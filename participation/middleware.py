from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffTwoFactorMiddleware:
    """Sends staff without an activated authenticator app from the admin to the activation page.

    Together with the admin login being routed through allauth (which asks for the code once an
    authenticator is active), nobody reaches the admin with a password alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.STAFF_MFA_REQUIRED and self.needs_second_factor(request):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor authentication. Please set up an "
                    "authenticator app before you open the administration."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def needs_second_factor(request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return False
        if not request.path.startswith(reverse("admin:index")):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
