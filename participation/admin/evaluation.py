"""Evaluation in the admin: the city's answers, evaluation tags and the export."""

import io

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from events.models import District
from goals.models import Goal, KeyMessage, Measure
from participation import deliberation, export, services
from participation.models import (
    Comment,
    CommentRound,
    Department,
    EvaluationTag,
    OfficialAnswer,
)


class OfficialAnswerInline(admin.StackedInline):
    model = OfficialAnswer
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0
    can_delete = False
    verbose_name = _("answer of the City of Hagen")
    verbose_name_plural = _("answers of the City of Hagen")
    show_change_link = True  # its page has the history of every earlier wording

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OfficialAnswer)
class OfficialAnswerAdmin(SimpleHistoryAdmin):
    """An answer's own page, for its history; answers are written on the contribution's page."""

    list_display = ["excerpt", "comment", "created_at", "updated_at"]
    list_select_related = ["comment"]
    search_fields = ["text", "comment__text"]
    date_hierarchy = "created_at"
    fields = ["comment", "text", "author", "created_at", "updated_at"]
    readonly_fields = ["comment", "author", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("text"))
    def excerpt(self, answer: OfficialAnswer) -> str:
        return Truncator(answer.text).chars(80)


class DeliberationForm(forms.Form):
    runde = forms.ModelChoiceField(label=_("Comment round"), queryset=CommentRound.objects.all())
    ziel = forms.ModelChoiceField(
        label=_("Goal"),
        required=False,
        queryset=Goal.objects.all(),
        empty_label=_("All goals of the round"),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("seite", _("Printable page")), ("xlsx", _("Spreadsheet (XLSX)"))],
        initial="seite",
    )


class ExportAdminMixin:
    """The export of contributions for evaluation (CSV and XLSX), in full or selected."""

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participation.export_comment")

    def get_urls(self):
        return [
            path(
                "abwaegung/",
                self.admin_site.admin_view(self.deliberation_view),
                name="participation_comment_deliberation",
            ),
            path(
                "export/<slug:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="participation_comment_export",
            ),
            *super().get_urls(),
        ]

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
            raise PermissionDenied
        return self._export_response(Comment.objects.all(), fmt)

    def deliberation_view(self, request: HttpRequest) -> HttpResponse:
        """The Abwägungstabelle of a round (optionally one goal): a choice form, the
        printable page for the council paper, or the XLSX."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = DeliberationForm(request.GET or None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Deliberation table (Abwägungstabelle)"),
                "form": form,
            }
            return TemplateResponse(
                request, "admin/participation/comment/deliberation_choice.html", context
            )
        comment_round, goal = form.cleaned_data["runde"], form.cleaned_data["ziel"]
        if form.cleaned_data["format"] == "xlsx":
            stream = io.BytesIO()
            deliberation.write_xlsx(comment_round, goal, stream)
            response = HttpResponse(
                stream.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            name = f"abwaegung-{comment_round.slug}{'-' + goal.slug if goal else ''}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            return response
        context = {
            "comment_round": comment_round,
            "goal": goal,
            "rows": deliberation.rows(comment_round, goal),
        }
        response = TemplateResponse(request, "participation/deliberation.html", context)
        response["Cache-Control"] = "no-store"
        return response

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
        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    @admin.display(description=_("contributions"), ordering="comment_total")
    def comment_count(self, obj: EvaluationTag) -> int:
        return obj.comment_total


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "comment_count"]
    search_fields = ["name"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    @admin.display(description=_("contributions"), ordering="comment_total")
    def comment_count(self, obj: Department) -> int:
        return obj.comment_total


# Filters of the evaluation ---------------------------------------------------------------


class OutcomeFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "ergebnis"

    def lookups(self, request, model_admin):
        return [("keines", _("None yet")), *Comment.Outcome.choices]

    def queryset(self, request, queryset):
        if self.value() == "keines":
            return queryset.without_outcome()
        if self.value() in Comment.Outcome.values:
            return queryset.with_outcome(self.value())
        return queryset


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answer of the City of Hagen")
    parameter_name = "beantwortet"

    def lookups(self, request, model_admin):
        return [("ja", _("Answered")), ("nein", _("Not answered yet"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.answered()
        if self.value() == "nein":
            return queryset.unanswered()
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported")
    parameter_name = "gemeldet"

    def lookups(self, request, model_admin):
        return [("ja", _("Reported at least once")), ("nein", _("Never reported"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.reported()
        if self.value() == "nein":
            return queryset.exclude(pk__in=Comment.objects.reported().values("pk"))
        return queryset


class DistrictFilter(admin.SimpleListFilter):
    """The author's district, the district of the workshop, or of imported input."""

    title = _("district")
    parameter_name = "bezirk"

    def lookups(self, request, model_admin):
        return [(district.slug, district.name) for district in District.objects.all()]

    def queryset(self, request, queryset):
        district = District.objects.filter(slug=self.value()).first() if self.value() else None
        if district is None:
            return queryset
        return queryset.from_district(district)


