from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import District, Event, EventQuerySet
from goals.models import Goal


class EventFilterForm(forms.Form):
    """The calendar's GET filters; invalid values are simply ignored."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Event.Kind.choices], required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[("", _("All audiences")), *Event.Audience.choices],
        required=False,
    )
    goal = forms.ModelChoiceField(
        label=_("Goal"),
        queryset=Goal.objects.published(),
        to_field_name="slug",
        required=False,
        empty_label=_("All goals"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter(self, events: EventQuerySet) -> EventQuerySet:
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        if values.get("district"):
            events = events.in_district(values["district"])
        if values.get("kind"):
            events = events.of_kind(values["kind"])
        if values.get("audience"):
            events = events.for_audience(values["audience"])
        if values.get("goal"):
            events = events.for_goal(values["goal"])
        return events

    @property
    def active_query(self) -> str:
        """The valid filters as a query string, for the feed links."""
        values = getattr(self, "cleaned_data", {})
        params = {}
        for name in ("district", "goal"):
            if values.get(name):
                params[name] = values[name].slug
        for name in ("kind", "audience"):
            if values.get(name):
                params[name] = values[name]
        return urlencode(params)
