"""Issue 15, map section: placing a contribution on the map – without JavaScript (the district
list), with a point (rounded, its district from point-in-polygon), shown on the goal page and
exported rounded; open data never finer than the Stadtbezirk."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.models import District
from events.services import events_load_seed
from participation.models import Comment
from tests.html import parse
from tests.participation.conftest import make_comment


@pytest.fixture
def districts(db) -> dict[str, District]:
    events_load_seed()
    return {district.slug: district for district in District.objects.all()}


@pytest.fixture
def placing_round(open_round):
    open_round.allows_placing = True
    open_round.save()
    return open_round


def post(client, goal, **data):
    data.setdefault("text", "Hier fehlt ein Zebrastreifen.")
    return client.post(reverse("participation:comment-create", args=[goal.slug]), data)


def form_fields(html: str) -> dict[str, dict]:
    return {
        attrs["name"]: {"tag": tag, **attrs}
        for tag, attrs in parse(html).tags
        if tag in {"input", "select", "textarea"} and "name" in attrs
    }


def test_round_without_placing_has_no_place_fields_and_ignores_them(
    citizen_client, goal, open_round, districts
):
    page = citizen_client.get(goal.get_absolute_url()).content.decode()
    assert "place_district" not in form_fields(page)
    assert "data-district-picker" not in page
    post(citizen_client, goal, place_district="haspe", latitude="51.34", longitude="7.41")
    comment = Comment.objects.get()
    assert (comment.district, comment.latitude, comment.longitude) == (None, None, None)


def test_form_offers_the_district_list_and_a_map_hidden_until_javascript(
    citizen_client, goal, placing_round, districts
):
    page = citizen_client.get(goal.get_absolute_url()).content.decode()
    fields = form_fields(page)
    assert fields["place_district"]["tag"] == "select"
    assert fields["latitude"]["type"] == "hidden" and fields["longitude"]["type"] == "hidden"
    options = [a.get("value") for t, a in parse(page).tags if t == "option"]
    assert {"hagen-mitte", "hagen-nord", "hohenlimburg", "eilpe-dahl", "haspe"} <= set(options)
    # The label names the list; the map is an addition that only the script shows.
    assert 'for="id_place_district"' in page
    picker = next(a for t, a in parse(page).tags if "data-district-picker" in a)
    assert "hidden" in picker
    assert "/static/js/district-map" in page


def test_choosing_only_a_district_from_the_list_stores_no_point(
    citizen_client, goal, placing_round, districts
):
    response = post(citizen_client, goal, place_district="eilpe-dahl")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.district == districts["eilpe-dahl"]
    assert (comment.latitude, comment.longitude) == (None, None)
    page = citizen_client.get(goal.get_absolute_url()).content.decode()
    assert "Stadtbezirk:" in page and 'href="/bezirke/eilpe-dahl/"' in page
    assert "(auf der Karte verortet)" not in page


def test_a_point_is_rounded_and_its_district_assigned_by_the_server(
    citizen_client, goal, placing_round, districts
):
    # The list says Haspe, the point is at the Hauptbahnhof: the point decides.
    post(
        citizen_client,
        goal,
        place_district="haspe",
        latitude="51.362841",
        longitude="7.460613",
    )
    comment = Comment.objects.get()
    assert comment.district == districts["hagen-mitte"]
    assert (comment.latitude, comment.longitude) == (Decimal("51.363"), Decimal("7.461"))


def test_a_point_outside_hagen_keeps_the_text_and_says_why(
    citizen_client, goal, placing_round, districts
):
    response = post(citizen_client, goal, latitude="51.5136", longitude="7.4653")
    assert response.status_code == 200
    page = response.content.decode()
    assert "außerhalb der Hagener Stadtbezirke" in page
    assert "Hier fehlt ein Zebrastreifen." in page
    assert not Comment.objects.exists()


def test_replies_are_never_placed(citizen_client, goal, placing_round, districts, other_citizen):
    parent = make_comment(goal=goal, comment_round=placing_round, author=other_citizen)
    citizen_client.post(
        reverse("participation:comment-reply", args=[parent.pk]),
        {"text": "Genau.", "place_district": "haspe", "latitude": "51.34", "longitude": "7.41"},
    )
    reply = Comment.objects.get(parent=parent)
    assert (reply.district, reply.latitude) == (None, None)


@pytest.fixture
def placed(goal, placing_round, districts, citizen, other_citizen):
    hbf = make_comment(
        goal=goal,
        comment_round=placing_round,
        author=citizen,
        text="Bahnhofsvorplatz",
        district=districts["hagen-mitte"],
        latitude=Decimal("51.363"),
        longitude=Decimal("7.461"),
    )
    make_comment(
        goal=goal,
        comment_round=placing_round,
        author=other_citizen,
        text="Haspe allgemein",
        district=districts["haspe"],
    )
    make_comment(
        goal=goal,
        comment_round=placing_round,
        author=other_citizen,
        text="Noch nicht freigegeben",
        status=Comment.Status.PENDING,
        district=districts["haspe"],
        latitude=Decimal("51.340"),
        longitude=Decimal("7.410"),
    )
    return hbf


def test_goal_page_map_shows_public_districts_and_placed_points(client, goal, placed):
    page = client.get(goal.get_absolute_url()).content.decode()
    figure = page[
        page.index(f'id="karte-{goal.slug}"') : page.index(
            "</figure>", page.index(f'id="karte-{goal.slug}"')
        )
    ]
    assert 'aria-label="Hagen-Mitte: 1 Beitrag"' in figure
    assert 'aria-label="Haspe: 1 Beitrag"' in figure  # the pending one is not counted
    assert 'aria-label="Hohenlimburg: 0 Beiträge"' in figure
    points = [a for t, a in parse(figure).tags if t == "circle"]
    assert len(points) == 1  # only the published, placed one
    assert "1 Beitrag auf der Karte verortet (auf etwa 100 m gerundet)" in figure


def test_goal_page_map_costs_the_same_queries_for_more_contributions(
    client, goal, placed, placing_round, citizen, districts
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def visit_after_a_write(count: int) -> int:
        # Each new contribution gives the goal a new version: the map is drawn again.
        for index in range(count):
            make_comment(
                goal=goal,
                comment_round=placing_round,
                author=citizen,
                text=f"Punkt {index}",
                district=districts["hagen-nord"],
                latitude=Decimal("51.393"),
                longitude=Decimal("7.492"),
            )
        with CaptureQueriesContext(connection) as queries:
            client.get(goal.get_absolute_url())
        return len(queries.captured_queries)

    client.get(goal.get_absolute_url())
    few = visit_after_a_write(1)
    many = visit_after_a_write(30)
    assert few == many
    with CaptureQueriesContext(connection) as kept:
        shown = client.get(goal.get_absolute_url()).content.decode()
    assert len(kept.captured_queries) < few  # nothing changed: the map is the worker's
    assert "32 Beiträge auf der Karte verortet" in shown  # and the new ones are on it


def test_export_has_the_rounded_point_and_open_data_only_the_district(tmp_path, client, placed):
    path = tmp_path / "export.csv"
    call_command(
        "export_contributions", "--format", "csv", "--output", str(path), stdout=io.StringIO()
    )
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    header = rows[0]
    by_text = {row[-1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    hbf = by_text["Bahnhofsvorplatz"]
    assert hbf["Stadtbezirk (verortet oder importiert)"] == "Hagen-Mitte"
    assert hbf["Breitengrad (auf etwa 100 m gerundet)"] == "51.363"
    assert hbf["Längengrad (auf etwa 100 m gerundet)"] == "7.461"
    assert by_text["Haspe allgemein"]["Breitengrad (auf etwa 100 m gerundet)"] == ""

    body = json.loads(b"".join(client.get("/offene-daten/beitraege.json").streaming_content))
    records = body["daten"]
    record = next(r for r in records if r["text"] == "Bahnhofsvorplatz")
    assert record["stadtbezirk"] == "Hagen-Mitte"
    assert "51.363" not in json.dumps(records) and "7.461" not in json.dumps(records)


def test_only_a_contribution_on_the_map_draws_the_goals_map_again(
    client, goal, placed, placing_round, citizen, moderator, districts
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participation.services import moderation

    def visit() -> tuple[str, bool]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(goal.get_absolute_url()).content.decode()
        # the map's query of the placed points (the list's rows hold the columns, unnamed)
        drawn = any('AS "latitude"' in query["sql"] for query in queries.captured_queries)
        return html, drawn

    visit()
    make_comment(goal=goal, comment_round=placing_round, author=citizen, text="Ohne Ort")
    html, drawn = visit()
    assert "Ohne Ort" in html and not drawn  # listed at once, the map kept
    assert "1 Beitrag auf der Karte verortet" in html
    new = make_comment(
        goal=goal,
        comment_round=placing_round,
        author=citizen,
        text="Am Volmeufer",
        district=districts["hagen-mitte"],
        latitude=Decimal("51.360"),
        longitude=Decimal("7.470"),
    )
    html, drawn = visit()
    assert drawn and "2 Beiträge auf der Karte verortet" in html
    moderation.comment_hide(comment=new, moderator=moderator, reason="spam", note="Werbung")
    html, drawn = visit()
    assert drawn and "1 Beitrag auf der Karte verortet" in html
