"""The easy-language check in the admin: hints beside the field and after saving, never an error."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hagen_isek import easy_language

HINTS_LABEL = gettext_lazy("Easy-language check")


def hints_html(text: str) -> str:
    if not text.strip():
        return _("Nothing to check yet.")
    hints = easy_language.check(text)
    if not hints:
        return _("No hints: the text keeps the checked rules.")
    return format_html(
        "<p>{}</p><ul>{}</ul>",
        _("Advice only, saving is always possible:"),
        format_html_join("", "<li>{}</li>", ((hint.message,) for hint in hints)),
    )


class EasyLanguageHintsMixin:
    """For a ModelAdmin: `easy_language_fields` names the text fields in Leichte Sprache. Their
    hints are shown after saving; a read-only field (see hints_html) shows them on the form."""

    easy_language_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        for name in self.easy_language_fields:
            count = len(easy_language.check(getattr(obj, name) or ""))
            if count:
                label = obj._meta.get_field(name).verbose_name
                self.message_user(
                    request,
                    _(
                        "Easy-language check of “%(field)s”: %(count)d hints; "
                        "the edit page lists them below the field."
                    )
                    % {"field": label, "count": count},
                    messages.WARNING,
                )
