"""The admin site of the portal: German headers and a start page that says what needs doing."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("HAGENplant 2035 – staff workspace")
    site_title = "HAGENplant 2035"
    index_title = _("What needs doing")
    index_template = "admin/dashboard.html"
    # The app list beside every page took a fifth of a 1280 px screen from the lists.
    enable_nav_sidebar = False

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        # Imported here: the site is built while the app registry is still loading.
        from hagen_isek.dashboard import dashboard

        return super().index(request, {**(extra_context or {}), **dashboard(request.user)})

    def password_change(self, request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
        # Staff change their password where citizens do: allauth re-authenticates, checks the
        # password rules and tells them by mail.
        return HttpResponseRedirect(reverse("account_change_password"))
