"""Contributions in the admin: the moderation queue and the evaluation of each contribution.

Moderation and export live in their mixins (admin/moderation.py, admin/evaluation.py)."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from goals.models import KeyMessage, Measure
from participation import services
from participation.models import (
    Comment,
    ContributionVersion,
    OfficialAnswer,
)
from workbench.admin import DuplicateFilter, ScoreFilter, ThemeFilter, WorkbenchColumnsMixin

from .evaluation import (
    AnsweredFilter,
    DistrictFilter,
    EvaluationAdminMixin,
    ExportAdminMixin,
    GoalOwnFilter,
    OfficialAnswerInline,
    OutcomeFilter,
    ReportedFilter,
)
from .imports import ImportAdminMixin
from .moderation import (
    ModerationAdminMixin,
    ModerationLogInline,
    ObjectionInline,
    QueueFilter,
    ReadOnlyInline,
    ReportInline,
)


class ContributionVersionInline(ReadOnlyInline):
    """The author's earlier texts, oldest first: what was written before each edit."""

    model = ContributionVersion
    fields = ["written_at", "replaced_at", "text"]
    readonly_fields = fields


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


@admin.register(Comment)
class CommentAdmin(
    ModerationAdminMixin,
    EvaluationAdminMixin,
    ImportAdminMixin,
    ExportAdminMixin,
    WorkbenchColumnsMixin,
    admin.ModelAdmin,
):
    """The moderation queue and the evaluation of contributions; nothing here deletes."""

    # What a moderator decides by comes first, so it fits at 1280 px beside the filters.
    list_display = [
        "queue_state",
        "report_summary",
        "author_name",
        "goal_title",
        "date",
        "excerpt",
        "round",
        "outcome",
        "suggestion",
        "theme_label",
        "duplicate_label",
    ]
    list_display_links = ["queue_state", "excerpt"]
    list_filter = [
        QueueFilter,
        "status",
        OutcomeFilter,
        "source",
        "round",
        "goal",
        ("key_message", GoalOwnFilter),
        ("measure", GoalOwnFilter),
        DistrictFilter,
        AnsweredFilter,
        ReportedFilter,
        "department",
        "tags",
        ("workbench__suggested_goal", admin.RelatedOnlyFieldListFilter),
        ScoreFilter,
        ThemeFilter,
        DuplicateFilter,
    ]
    search_fields = ["text", "author__display_name"]
    list_select_related = [
        "goal",
        "round",
        "author",
        "event",
        *WorkbenchColumnsMixin.workbench_select_related,
    ]
    list_per_page = 50
    date_hierarchy = "created_at"
    autocomplete_fields = ["event"]
    filter_horizontal = ["tags"]
    inlines = [
        OfficialAnswerInline,
        ContributionVersionInline,
        ObjectionInline,
        ReportInline,
        ModerationLogInline,
    ]
    actions = [
        "approve_selected",
        "hide_selected",
        "restore_selected",
        "evaluate_selected",
        "export_csv",
        "export_xlsx",
    ]
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
        "district",
        "origin",
        "text",
        "pending_text",
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
        "department",
        "tags",
    ]

    # Access --------------------------------------------------------------------------------

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    # Lists ---------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Annotate before ModelAdmin orders by get_ordering(), which names the annotation.
        # for_moderation() selects related rows itself, so list_select_related is not applied.
        return self.model._default_manager.for_moderation().select_related(
            *self.workbench_select_related
        )

    def get_ordering(self, request: HttpRequest) -> list[str]:
        return ["-needs_review", "-created_at", "-pk"]

    @admin.display(description=_("text"))
    def excerpt(self, obj: Comment) -> str:
        return _("No. %(number)s: %(text)s") % {
            "number": obj.pk,
            "text": Truncator(obj.text).chars(60),
        }

    @admin.display(description=_("date"), ordering="created_at")
    def date(self, obj: Comment) -> str:
        return f"{timezone.localtime(obj.created_at):%d.%m.%Y %H:%M}"

    @admin.display(description=_("goal"), ordering="goal__position")
    def goal_title(self, obj: Comment) -> str:
        return obj.goal.title

    @admin.display(description=_("status"), ordering="status")
    def queue_state(self, obj: Comment) -> str:
        if obj.status == Comment.Status.PUBLISHED and obj.pending_text:
            return str(_("Published, edit awaits approval"))
        if obj.needs_review and obj.status == Comment.Status.HIDDEN:
            return str(_("Hidden, objection awaits a decision"))
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
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            # Only the goal's own measures and key messages, not all of them.
            own = {
                "outcome_measure": Measure.objects.serving(obj.goal),
                "outcome_key_message": KeyMessage.objects.filter(goal=obj.goal),
            }
            for name, queryset in own.items():
                if name in form.base_fields:
                    form.base_fields[name].queryset = queryset
        return form

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