class GoalOwnFilter(admin.RelatedFieldListFilter):
    """Key messages and measures to filter by: only those of the goal already filtered by
    (the list of all of them is long), else all that contributions refer to."""

    def field_choices(self, field, request, model_admin):
        goal = request.GET.get("goal__id__exact")
        related = field.related_model.objects.all()
        if goal and goal.isdigit():
            if field.related_model is Measure:
                related = related.filter(goals=goal)
            else:
                related = related.filter(goal=goal)
        else:
            related = related.filter(
                pk__in=Comment.objects.exclude(**{f"{field.name}": None}).values(field.name)
            )
        return [(obj.pk, Truncator(str(obj)).chars(80)) for obj in related.distinct()]


# The bulk evaluation ----------------------------------------------------------------------


class EvaluateForm(forms.Form):
    """One evaluation step for many contributions; empty fields leave values unchanged.

    The changed measure and key message can be chosen only among the goal's own, so they are
    offered only when all selected contributions belong to one goal."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("– leave unchanged –")), *Comment.Outcome.choices],
    )
    outcome_note = forms.CharField(
        label=_("Outcome explanation (shown publicly)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when not adopted; empty leaves each explanation unchanged."),
    )
    outcome_measure = forms.ModelChoiceField(
        label=_("Changed measure"), required=False, queryset=Measure.objects.none()
    )
    outcome_key_message = forms.ModelChoiceField(
        label=_("Changed key message"), required=False, queryset=KeyMessage.objects.none()
    )
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("– leave unchanged –"),
    )
    add_tags = forms.ModelMultipleChoiceField(
        label=_("Add evaluation tags"),
        required=False,
        queryset=EvaluationTag.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, goal: Goal | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        if not EvaluationTag.objects.exists():
            del self.fields["add_tags"]  # an empty list of tags only puzzles
        if goal is None:
            del self.fields["outcome_measure"]
            del self.fields["outcome_key_message"]
        else:
            self.fields["outcome_measure"].queryset = Measure.objects.serving(goal)
            self.fields["outcome_key_message"].queryset = KeyMessage.objects.filter(goal=goal)
            for name in ("outcome_measure", "outcome_key_message"):
                self.fields[name].empty_label = _("– leave unchanged –")

    def clean(self) -> dict:
        data = super().clean()
        if not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(_("Choose at least one change."))
        return data

    def changes(self) -> dict:
        """The evaluation fields to set (only those the editor filled in)."""
        names = ("outcome", "outcome_note", "outcome_measure", "outcome_key_message", "department")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}


class EvaluationAdminMixin:
    """The bulk evaluation of the contribution admin: many contributions, one step, logged."""

    @admin.action(description=_("Evaluate selected contributions"), permissions=["export"])
    def evaluate_selected(self, request: HttpRequest, queryset: QuerySet):
        comments = list(queryset.select_related("goal").order_by("pk"))
        goals = {comment.goal for comment in comments}
        goal = goals.pop() if len(goals) == 1 else None
        form = EvaluateForm(request.POST if "apply" in request.POST else None, goal=goal)
        if "apply" in request.POST and form.is_valid():
            self._evaluate(request, comments, form)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Evaluate selected contributions"),
            "comments": comments,
            "goal": goal,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/participation/comment/evaluate.html", context)

    def _evaluate(self, request: HttpRequest, comments: list[Comment], form: EvaluateForm) -> None:
        changes, tags = form.changes(), list(form.cleaned_data.get("add_tags", []))
        done = 0
        for comment in comments:
            try:
                changed = services.comment_evaluate(
                    comment=comment, editor=request.user, changes=changes, add_tags=tags
                )
            except services.EvaluationRefused as refusal:
                self.message_user(request, refusal.message, messages.WARNING)
                continue
            if changed:
                done += 1
                self.log_change(request, comment, [{"changed": {"fields": changed}}])
        self.message_user(
            request,
            ngettext(
                "%(count)d contribution evaluated.", "%(count)d contributions evaluated.", done
            )
            % {"count": done},
            messages.SUCCESS if done else messages.INFO,
        )
