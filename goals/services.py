"""Multi-step writes of the goals app: loading the ISEK seed and syncing the editor group."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps as global_apps
from django.db import models, transaction

from goals.models import Goal, KeyMessage, Measure, MeasureGoal

SEED_FILE = Path(__file__).resolve().parent / "seed" / "isek_2018.json"
EDITOR_GROUP = "Redaktion"

# What editors curate: (app label, model) -> permission actions. Moderation of contributions
# belongs to the "Moderation" group; user accounts are not the editors' business.
ALL = ("add", "change", "delete", "view")
EDITOR_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("goals", "goal"): ALL,
    ("goals", "keymessage"): ALL,
    ("goals", "measure"): ALL,
    ("goals", "measuregoal"): ALL,
    ("flatpages", "flatpage"): ("change", "view"),
}
# Apps of other teams whose content models editors curate; every model except those listed here.
EDITOR_APPS: dict[str, tuple[str, ...]] = {
    "events": ALL,
    "participation": ("add", "change", "view"),
}
NOT_FOR_EDITORS = {("participation", "user")}


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def count(self, kind: str, model: type[models.Model]) -> None:
        bucket = self.created if kind == "created" else self.updated
        name = model._meta.model_name
        bucket[name] = bucket.get(name, 0) + 1


def _sync(
    model: type[models.Model], report: SeedReport, lookup: dict, values: dict
) -> models.Model:
    """Create the row or bring it to `values`; save only on a real change (no empty history)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count("created", model)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        report.count("updated", model)
    return obj


def _edited_by_a_person(obj: models.Model) -> bool:
    """Seed writes have no history user; any admin change has one. Editors' work wins."""
    return obj.history.filter(history_user__isnull=False).exists()


@transaction.atomic
def load_seed_goals(*, path: Path = SEED_FILE) -> SeedReport:
    """Load goals, key messages and measures keyed on slugs; safe to run any number of times.

    What an editor has changed in the admin (a goal, its key messages, a measure, or the links
    between them) is left as the editor made it, so typos fixed by editors stay fixed.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    report = SeedReport()
    measures: dict[str, Measure] = {}
    edited_measures: set[str] = set()
    for item in data["measures"]:
        existing = Measure.objects.filter(slug=item["slug"]).first()
        if existing and _edited_by_a_person(existing):
            report.kept.append(f"measure {item['slug']}")
            measures[item["slug"]] = existing
            edited_measures.add(item["slug"])
            continue
        measures[item["slug"]] = _sync(
            Measure,
            report,
            {"slug": item["slug"]},
            {"text": item["text"], "status": item["status"]},
        )
    for item in data["goals"]:
        existing = Goal.objects.filter(slug=item["slug"]).first()
        if existing and _edited_by_a_person(existing):
            report.kept.append(f"goal {item['slug']}")
            continue
        values = {
            name: item[name]
            for name in ("number", "position", "status", "title", "claim", "source")
        }
        goal = _sync(Goal, report, {"slug": item["slug"]}, values)
        if KeyMessage.history.filter(goal_id=goal.pk, history_user__isnull=False).exists():
            report.kept.append(f"key messages of goal {item['slug']}")
        else:
            for position, text in enumerate(item["key_messages"], start=1):
                _sync(KeyMessage, report, {"goal": goal, "position": position}, {"text": text})
        for position, slug in enumerate(item["measures"], start=1):
            if slug in edited_measures:
                continue
            _sync(
                MeasureGoal,
                report,
                {"goal": goal, "measure": measures[slug]},
                {"position": position},
            )
    return report


def sync_editor_group(apps=global_apps) -> int:
    """Give the "Redaktion" group every editor permission whose content type exists.

    Additive (never removes what another app's migration granted) and idempotent; runs in a
    migration with historical `apps` and later as `manage.py sync_editor_group` once the events
    and participation models exist. Returns the number of permissions added.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    wanted: set[tuple[str, str]] = set()
    for (app_label, model_name), actions in EDITOR_PERMISSIONS.items():
        wanted |= {(app_label, f"{action}_{model_name}") for action in actions}
    for app_label, actions in EDITOR_APPS.items():
        try:
            app_models = apps.get_app_config(app_label).get_models()
        except LookupError:
            continue
        for model in app_models:
            name = model._meta.model_name
            if (app_label, name) in NOT_FOR_EDITORS or name.startswith("historical"):
                continue
            wanted |= {(app_label, f"{action}_{name}") for action in actions}
    group, _ = group_model.objects.get_or_create(name=EDITOR_GROUP)
    query = models.Q(pk__in=[])
    for app_label, codename in wanted:
        query |= models.Q(content_type__app_label=app_label, codename=codename)
    permissions = permission_model.objects.filter(query).exclude(group=group)
    added = list(permissions)
    group.permissions.add(*added)
    return len(added)
