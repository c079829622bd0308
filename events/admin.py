from datetime import time

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import CouncilPaper, District, DistrictArea, Event, EventDocument, Milestone
from events.services import event_duplicate
from hagen_isek.history_admin import ReadableHistoryAdmin, WithoutLinkRowsMixin
from hagen_isek.slugs import is_copy_slug, unique_slug
from hagen_isek.upload_admin import ReselectFilesMixin


@admin.register(District)
class DistrictAdmin(ReadableHistoryAdmin):
    list_display = ["name", "official_name", "population", "position"]
    list_editable = ["position"]
    search_fields = ["name", "official_name", "quarters"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(DistrictArea)
class DistrictAreaAdmin(admin.ModelAdmin):
    """Read only: areas come from the seed (schematic) or from `manage.py
    load_district_polygons FILE.geojson` (official), never typed in by hand."""

    list_display = ["district", "is_official", "source", "updated_at"]
    fields = ["district", "is_official", "source", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DocumentationFilter(admin.SimpleListFilter):
    title = _("documentation")
    parameter_name = "dokumentation"
    MISSING = "fehlt"  # the dashboard links here

    def lookups(self, request, model_admin):
        return [(self.MISSING, _("Took place, not documented yet"))]

    def queryset(self, request, queryset):
        if self.value() == self.MISSING:
            return queryset.undocumented()
        return queryset


class EventDocumentInline(admin.TabularInline):
    model = EventDocument
    extra = 1
    fields = ["title", "file", "alt_text", "position"]


class DayWithoutMidnight(AdminSplitDateTime):
    """An all-day event's start shows its day and an empty time field, not "00:00"."""

    all_day = False

    def decompress(self, value):
        day, clock = super().decompress(value)
        return [day, None if self.all_day and clock == time(0) else clock]


class DayOrDateTimeField(forms.SplitDateTimeField):
    """Date and time, where the time may be left empty (an all-day event)."""

    widget = DayWithoutMidnight

    def __init__(self, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        self.fields[1].required = False

    def compress(self, data_list):
        if data_list and data_list[0] and not data_list[1]:
            data_list = [data_list[0], time(0)]
        return super().compress(data_list)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            *["title", "slug", "kind", "audience", "status", "is_published"],
            *["starts_at", "ends_at", "has_time", "tentative_period", "sorts_as"],
            *["district", "venue", "address", "description", "goals", "source", "report"],
        ]
        field_classes = {"starts_at": DayOrDateTimeField, "ends_at": DayOrDateTimeField}
        widgets = {"starts_at": DayWithoutMidnight, "ends_at": DayWithoutMidnight}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        all_day = self.instance.pk is not None and not self.instance.has_time
        for name in ("starts_at", "ends_at"):
            if name in self.fields:
                self.fields[name].widget.all_day = all_day


@admin.register(Event)
class EventAdmin(ReselectFilesMixin, WithoutLinkRowsMixin, ReadableHistoryAdmin):
    form = EventForm
    list_display = [
        "title",
        "when",
        "kind",
        "district",
        "status",
        "is_published",
    ]
    list_filter = ["kind", "district", "audience", "status", "is_published", DocumentationFilter]
    list_select_related = ["district"]
    date_hierarchy = "starts_at"
    search_fields = ["title", "description", "venue", "address", "source"]
    prepopulated_fields = {"slug": ["title"]}
    # goals.Goal has no searchable admin in this app, so no autocomplete here.
    filter_horizontal = ["goals"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [EventDocumentInline]
    actions = ["duplicate"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "audience", "status", "is_published"]}),
        (
            _("Date"),
            {"fields": ["starts_at", "ends_at", "has_time", "tentative_period", "sorts_as"]},
        ),
        (_("Place"), {"fields": ["district", "venue", "address"]}),
        (_("Content"), {"fields": ["description", "goals", "source"]}),
        (_("Documentation after the event"), {"fields": ["report"]}),
        (_("Changes"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("date"), ordering="starts_at")
    def when(self, event: Event) -> str:
        """The day, the time only where one is known (no "00:00"), else the rough period."""
        if event.starts_at is None:
            return event.tentative_period or "–"
        start = timezone.localtime(event.starts_at)
        return f"{start:%d.%m.%Y, %H:%M} Uhr" if event.has_time else f"{start:%d.%m.%Y}"

    def save_model(self, request, obj: Event, form, change) -> None:
        renamed_copy = "title" in form.changed_data and "slug" not in form.changed_data
        if change and renamed_copy and not obj.is_published and is_copy_slug(obj.slug):
            obj.slug = unique_slug(Event, obj.title, exclude_pk=obj.pk)  # not "…-kopie" forever
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Duplicate selected events as unpublished drafts"), permissions=["add"]
    )
    def duplicate(self, request, queryset) -> None:
        copies = [event_duplicate(event=event) for event in queryset]
        self.message_user(
            request,
            ngettext(
                "%(count)d event was copied as an unpublished draft.",
                "%(count)d events were copied as unpublished drafts.",
                len(copies),
            )
            % {"count": len(copies)},
            messages.SUCCESS,
        )


@admin.register(Milestone)
class MilestoneAdmin(ReadableHistoryAdmin):
    list_display = [
        "title",
        "planned_date",
        "planned_text",
        "actual_date",
        "actual_text",
        "position",
    ]
    list_editable = ["position"]
    list_select_related = ["event"]
    search_fields = ["title", "description", "source"]
    autocomplete_fields = ["event"]


@admin.register(CouncilPaper)
class CouncilPaperAdmin(WithoutLinkRowsMixin, ReadableHistoryAdmin):
    list_display = ["number", "kind", "title", "url"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "source"]
    # goals.Goal has no searchable admin in this app, so no autocomplete here.
    filter_horizontal = ["goals", "events", "milestones"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["number", "kind", "title", "url", "oparl_id", "source"]}),
        (_("Discussed in"), {"fields": ["goals", "events", "milestones"]}),
        (_("Changes"), {"fields": ["created_at", "updated_at"]}),
    ]
