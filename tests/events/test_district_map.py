"""Issue 15, map section: the outline, the schematic districts, the official-polygon loader and
the SVG map on the district pages, the calendar, the goal page and the statistics page."""

import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from shapely.geometry import Point, shape

from events import geo, maps
from events.models import District, DistrictArea
from events.services import PlaceRefused, events_load_seed, place_at
from goals.models import Goal
from participation.models import Comment
from tests.html import foreign_resources, parse
from tests.participation.conftest import make_round

HAUPTBAHNHOF = (51.3628, 7.4606)  # latitude, longitude
SLUGS = {"hagen-mitte", "hagen-nord", "hohenlimburg", "eilpe-dahl", "haspe"}


@pytest.fixture
def districts(db) -> dict[str, District]:
    events_load_seed()
    return {district.slug: district for district in District.objects.all()}


def official_file(tmp_path, features: list[dict]) -> str:
    path = tmp_path / "stadtbezirke.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def feature(name: str, geometry) -> dict:
    return {"type": "Feature", "properties": {"STB_NAME": name}, "geometry": geometry}


def schematic_features(names: dict[str, str] | None = None) -> list[dict]:
    names = names or {d.slug: d.name for d in District.objects.all()}
    return [
        feature(names[slug], json.loads(geo.to_geojson(polygon)))
        for slug, polygon in geo.schematic_districts().items()
    ]


def svg_of(html: str, map_id: str) -> str:
    return re.search(
        rf'<figure class="district-map[^"]*" id="{map_id}".*?</figure>', html, re.S
    ).group(0)


# --- geometry -------------------------------------------------------------------------------


def test_outline_is_hagen_from_vg250_with_its_licence():
    collection = json.loads(geo.OUTLINE_FILE.read_text())
    assert collection["features"][0]["properties"]["AGS"] == "05914000"
    assert collection["features"][0]["properties"]["GEN"] == "Hagen"
    assert "© GeoBasis-DE / BKG" in collection["attribution"]
    assert "GeoNutzV" in collection["license"]
    assert geo.city_outline().contains(Point(HAUPTBAHNHOF[1], HAUPTBAHNHOF[0]))


def test_schematic_division_covers_the_outline_without_overlap():
    parts = geo.schematic_districts()
    assert set(parts) == SLUGS
    outline = geo.city_outline()
    assert sum(part.area for part in parts.values()) == pytest.approx(outline.area, rel=1e-6)
    slugs = sorted(parts)
    for index, one in enumerate(slugs):
        for other in slugs[index + 1 :]:
            assert parts[one].intersection(parts[other]).area < outline.area * 1e-9


def test_schematic_districts_lie_where_the_issue_says():
    parts = geo.schematic_districts()
    centre = {slug: part.centroid for slug, part in parts.items()}
    assert parts["hagen-mitte"].contains(Point(HAUPTBAHNHOF[1], HAUPTBAHNHOF[0]))
    mitte = centre["hagen-mitte"]
    assert centre["hagen-nord"].y > mitte.y
    assert centre["hohenlimburg"].x > mitte.x
    assert centre["eilpe-dahl"].y < mitte.y
    assert centre["haspe"].x < mitte.x


def test_projection_keeps_north_up_east_right_and_fits_the_width():
    projection = geo.city_projection()
    west, south, east, north = geo.city_outline().bounds
    assert projection.point(west, north) == (0, 0)
    x, y = projection.point(east, south)
    assert x == pytest.approx(geo.MAP_WIDTH, abs=0.1) and y == pytest.approx(
        projection.height, abs=0.1
    )
    # Locally true to scale: a kilometre east is as long as a kilometre north.
    km_east = projection.x_scale / (111.32 * 0.6246)
    km_north = projection.y_scale / 111.32
    assert km_east == pytest.approx(km_north, rel=0.01)


@pytest.mark.parametrize(
    ("value", "stored"),
    [(51.36284, "51.363"), (7.46049, "7.460"), (7.4605, "7.461"), ("51.3", "51.300")],
)
def test_points_are_rounded_to_about_100_metres(value, stored):
    assert geo.rounded(value) == Decimal(stored)


def test_place_at_assigns_the_district_of_the_rounded_point(districts):
    place = place_at(latitude=51.36284, longitude=7.46061)
    assert place.district == districts["hagen-mitte"]
    assert (place.latitude, place.longitude) == (Decimal("51.363"), Decimal("7.461"))
    assert place_at(latitude=51.34, longitude=7.41).district == districts["haspe"]
    assert place_at(latitude=51.35, longitude=7.578).district == districts["hohenlimburg"]


def test_place_outside_hagen_is_refused(districts):
    with pytest.raises(PlaceRefused, match="außerhalb der Hagener Stadtbezirke"):
        place_at(latitude=51.5136, longitude=7.4653)  # Dortmund


# --- the district areas: seed and official polygons ---------------------------------------


def test_seed_gives_every_district_a_schematic_area_once(districts):
    areas = DistrictArea.objects.select_related("district")
    assert {area.district.slug for area in areas} == SLUGS
    assert not any(area.is_official for area in areas)
    assert all("keine amtlichen Grenzen" in area.source for area in areas)
    events_load_seed()
    assert DistrictArea.objects.count() == 5


