"""The street map's MapLibre style: lines and areas only, so no fonts (glyphs) or icons (sprites)
are needed; the districts' names are on the SVG map and in its list.

Its layers read both common schemas of OpenStreetMap vector tiles, so the city may build the file
with either tool the README names: Protomaps' basemap schema (layers earth, water, landuse, roads,
buildings, boundaries) and the OpenMapTiles schema (water, waterway, landcover, park,
transportation, building, boundary). Layers of the other schema simply find nothing.
"""

SOURCE = "openstreetmap"
ATTRIBUTION = "© OpenStreetMap-Mitwirkende"

# The map's own palette (MapLibre paints on a canvas and cannot read the CSS tokens): muted, so
# that the portal's markers and the text beside the map stay in front.
COLOURS = {
    "background": "#f2efe9",
    "earth": "#f2efe9",
    "green": "#d8e8c8",
    "forest": "#c5dcb0",
    "residential": "#ebe6df",
    "water": "#a9cde8",
    "building": "#d9d0c7",
    "road": "#ffffff",
    "road_casing": "#c8c2b8",
    "major_road": "#fbe3a8",
    "major_casing": "#d9b86a",
    "rail": "#9a948c",
    "boundary": "#8a7ca8",
}

GREEN_KINDS = [
    "park", "grass", "grassland", "meadow", "garden", "playground", "cemetery",
    "recreation_ground", "pitch", "golf_course", "allotments", "village_green",
]  # fmt: skip
FOREST_KINDS = ["forest", "wood", "nature_reserve", "scrub", "farmland", "farm", "wetland"]
MAJOR_PROTOMAPS = ["highway", "major_road"]
MAJOR_OPENMAPTILES = ["motorway", "trunk", "primary", "secondary", "tertiary"]


def _line_width(base: float) -> list:
    stops = [10, base * 0.6, 14, base * 1.5, 18, base * 8]
    return ["interpolate", ["exponential", 1.6], ["zoom"], *stops]


def _layer(layer_id: str, source_layer: str, kind: str, paint: dict, filter_=None) -> dict:
    layer = {"id": layer_id, "type": kind, "source": SOURCE, "source-layer": source_layer}
    if filter_ is not None:
        layer["filter"] = filter_
    layer["paint"] = paint
    return layer


def _kind_in(field: str, kinds: list[str]) -> list:
    return ["in", ["get", field], ["literal", kinds]]


def _is(geometry: str) -> list:
    return ["==", ["geometry-type"], geometry]


def street_map_style(tiles_url: str) -> dict:
    """The style document; `tiles_url` is the portal's own address of the PMTiles file."""
    c = COLOURS
    green = {"fill-color": c["green"]}
    forest = {"fill-color": c["forest"]}
    water = {"fill-color": c["water"]}
    building = {"fill-color": c["building"], "fill-outline-color": c["road_casing"]}
    casing = {"line-color": c["road_casing"], "line-width": _line_width(1.6)}
    road = {"line-color": c["road"], "line-width": _line_width(1.1)}
    major_casing = {"line-color": c["major_casing"], "line-width": _line_width(3)}
    major = {"line-color": c["major_road"], "line-width": _line_width(2.3)}
    rail = {"line-color": c["rail"], "line-width": 1, "line-dasharray": [3, 2]}
    boundary = {"line-color": c["boundary"], "line-width": 1.5, "line-dasharray": [4, 2]}
    pm_major = _kind_in("kind", MAJOR_PROTOMAPS)
    omt_major = _kind_in("class", MAJOR_OPENMAPTILES)
    omt_rail = ["==", ["get", "class"], "rail"]
    kind_or_class = ["coalesce", ["get", "kind"], ["get", "class"], ""]
    landcover_colour = ["match", kind_or_class, GREEN_KINDS, c["green"], c["forest"]]
    return {
        "version": 8,
        "name": "HAGENplant 2035 Stadtplan",
        "sources": {
            SOURCE: {"type": "vector", "url": f"pmtiles://{tiles_url}", "attribution": ATTRIBUTION}
        },
        "layers": [
            {"id": "background", "type": "background",
             "paint": {"background-color": c["background"]}},
            # Protomaps basemap schema
            _layer("pm-earth", "earth", "fill", {"fill-color": c["earth"]}),
            _layer("pm-landuse-residential", "landuse", "fill", {"fill-color": c["residential"]},
                   _kind_in("kind", ["residential", "neighbourhood"])),
            _layer("pm-landuse-green", "landuse", "fill", green, _kind_in("kind", GREEN_KINDS)),
            _layer("pm-landuse-forest", "landuse", "fill", forest, _kind_in("kind", FOREST_KINDS)),
            # Both schemas: landcover ("kind" or "class"), water (areas; Protomaps adds rivers)
            _layer("landcover", "landcover", "fill", {"fill-color": landcover_colour},
                   ["in", kind_or_class, ["literal", [*GREEN_KINDS, *FOREST_KINDS]]]),
            _layer("water", "water", "fill", water, _is("Polygon")),
            _layer("water-lines", "water", "line",
                   {"line-color": c["water"], "line-width": _line_width(1.5)}, _is("LineString")),
            _layer("pm-buildings", "buildings", "fill", building),
            _layer("pm-rail", "roads", "line", rail, ["==", ["get", "kind"], "rail"]),
            _layer("pm-roads-casing", "roads", "line", casing,
                   ["!", _kind_in("kind", [*MAJOR_PROTOMAPS, "rail", "path"])]),
            _layer("pm-roads", "roads", "line", road,
                   ["!", _kind_in("kind", [*MAJOR_PROTOMAPS, "rail"])]),
            _layer("pm-major-casing", "roads", "line", major_casing, pm_major),
            _layer("pm-major", "roads", "line", major, pm_major),
            _layer("pm-boundaries", "boundaries", "line", boundary),
            # OpenMapTiles schema
            _layer("omt-landuse", "landuse", "fill", {"fill-color": c["residential"]},
                   _kind_in("class", ["residential", "neighbourhood"])),
            _layer("omt-park", "park", "fill", green),
            _layer("omt-waterway", "waterway", "line",
                   {"line-color": c["water"], "line-width": _line_width(1.5)}),
            _layer("omt-building", "building", "fill", building),
            _layer("omt-rail", "transportation", "line", rail, omt_rail),
            _layer("omt-roads-casing", "transportation", "line", casing,
                   ["!", ["any", omt_major, omt_rail]]),
            _layer("omt-roads", "transportation", "line", road,
                   ["!", ["any", omt_major, omt_rail]]),
            _layer("omt-major-casing", "transportation", "line", major_casing, omt_major),
            _layer("omt-major", "transportation", "line", major, omt_major),
            _layer("omt-boundary", "boundary", "line", boundary),
        ],
    }  # fmt: skip
