from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventQuerySet, kept_districts
from goals.models import Goal
from hagen_isek import site_content


class KeptSlugChoiceField(forms.ChoiceField):
    """One of the objects `objects()` returns, chosen by slug (cleaned: the object): those this
    worker keeps for the site version (hagen_isek/site_content.py), so neither rendering nor
    checking the choice costs a query."""

    def __init__(self, *, objects, empty_label, **kwargs) -> None:
        self.kept_objects = objects
        super().__init__(choices=self._choices, required=False, **kwargs)
        self.empty_label = empty_label

    def objects(self) -> dict:
        return {obj.slug: obj for obj in self.kept_objects()}

    def _choices(self) -> list[tuple[str, str]]:
        return [("", self.empty_label), *((slug, str(obj)) for slug, obj in self.objects().items())]

    def clean(self, value):
        slug = super().clean(value)
        return self.objects().get(slug) if slug else None


class EventFilterForm(forms.Form):
    """The calendar's GET filters; invalid values are simply ignored."""

    district = KeptSlugChoiceField(
        objects=kept_districts,
        label=_("District"),
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
    goal = KeptSlugChoiceField(
        objects=lambda: site_content.kept(
            ("published-goals",), lambda: list(Goal.objects.published())
        ),
        label=_("Goal"),
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