def test_command_replaces_the_schematic_areas_with_official_ones(tmp_path, districts, client):
    path = official_file(tmp_path, schematic_features())
    out = io.StringIO()
    call_command(
        "load_district_polygons", path, "--source", "Stadt Hagen, Geodaten 2027", stdout=out
    )
    assert "Official boundaries loaded for 5 districts" in out.getvalue()
    areas = DistrictArea.objects.all()
    assert all(area.is_official and area.source == "Stadt Hagen, Geodaten 2027" for area in areas)
    page = client.get(districts["haspe"].get_absolute_url()).content.decode()
    assert "Schematische Darstellung" not in page and "district-map__district" in page
    # A later seed never puts the schematic areas back.
    events_load_seed()
    assert all(area.is_official for area in DistrictArea.objects.all())


def test_command_accepts_names_or_slugs_and_multipolygons(tmp_path, districts):
    features = schematic_features({d.slug: d.slug.upper() for d in districts.values()})
    mitte = next(f for f in features if f["properties"]["STB_NAME"] == "HAGEN-MITTE")
    mitte["geometry"] = {"type": "MultiPolygon", "coordinates": [mitte["geometry"]["coordinates"]]}
    call_command("load_district_polygons", official_file(tmp_path, features), stdout=io.StringIO())
    area = DistrictArea.objects.get(district__slug="hagen-mitte")
    assert area.is_official and area.source == "stadtbezirke.geojson"
    assert shape(json.loads(area.geojson)).geom_type == "MultiPolygon"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda fs: fs[:4], "districts without a feature: Haspe"),
        (lambda fs: [*fs, fs[0]], "districts with more than one feature: Hagen-Mitte"),
        (
            lambda fs: [*fs[:4], feature("Letmathe", fs[4]["geometry"])],
            "features that name no district: #5 (Letmathe)",
        ),
    ],
)
def test_command_refuses_a_file_without_exactly_the_five_districts(
    tmp_path, districts, change, message
):
    before = list(DistrictArea.objects.values_list("geojson", "is_official"))
    path = official_file(tmp_path, change(schematic_features()))
    with pytest.raises(CommandError) as refusal:
        call_command("load_district_polygons", path, stdout=io.StringIO())
    assert message in str(refusal.value)
    assert "Nothing was changed" in str(refusal.value)
    assert list(DistrictArea.objects.values_list("geojson", "is_official")) == before


