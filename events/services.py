import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from events import geo
from events.models import CouncilPaper, District, DistrictArea, Event, Milestone
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


def district_areas_add_schematic(*, districts: list[District], report: SeedReport) -> None:
    """Give every district without an area its part of the schematic division; an area that
    exists (official or schematic) is never replaced here."""
    missing = [
        district
        for district in districts
        if not DistrictArea.objects.filter(district=district).exists()
    ]
    if not missing:
        return
    schematic = geo.schematic_districts()
    for district in missing:
        if district.slug in schematic:
            area = DistrictArea.objects.create(
                district=district,
                geojson=geo.to_geojson(schematic[district.slug]),
                source=geo.SCHEMATIC_SOURCE,
                is_official=False,
            )
            report.count("created", area)


@dataclass(frozen=True)
class Place:
    """Where a citizen placed a contribution: a district, and perhaps a point in it (rounded)."""

    district: District
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class PlaceRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def place_at(*, latitude: Decimal | float, longitude: Decimal | float) -> Place:
    """The place of a point: rounded to about 100 m first (never stored finer), then its
    district by point-in-polygon on the rounded point, so the stored point lies in it."""
    latitude, longitude = geo.rounded(latitude), geo.rounded(longitude)
    areas = DistrictArea.objects.as_geojson_by_district()
    district_id = geo.district_at(longitude, latitude, areas)
    if district_id is None:
        raise PlaceRefused(
            _("The point lies outside Hagen's districts. Please choose the district from the list.")
        )
    return Place(
        district=District.objects.get(pk=district_id), latitude=latitude, longitude=longitude
    )


class DistrictPolygonsRefused(ValueError):
    """The file does not hold exactly the five districts; the message says what is wrong."""


def district_areas_replace_with_official(
    *, features: list[dict], source: str
) -> list[DistrictArea]:
    """Replace every district's area with the official polygon of a GeoJSON FeatureCollection's
    features, all or nothing. A feature names its district by `name` or `slug` (or any
    property whose value is a district's name or slug, e.g. the city's own `STB_NAME`)."""
    districts = list(District.objects.all())
    by_key = {key.casefold(): d for d in districts for key in (d.name, d.slug)}
    matched: dict[District, list] = {}
    unknown = []
    for number, feature in enumerate(features, start=1):
        values = [str(v) for v in (feature.get("properties") or {}).values() if isinstance(v, str)]
        district = next((by_key[v.casefold()] for v in values if v.casefold() in by_key), None)
        if district is None:
            unknown.append(f"#{number} ({', '.join(values) or 'no name'})")
            continue
        try:
            geometry = geo.from_geojson(json.dumps(feature.get("geometry")))
        except (geo.GeometryError, ValueError, TypeError, AttributeError) as error:
            raise DistrictPolygonsRefused(
                f"Feature #{number} ({district.name}): {error}"
            ) from error
        if not geometry.intersects(geo.city_outline()):
            raise DistrictPolygonsRefused(
                f"Feature #{number} ({district.name}) lies outside Hagen: coordinates must be "
                "longitude/latitude in WGS84 (EPSG:4326)."
            )
        matched.setdefault(district, []).append(geometry)
    problems = []
    if unknown:
        problems.append("features that name no district: " + "; ".join(unknown))
    missing = [d.name for d in districts if d not in matched]
    if missing:
        problems.append("districts without a feature: " + ", ".join(missing))
    twice = [d.name for d, parts in matched.items() if len(parts) > 1]
    if twice:
        problems.append("districts with more than one feature: " + ", ".join(twice))
    if problems:
        names = ", ".join(d.name for d in districts)
        raise DistrictPolygonsRefused(
            f"The file must hold one feature for each of the districts {names}. Found "
            + "; ".join(problems)
            + ". Nothing was changed."
        )
    areas = []
    with transaction.atomic():
        for district, (geometry,) in matched.items():
            area, _created = DistrictArea.objects.update_or_create(
                district=district,
                defaults={
                    "geojson": geo.to_geojson(geometry),
                    "source": source,
                    "is_official": True,
                },
            )
            areas.append(area)
    return areas


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
        district_areas_add_schematic(districts=list(districts.values()), report=report)
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
