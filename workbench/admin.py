"""The evaluation workbench in the admin: run it, keep its word lists, confirm or correct its
suggestions. Nothing here publishes anything; confirmed themes reach the committee dossier."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from goals.models import Goal, KeyMessage
from participation.models import Comment, CommentRound

from . import services
from .models import DuplicateGroup, Keyword, LogEntry, Result, Run, StopWord, Theme

# Filters and columns of the contribution admin (participation/admin/contributions.py) ------


class ScoreFilter(admin.SimpleListFilter):
    title = _("workbench score")
    parameter_name = "passung"

    def lookups(self, request, model_admin):
        return [
            ("hoch", _("clear (0.3 and more)")),
            ("mittel", _("uncertain (0.1 to 0.3)")),
            ("niedrig", _("weak (below 0.1)")),
            ("keine", _("not analysed yet")),
        ]

    def queryset(self, request, queryset):
        ranges = {"hoch": (0.3, 2), "mittel": (0.1, 0.3), "niedrig": (-1, 0.1)}
        if self.value() in ranges:
            low, high = ranges[self.value()]
            return queryset.filter(workbench__score__gte=low, workbench__score__lt=high)
        if self.value() == "keine":
            return queryset.filter(workbench__isnull=True)
        return queryset


class ThemeFilter(admin.SimpleListFilter):
    """The themes of the goal already filtered by (a goal has at most eight)."""

    title = _("theme")
    parameter_name = "thema"

    def lookups(self, request, model_admin):
        goal = request.GET.get("goal__id__exact")
        if not (goal and goal.isdigit()):
            return [("ohne", _("Without theme"))]
        themes = Theme.objects.filter(goal=goal, results__isnull=False).distinct()
        return [("ohne", _("Without theme")), *[(str(t.pk), t.label) for t in themes]]

    def queryset(self, request, queryset):
        if self.value() == "ohne":
            return queryset.filter(workbench__theme__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(workbench__theme=self.value())
        return queryset


class DuplicateFilter(admin.SimpleListFilter):
    """In a group of near-identical contributions; a group's own number filters that group
    (linked from the group list)."""

    title = _("near-identical")
    parameter_name = "dubletten"

    def lookups(self, request, model_admin):
        return [("ja", _("In a group of near-identical")), ("nein", _("Not in a group"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(workbench__duplicate_group__isnull=False)
        if self.value() == "nein":
            return queryset.filter(workbench__duplicate_group__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(workbench__duplicate_group=self.value())
        return queryset


class WorkbenchColumnsMixin:
    """The workbench's suggestions as columns of the contribution list."""

    workbench_select_related = [
        "workbench__suggested_goal",
        "workbench__theme",
        "workbench__duplicate_group",
    ]

    @staticmethod
    def _result(obj: Comment) -> Result | None:
        try:
            return obj.workbench
        except Result.DoesNotExist:
            return None

    @admin.display(description=_("suggested goal"), ordering="workbench__score")
    def suggestion(self, obj: Comment) -> str:
        result = self._result(obj)
        if result is None:
            return "–"
        return f"{result.suggested_goal.title} ({result.score:.2f})"

    @admin.display(description=_("theme"))
    def theme_label(self, obj: Comment) -> str:
        result = self._result(obj)
        return result.theme.label if result and result.theme else "–"

    @admin.display(description=_("near-identical"))
    def duplicate_label(self, obj: Comment) -> str:
        result = self._result(obj)
        if not result or not result.duplicate_group:
            return "–"
        group = result.duplicate_group
        url = reverse("admin:participation_comment_changelist") + f"?dubletten={group.pk}"
        return format_html('<a href="{}">#{} ({}×)</a>', url, group.pk, group.size)


@admin.register(StopWord)
class StopWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]


class KeyMessageChoiceField(forms.ModelChoiceField):
    """Every key message, named with its goal: a plain select (16 goals, a few key messages
    each) rather than an autocomplete, whose empty box has no accessible name (axe)."""

    def __init__(self, **kwargs) -> None:
        kwargs.pop("limit_choices_to", None)
        kwargs["queryset"] = KeyMessage.objects.select_related("goal").order_by(
            "goal__position", "goal", "position", "pk"
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: KeyMessage) -> str:
        return f"{obj.goal.title}: {Truncator(obj.text).chars(80)}"


