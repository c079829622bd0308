"""The sources page and the links from every „Quelle: S1; S16“ to its entry."""

import re

import pytest
from django.test import Client

from events.models import District, Event, Milestone
from goals.models import Goal
from hagen_isek.sources import all_sources, link_references, referenced_ids
from tests.html import parse

SOURCES_URL = "/quellen/"


def test_sources_page_lists_each_source_with_anchor_title_date_and_link(db):
    html = Client().get(SOURCES_URL).content.decode()
    tags = parse(html).tags
    anchors = {attrs["id"] for tag, attrs in tags if tag == "li" and "id" in attrs}
    links = {attrs["href"] for tag, attrs in tags if tag == "a"}
    assert len(all_sources()) == 62
    for source in all_sources().values():
        assert source.anchor in anchors
        assert source.title in html
        assert set(source.links) <= links
    assert "20.02.2018" in html  # S5, a day
    assert "März 2018" in html  # S4, only the month is known
    assert "Datum: nicht angegeben" in html  # S1: never an invented date


def test_sources_page_exists_in_english(db):
    html = Client().get("/en" + SOURCES_URL).content.decode()
    assert '<html lang="en">' in html and "Date: not stated" in html
    assert 'lang="de">hagen.de, „Integriertes Stadtentwicklungskonzept (ISEK)“' in html


def test_references_are_linked_and_the_rest_is_escaped(db):
    html = link_references("Namen: S2, S12; <b>S999</b> und GS1")
    assert html == (
        'Namen: <a href="/quellen/#s2">S2</a>, <a href="/quellen/#s12">S12</a>; '
        "&lt;b&gt;S999&lt;/b&gt; und GS1"
    )


def source_texts() -> list[str]:
    return [
        *Event.objects.values_list("source", flat=True),
        *Milestone.objects.values_list("source", flat=True),
        *District.objects.values_list("population_source", flat=True),
        *Goal.objects.values_list("source", flat=True),
    ]


def test_every_source_the_seed_cites_is_on_the_sources_page(seeded):
    cited = {ref for text in source_texts() for ref in referenced_ids(text)}
    assert len(cited) > 20
    assert cited <= set(all_sources())


def public_pages_with_sources() -> list[str]:
    return [
        "/termine/ablauf/",
        *(event.get_absolute_url() for event in Event.objects.published()),
        *(district.get_absolute_url() for district in District.objects.all()),
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_reference_on_the_pages_links_to_its_entry(seeded, prefix):
    pages = public_pages_with_sources()  # German paths, before a request switches the language
    sources_page = Client().get(prefix + SOURCES_URL).content.decode()
    entries = set(re.findall(r'<li id="(s\d+)"', sources_page))
    linked_somewhere = 0
    for url in pages:
        response = Client().get(prefix + url)
        assert response.status_code == 200, url
        html = response.content.decode()
        quoted = re.findall(
            r"<strong>(?:Quelle|Source):</strong> <span lang=\"de\">(.*?)</span>", html
        )
        plain = re.sub(r"<a [^>]*>S\d+</a>", "", " ".join(quoted))
        assert not referenced_ids(plain), f"{url}: unlinked reference in {plain!r}"
        for anchor in re.findall(rf'href="{prefix}/quellen/#(s\d+)"', html):
            assert anchor in entries, f"{url} links to a missing source {anchor}"
            linked_somewhere += 1
    assert linked_somewhere > 20
