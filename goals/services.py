"""Multi-step writes of the goals app: loading the ISEK seed (editors' changes win)."""

import json
from pathlib import Path

from django.db import transaction

from goals.models import Goal, KeyMessage, Measure, MeasureGoal
from hagen_isek.seeding import SeedReport, any_edited_by_a_person, seed_row

SEED_FILE = Path(__file__).resolve().parent / "seed" / "isek_2018.json"


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
            create_values={"is_published": True},  # the concept's measures are public
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
