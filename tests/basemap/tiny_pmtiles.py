"""A tiny but valid PMTiles v3 file: one vector tile (Mapbox Vector Tile 2.1, hand-encoded) over
Hagen-Mitte with the layers of Protomaps' basemap schema the street-map style draws."""

import math
from pathlib import Path

from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write

ZOOM, X, Y = 10, 533, 341  # the tile with Hagen's centre (7.47° E, 51.36° N)
EXTENT = 4096


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    def lon(tx: int) -> float:
        return tx / 2**z * 360 - 180

    def lat(ty: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / 2**z))))

    return lon(x), lat(y + 1), lon(x + 1), lat(y)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _packed(values: list[int]) -> bytes:
    return b"".join(_varint(v) for v in values)


def _zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 31)


def _geometry(points: list[tuple[int, int]], *, closed: bool) -> list[int]:
    commands, cx, cy = [], 0, 0
    for i, (x, y) in enumerate(points):
        if i == 0:
            commands.append(1 | 1 << 3)  # MoveTo, one point
        elif i == 1:
            commands.append(2 | (len(points) - 1) << 3)  # LineTo, the other points
        commands += [_zigzag(x - cx), _zigzag(y - cy)]
        cx, cy = x, y
    if closed:
        commands.append(7 | 1 << 3)  # ClosePath
    return commands


def _layer(name: str, features: list[tuple[str, list[tuple[int, int]], str | None]]) -> bytes:
    """features: (geometry type "polygon"/"line", points, value of the "kind" property)."""
    kinds = sorted({kind for _, _, kind in features if kind})
    body = _field(15, 2) + _field(1, name.encode())
    for number, (geometry_type, points, kind) in enumerate(features, start=1):
        feature = _field(1, number)
        if kind:
            feature += _field(2, _packed([0, kinds.index(kind)]))
        feature += _field(3, 3 if geometry_type == "polygon" else 2)
        feature += _field(4, _packed(_geometry(points, closed=geometry_type == "polygon")))
        body += _field(2, feature)
    if kinds:
        body += _field(3, b"kind") + b"".join(_field(4, _field(1, k.encode())) for k in kinds)
    return _field(3, body + _field(5, EXTENT))


def _box(x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]  # clockwise on screen: an outer ring


def vector_tile() -> bytes:
    return b"".join(
        [
            _layer("earth", [("polygon", _box(0, 0, EXTENT, EXTENT), None)]),
            _layer("landuse", [("polygon", _box(300, 2600, 1300, 3600), "park")]),
            _layer("water", [("polygon", [(2600, 300), (3700, 500), (3500, 1400), (2500, 1100)],
                              "lake")]),
            _layer("buildings", [("polygon", _box(x, y, x + 160, y + 110), None)
                                 for x in range(1500, 2400, 260) for y in range(1600, 2400, 200)]),
            _layer("roads", [("line", [(0, 2048), (EXTENT, 2048)], "major_road"),
                             ("line", [(2048, 0), (2048, EXTENT)], "major_road"),
                             ("line", [(0, 800), (1400, 1500), (4096, 3300)], "minor_road"),
                             ("line", [(600, 0), (1000, 4096)], "minor_road")]),
        ]
    )  # fmt: skip


def write_tiny_pmtiles(path: Path) -> Path:
    min_lon, min_lat, max_lon, max_lat = tile_bounds(ZOOM, X, Y)
    e7 = 10_000_000
    with write(str(path)) as writer:
        writer.write_tile(zxy_to_tileid(ZOOM, X, Y), vector_tile())
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int(min_lon * e7),
                "min_lat_e7": int(min_lat * e7),
                "max_lon_e7": int(max_lon * e7),
                "max_lat_e7": int(max_lat * e7),
                "center_zoom": ZOOM + 1,
                "center_lon_e7": int((min_lon + max_lon) / 2 * e7),
                "center_lat_e7": int((min_lat + max_lat) / 2 * e7),
            },
            {
                "name": "Testkachel Hagen",
                "attribution": "© OpenStreetMap-Mitwirkende",
                "vector_layers": [
                    {"id": name, "fields": {"kind": "String"}}
                    for name in ("earth", "landuse", "water", "buildings", "roads")
                ],
            },
        )
    return path
