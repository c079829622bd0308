from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HagenIsekConfig(AppConfig):
    name = "hagen_isek"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hagen_isek.page_cache import connect_invalidation
        from hagen_isek.roles import sync_roles_after_migrate

        connect_invalidation()
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="hagen_isek.sync_roles")
