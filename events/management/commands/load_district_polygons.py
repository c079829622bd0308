import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.services import DistrictPolygonsRefused, district_areas_replace_with_official


class Command(BaseCommand):
    help = (
        "Replace the schematic district areas with the official polygons of the five "
        "Stadtbezirke from a GeoJSON FeatureCollection in WGS84 longitude/latitude; each feature "
        "names its district (name or slug) in a property. All five or nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="GeoJSON FeatureCollection")
        parser.add_argument(
            "--source",
            default="",
            help="Source and licence shown to editors, e.g. „Stadt Hagen, Geodaten 2027“ "
            "(default: the file's name).",
        )

    def handle(self, *args, file: Path, source: str, **options) -> None:
        try:
            collection = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} is not a GeoJSON (JSON) file: {error}.") from error
        if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
            raise CommandError(f"{file} is not a GeoJSON FeatureCollection.")
        try:
            areas = district_areas_replace_with_official(
                features=collection.get("features") or [], source=source or file.name
            )
        except DistrictPolygonsRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        names = ", ".join(str(area.district) for area in areas)
        self.stdout.write(f"Official boundaries loaded for {len(areas)} districts: {names}.")
