"""The street map's tile file is served same-origin with byte ranges, as the map reads it."""

import json
import re

import pytest
from django.urls import reverse
from pmtiles.reader import Reader

from tests.basemap.tiny_pmtiles import ZOOM, X, Y, vector_tile
from tests.test_security_headers import assert_security_headers

TILES = "/karte/stadtplan.pmtiles"
STYLE = "/karte/stadtplan-stil.json"


def test_urls_are_the_documented_ones():
    assert reverse("basemap:tiles") == TILES
    assert reverse("basemap:style") == STYLE


@pytest.mark.parametrize("url", [TILES, STYLE])
def test_without_a_configured_file_there_is_no_street_map(client, settings, url):
    settings.BASEMAP_PMTILES = None
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [TILES, STYLE])
def test_a_configured_but_missing_file_answers_404(client, settings, tmp_path, url):
    settings.BASEMAP_PMTILES = str(tmp_path / "not-built-yet.pmtiles")
    assert client.get(url).status_code == 404


def test_the_whole_file_without_range(client, tiny_tiles):
    response = client.get(TILES)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_tiles.read_bytes()
    assert response["Content-Length"] == str(tiny_tiles.stat().st_size)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/vnd.pmtiles"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', response["ETag"])
    assert response["Last-Modified"].endswith(" GMT")


def test_a_byte_range_answers_206_with_exactly_those_bytes(client, tiny_tiles):
    data, size = tiny_tiles.read_bytes(), tiny_tiles.stat().st_size
    response = client.get(TILES, HTTP_RANGE="bytes=0-126")
    assert response.status_code == 206
    body = b"".join(response.streaming_content)
    assert body == data[:127]
    assert body.startswith(b"PMTiles\x03")
    assert response["Content-Range"] == f"bytes 0-126/{size}"
    assert response["Content-Length"] == "127"
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == client.get(TILES)["ETag"]
    assert_security_headers(response)


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=200-", 200, None),  # open end
        ("bytes=-50", -50, None),  # the last 50 bytes
        ("bytes=900-99999", 900, None),  # past the end: up to the last byte
        ("bytes=5-5", 5, 6),
        ("bytes=0-16383", 0, None),  # what pmtiles.js asks first: more than the tiny file has
    ],
)
def test_range_forms(client, tiny_tiles, header, start, end):
    data = tiny_tiles.read_bytes()
    response = client.get(TILES, HTTP_RANGE=header)
    assert response.status_code == 206
    expected = data[start:end]
    assert b"".join(response.streaming_content) == expected
    first = start if start >= 0 else len(data) + start
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(data)}"


@pytest.mark.parametrize("header", ["bytes=5000-", "bytes={size}-{size}", "bytes=-0"])
def test_an_unsatisfiable_range_answers_416(client, tiny_tiles, header):
    size = tiny_tiles.stat().st_size
    response = client.get(TILES, HTTP_RANGE=header.format(size=size))
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize("header", ["pages=0-5", "bytes=abc", "bytes=9-3", "bytes=0-1,5-9"])
def test_a_range_the_server_does_not_serve_is_ignored(client, tiny_tiles, header):
    # RFC 9110: an invalid or unsupported Range header is ignored; the answer is the whole file.
    response = client.get(TILES, HTTP_RANGE=header)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_tiles.read_bytes()


def test_head_with_range_states_the_part_without_sending_it(client, tiny_tiles):
    response = client.head(TILES, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert b"".join(response.streaming_content) == b""


def test_conditional_requests(client, tiny_tiles):
    etag = client.get(TILES)["ETag"]
    not_modified = client.get(TILES, HTTP_IF_NONE_MATCH=etag, HTTP_RANGE="bytes=0-9")
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert client.get(TILES, HTTP_IF_MATCH='"an-older-file"').status_code == 412


def test_if_range_gives_the_part_only_for_the_same_file(client, tiny_tiles):
    etag = client.get(TILES)["ETag"]
    same = client.get(TILES, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206
    replaced = client.get(TILES, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-older-file"')
    assert replaced.status_code == 200
    assert b"".join(replaced.streaming_content) == tiny_tiles.read_bytes()


def test_a_replaced_file_gets_a_new_etag(client, tiny_tiles):
    etag = client.get(TILES)["ETag"]
    tiny_tiles.write_bytes(tiny_tiles.read_bytes() + b"\0")
    assert client.get(TILES)["ETag"] != etag


def test_only_reading_is_allowed(client, tiny_tiles):
    assert client.post(TILES).status_code == 405
    assert client.put(TILES).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/karte/stadtplan.pmtiles/../../hagen_isek/settings.py",
        "/karte/%2e%2e/%2e%2e/etc/passwd",
        "/karte/hagen.pmtiles",
        "/karte/stadtplan.pmtiles/0/0/0",
    ],
)
def test_no_other_file_is_reachable(client, tiny_tiles, url):
    # The URL names no file: the view serves the one configured file and nothing else.
    assert client.get(url).status_code == 404


def test_the_map_library_reads_a_tile_through_ranges(client, tiny_tiles):
    """The way the map reads the file: header, directory, then the tile, each as one range."""
    requests = []

    def get_bytes(offset: int, length: int) -> bytes:
        response = client.get(TILES, HTTP_RANGE=f"bytes={offset}-{offset + length - 1}")
        requests.append(response.status_code)
        return b"".join(response.streaming_content)

    reader = Reader(get_bytes)
    assert reader.get(ZOOM, X, Y) == vector_tile()
    assert reader.get(ZOOM, X + 1, Y) is None
    assert set(requests) == {206}


def urls_in(value) -> list[str]:
    return re.findall(r"[a-z][a-z0-9+.-]*://[^\s\"']*", json.dumps(value))


def test_the_style_uses_only_the_portals_own_tiles(client, tiny_tiles):
    response = client.get(STYLE)
    assert response.status_code == 200
    style = response.json()
    assert style["version"] == 8
    assert urls_in(style) == [f"pmtiles://{TILES}"]
    # Lines and areas only: no fonts or icons that would have to be fetched from somewhere.
    assert "glyphs" not in style and "sprite" not in style
    assert {layer["type"] for layer in style["layers"]} <= {"background", "fill", "line"}
    assert style["sources"]["openstreetmap"]["attribution"] == "© OpenStreetMap-Mitwirkende"
    layer_ids = [layer["id"] for layer in style["layers"]]
    assert len(layer_ids) == len(set(layer_ids))
