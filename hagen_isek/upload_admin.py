"""A form that fails to save cannot keep the files it came with: browsers never fill a file field
again. So the page says, next to each field and at the top, which files were fine and must be
chosen once more (instead of them silently vanishing)."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _


class ReselectFilesMixin:
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST" and request.FILES:
            names = [
                name for form in self._bound_forms(context) for name in self._mark(form, request)
            ]
            if names:
                messages.warning(
                    request,
                    _(
                        "Nothing was saved yet, so these files must be chosen again before "
                        "saving: %(files)s."
                    )
                    % {"files": ", ".join(f"„{name}“" for name in names)},
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _bound_forms(context) -> list[forms.BaseForm]:
        formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
        return [context["adminform"].form, *(form for fs in formsets for form in fs.forms)]

    @staticmethod
    def _mark(form: forms.BaseForm, request) -> list[str]:
        """Note on each valid file field of `form` that its file must be chosen again."""
        names = []
        for name, field in form.fields.items():
            upload = request.FILES.get(form.add_prefix(name))
            if not isinstance(field, forms.FileField) or upload is None or name in form.errors:
                continue
            form.add_error(
                name,
                _("„%(name)s“ was fine, but must be chosen again (the form had errors).")
                % {"name": upload.name},
            )
            names.append(upload.name)
        return names