class KeywordForm(forms.ModelForm):
    class Meta:
        model = Keyword
        fields = ["goal", "key_message", "words"]
        field_classes = {"key_message": KeyMessageChoiceField}


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    form = KeywordForm
    list_display = ["goal", "key_message", "words", "updated_at"]
    list_filter = ["goal"]
    list_select_related = ["goal", "key_message"]
    search_fields = ["words", "goal__title"]


class RunForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Comment round"),
        queryset=CommentRound.objects.all(),
        required=False,
        empty_label=_("All rounds"),
    )
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.all(), required=False, empty_label=_("All goals")
    )


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "round",
        "goal",
        "contribution_count",
        "theme_count",
        "duplicate_group_count",
        "duration",
        "method_version",
        "started_by",
    ]
    list_select_related = ["round", "goal", "started_by"]
    readonly_fields = [field.name for field in Run._meta.fields]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("duration"))
    def duration(self, obj: Run) -> str:
        if not obj.finished_at:
            return "–"
        return f"{(obj.finished_at - obj.started_at).total_seconds():.1f} s"

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        return self.start_view(request)

    def start_view(self, request: HttpRequest) -> HttpResponse:
        """Runs while the editor waits (synchronously); large rounds: `manage.py run_workbench`."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RunForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            run = services.run_workbench(
                comment_round=form.cleaned_data["round"],
                goal=form.cleaned_data["goal"],
                started_by=request.user,
            )
            self.message_user(
                request,
                _(
                    "The workbench looked at %(count)d contributions: %(themes)d themes and "
                    "%(groups)d groups of near-identical contributions. Everything is a "
                    "suggestion until an editor confirms it."
                )
                % {
                    "count": run.contribution_count,
                    "themes": run.theme_count,
                    "groups": run.duplicate_group_count,
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:workbench_result_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Run the evaluation workbench"),
            "form": form,
            "counted": services.scope().count(),
        }
        return TemplateResponse(request, "admin/workbench/run/start.html", context)


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "bestaetigt"

    def lookups(self, request, model_admin):
        return [
            ("nein", _("Not yet confirmed")),
            ("ja", _("Confirmed")),
            ("anders", _("Suggestion differs from the goal it was written on")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "nein":
            return queryset.filter(confirmed_goal__isnull=True)
        if self.value() == "ja":
            return queryset.filter(confirmed_goal__isnull=False)
        if self.value() == "anders":
            from django.db.models import F

            return queryset.exclude(suggested_goal=F("comment__goal"))
        return queryset


class ResultForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = ["confirmed_goal", "confirmed_key_message"]
        field_classes = {"confirmed_key_message": KeyMessageChoiceField}


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """The suggestions of the latest run, one row per contribution; editors confirm here."""

    form = ResultForm
    # Goal titles are long: shortened, so score, theme and confirmation fit on screen at 1280 px.
    list_display = [
        "contribution",
        "written_on",
        "suggestion",
        "key_message",
        "theme",
        "duplicate_group",
        "confirmed",
    ]
    list_filter = [ConfirmedFilter, "suggested_goal", "comment__goal", "comment__round"]
    list_select_related = [
        "comment__goal",
        "suggested_goal",
        "suggested_key_message",
        "theme",
        "duplicate_group",
        "confirmed_goal",
    ]
    search_fields = ["comment__text"]
    actions = ["confirm_selected"]
    readonly_fields = [
        "comment_text",
        "suggested_goal",
        "score",
        "suggested_key_message",
        "theme",
        "duplicate_group",
        "method_version",
        "run",
        "confirmed_by",
        "confirmed_at",
    ]
    fields = ["comment_text", *readonly_fields[1:8], "confirmed_goal", "confirmed_key_message"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("contribution"), ordering="comment")
    def contribution(self, obj: Result) -> str:
        return f"{obj.comment_id}: {Truncator(obj.comment.text).chars(70)}"

    @admin.display(description=_("text"))
    def comment_text(self, obj: Result) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:participation_comment_change", args=[obj.comment_id]),
            obj.comment.text,
        )

    @admin.display(description=_("written on goal"), ordering="comment__goal__position")
    def written_on(self, obj: Result) -> str:
        return Truncator(obj.comment.goal.title).chars(40)

    @admin.display(description=_("suggested goal"), ordering="score")
    def suggestion(self, obj: Result) -> str:
        return f"{Truncator(obj.suggested_goal.title).chars(40)} ({obj.score:.2f})"

    @admin.display(description=_("suggested key message"))
    def key_message(self, obj: Result) -> str:
        message = obj.suggested_key_message
        return Truncator(message.text).chars(50) if message else "–"

    @admin.display(description=_("confirmed goal"), ordering="confirmed_goal__position")
    def confirmed(self, obj: Result) -> str:
        return Truncator(obj.confirmed_goal.title).chars(40) if obj.confirmed_goal else "–"

    @admin.action(description=_("Confirm the suggested goal and key message"))
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied
        results = queryset.filter(confirmed_goal__isnull=True).select_related(
            "suggested_goal", "suggested_key_message"
        )
        done = 0
        for result in results:
            services.confirm_goal(result=result, editor=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d suggestion confirmed.", "%(count)d suggestions confirmed.", done)
            % {"count": done},
            messages.SUCCESS if done else messages.INFO,
        )

    def save_model(self, request: HttpRequest, obj: Result, form, change: bool) -> None:
        if form.changed_data and obj.confirmed_goal_id:
            services.confirm_goal(
                result=obj,
                editor=request.user,
                goal=obj.confirmed_goal,
                key_message=obj.confirmed_key_message,
            )


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["label"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """Themes proposed per goal; a confirmed theme appears in the committee dossier."""

    form = ThemeForm
    list_display = ["label", "goal", "size", "top_terms", "is_confirmed", "run"]
    list_filter = ["is_confirmed", "goal"]
    list_select_related = ["goal", "run"]
    search_fields = ["label", "top_terms"]
    actions = ["confirm_selected", "withdraw_selected"]
    fields = ["label", "goal", "top_terms", "size", "quotes", "is_confirmed", "confirmed_by",
              "confirmed_at", "method_version"]  # fmt: skip
    readonly_fields = fields[1:]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("representative contributions"))
    def quotes(self, obj: Theme) -> str:
        texts = dict(Comment.objects.filter(pk__in=obj.quote_ids).values_list("pk", "text"))
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "", "<li>{}</li>", ((texts[pk],) for pk in obj.quote_ids if pk in texts)
            ),
        )

    @admin.action(description=_("Confirm selected themes (shown in the dossier)"))
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied
        themes = list(queryset.filter(is_confirmed=False))
        for theme in themes:
            services.confirm_theme(theme=theme, editor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d theme confirmed.", "%(count)d themes confirmed.", len(themes))
            % {"count": len(themes)},
        )

    @admin.action(description=_("Withdraw confirmation of selected themes"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied
        for theme in queryset.filter(is_confirmed=True):
            services.withdraw_theme(theme=theme, editor=request.user)

    def save_model(self, request: HttpRequest, obj: Theme, form, change: bool) -> None:
        if "label" in form.changed_data:
            services.confirm_theme(theme=obj, editor=request.user, label=obj.label)


@admin.register(DuplicateGroup)
class DuplicateGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "size", "first_text", "contributions", "run"]
    list_select_related = ["representative", "run"]
    search_fields = ["representative__text"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("group"), ordering="pk")
    def number(self, obj: DuplicateGroup) -> str:
        return f"#{obj.pk}"

    @admin.display(description=_("first contribution"))
    def first_text(self, obj: DuplicateGroup) -> str:
        return Truncator(obj.representative.text).chars(100)

    @admin.display(description=_("all of them"))
    def contributions(self, obj: DuplicateGroup) -> str:
        url = reverse("admin:participation_comment_changelist") + f"?dubletten={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>', url, _("Show the %(count)d contributions") % {"count": obj.size}
        )


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "comment", "theme", "note"]
    list_filter = ["action"]
    list_select_related = ["actor", "comment", "theme"]
    readonly_fields = ["created_at", "actor", "action", "comment", "theme", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
