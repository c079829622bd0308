from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HagenIsekConfig(AppConfig):
    name = "hagen_isek"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from hagen_isek.page_cache import connect_invalidation

        connect_invalidation()
