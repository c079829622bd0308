"""The admin upload of offline and earlier input: a dry run first, then the import."""

import uuid
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from events.models import Event
from participation import services
from participation.management.commands.import_contributions import summary
from participation.models import Comment, CommentRound

SESSION_KEY = "participation_imports"
MAX_UPLOAD = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "First row: the column names. „Text“ and „Ziel“ (number, title or slug) are "
            "required; „Stadtbezirk“, „Veranstaltung“ and „Datum“ (DD.MM.YYYY) are optional."
        ),
    )
    round = forms.ModelChoiceField(label=_("Comment round"), queryset=CommentRound.objects.all())
    source = forms.ChoiceField(
        label=_("Import as"),
        choices=[(value, Comment.Source(value).label) for value in services.imports.SOURCES],
    )
    origin = forms.CharField(
        label=_("Origin"),
        required=False,
        max_length=200,
        help_text=_("Required for imported input, e.g. „Plan-Portal 2018/19, Phase 2“."),
    )
    event = forms.ModelChoiceField(
        label=_("Event (for rows without one)"), required=False, queryset=Event.objects.all()
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Please upload a CSV or XLSX file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ImportAdminMixin:
    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="participation_comment_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._import_confirmed(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        report, token = None, None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                report = services.contributions_import(
                    content=content,
                    filename=upload.name,
                    comment_round=form.cleaned_data["round"],
                    source=form.cleaned_data["source"],
                    origin=form.cleaned_data["origin"],
                    default_event=form.cleaned_data["event"],
                    dry_run=True,
                )
            except services.ImportRefused as refusal:
                form.add_error("file", refusal.message)
            else:
                token = self._keep_for_confirmation(request, form, upload.name, content)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import contributions"),
            "form": form,
            "report": report,
            "summary": summary(report) if report else "",
            "token": token,
        }
        return TemplateResponse(request, "admin/participation/comment/import.html", context)

    def _keep_for_confirmation(self, request, form, filename: str, content: bytes) -> str:
        """The upload waits in the shared media storage until the editor confirms."""
        token = uuid.uuid4().hex
        suffix = PurePath(filename).suffix.lower()
        stored = default_storage.save(f"imports/{token}{suffix}", ContentFile(content))
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {
            "path": stored,
            "filename": filename,
            "round": form.cleaned_data["round"].pk,
            "source": form.cleaned_data["source"],
            "origin": form.cleaned_data["origin"],
            "event": form.cleaned_data["event"].pk if form.cleaned_data["event"] else None,
        }
        request.session[SESSION_KEY] = pending
        return token

    def _import_confirmed(self, request: HttpRequest) -> HttpResponse:
        pending = request.session.get(SESSION_KEY, {})
        job = pending.pop(request.POST["token"], None)
        back = HttpResponseRedirect(reverse("admin:participation_comment_import"))
        if job is None:
            self.message_user(
                request, _("This import was already done or has expired."), messages.WARNING
            )
            return back
        request.session[SESSION_KEY] = pending
        with default_storage.open(job["path"], "rb") as handle:
            content = handle.read()
        try:
            report = services.contributions_import(
                content=content,
                filename=job["filename"],
                comment_round=CommentRound.objects.get(pk=job["round"]),
                source=job["source"],
                origin=job["origin"],
                default_event=Event.objects.filter(pk=job["event"]).first(),
                editor=request.user,
                dry_run=False,
            )
        except services.ImportRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return back
        finally:
            default_storage.delete(job["path"])
        self.message_user(request, summary(report), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:participation_comment_changelist"))
