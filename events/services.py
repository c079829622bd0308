import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from events.models import CouncilPaper, District, Event, Milestone
from goals.models import Goal
from hagen_isek.seeding import SeedReport, seed_row
from hagen_isek.slugs import unique_slug

SEED_FILE = Path(__file__).resolve().parent / "seed" / "events_2018.json"
COUNCIL_PAPERS_FILE = Path(__file__).resolve().parent / "seed" / "council_papers.json"
BERLIN = ZoneInfo("Europe/Berlin")


def _local(day: str, time: str | None) -> datetime.datetime:
    moment = datetime.time.fromisoformat(time) if time else datetime.time(0, 0)
    return datetime.datetime.combine(datetime.date.fromisoformat(day), moment, tzinfo=BERLIN)


def _find_goals(lookups: list[dict]) -> list[Goal]:
    """Goals named in the seed by number or title; those not (yet) loaded are skipped."""
    goals = []
    for lookup in lookups:
        goal = Goal.objects.filter(**lookup).first()
        if goal:
            goals.append(goal)
    return goals


def _event_fields(entry: dict, districts: dict[str, District]) -> dict:
    day = entry.get("date")
    return {
        "title": entry["title"],
        "kind": entry["kind"],
        "audience": entry["audience"],
        "district": districts.get(entry.get("district", "")),
        "venue": entry.get("venue", ""),
        "address": entry.get("address", ""),
        "starts_at": _local(day, entry.get("start")) if day else None,
        "ends_at": _local(day, entry["end"]) if day and entry.get("end") else None,
        "has_time": bool(entry.get("start")),
        "tentative_period": entry.get("tentative_period", ""),
        "sorts_as": entry.get("sorts_as"),
        "description": entry["description"],
        "status": entry["status"],
        "source": entry["source"],
    }


def council_papers_load_seed(*, path: Path = COUNCIL_PAPERS_FILE, report: SeedReport) -> None:
    """Create or update the council papers, keyed by number, with the goals, events and
    milestones they were discussed in (those not loaded are skipped); editors' work wins."""
    for entry in json.loads(path.read_text(encoding="utf-8"))["council_papers"]:
        paper, outcome = seed_row(
            CouncilPaper,
            lookup={"number": entry["number"]},
            values={
                "kind": entry["kind"],
                "title": entry["title"],
                "url": entry["url"],
                "source": entry["source"],
            },
            report=report,
        )
        if outcome != "kept":
            paper.goals.set(Goal.objects.filter(slug__in=entry["goals"]))
            paper.events.set(Event.objects.filter(slug__in=entry["events"]))
            paper.milestones.set(Milestone.objects.filter(title__in=entry["milestones"]))


def events_load_seed(*, path: Path = SEED_FILE) -> SeedReport:
    """Create or update districts, events and milestones from the seed file, keyed by slug/title.

    Editors' work wins (hagen_isek.seeding): a row an editor changed, including an event's goals,
    stays as the editor made it.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    report = SeedReport()
    with transaction.atomic():
        districts = {}
        for entry in data["districts"]:
            districts[entry["slug"]], _ = seed_row(
                District,
                lookup={"slug": entry["slug"]},
                values={
                    "name": entry["name"],
                    "official_name": entry["official_name"],
                    "position": entry["position"],
                    "population": entry["population"],
                    "population_source": "S43 (WP, Hagener Monatszahlen, Ende Februar 2020)",
                    "quarters": entry["quarters"],
                },
                report=report,
            )
        events = {}
        for entry in data["events"]:
            event, outcome = seed_row(
                Event,
                lookup={"slug": entry["slug"]},
                values=_event_fields(entry, districts),
                create_values={"is_published": True},  # the documented process is public
                report=report,
            )
            if outcome != "kept":
                # set() writes (and records in the history) only the links that differ.
                event.goals.set(_find_goals(entry.get("goals", [])))
            events[entry["slug"]] = event
        for entry in data["milestones"]:
            seed_row(
                Milestone,
                lookup={"title": entry["title"]},
                values={
                    "position": entry["position"],
                    "planned_date": entry.get("planned_date"),
                    "planned_text": entry.get("planned_text", ""),
                    "actual_date": entry.get("actual_date"),
                    "actual_text": entry.get("actual_text", ""),
                    "description": entry["description"],
                    "event": events.get(entry.get("event", "")),
                    "source": entry["source"],
                },
                report=report,
            )
        council_papers_load_seed(report=report)
    return report


def event_duplicate(*, event: Event) -> Event:
    """Copy an event as an unpublished draft with its goals; documents stay with the original."""
    with transaction.atomic():
        goals = list(event.goals.all())
        slug = unique_slug(Event, f"{event.slug}-kopie")
        copy = Event.objects.get(pk=event.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.slug = slug
        copy.title = f"{event.title} (Kopie)"
        copy.is_published = False
        copy.report = ""
        copy.save()
        copy.goals.set(goals)
    return copy
