from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Max, QuerySet
from django.forms.widgets import Script
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from goals.models import Goal, KeyMessage, Measure, MeasureGoal
from hagen_isek.easy_language_admin import HINTS_LABEL, EasyLanguageHintsMixin, hints_html
from hagen_isek.history_admin import ReadableHistoryAdmin


class AdminMedia:
    css = {"all": ["css/goals-admin.css"]}


class OrderingMedia(AdminMedia):
    """Rows with a position get "Nach oben"/"Nach unten" buttons and a drag handle."""

    js = [
        Script(
            "js/admin-ordering.js",
            **{
                "data-move-up": _("Move up"),
                "data-move-down": _("Move down"),
                "data-drag": _("Drag to change the order"),
                "data-moved": _("„%(item)s“ is now in place %(position)s of %(count)s."),
                "data-column": _("Order"),
                "data-save-hint": _("Choose „Save“ to keep the new order."),
            },
        ),
    ]


def next_position(queryset: QuerySet) -> int:
    """The position after the last one: new rows are placed at the end."""
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def place_new_rows_last(formset, queryset: QuerySet) -> None:
    """New inline rows whose position was left at its default go after the last row."""
    given = [
        form.cleaned_data.get("position") or 0
        for form in formset.forms
        if form.has_changed() and "position" in form.changed_data
    ]
    last = max([next_position(queryset) - 1, *given])
    for form in formset.extra_forms:
        if form.has_changed() and "position" not in form.changed_data:
            last += 1
            form.instance.position = last


class KeyMessageInline(admin.TabularInline):
    model = KeyMessage
    fields = ["position", "text"]
    extra = 1
    Media = OrderingMedia
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class GoalMeasureInline(admin.TabularInline):
    """The measures of a goal, chosen by autocomplete, with their order on the goal page."""

    model = MeasureGoal
    fields = ["position", "measure"]
    autocomplete_fields = ["measure"]
    extra = 1
    verbose_name = _("measure")
    verbose_name_plural = _("measures")
    Media = OrderingMedia


class MeasureGoalInline(admin.TabularInline):
    """The goals a measure serves."""

    model = MeasureGoal
    fields = ["goal", "position"]
    autocomplete_fields = ["goal"]
    extra = 1
    verbose_name = _("goal")
    verbose_name_plural = _("goals")
    Media = AdminMedia


def _record_link_changes(formset) -> None:
    """Links are rows of MeasureGoal; save the measures so their history shows the new goals."""
    touched = {link.measure_id for link in formset.new_objects}
    touched |= {link.measure_id for link, _ in formset.changed_objects}
    touched |= {link.measure_id for link in formset.deleted_objects}
    for measure in Measure.objects.filter(pk__in=touched):
        measure.save(update_fields=["updated_at"])


