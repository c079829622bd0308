"""The site search: what it finds, what it never finds, odd input, escaping, query counts."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import District
from goals.models import Goal, KeyMessage, Measure
from participation.models import Comment
from search.words import clean_query, has_words
from tests.events.conftest import make_event
from tests.participation.conftest import make_comment, make_round

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="German stemming needs PostgreSQL"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        slug="hagener-kieze",
        title="Hagener Kieze",
        claim="urbane Quartiere entwickeln!",
        intro="Lebendige Stadtteile mit kurzen Wegen.",
        status=Goal.Status.PUBLISHED,
    )


@pytest.fixture
def comment_round(db):
    now = timezone.now()
    return make_round(starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10))


def search(client, query: str, **params):
    response = client.get("/suche/", {"q": query, **params})
    assert response.status_code == 200
    return response


def hit_titles(response) -> list[str]:
    found = re.findall(r'class="search-hit-title">([^<]*)</a>', response.content.decode())
    return [html.unescape(title) for title in found]


def snippets(response) -> str:
    page = response.content.decode()
    return " ".join(re.findall(r'<p class="search-hit-snippet">(.*?)</p>', page, re.S))


def text(response) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def test_every_page_has_the_search_box_in_its_header(client, goal):
    for url in ["/", "/ziele/", goal.get_absolute_url(), "/termine/", "/suche/?q=x"]:
        page = client.get(url).content.decode()
        header = page.split("<header", 1)[1].split("</header>", 1)[0]
        assert '<form class="site-search" role="search" method="get" action="/suche/">' in header
        assert (
            '<label for="site-search-q" class="visually-hidden">Portal durchsuchen</label>'
            in header
        )
        assert '<input type="search" id="site-search-q" name="q"' in header


def test_finds_goals_key_messages_measures_events_and_contributions(
    client, goal, comment_round, citizen
):
    KeyMessage.objects.create(goal=goal, text="Den Bahnhofsvorplatz neu gestalten")
    measure = Measure.objects.create(
        is_published=True, slug="vorplatz", text="Bahnhofsvorplatz umbauen"
    )
    measure.goals.add(goal)
    haspe = District.objects.create(name="Haspe", slug="haspe")
    make_event(
        "werkstatt-haspe", title="Stadtbezirkswerkstatt", venue="Bahnhofsvorplatz", district=haspe
    )
    make_comment(
        goal=goal,
        comment_round=comment_round,
        author=citizen,
        text="Der Bahnhofsvorplatz ist dunkel.",
    )
    response = search(client, "bahnhofsvorplatz")
    groups = re.findall(r'<h2 id="treffer-([a-z]+)"', response.content.decode())
    assert groups == ["kernbotschaften", "massnahmen", "termine", "beitraege"]
    assert "4 Treffer für „bahnhofsvorplatz“" in text(response)


def test_events_are_found_by_their_district(client, db):
    haspe = District.objects.create(name="Haspe", slug="haspe")
    make_event("werkstatt-1", title="Werkstatt", district=haspe)
    assert hit_titles(search(client, "Haspe")) == ["Werkstatt"]


@pytest.mark.parametrize("status", ["pending", "hidden", "withdrawn"])
def test_never_finds_a_contribution_that_is_not_published(
    client, goal, comment_round, citizen, status
):
    make_comment(
        goal=goal,
        comment_round=comment_round,
        author=citizen,
        text="Geheimwort Brückenbau",
        status=status,
    )
    response = search(client, "Geheimwort")
    assert "Brückenbau" not in response.content.decode()
    assert "0 Treffer" in text(response)
    assert hit_titles(search(client, "Geheimwort", art="beitraege")) == []


def test_never_finds_drafts_or_their_contributions(client, goal, comment_round, citizen):
    draft = Goal.objects.create(slug="entwurf", title="Entwurf Zauberwort", status="draft")
    KeyMessage.objects.create(goal=draft, text="Zauberwort Botschaft")
    make_comment(goal=draft, comment_round=comment_round, author=citizen, text="Zauberwort!")
    make_event("versteckt", title="Zauberwort Termin", is_published=False)
    assert hit_titles(search(client, "Zauberwort")) == []


def test_pending_edit_of_a_published_contribution_is_not_searched(
    client, goal, comment_round, citizen
):
    make_comment(
        goal=goal,
        comment_round=comment_round,
        author=citizen,
        text="Alter Text",
        pending_text="Neuer Geheimtext",
    )
    assert hit_titles(search(client, "Geheimtext")) == []
    assert hit_titles(search(client, "Alter")) == ["Hagener Kieze – urbane Quartiere entwickeln!"]


@on_postgresql
def test_german_stemming_quartier_finds_quartieren(client, goal, comment_round, citizen):
    make_comment(
        goal=goal, comment_round=comment_round, author=citizen, text="In den Quartieren fehlt Grün."
    )
    response = search(client, "Quartier", art="beitraege")
    assert len(hit_titles(response)) == 1
    assert "<mark>Quartieren</mark>" in snippets(response)


@on_postgresql
def test_ranked_title_before_body(client, db):
    Goal.objects.create(slug="a", title="Wohnen", intro="Kein Grün", status="published", position=1)
    Goal.objects.create(slug="b", title="Grün in der Stadt", status="published", position=2)
    assert hit_titles(search(client, "Grün", art="ziele")) == ["Grün in der Stadt", "Wohnen"]


@on_postgresql
def test_vector_is_kept_current_by_bulk_updates_and_district_renames(
    client, goal, comment_round, citizen
):
    comment = make_comment(goal=goal, comment_round=comment_round, author=citizen, text="Alt")
    Comment.objects.filter(pk=comment.pk).update(text="Schwimmbad sanieren")
    assert len(hit_titles(search(client, "Schwimmbad", art="beitraege"))) == 1
    district = District.objects.create(name="Haspe", slug="haspe")
    make_event("werkstatt", title="Werkstatt", district=district)
    District.objects.filter(pk=district.pk).update(name="Hohenlimburg")
    assert hit_titles(search(client, "Hohenlimburg")) == ["Werkstatt"]
    assert hit_titles(search(client, "Haspe")) == []


@on_sqlite
def test_sqlite_finds_whole_words_in_any_case_with_umlauts(client, goal, comment_round, citizen):
    make_comment(
        goal=goal, comment_round=comment_round, author=citizen, text="Mehr Grün für die Straße."
    )
    assert len(hit_titles(search(client, "GRÜN", art="beitraege"))) == 1
    assert len(hit_titles(search(client, "strasse", art="beitraege"))) == 1
    assert hit_titles(search(client, "Grü", art="beitraege")) == []  # no half words
    assert "<mark>Grün</mark>" in snippets(search(client, "grün", art="beitraege"))


def test_whole_word_match_used_on_sqlite():
    assert has_words("Mehr GRÜN für Hagen", '["grün", "hagen"]')
    assert not has_words("Grünflächen", '["grün"]')
    assert not has_words(None, '["grün"]')


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '"unbalanced phrase',
        "-",
        "a & b | !c <-> d",
        "foo:* bar:A",
        "\x00",
        "Bahnhof\x00platz",
        "der die das und",
        "'; DROP TABLE goals_goal; --",
        "((()))",
        "x" * 5000,
        "Wort " * 300,
        "😀",
    ],
)
def test_odd_queries_get_a_friendly_page(client, goal, query):
    response = search(client, query)
    assert response.context["results"].query.text == clean_query(query).text
    assert "<h1>Suche</h1>" in response.content.decode()


def test_empty_query_asks_for_a_term(client, db):
    assert "Bitte geben Sie einen Suchbegriff ein" in search(client, "").content.decode()


@on_postgresql
def test_only_stop_words_explains_why_nothing_is_found(client, db):
    assert "nur sehr häufige Wörter" in search(client, "der und die").content.decode()


def test_long_query_is_capped_and_says_so(client, db):
    response = search(client, "Bahnhof " * 100)
    assert len(response.context["results"].query.text) <= 200
    assert "nur nach den ersten 200 Zeichen" in response.content.decode()


def test_snippets_escape_the_text_and_mark_only_the_match(client, goal, comment_round, citizen):
    make_comment(
        goal=goal,
        comment_round=comment_round,
        author=citizen,
        text="<script>alert(1)</script> <b>Fahrrad</b> & <mark>Bus</mark> "
        "<img src=x onerror=alert(1)>",
    )
    html = snippets(search(client, "Fahrrad", art="beitraege"))
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;img src=x" in html and "&amp;" in html
    assert html.count("<mark>") == 1 and "<mark>Fahrrad</mark>" in html


def test_a_kind_is_paginated(client, goal, comment_round, citizen):
    Comment.objects.bulk_create(
        Comment(goal=goal, round=comment_round, author=citizen, text=f"Radweg Nummer {i}")
        for i in range(25)
    )
    first = search(client, "Radweg", art="beitraege")
    assert len(hit_titles(first)) == 20
    second = search(client, "Radweg", art="beitraege", seite="2")
    assert len(hit_titles(second)) == 5
    assert (
        search(client, "Radweg", art="beitraege", seite="abc")
        .context["results"]
        .groups[0]
        .page.number
        == 1
    )
    overview = search(client, "Radweg")
    assert len(hit_titles(overview)) == 5
    assert "Alle 25 Treffer anzeigen: Beiträge" in text(overview)


@pytest.mark.parametrize(("kind", "last_page_hits"), [("beitraege", 5), ("termine", 3)])
def test_a_page_after_the_last_shows_the_last_page(
    client, goal, comment_round, citizen, kind, last_page_hits
):
    Comment.objects.bulk_create(
        Comment(goal=goal, round=comment_round, author=citizen, text=f"Radweg Nummer {i}")
        for i in range(25)
    )
    for i in range(23):
        make_event(f"radweg-{i}", title=f"Radweg Termin {i}")
    response = search(client, "Radweg", art=kind, seite="99")
    group = response.context["results"].groups[0]
    assert group.page.number == 2
    assert len(hit_titles(response)) == last_page_hits


def add_data(goal, comment_round, citizen, n: int) -> None:
    Comment.objects.bulk_create(
        Comment(goal=goal, round=comment_round, author=citizen, text=f"Radweg {i}")
        for i in range(n)
    )
    for i in range(n // 10):
        KeyMessage.objects.create(goal=goal, text=f"Radweg Botschaft {i}")
        measure = Measure.objects.create(
            is_published=True, slug=f"m-{n}-{i}", text=f"Radweg Maßnahme {i}"
        )
        measure.goals.add(goal)
        make_event(
            f"e-{n}-{i}",
            title=f"Radweg Termin {i}",
            district=District.objects.get_or_create(name=f"D{i}", slug=f"d{i}")[0],
        )
        Goal.objects.create(slug=f"g-{n}-{i}", title=f"Radweg Ziel {i}", status="published")


@pytest.mark.parametrize("params", [{}, {"art": "beitraege"}, {"art": "termine"}])
def test_query_count_is_the_same_for_few_and_many_rows(
    client, goal, comment_round, citizen, params
):
    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            search(client, "Radweg", **params)
        return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)

    add_data(goal, comment_round, citizen, 10)
    small, small_sql = count()
    add_data(goal, comment_round, citizen, 60)
    large, large_sql = count()
    assert small == large, f"{small_sql}\n---\n{large_sql}"
    assert small <= 12, small_sql