def test_command_refuses_projected_coordinates_and_bad_files(tmp_path, districts):
    features = schematic_features()
    features[0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [
            [[392000, 5690000], [393000, 5690000], [393000, 5691000], [392000, 5690000]]
        ],
    }
    with pytest.raises(CommandError, match="EPSG:4326"):
        call_command("load_district_polygons", official_file(tmp_path, features))
    (tmp_path / "kaputt.geojson").write_text("{nicht json")
    with pytest.raises(CommandError, match="not a GeoJSON"):
        call_command("load_district_polygons", str(tmp_path / "kaputt.geojson"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_district_polygons", str(tmp_path / "fehlt.geojson"))


# --- what a citizen sees ----------------------------------------------------------------------


def assert_accessible_map(html: str, map_id: str, hrefs: dict[str, str]) -> str:
    figure = svg_of(html, map_id)
    tags = parse(figure).tags
    svg_links = [attrs for tag, attrs in tags if tag == "a" and "data-district" in attrs]
    assert {a["data-district"] for a in svg_links} == SLUGS
    for link in svg_links:
        assert link["href"] == hrefs[link["data-district"]]
        assert link["aria-label"].startswith(District.objects.get(slug=link["data-district"]).name)
    list_links = [
        attrs["href"] for tag, attrs in tags if tag == "a" and "data-district" not in attrs
    ]
    assert sorted(list_links) == sorted(hrefs.values())  # the same links as a text list
    assert figure.count("<title") == 6  # the map's and one per district
    assert "© GeoBasis-DE / BKG" in figure
    assert "Schematische Darstellung, keine amtlichen Grenzen." in figure
    assert "<script" not in figure
    # No URL of another host anywhere in the map (the SVG namespace is a name, not a request).
    assert re.findall(r"https?://[^\s\"']+", figure) == ["http://www.w3.org/2000/svg"]
    return figure


def test_district_page_shows_the_map_with_links_list_and_current_district(client, districts):
    page = client.get(districts["haspe"].get_absolute_url()).content.decode()
    hrefs = {slug: d.get_absolute_url() for slug, d in districts.items()}
    figure = assert_accessible_map(page, "bezirkskarte", hrefs)
    current = [a for t, a in parse(figure).tags if t == "a" and a.get("aria-current") == "page"]
    assert len(current) == 2 and all(a["href"] == hrefs["haspe"] for a in current)
    assert 'aria-label="Haspe: 1 Termin"' in figure  # the seed's district workshop
    assert foreign_resources(page) == []


def test_district_list_and_calendar_show_the_map(client, districts):
    page = client.get("/bezirke/").content.decode()
    assert_accessible_map(
        page, "bezirkskarte", {s: d.get_absolute_url() for s, d in districts.items()}
    )
    page = client.get("/termine/").content.decode()
    figure = assert_accessible_map(
        page, "terminkarte", {slug: f"/termine/?district={slug}#upcoming-title" for slug in SLUGS}
    )
    assert "Termine" in figure
    filtered = client.get("/termine/?district=haspe").content.decode()
    assert (
        "Stadtbezirkswerkstatt Haspe" in filtered
        and "Stadtbezirkswerkstatt Hohenlimburg" not in filtered
    )


def test_map_drawing_is_cached_until_an_area_changes(districts):
    def geometry_reads(capture) -> int:
        return sum('"geojson"' in query["sql"] for query in capture.captured_queries)

    maps.district_map(map_id="a", title="A")
    with CaptureQueriesContext(connection) as cached:
        first = maps.district_map(map_id="a", title="A")
    assert geometry_reads(cached) == 0
    area = DistrictArea.objects.get(district__slug="haspe")
    area.geojson = geo.to_geojson(shape(json.loads(area.geojson)).buffer(-0.005))
    area.save()
    with CaptureQueriesContext(connection) as changed:
        second = maps.district_map(map_id="a", title="A")
    assert geometry_reads(changed) == 1  # drawn again from the changed areas

    def haspe(district_map):
        return next(i.d for i in district_map.districts if i.district.slug == "haspe")

    assert haspe(first) != haspe(second)


def test_without_areas_the_pages_show_no_map_but_work(client, db):
    district = District.objects.create(name="Haspe", slug="haspe")
    page = client.get(district.get_absolute_url())
    assert page.status_code == 200 and "district-map__svg" not in page.content.decode()


# --- choropleth -----------------------------------------------------------------------------


def test_choropleth_fills_are_the_tokens_and_every_fill_has_contrast():
    tokens = (geo.GEODATA.parent.parent / "static/css/tokens.css").read_text()
    for index, fill in enumerate(maps.CHOROPLETH_FILLS):
        assert f"--color-map-bin-{index}: {fill};" in tokens
        # The boundary pair (light under dark) gives 3:1 next to every fill (WCAG 1.4.11) ...
        assert (
            max(maps.contrast(fill, maps.BOUNDARY_LIGHT), maps.contrast(fill, maps.BOUNDARY_DARK))
            >= 3
        )
        # ... and the figure printed on the district reaches 4.5:1 (WCAG 1.4.3).
        assert maps.contrast(fill, maps.label_colour(fill)) >= 4.5
    # Sequential: every class darker than the one before.
    luminances = [maps.relative_luminance(fill) for fill in maps.CHOROPLETH_FILLS]
    assert luminances == sorted(luminances, reverse=True)
    assert f"--color-map-boundary: {maps.BOUNDARY_DARK};" in tokens


@pytest.mark.parametrize(
    ("values", "classes"),
    [([0, 0, 0], [0, 0, 0]), ([0, 1, 2], [0, 0, 1]), ([0, 5, 10, 20, 40], [0, 0, 0, 1, 3])],
)
def test_choropleth_classes_are_equal_intervals_from_zero(values, classes):
    bins = maps._bins(values)
    assert [next(i for i, (upper, _f) in enumerate(bins) if v <= upper) for v in values] == classes


def test_statistics_page_colours_the_districts_with_legend_and_table(client, districts):
    goal = Goal.objects.create(slug="ziel", title="Ziel", status=Goal.Status.PUBLISHED)
    now = timezone.now()
    comment_round = make_round(starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1))
    for slug, count in [("haspe", 8), ("hagen-mitte", 2)]:
        for number in range(count):
            Comment.objects.create(
                goal=goal,
                round=comment_round,
                text=f"{slug} {number}",
                district=districts[slug],
                source=Comment.Source.IMPORTED,
            )
    page = client.get("/beteiligung/statistik/").content.decode()
    figure = svg_of(page, "statistikkarte")
    classes = {
        a["data-district"]: a["class"]
        for t, a in parse(figure).tags
        if t == "a" and "data-district" in a
    }
    assert "district-map__district--bin-3" in classes["haspe"]  # the most
    assert "district-map__district--bin-0" in classes["hagen-mitte"]
    assert "district-map__district--bin-0" in classes["hohenlimburg"]  # none
    # White figures on the darkest class (4.5:1, see the contrast test), dark ones elsewhere.
    assert re.search(r'district-map__label--light"[^>]*>Haspe<', figure)
    assert re.search(r'class="district-map__label"[^>]*>Hagen-Mitte<', figure)
    assert 'aria-label="Haspe: 8 Beiträge"' in figure
    assert "0 bis 2" in figure and "7 bis 8" in figure  # the legend
    # The same numbers as a table.
    table = page[page.index('id="tabelle-bezirke"') :]
    assert re.search(r"<th scope=\"row\">Haspe</th>\s*<td class=\"num\">8</td>", table)
    assert re.search(r"<th scope=\"row\">Hagen-Mitte</th>\s*<td class=\"num\">2</td>", table)
