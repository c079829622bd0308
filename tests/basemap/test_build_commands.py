"""The README's commands for building the tile file work: run on a tiny OpenStreetMap extract
(instead of Geofabrik's download), they give a file the portal serves and the map can read."""

import gzip
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pmtiles.reader import Reader

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("osmium", "tilemaker", "jq")
# A few ways in Hagen-Mitte: a main road, a side street, a pond, a park, a house.
NODES = {1: (51.360, 7.440), 2: (51.360, 7.500), 3: (51.340, 7.470), 4: (51.380, 7.470),
         5: (51.365, 7.455), 6: (51.368, 7.462), 7: (51.363, 7.466), 8: (51.352, 7.445),
         9: (51.352, 7.452), 10: (51.347, 7.452), 11: (51.347, 7.445)}  # fmt: skip
WAYS = [([1, 2], {"highway": "primary"}), ([3, 4], {"highway": "residential"}),
        ([5, 6, 7, 5], {"natural": "water"}), ([8, 9, 10, 11, 8], {"leisure": "park"})]  # fmt: skip


def tile_at(zoom: int, lon: float, lat: float) -> tuple[int, int]:
    n = 2**zoom
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def build_commands() -> str:
    """The shell block of "Building the tile file", without installing and downloading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Building the tile file", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    kept = [line for line in block.replace("\\\n", " ").splitlines()
            if not line.startswith(("apt-get", "pip install", "curl"))]  # fmt: skip
    return "set -euo pipefail\n" + "\n".join(kept)


def tiny_extract(folder: Path) -> None:
    xml = ['<?xml version="1.0" encoding="UTF-8"?><osm version="0.6" generator="test">']
    xml += [
        f'<node id="{i}" version="1" lat="{lat}" lon="{lon}"/>' for i, (lat, lon) in NODES.items()
    ]
    for number, (refs, tags) in enumerate(WAYS, start=1):
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        tags_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        xml.append(f'<way id="{number}" version="1">{nds}{tags_xml}</way>')
    (folder / "area.osm").write_text("\n".join(xml) + "</osm>")
    subprocess.run(["osmium", "cat", "area.osm", "-o", "arnsberg-regbez-latest.osm.pbf"],
                   cwd=folder, check=True)  # fmt: skip


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in TOOLS),
    reason="osmium-tool, tilemaker and jq are not installed (apt-get install them to run this)",
)
def test_the_readme_commands_build_a_file_the_portal_serves(tmp_path, client, settings):
    tiny_extract(tmp_path)
    venv_bin = str(Path(sys.executable).parent)  # pmtiles-convert, pmtiles-show
    subprocess.run(["bash", "-c", build_commands()], cwd=tmp_path, check=True, capture_output=True,
                   env={"PATH": f"{venv_bin}:/usr/bin:/bin"})  # fmt: skip
    settings.BASEMAP_PMTILES = str(tmp_path / "hagen.pmtiles")

    def get_bytes(offset: int, length: int) -> bytes:
        response = client.get(
            "/karte/stadtplan.pmtiles", HTTP_RANGE=f"bytes={offset}-{offset + length - 1}"
        )
        assert response.status_code == 206
        return b"".join(response.streaming_content)

    reader = Reader(get_bytes)
    header = reader.header()
    bounds = [header[key] / 1e7 for key in ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7")]
    assert bounds == [7.33, 51.25, 7.64, 51.45]
    assert header["max_zoom"] == 14
    for (lon, lat), layer in [((7.46, 51.365), b"water"), ((7.47, 51.36), b"transportation")]:
        tile = reader.get(14, *tile_at(14, lon, lat))
        assert layer in gzip.decompress(tile)
