"""The street map is an optional layer on the district page: present only with a tile file,
built from the portal's own URLs, under the unchanged strict CSP."""

import re
from pathlib import Path

import pytest
from django.test import Client

from events.models import District
from tests.html import foreign_resources, parse
from tests.test_security_headers import assert_security_headers, csp_directives

PAGE = "/bezirke/haspe/"


@pytest.fixture
def haspe(db) -> District:
    return District.objects.create(name="Haspe", slug="haspe", position=3)


def test_without_a_tile_file_the_page_has_no_street_map(client, haspe, settings):
    settings.BASEMAP_PMTILES = None
    html = client.get(PAGE).content.decode()
    assert "data-street-map" not in html
    assert "maplibre" not in html
    assert "street_map.js" not in html
    assert "pmtiles" not in html


def test_with_a_tile_file_the_page_offers_the_street_map_hidden_until_drawn(
    client, haspe, tiny_tiles
):
    html = client.get(PAGE).content.decode()
    figure = re.search(r"<figure class=\"street-map\"[^>]*>", html).group(0)
    assert " hidden" in figure  # without JavaScript nothing of it shows
    assert 'data-style-url="/karte/stadtplan-stil.json"' in figure
    assert 'data-tiles-url="/karte/stadtplan.pmtiles"' in figure
    assert '<script type="module" src="/static/js/street_map.js"></script>' in html
    assert "OpenStreetMap-Mitwirkende" in html and "ODbL" in html


def test_the_street_map_loads_nothing_from_another_origin(client, haspe, tiny_tiles):
    html = client.get(PAGE).content.decode()
    assert foreign_resources(html) == []
    (attrs,) = [attrs for tag, attrs in parse(html).tags if "data-street-map" in attrs]
    urls = [value for name, value in attrs.items() if name.endswith("-url")]
    assert len(urls) == 5
    assert all(url.startswith("/") and not url.startswith("//") for url in urls)
    # Only the caption's link to the licence leaves the portal, and only when it is followed.
    block = html[html.index('<figure class="street-map"') : html.index("</figure>")]
    assert re.findall(r"https?://[^\s\"'<]+", block) == ["https://www.openstreetmap.org/copyright"]


def test_the_script_names_no_other_origin():
    script = (Path(__file__).parents[2] / "static" / "js" / "street_map.js").read_text()
    assert not re.search(r"https?://|//[a-z]", script.replace("pmtiles://", ""))


@pytest.mark.parametrize("configured", [False, True])
def test_the_csp_stays_strict_with_the_street_map(haspe, configured, request):
    if configured:
        request.getfixturevalue("tiny_tiles")
    response = Client().get(PAGE)
    assert_security_headers(response)
    directives = csp_directives(response)
    # MapLibre's worker is a module script of this origin: no blob:, no 'unsafe-eval'.
    assert "worker-src" not in directives and "child-src" not in directives
    assert "blob:" not in response["Content-Security-Policy"]
    assert directives["connect-src"] == ["'self'"]


def test_the_attribution_is_in_the_readers_language(client, haspe, tiny_tiles):
    german = client.get(PAGE).content.decode()
    english = client.get("/en" + PAGE).content.decode()
    assert (
        'Daten © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap-Mitwirkende'
        in german
    )
    assert (
        'data © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors'
        in english
    )
    assert 'data-label-map="Street map of Hagen"' in english
