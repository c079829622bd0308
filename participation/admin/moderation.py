"""Moderation in the admin: the queue filter, the decisions on one or many contributions
(which `services.moderation_actions` allows) and the read-only reports and log."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participation import services
from participation.models import (
    Comment,
    ModerationDigest,
    ModerationLogEntry,
    Objection,
    Report,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ModerationLogInline(ReadOnlyInline):
    model = ModerationLogEntry
    fields = [
        "created_at",
        "actor",
        "action",
        "old_status",
        "new_status",
        "reason",
        "note",
        "text",
    ]
    readonly_fields = fields
    verbose_name_plural = _("moderation log")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")


class ObjectionInline(ReadOnlyInline):
    model = Objection
    fields = ["created_at", "text", "resolved_at"]
    readonly_fields = fields
    verbose_name_plural = _("objections by the author")


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["created_at", "reason", "text", "resolved_at"]
    readonly_fields = fields


class QueueFilter(admin.SimpleListFilter):
    title = _("moderation queue")
    parameter_name = "queue"

    # The dashboard links to these lists: keep the parameter values stable.
    AWAITING_APPROVAL = "freigabe"
    OPEN_REPORTS = "gemeldet"

    def lookups(self, request, model_admin):
        return [
            ("1", _("Pending, reported or objected")),
            (self.AWAITING_APPROVAL, _("Awaiting approval")),
            (self.OPEN_REPORTS, _("With open reports")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.awaiting_review()
        if self.value() == self.AWAITING_APPROVAL:
            return queryset.awaiting_approval()
        if self.value() == self.OPEN_REPORTS:
            return queryset.with_open_reports()
        return queryset


class HideForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason (shown publicly)"), choices=Comment.ModerationReason.choices
    )
    note = forms.CharField(
        label=_("Note (internal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the contribution is hidden; required, never shown publicly."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (internal)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# URL slug -> (label, service, form, logged action)
MODERATION_ACTIONS = {
    "freigeben": (
        _("Approve"),
        services.comment_approve,
        NoteForm,
        ModerationLogEntry.Action.APPROVE,
    ),
    "ausblenden": (_("Hide"), services.comment_hide, HideForm, ModerationLogEntry.Action.HIDE),
    "wiederherstellen": (
        _("Restore"),
        services.comment_restore,
        NoteForm,
        ModerationLogEntry.Action.RESTORE,
    ),
}


def moderation_done_message(action: str, count: int) -> str:
    """The sentence that confirms a decision on `count` contributions."""
    if action == "freigeben":
        text = ngettext(
            "%(count)d contribution was approved.", "%(count)d contributions were approved.", count
        )
    elif action == "ausblenden":
        text = ngettext(
            "%(count)d contribution was hidden.", "%(count)d contributions were hidden.", count
        )
    else:
        text = ngettext(
            "%(count)d contribution was restored.", "%(count)d contributions were restored.", count
        )
    return text % {"count": count}


class ModerationAdminMixin:
    """The moderation buttons, pages and bulk actions of the contribution admin."""

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participation.moderate_comment")

    def offered_moderation_actions(self, request: HttpRequest, comment: Comment) -> list:
        """(slug, label) of the decisions this moderator may take on the contribution now."""
        if not self.has_moderate_permission(request):
            return []
        allowed = services.moderation_actions_for(comment)
        return [
            (slug, label)
            for slug, (label, _service, _form, action) in MODERATION_ACTIONS.items()
            if action in allowed
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["moderation_actions"] = (
            self.offered_moderation_actions(request, obj) if obj is not None else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/moderation/<slug:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name="participation_comment_moderate",
            ),
            *super().get_urls(),
        ]

    def _apply(self, request: HttpRequest, queryset, action: str, **data) -> None:
        function = MODERATION_ACTIONS[action][1]
        done = 0
        for comment in queryset:
            try:
                function(comment=comment, moderator=request.user, **data)
            except services.ModerationRefused as refusal:
                self.message_user(request, refusal.message, messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, moderation_done_message(action, done), messages.SUCCESS)

    def _moderation_page(self, request, *, comments, action: str, form, bulk: bool):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": MODERATION_ACTIONS[action][0],
            "comments": comments,
            "form": form,
            "action": action,
            "bulk": bulk,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/participation/comment/moderate.html", context)

    def moderate_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in MODERATION_ACTIONS or not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment.objects.select_related("goal", "author"), pk=pk)
        back = HttpResponseRedirect(reverse("admin:participation_comment_change", args=[pk]))
        if action not in dict(self.offered_moderation_actions(request, comment)):
            self.message_user(
                request,
                _("Contribution %(pk)s is „%(status)s“; this action does not apply.")
                % {"pk": comment.pk, "status": comment.get_status_display()},
                messages.WARNING,
            )
            return back
        form_class = MODERATION_ACTIONS[action][2]
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            self._apply(request, [comment], action, **form.cleaned_data)
            return back
        return self._moderation_page(
            request, comments=[comment], action=action, form=form, bulk=False
        )

    @admin.action(description=_("Approve selected contributions"), permissions=["moderate"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, "freigeben")

    @admin.action(
        description=_("Hide selected contributions (reason required)"), permissions=["moderate"]
    )
    def hide_selected(self, request: HttpRequest, queryset: QuerySet):
        form = HideForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._apply(request, queryset, "ausblenden", **form.cleaned_data)
            return None
        return self._moderation_page(
            request, comments=queryset, action="ausblenden", form=form, bulk=True
        )

    @admin.action(description=_("Restore selected hidden contributions"), permissions=["moderate"])
    def restore_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, "wiederherstellen")


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Shown, never edited. No form field for the contribution either: its choices would be
        # ordered by the comment admin's queue order, which needs that admin's annotation.
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "comment", "reason", "text", "resolved_at"]
    list_filter = ["reason", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["comment"]
    search_fields = ["text", "comment__text"]
    date_hierarchy = "created_at"


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "comment",
        "actor_name",
        "action",
        "old_status",
        "new_status",
        "reason",
    ]
    list_filter = ["action", "reason"]
    list_select_related = ["comment", "actor"]
    search_fields = ["note", "comment__text"]
    date_hierarchy = "created_at"

    @admin.display(description=_("by"), ordering="actor__display_name")
    def actor_name(self, entry: ModerationLogEntry) -> str:
        return entry.actor.public_name if entry.actor else "–"


@admin.register(ModerationDigest)
class ModerationDigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "sent_at", "recipients", "pending", "reported"]