@admin.register(Goal)
class GoalAdmin(EasyLanguageHintsMixin, ReadableHistoryAdmin):
    easy_language_fields = ("easy_text",)
    list_display = [
        "title",
        "status",
        "number",
        "position",
        "key_message_count",
        "measure_count",
        "changed",
    ]
    list_display_links = ["title"]
    list_editable = ["position"]
    list_filter = ["status"]
    search_fields = ["title", "claim", "intro", "source", "key_messages__text"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "easy_text_hints"]
    fieldsets = [
        (None, {"fields": ["title", "claim", "slug", "number", "position", "status"]}),
        (_("Texts"), {"fields": ["intro", "source"]}),
        (_("Easy language"), {"fields": ["easy_text", "easy_text_hints"]}),
        (_("Change dates"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [KeyMessageInline, GoalMeasureInline]
    history_inlines = [(KeyMessage, "goal")]
    history_links = [(Measure, "goals", "goal", "measure")]
    actions = ["publish", "unpublish"]
    Media = OrderingMedia

    def get_queryset(self, request: HttpRequest) -> QuerySet[Goal]:
        return super().get_queryset(request).with_counts()

    @admin.display(description=HINTS_LABEL)
    def easy_text_hints(self, goal: Goal) -> str:
        return hints_html(goal.easy_text)

    @admin.display(description=_("changed"), ordering="updated_at")
    def changed(self, goal: Goal) -> str:
        return f"{timezone.localtime(goal.updated_at):%d.%m.%Y}"

    @admin.display(description=_("key messages"), ordering="key_message_count")
    def key_message_count(self, goal: Goal) -> int:
        return goal.key_message_count

    @admin.display(description=_("measures"), ordering="measure_count")
    def measure_count(self, goal: Goal) -> int:
        return goal.measure_count

    def view_on_site(self, goal: Goal) -> str:
        if goal.is_published:
            return goal.get_absolute_url()
        return reverse("goals:preview", kwargs={"slug": goal.slug})

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {
            "position": next_position(Goal.objects),
            **super().get_changeform_initial_data(request),
        }

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model in (KeyMessage, MeasureGoal):
            place_new_rows_last(formset, formset.model.objects.filter(goal=form.instance))
        super().save_formset(request, form, formset, change)
        if formset.model is MeasureGoal:
            _record_link_changes(formset)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Goal], status: str) -> int:
        changed = 0
        for goal in queryset.exclude(status=status):
            goal.status = status
            goal.save(update_fields=["status", "updated_at"])  # one history entry per goal
            changed += 1
        return changed

    @admin.action(description=_("Publish selected goals"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Goal]) -> None:
        changed = self._set_status(request, queryset, Goal.Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%(count)d goal was published.", "%(count)d goals were published.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected goals"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Goal]) -> None:
        changed = self._set_status(request, queryset, Goal.Status.DRAFT)
        self.message_user(
            request,
            ngettext(
                "%(count)d goal was set back to draft.",
                "%(count)d goals were set back to draft.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(KeyMessage)
class KeyMessageAdmin(ReadableHistoryAdmin):
    list_display = ["text", "goal", "position"]
    list_filter = ["goal"]
    list_select_related = ["goal"]
    search_fields = ["text", "goal__title"]
    autocomplete_fields = ["goal"]

    def save_model(self, request, obj: KeyMessage, form, change) -> None:
        if not change and "position" not in form.changed_data:
            obj.position = next_position(KeyMessage.objects.filter(goal=obj.goal))
        super().save_model(request, obj, form, change)


@admin.register(Measure)
class MeasureAdmin(ReadableHistoryAdmin):
    list_display = ["text", "status", "is_published", "department", "goal_list", "updated_at"]
    list_filter = ["is_published", "status", "goals"]
    search_fields = ["text", "description", "department", "slug"]
    prepopulated_fields = {"slug": ["text"]}
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        "text",
        "slug",
        "is_published",
        "description",
        "status",
        "department",
        "created_at",
        "updated_at",
    ]
    inlines = [MeasureGoalInline]

    def view_on_site(self, measure: Measure) -> str:
        if measure.is_published:
            return measure.get_absolute_url()
        return reverse("goals:measure-preview", kwargs={"slug": measure.slug})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Measure]:
        return super().get_queryset(request).prefetch_related("goal_links__goal")

    def get_deleted_objects(self, objs, request: HttpRequest):
        """A measure that an evaluated contribution led to stays: the record says so."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        adopted = [
            _("Contribution %(pk)s („%(text)s“) led to this measure")
            % {"pk": comment.pk, "text": comment}
            for measure in objs
            for comment in measure.adopted_comments.order_by("pk")
        ]
        if adopted:
            return to_delete, model_count, set(), [*protected, *adopted]
        return to_delete, model_count, perms_needed, protected

    @admin.display(description=_("goals"))
    def goal_list(self, measure: Measure) -> str:
        return "; ".join(link.goal.title for link in measure.goal_links.all())

    def save_formset(self, request, form, formset, change) -> None:
        for link_form in formset.extra_forms:  # a new goal of the measure: last on that goal
            if link_form.has_changed() and "position" not in link_form.changed_data:
                goal = link_form.cleaned_data["goal"]
                link_form.instance.position = next_position(goal.measure_links.all())
        super().save_formset(request, form, formset, change)
        if formset.model is MeasureGoal and formset.has_changed():
            form.instance.save(update_fields=["updated_at"])
