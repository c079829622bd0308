"""The one seeding rule of the portal: editors' work wins.

A seeded row is created when it is missing and brought to the seed's values only while no
person has changed it; it is saved only when a value really differs, so a re-seed that changes
nothing writes no history rows.

"A person changed it" means: one of the object's django-simple-history rows has a
`history_user` (seed writes run without a request, so they have none; the admin and every other
view set one). A row without history of its own is judged by the history of its `owner`, the
object on whose admin page it is edited (a goal's measure links). Rows with neither (comment
rounds) are only created when missing and then left alone: nothing tells a seed
write from an editor's, so the seed never overwrites them; a correction of such seed data needs
the admin or a data migration.
"""

from dataclasses import dataclass, field
from typing import Literal

from django.db import models

Outcome = Literal["created", "updated", "unchanged", "kept"]


@dataclass
class SeedReport:
    """What a loader did, per model name; `kept` names the rows an editor had changed."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome, obj: models.Model) -> None:
        name = obj._meta.model_name
        if outcome == "kept":
            self.kept.append(f"{name} {obj}")
        elif outcome in ("created", "updated"):
            bucket = self.created if outcome == "created" else self.updated
            bucket[name] = bucket.get(name, 0) + 1

    def total(self, outcome: Literal["created", "updated"]) -> int:
        return sum((self.created if outcome == "created" else self.updated).values())


def edited_by_a_person(obj: models.Model) -> bool:
    """True once a person has added or changed `obj`; needs a model with history."""
    return obj.history.filter(history_user__isnull=False).exists()


def any_edited_by_a_person(model: type[models.Model], **lookup: object) -> bool:
    """True once a person has added, changed or deleted any row of a set (e.g. a goal's key
    messages, whose positions are their keys); needs a model with history."""
    return model.history.filter(history_user__isnull=False, **lookup).exists()


def _may_hold_a_persons_work(obj: models.Model) -> bool:
    return not hasattr(type(obj), "history") or edited_by_a_person(obj)


def _differs(obj: models.Model, name: str, value: object) -> bool:
    model_field = obj._meta.get_field(name)
    if not model_field.is_relation:
        # The seed files hold dates as text; compare what the database would give back.
        value = model_field.to_python(value)
    return getattr(obj, name) != value


def seed_row(
    model: type[models.Model],
    *,
    lookup: dict,
    values: dict,
    create_values: dict | None = None,
    owner: models.Model | None = None,
    report: SeedReport | None = None,
) -> tuple[models.Model, Outcome]:
    """Create the row found by `lookup`, or bring it to `values` unless a person changed it.

    `create_values` are set only when the row is created (e.g. "published" for a new round);
    `owner` stands in for rows without history (see the module docstring). Returns the row as
    it is now in the database and what happened to it ("kept": left as a person may have made
    it).
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values, **(create_values or {}))
        outcome: Outcome = "created"
    elif _may_hold_a_persons_work(owner or obj):
        outcome = "kept"
    else:
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save()
        outcome = "updated" if changed else "unchanged"
    if report is not None:
        report.count(outcome, obj)
    return obj, outcome
