"""The legal pages (Django's flat pages) in the admin, with history and without technical fields
for editors. Registered from LegalPagesConfig.ready(), after Django's own flat page admin."""

from django.contrib import admin
from django.contrib.flatpages.models import FlatPage
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from hagen_isek.history_admin import ReadableHistoryAdmin
from hagen_isek.markup import render_markdown

# Django calls them "flat pages"; the portal's catalog names them, overriding Django's German.
LEGAL_PAGE_NAMES = (_("flat page"), _("flat pages"))

admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class LegalPageAdmin(ReadableHistoryAdmin):
    """Editors change title and text; address, site and template are set up once."""

    list_display = ["title", "url"]
    search_fields = ["title", "content"]
    technical_fields = ["url", "sites", "template_name", "registration_required"]
    readonly_fields = ["preview"]

    def get_fields(self, request: HttpRequest, obj: FlatPage | None = None) -> list[str]:
        fields = ["title", "content", "preview"]
        return [*fields, *self.technical_fields] if request.user.is_superuser else fields

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        content = form.base_fields["content"]
        content.label = _("Text")
        content.help_text = _(
            "Write plain text, no HTML: a blank line starts a new paragraph, „## Heading“ a "
            "heading, „- item“ a list, **bold** is bold, [link text](https://www.hagen.de) a link."
        )
        content.widget.attrs["rows"] = 20
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = obj.title  # not "/impressum/ -- Impressum"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view_title(self, request, obj) -> str:
        return _("History of „%(object)s“") % {"object": obj.title}

    @admin.display(description=_("Preview (saved version)"))
    def preview(self, page: FlatPage) -> SafeString:
        return render_markdown(page.content)
