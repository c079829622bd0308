from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.flatpages import apps as flatpages_apps
from django.utils.translation import gettext_lazy as _


class HagenIsekConfig(AppConfig):
    default = True
    name = "hagen_isek"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hagen_isek.page_cache import connect_invalidation
        from hagen_isek.roles import sync_roles_after_migrate

        connect_invalidation()
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="hagen_isek.sync_roles")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "hagen_isek.admin_site.PortalAdminSite"


class LegalPagesConfig(flatpages_apps.FlatPagesConfig):
    """Django's flat pages hold the legal pages (Impressum, Datenschutz, …); so they are called."""

    default = False
    verbose_name = _("Legal pages")

    def ready(self) -> None:
        super().ready()
        from hagen_isek import legal_pages_admin  # noqa: F401 (replaces Django's admin)
