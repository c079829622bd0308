from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participation import export, services
from participation.models import (
    Comment,
    CommentRound,
    EvaluationTag,
    ModerationDigest,
    ModerationLogEntry,
    OfficialAnswer,
    Report,
)


@admin.register(CommentRound)
class CommentRoundAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "starts_at",
        "ends_at",
        "state",
        "moderation",
        "is_published",
        "is_demo",
        "comment_count",
    ]
    list_filter = ["is_published", "moderation", "is_demo"]
    search_fields = ["title", "slug", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["goals"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_comment_count()

    @admin.display(description=_("state"))
    def state(self, obj: CommentRound) -> str:
        now = timezone.now()
        if obj.starts_at > now:
            return str(_("upcoming"))
        if obj.ends_at <= now:
            return str(_("closed"))
        return str(_("open"))

    @admin.display(description=_("published contributions"), ordering="comment_count")
    def comment_count(self, obj: CommentRound) -> int:
        return obj.comment_count


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
    fields = ["created_at", "actor", "action", "old_status", "new_status", "reason", "note"]
    readonly_fields = fields
    verbose_name_plural = _("moderation log")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["created_at", "reason", "text", "resolved_at"]
    readonly_fields = fields


class OfficialAnswerInline(admin.StackedInline):
    model = OfficialAnswer
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0
    can_delete = False
    verbose_name = _("answer of the City of Hagen")
    verbose_name_plural = _("answers of the City of Hagen")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class QueueFilter(admin.SimpleListFilter):
    title = _("moderation queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("1", _("Pending or reported"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.awaiting_review()
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


class WorkshopContributionForm(forms.ModelForm):
    """Adding in the admin means entering workshop input: no account, an event as source."""

    class Meta:
        model = Comment
        fields = ["round", "goal", "event", "key_message", "measure", "text", "tags"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].required = True
        self.instance.source = Comment.Source.EVENT
        self.instance.author = None


MODERATION_ACTIONS = {
    "freigeben": (_("Approve"), services.comment_approve, NoteForm),
    "ausblenden": (_("Hide"), services.comment_hide, HideForm),
    "wiederherstellen": (_("Restore"), services.comment_restore, NoteForm),
}


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue and the evaluation of contributions; nothing here deletes."""

    list_display = [
        "number",
        "excerpt",
        "queue_state",
        "goal_title",
        "round",
        "author_name",
        "source_label",
        "report_summary",
        "outcome",
        "created_at",
    ]
    list_display_links = ["number", "excerpt"]
    list_filter = [QueueFilter, "status", "outcome", "source", "round", "goal", "tags"]
    search_fields = ["text", "author__display_name"]
    list_select_related = ["goal", "round", "author", "event"]
    list_per_page = 50
    date_hierarchy = "created_at"
    autocomplete_fields = ["event"]
    filter_horizontal = ["tags"]
    inlines = [OfficialAnswerInline, ReportInline, ModerationLogInline]
    actions = ["approve_selected", "hide_selected", "restore_selected", "export_csv", "export_xlsx"]
    change_form_template = "admin/participation/comment/change_form.html"
    change_list_template = "admin/participation/comment/change_list.html"
    core_fields = [
        "round",
        "goal",
        "key_message",
        "measure",
        "parent",
        "author",
        "source",
        "event",
        "text",
        "status",
        "created_at",
        "edited_at",
        "moderated_by",
        "moderated_at",
        "moderation_reason",
        "moderation_note",
    ]
    evaluation_fields = [
        "outcome",
        "outcome_note",
        "outcome_key_message",
        "outcome_measure",
        "outcome_at",
        "tags",
    ]

    # Access --------------------------------------------------------------------------------

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participation.moderate_comment")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participation.export_comment")

    # Lists ---------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Annotate before ModelAdmin orders by get_ordering(), which names the annotation.
        return self.model._default_manager.for_moderation()

    def get_ordering(self, request: HttpRequest) -> list[str]:
        return ["-needs_review", "-created_at", "-pk"]

    @admin.display(description=_("ID"), ordering="pk")
    def number(self, obj: Comment) -> int:
        return obj.pk

    @admin.display(description=_("text"))
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.text).chars(70)

    @admin.display(description=_("goal"), ordering="goal__position")
    def goal_title(self, obj: Comment) -> str:
        return obj.goal.title

    @admin.display(description=_("status"), ordering="status")
    def queue_state(self, obj: Comment) -> str:
        if obj.open_report_count and obj.status != Comment.Status.PENDING:
            return f"{obj.get_status_display()} · {_('reported')}"
        return obj.get_status_display()

    @admin.display(description=_("author"), ordering="author__display_name")
    def author_name(self, obj: Comment) -> str:
        if obj.author:
            return obj.author.public_name
        return str(_("Without account"))

    @admin.display(description=_("source"), ordering="source")
    def source_label(self, obj: Comment) -> str:
        if obj.event_id:
            return str(obj.event)
        return obj.get_source_display()

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def report_summary(self, obj: Comment) -> str:
        if not obj.open_report_count:
            return "–"
        counts: dict[str, int] = {}
        for report in obj.open_reports:
            label = report.get_reason_display()
            counts[label] = counts.get(label, 0) + 1
        details = ", ".join(f"{label} ({count})" for label, count in sorted(counts.items()))
        return f"{obj.open_report_count}: {details}"

    # Forms ---------------------------------------------------------------------------------

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = WorkshopContributionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Comment | None = None) -> list[str]:
        if obj is None:
            return list(WorkshopContributionForm._meta.fields)
        return self.core_fields + self.evaluation_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Comment | None = None) -> list[str]:
        if obj is None:
            return []
        # The text and status of a contribution never change here; moderation has its actions.
        readonly = list(self.core_fields) + ["outcome_at"]
        if not self.has_export_permission(request):
            readonly += self.evaluation_fields
        return readonly

    def get_inline_instances(self, request: HttpRequest, obj: Comment | None = None):
        if obj is None:
            return []
        return super().get_inline_instances(request, obj)

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        if not change:
            obj.source = Comment.Source.EVENT
            obj.author = None
            obj.status = Comment.Status.PUBLISHED
        elif "outcome" in form.changed_data:
            obj.outcome_at = timezone.now() if obj.outcome else None
        super().save_model(request, obj, form, change)
        if change and {"outcome", "outcome_note"} & set(form.changed_data):
            services.outcome_log(comment=obj, editor=request.user)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not OfficialAnswer:
            return super().save_formset(request, form, formset, change)
        for answer in formset.save(commit=False):
            if answer.pk:
                answer.save()
            else:
                services.answer_create(comment=form.instance, author=request.user, text=answer.text)
        formset.save_m2m()

    # Moderation ----------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/moderation/<slug:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name="participation_comment_moderate",
            ),
            path(
                "export/<slug:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="participation_comment_export",
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
            self.message_user(
                request,
                ngettext(
                    "%(count)d contribution: %(action)s.",
                    "%(count)d contributions: %(action)s.",
                    done,
                )
                % {"count": done, "action": MODERATION_ACTIONS[action][0]},
                messages.SUCCESS,
            )

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
            return self._forbidden(request)
        comment = get_object_or_404(Comment.objects.select_related("goal", "author"), pk=pk)
        form_class = MODERATION_ACTIONS[action][2]
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            self._apply(request, [comment], action, **form.cleaned_data)
            return HttpResponseRedirect(
                reverse("admin:participation_comment_change", args=[comment.pk])
            )
        return self._moderation_page(
            request, comments=[comment], action=action, form=form, bulk=False
        )

    def _forbidden(self, request):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied

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

    # Export --------------------------------------------------------------------------------

    def _export_response(self, queryset: QuerySet, fmt: str) -> StreamingHttpResponse:
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        if fmt == "xlsx":
            response = StreamingHttpResponse(
                export.xlsx_chunks(queryset),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            fmt = "csv"
            response = StreamingHttpResponse(
                (chunk.encode("utf-8") for chunk in export.csv_chunks(queryset)),
                content_type="text/csv; charset=utf-8",
            )
        response["Content-Disposition"] = f'attachment; filename="beitraege-{stamp}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response

    def export_view(self, request: HttpRequest, fmt: str) -> StreamingHttpResponse:
        if fmt not in ("csv", "xlsx") or not self.has_export_permission(request):
            self._forbidden(request)
        return self._export_response(Comment.objects.all(), fmt)

    @admin.action(description=_("Export selected as CSV"), permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse:
        return self._export_response(Comment.objects.filter(pk__in=queryset.values("pk")), "csv")

    @admin.action(description=_("Export selected as XLSX"), permissions=["export"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse:
        return self._export_response(Comment.objects.filter(pk__in=queryset.values("pk")), "xlsx")


@admin.register(EvaluationTag)
class EvaluationTagAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "comment_count"]
    search_fields = ["name", "description"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count

        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    @admin.display(description=_("contributions"), ordering="comment_total")
    def comment_count(self, obj: EvaluationTag) -> int:
        return obj.comment_total


class ReadOnlyAdmin(admin.ModelAdmin):
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
        "actor",
        "action",
        "old_status",
        "new_status",
        "reason",
    ]
    list_filter = ["action", "reason"]
    list_select_related = ["comment", "actor"]
    search_fields = ["note", "comment__text"]
    date_hierarchy = "created_at"


@admin.register(ModerationDigest)
class ModerationDigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "sent_at", "recipients", "pending", "reported"]
