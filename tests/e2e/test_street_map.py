"""The street map in a real browser: drawn from the tiny tile file with nothing fetched from
anywhere but the portal, absent without a tile file, and no CSP violation either way."""

import base64
from urllib.parse import urlsplit

import pytest

from events.models import District
from tests.basemap.tiny_pmtiles import write_tiny_pmtiles
from tests.e2e.conftest import axe_violations

PAGE = "/bezirke/haspe/"
# #a9cde8, the water colour of basemap/style.py, as the canvas paints it (the tiny tile's lake).
WATER = (169, 205, 232)


@pytest.fixture
def haspe(db) -> District:
    return District.objects.create(name="Haspe", slug="haspe", position=3)


def record(page) -> tuple[list[str], list[str], list[int]]:
    requests, problems, tile_statuses = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "response",
        lambda response: (
            tile_statuses.append(response.status) if "stadtplan.pmtiles" in response.url else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error"
            or "Content Security Policy" in message.text
            or message.text.startswith("Street map")  # street_map.js gave up or MapLibre failed
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return requests, problems, tile_statuses


def pixels_of(page, png: bytes, colour: tuple[int, int, int]) -> int:
    """How many pixels of a screenshot have about this colour (counted in the page's canvas)."""
    return page.evaluate(
        """async ([data, [r, g, b]]) => {
            const image = new Image();
            image.src = "data:image/png;base64," + data;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const px = context.getImageData(0, 0, image.width, image.height).data;
            let n = 0;
            for (let i = 0; i < px.length; i += 4) {
                const off = Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b);
                if (off < 12) n++;
            }
            return n;
        }""",
        [base64.b64encode(png).decode(), list(colour)],
    )


@pytest.mark.django_db(transaction=True)
def test_street_map_is_drawn_from_the_portals_own_tiles(
    live_server, page, haspe, settings, tmp_path
):
    settings.BASEMAP_PMTILES = str(write_tiny_pmtiles(tmp_path / "hagen.pmtiles"))
    requests, problems, tile_statuses = record(page)
    portal = live_server.url.replace("localhost", "127.0.0.1")
    page.goto(portal + PAGE)
    page.wait_for_selector("[data-street-map-ready]", timeout=20_000)
    canvas = page.locator(".street-map canvas.maplibregl-canvas")
    assert canvas.is_visible()
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    assert pixels_of(page, canvas.screenshot(), WATER) > 500, "the tile's lake is painted"
    assert page.get_by_text("OpenStreetMap-Mitwirkende").is_visible()
    assert page.locator(".street-map canvas").get_attribute("aria-label") == "Stadtplan von Hagen"
    assert page.get_by_role("button", name="Vergrößern").is_visible()
    own = urlsplit(portal).netloc
    foreign = [url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
               and urlsplit(url).netloc != own]  # fmt: skip
    assert foreign == []
    assert own.startswith("127.0.0.1:")
    assert tile_statuses and set(tile_statuses) == {206}
    assert problems == []
    assert axe_violations(page) == []
    # On a phone the map is narrower than the file's area at its lowest zoom: still drawn.
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    page.wait_for_selector("[data-street-map-ready]", timeout=20_000)
    assert pixels_of(page, canvas.screenshot(), WATER) > 500
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_without_a_tile_file_no_map_library_is_loaded(live_server, page, haspe, settings):
    settings.BASEMAP_PMTILES = None
    requests, problems, _ = record(page)
    page.goto(live_server.url + PAGE)
    page.wait_for_load_state("networkidle")
    assert (
        page.locator(
            "script[src*='maplibre'], script[src*='street_map'], [data-street-map]"
        ).count()
        == 0
    )
    assert not any("maplibre" in url or "pmtiles" in url for url in requests)
    assert problems == []
