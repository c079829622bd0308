"""Multi-step writes of the goals app: loading the ISEK seed and syncing the editor group."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from goals.models import Goal, KeyMessage, Measure, MeasureGoal

SEED_FILE = Path(__file__).resolve().parent / "seed" / "isek_2018.json"


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
