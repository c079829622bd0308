"""Multi-step writes of the goals app: loading the ISEK seed and syncing the editor group."""

import json
from pathlib import Path

from django.apps import apps as global_apps
from django.db import models, transaction

from goals.models import Goal, KeyMessage, Measure, MeasureGoal
from hagen_isek.seeding import SeedReport, any_edited_by_a_person, seed_row

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


@transaction.atomic
def load_seed_goals(*, path: Path = SEED_FILE) -> SeedReport:
    """Load goals, key messages and measures keyed on slugs; safe to run any number of times.

    Editors' work wins (hagen_isek.seeding): a goal, its key messages, a measure, or the links
    of a measure that an editor changed in the admin stay as the editor made them.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    report = SeedReport()
    measures: dict[str, Measure] = {}
    edited_measures: set[str] = set()
    for item in data["measures"]:
        measure, outcome = seed_row(
            Measure,
            lookup={"slug": item["slug"]},
            values={"text": item["text"], "status": item["status"]},
            report=report,
        )
        measures[item["slug"]] = measure
        if outcome == "kept":
            edited_measures.add(item["slug"])
    for item in data["goals"]:
        values = {
            name: item[name]
            for name in ("number", "position", "status", "title", "claim", "source")
        }
        goal, outcome = seed_row(Goal, lookup={"slug": item["slug"]}, values=values, report=report)
        if outcome == "kept":
            continue
        if any_edited_by_a_person(KeyMessage, goal_id=goal.pk):
            report.kept.append(f"key messages of goal {item['slug']}")
        else:
            for position, text in enumerate(item["key_messages"], start=1):
                seed_row(
                    KeyMessage,
                    lookup={"goal": goal, "position": position},
                    values={"text": text},
                    report=report,
                )
        for position, slug in enumerate(item["measures"], start=1):
            if slug in edited_measures:
                continue
            seed_row(
                MeasureGoal,
                lookup={"goal": goal, "measure": measures[slug]},
                values={"position": position},
                owner=goal,  # links are edited as inlines of the goal (or of the measure)
                report=report,
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
