"""Geometry of the district map: the city outline, the schematic Stadtbezirke, the projection
to SVG coordinates, point-in-polygon and the rounding of placed points.

Framework-light on purpose: the SVG map (templates/maps/district_map.html) and a street base map
laid under it share `Projection`, so both draw the same Hagen.
"""

import json
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from shapely import affinity, set_precision, voronoi_polygons
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

GEODATA = Path(__file__).resolve().parent / "geodata"
OUTLINE_FILE = GEODATA / "hagen-vg250.geojson"
ATTRIBUTION = "© GeoBasis-DE / BKG (2017)"
# Shown to editors in the admin, in German like the seed's other sources.
SCHEMATIC_SOURCE = (
    "Schematische Aufteilung der Stadtgrenze (BKG VG250) nach dem nächstgelegenen "
    "Stadtteilzentrum (DISTRICT_CENTRES); keine amtlichen Grenzen."
)
# Three decimals of a degree: 111 m north-south, 70 m east-west in Hagen; the finest a placed
# point is ever stored, exported or shown.
POINT_DECIMALS = 3
MAP_WIDTH = 600  # SVG user units across the city

# Approximate centres (latitude, longitude) of the quarters of each Stadtbezirk; every spot of
# the official outline goes to the district of its nearest centre. Only a schematic picture:
# the official polygons come from the city's geodata office (manage.py load_district_polygons).
DISTRICT_CENTRES: dict[str, list[tuple[float, float]]] = {
    "hagen-mitte": [
        (51.3628, 7.4606),  # Hauptbahnhof
        (51.3590, 7.4740),  # Innenstadt
        (51.3530, 7.4480),  # Wehringhausen
        (51.3730, 7.4760),  # Altenhagen
        (51.3480, 7.5000),  # Emst
    ],
    "hagen-nord": [
        (51.3930, 7.4920),  # Boele
        (51.3840, 7.4350),  # Vorhalle
        (51.4030, 7.5280),  # Garenfeld
        (51.3920, 7.5130),  # Kabel
    ],
    "hohenlimburg": [
        (51.3510, 7.5760),  # Hohenlimburg
        (51.3640, 7.5560),  # Elsey
        (51.3800, 7.5560),  # Berchum
    ],
    "eilpe-dahl": [
        (51.3350, 7.4820),  # Eilpe
        (51.3200, 7.4700),  # Selbecke
        (51.2960, 7.5270),  # Dahl
        (51.2790, 7.5000),  # Priorei
        (51.2720, 7.5450),  # Rummenohl
    ],
    "haspe": [
        (51.3470, 7.4100),  # Haspe
        (51.3620, 7.3980),  # Westerbauer
        (51.3320, 7.4220),  # Spielbrink
        (51.3350, 7.4000),  # Hestert
        (51.3180, 7.4350),  # the south of Haspe
    ],
}


class GeometryError(ValueError):
    """A GeoJSON file or point the map cannot use; the message says why."""


@cache
def city_outline() -> BaseGeometry:
    """Hagen's official outline (BKG VG250, AGS 05914000) in WGS84 longitude/latitude."""
    collection = json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    return shape(collection["features"][0]["geometry"])


def schematic_districts() -> dict[str, BaseGeometry]:
    """The outline divided among the districts by nearest quarter centre, per district slug."""
    outline = city_outline()
    owners = {
        (lon, lat): slug for slug, centres in DISTRICT_CENTRES.items() for lat, lon in centres
    }
    # Voronoi cells in a locally square coordinate system, so "nearest" means metres.
    squash = math.cos(math.radians(outline.centroid.y))
    points = MultiPoint([(lon * squash, lat) for lon, lat in owners])
    cells: dict[str, list[BaseGeometry]] = {slug: [] for slug in DISTRICT_CENTRES}
    for cell in voronoi_polygons(
        points, extend_to=_scaled(outline.envelope.buffer(0.1), squash)
    ).geoms:
        for (lon, lat), slug in owners.items():
            if cell.contains(Point(lon * squash, lat)):
                cells[slug].append(_scaled(cell, 1 / squash))
                break
    return {slug: unary_union(parts).intersection(outline) for slug, parts in cells.items()}


def _scaled(geometry: BaseGeometry, factor: float) -> BaseGeometry:
    return affinity.scale(geometry, xfact=factor, yfact=1, origin=(0, 0))


def to_geojson(geometry: BaseGeometry, *, decimals: int = 6) -> str:
    """A geometry as compact GeoJSON text with rounded coordinates."""
    return json.dumps(mapping(set_precision(geometry, 10**-decimals)), separators=(",", ":"))


def from_geojson(text: str) -> BaseGeometry:
    geometry = shape(json.loads(text))
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        raise GeometryError(f"expected a Polygon or MultiPolygon, got {geometry.geom_type}")
    return geometry


@dataclass(frozen=True)
class Projection:
    """A simple local projection of the city (equirectangular around its centre) onto SVG user
    units: x grows to the east, y to the south; `MAP_WIDTH` units across the outline."""

    west: float
    north: float
    x_scale: float  # SVG units per degree of longitude
    y_scale: float  # SVG units per degree of latitude
    width: float
    height: float

    @classmethod
    def for_bounds(cls, west: float, south: float, east: float, north: float) -> "Projection":
        squash = math.cos(math.radians((south + north) / 2))
        y_scale = MAP_WIDTH / ((east - west) * squash)
        x_scale = y_scale * squash
        return cls(
            west=west,
            north=north,
            x_scale=x_scale,
            y_scale=y_scale,
            width=MAP_WIDTH,
            height=round((north - south) * y_scale, 1),
        )

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            round((lon - self.west) * self.x_scale, 1),
            round((self.north - lat) * self.y_scale, 1),
        )

    def path(self, geometry: BaseGeometry) -> str:
        """SVG path data (`d`) of a polygon or multipolygon, holes included."""
        polygons = getattr(geometry, "geoms", [geometry])
        parts = []
        for polygon in polygons:
            if polygon.geom_type != "Polygon":
                continue
            for ring in (polygon.exterior, *polygon.interiors):
                points = [self.point(lon, lat) for lon, lat in ring.coords[:-1]]
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        return "".join(parts)


def city_projection() -> Projection:
    return Projection.for_bounds(*city_outline().bounds)


# Simplification for drawing: 0.0002° is about 15-20 m, far below a pixel of the map.
DRAWING_TOLERANCE = 0.0002


def drawing_of(areas: dict[int, str]) -> dict:
    """What the SVG needs, from district areas (district id -> GeoJSON text): the projection,
    the outline's path and per district its path and a label position inside it."""
    projection = city_projection()
    districts = {}
    for district_id, text in areas.items():
        geometry = from_geojson(text)
        label = geometry.representative_point()
        x, y = projection.point(label.x, label.y)
        districts[district_id] = {
            "d": projection.path(geometry.simplify(DRAWING_TOLERANCE)),
            "label_x": x,
            "label_y": y,
        }
    return {
        "projection": projection,
        "outline": projection.path(city_outline().simplify(DRAWING_TOLERANCE)),
        "districts": districts,
    }


def rounded(value: float | Decimal) -> Decimal:
    """A coordinate rounded to POINT_DECIMALS (about 100 m): what is stored of a placed point."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-POINT_DECIMALS), ROUND_HALF_UP)


def district_at(lon: float, lat: float, areas: dict) -> object | None:
    """The key of the area (district id -> GeoJSON text) that contains the point, else None."""
    point = Point(float(lon), float(lat))
    for key, text in areas.items():
        if from_geojson(text).covers(point):
            return key
    return None
