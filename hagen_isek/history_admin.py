"""History pages a planner can read: who changed what when, field by field, in German.

simple_history computes the differences (diff_against); this module only says how a value reads
(choice labels, Ja/Nein, names instead of ids, whole texts instead of "[70 chars]") and adds the
changes of inline rows (a goal's key messages) to the history of the object they belong to."""

from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "–"


def readable_value(field: models.Field, value: Any) -> str:
    if isinstance(value, list):  # many-to-many: the related objects (or their value dicts)
        names = [str(item) for item in value]
        return ", ".join(names) if names else EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d.m.Y")
    return str(value)


class GermanDeltaHelper(HistoricalRecordContextHelper):
    def format_delta_change(self, change):
        field = self.model._meta.get_field(change.field)
        old, new = change.old, change.new
        if isinstance(field, models.ManyToManyField):
            old, new = (
                self.prepare_delta_change_value(change, old),
                self.prepare_delta_change_value(change, new),
            )
        return change.__class__(
            field=capfirst(field.verbose_name),
            old=conditional_escape(readable_value(field, old)),
            new=conditional_escape(readable_value(field, new)),
        )


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with readable differences; `history_inlines` name the inline models
    (with their foreign key to this model) whose changes belong in this history."""

    history_inlines: list[tuple[type[models.Model], str]] = []

    def history_view_title(self, request, obj) -> str:
        return _("History of „%(object)s“") % {"object": obj}

    def get_historical_record_context_helper(self, request, historical_record):
        return GermanDeltaHelper(self.model, historical_record)

    # Link rows kept as part of the other side's versions (simple_history m2m_fields): the other
    # model, its many-to-many field, and the link's foreign keys to this model and to the other.
    history_links: list[tuple[type[models.Model], str, str, str]] = []

    def history_view(self, request, object_id, extra_context=None):
        changes = self.inline_changes(object_id) + self.link_changes(object_id)
        changes.sort(key=lambda entry: entry["record"].history_date, reverse=True)
        context = {"inline_changes": changes, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        context = {
            "restore_changes": self.restore_changes(object_id, version_id),
            **(extra_context or {}),
        }
        return super().history_form_view(request, object_id, version_id, context)

    def restore_changes(self, object_id, version_id) -> list[dict]:
        """What restoring the version brings back: each field that differs from today's."""
        history = self.model.history
        version = history.filter(id=object_id, history_id=version_id).first()
        latest = history.filter(id=object_id).order_by("-history_date", "-history_id").first()
        if version is None or latest is None or version.pk == latest.pk:
            return []
        delta = version.diff_against(latest, foreign_keys_are_objs=True)
        return GermanDeltaHelper(self.model, version).context_for_delta_changes(delta)

    def inline_changes(self, object_id) -> list[dict]:
        """The changes of the inline rows, newest first, each with its field differences."""
        entries = []
        for model, foreign_key in self.history_inlines:
            records = list(
                model.history.filter(**{f"{foreign_key}_id": object_id})
                .select_related("history_user")
                .order_by("id", "history_date", "history_id")
            )
            previous_of = {}
            for record in records:
                previous = previous_of.get(record.id)
                previous_of[record.id] = record
                changes = []
                if previous is not None and record.history_type == "~":
                    delta = record.diff_against(previous, foreign_keys_are_objs=True)
                    helper = GermanDeltaHelper(model, record)
                    changes = helper.context_for_delta_changes(delta)
                    if not changes:
                        continue
                entries.append(
                    {
                        "record": record,
                        "kind": capfirst(model._meta.verbose_name),
                        "name": str(record.instance),
                        "changes": changes,
                    }
                )
        entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
        return entries

    def link_changes(self, object_id) -> list[dict]:
        """Links that came, went or moved, from consecutive versions of the other side (a
        measure's versions keep the goals it served, with its position on each)."""
        entries = []
        for other, m2m_name, to_this, to_other in self.history_links:
            through = other._meta.get_field(m2m_name).remote_field.through
            snapshots = apps.get_model(through._meta.app_label, f"Historical{through.__name__}")
            rows = snapshots.objects.filter(**{f"{to_this}_id": object_id})
            other_ids = set(rows.values_list(f"{to_other}_id", flat=True))
            positions = dict(rows.values_list("history_id", "position"))
            versions = (
                other.history.filter(id__in=other_ids)
                .select_related("history_user")
                .order_by("id", "history_date", "history_id")
            )
            position_label = capfirst(through._meta.get_field("position").verbose_name)
            previous_of: dict = {}
            for version in versions:
                now = positions.get(version.history_id)
                if version.history_type == "-":
                    now = None
                before = previous_of.get(version.id)
                previous_of[version.id] = now
                if before == now:
                    continue
                if before is None:
                    what = _("Linked")
                    changes = [{"field": position_label, "old": EMPTY, "new": now}]
                elif now is None:
                    what, changes = _("Unlinked"), []
                else:
                    what = _("Moved")
                    changes = [{"field": position_label, "old": before, "new": now}]
                entries.append(
                    {
                        "record": version,
                        "kind": capfirst(through._meta.get_field(to_other).verbose_name),
                        "name": str(version.instance),
                        "what": what,
                        "changes": changes,
                    }
                )
        return entries


class WithoutLinkRowsMixin:
    """The delete confirmation lists what goes with an object; the hidden rows that link it to
    goals or events ("CouncilPaper_events object (1)") mean nothing to a planner, so they are
    left out (they go, the goals and events stay)."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        prefixes = tuple(
            f"{capfirst(field.remote_field.through._meta.verbose_name)}: "
            for field in self.model._meta.many_to_many
            if field.remote_field.through._meta.auto_created
        )

        def keep(items: list) -> list:
            kept = []
            for item in items:
                if isinstance(item, list):
                    if nested := keep(item):
                        kept.append(nested)
                elif not str(item).startswith(prefixes):
                    kept.append(item)
            return kept

        through = {
            field.remote_field.through._meta.verbose_name_plural
            for field in self.model._meta.many_to_many
        }
        counts = {name: count for name, count in model_count.items() if name not in through}
        return keep(to_delete), counts, perms_needed, protected
