"""What the district map shows on a page: the five Stadtbezirke as SVG links with their figures,
placed points, and on the statistics page a choropleth. Drawn from DistrictArea (events/geo.py
does the geometry); the drawing is cached until an area changes."""

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from events import geo
from events.models import District, DistrictArea
from hagen_isek import site_content

CACHE_PREFIX = "district-map:v1:"
# ColorBrewer YlGnBu, 4 classes: sequential and safe for the common colour-vision deficiencies.
# The same values are the tokens --color-map-bin-0 … -3 (static/css/tokens.css) that colour them.
CHOROPLETH_FILLS = ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"]
# District boundaries are drawn twice, a wide light line under a thin dark one, so every fill
# has a boundary of at least 3:1 next to it (WCAG 1.4.11).
BOUNDARY_LIGHT = "#ffffff"
BOUNDARY_DARK = "#1b1b1b"
LABEL_DARK = "#1b1b1b"
LABEL_LIGHT = "#ffffff"


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def label_colour(fill: str) -> str:
    """The label colour with the better contrast on a fill."""
    return max((LABEL_DARK, LABEL_LIGHT), key=lambda colour: contrast(colour, fill))


@dataclass
class MapDistrict:
    district: District
    d: str
    label_x: float
    label_y: float
    href: str
    count: int | None = None
    count_text: str = ""
    is_current: bool = False
    fill: str = ""
    bin: int | None = None
    has_light_label: bool = False

    @property
    def count_y(self) -> float:
        return round(self.label_y + 24, 1)

    @property
    def aria_label(self) -> str:
        return f"{self.district.name}: {self.count_text}" if self.count_text else self.district.name


@dataclass
class LegendEntry:
    bin: int
    fill: str
    text: str


@dataclass
class DistrictMap:
    id: str
    title: str
    width: float
    height: float
    outline: str
    projection: geo.Projection
    districts: list[MapDistrict]
    is_schematic: bool
    points: list[tuple[float, float]] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    attribution: str = geo.ATTRIBUTION

    @property
    def attribution_x(self) -> float:
        return self.width - 6

    @property
    def attribution_y(self) -> float:
        return self.height - 8

    @property
    def is_choropleth(self) -> bool:
        return bool(self.legend)


# The latest drawing of this process, so that a page costs no cache round trip for it either.
_latest: dict[str, dict] = {}


def _drawing() -> tuple[dict | None, bool]:
    """The cached geometry of the current areas (None without any) and whether any of them is
    schematic. Keyed by the areas' change times, so a changed area is drawn again at once."""
    stamps = sorted(DistrictArea.objects.values_list("district_id", "updated_at", "is_official"))
    if not stamps:
        return None, False
    key = CACHE_PREFIX + hashlib.sha256(repr(stamps).encode()).hexdigest()[:32]
    drawing = _latest.get(key) or cache.get(key)
    if drawing is None:
        drawing = geo.drawing_of(DistrictArea.objects.as_geojson_by_district())
        cache.set(key, drawing, timeout=None)
    _latest.clear()
    _latest[key] = drawing
    return drawing, any(not is_official for _id, _at, is_official in stamps)


def _drawing_and_districts() -> tuple[dict | None, bool, list[District]]:
    drawing, is_schematic = _drawing()
    districts = list(District.objects.filter(pk__in=drawing["districts"])) if drawing else []
    return drawing, is_schematic, districts


def district_map(
    *,
    map_id: str,
    title: str,
    href: Callable[[District], str] = District.get_absolute_url,
    counts: Mapping[int, int] | Callable[[], Mapping[int, int]] | None = None,
    count_text: Callable[[int], str] | None = None,
    current: District | None = None,
    points: Iterable[tuple[float, float]] = (),
    choropleth: bool = False,
) -> DistrictMap | None:
    """The map of the five districts, each linking to `href(district)`; with `counts` (district
    id -> figure) each says its figure, with `choropleth` coloured by it. None while no district
    has an area yet (the page then shows its lists only). `counts` may be a function, called
    only when there is a map to show."""
    drawing, is_schematic, districts = site_content.kept(("district-map",), _drawing_and_districts)
    if drawing is None:
        return None
    if callable(counts):
        counts = counts()
    projection = drawing["projection"]
    bins = _bins(counts.values()) if choropleth and counts is not None else []
    items = []
    for district in districts:
        shape = drawing["districts"][district.pk]
        item = MapDistrict(
            district=district,
            d=shape["d"],
            label_x=shape["label_x"],
            label_y=shape["label_y"],
            href=href(district),
            is_current=current is not None and district.pk == current.pk,
        )
        if counts is not None:
            item.count = counts.get(district.pk, 0)
            item.count_text = count_text(item.count) if count_text else str(item.count)
        if bins:
            item.bin = next(
                index for index, (upper, _fill) in enumerate(bins) if item.count <= upper
            )
            item.fill = bins[item.bin][1]
            item.has_light_label = label_colour(item.fill) == LABEL_LIGHT
        items.append(item)
    return DistrictMap(
        id=map_id,
        title=title,
        width=projection.width,
        height=projection.height,
        outline=drawing["outline"],
        projection=projection,
        districts=items,
        is_schematic=is_schematic,
        points=[projection.point(float(lon), float(lat)) for lon, lat in points],
        legend=_legend(bins),
    )


def _bins(values: Iterable[int]) -> list[tuple[int, str]]:
    """Equal-interval classes from 0 to the largest figure: (upper bound, fill) each."""
    largest = max(values, default=0)
    if largest == 0:
        return [(0, CHOROPLETH_FILLS[0])]
    count = min(len(CHOROPLETH_FILLS), largest)
    step = largest / count
    uppers = [round(step * (index + 1)) for index in range(count)]
    return list(zip(uppers, CHOROPLETH_FILLS[:count], strict=True))


def _legend(bins: list[tuple[int, str]]) -> list[LegendEntry]:
    entries = []
    lower = 0
    for index, (upper, fill) in enumerate(bins):
        text = (
            str(upper)
            if lower == upper
            else _("%(lower)s to %(upper)s") % {"lower": lower, "upper": upper}
        )
        entries.append(LegendEntry(bin=index, fill=fill, text=text))
        lower = upper + 1
    return entries
