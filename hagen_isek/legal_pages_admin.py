"""The legal pages (Django's flat pages) in the admin, with history and without technical fields
for editors. Registered from LegalPagesConfig.ready(), after Django's own flat page admin."""

from django.contrib import admin
from django.contrib.flatpages.models import FlatPage
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hagen_isek.history_admin import ReadableHistoryAdmin

# Django calls them "flat pages"; the portal's catalog names them, overriding Django's German.
LEGAL_PAGE_NAMES = (_("flat page"), _("flat pages"))

admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class LegalPageAdmin(ReadableHistoryAdmin):
    """Editors change title and text; address, site and template are set up once."""

    list_display = ["title", "url"]
    search_fields = ["title", "content"]
    technical_fields = ["url", "sites", "template_name", "registration_required"]

    def get_fields(self, request: HttpRequest, obj: FlatPage | None = None) -> list[str]:
        if request.user.is_superuser:
            return ["title", "content", *self.technical_fields]
        return ["title", "content"]
