"""Issue 6: the evaluation export and the public statistics page."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from hagen_isek import site_content
from participation import services
from participation.models import Comment, EvaluationTag, Support
from tests.conftest import make_user
from tests.test_security_headers import assert_security_headers

from .conftest import make_comment
from .moderation_fixtures import haspe, haspe_workshop


@pytest.fixture
def contributions(goal, open_round, citizen, other_citizen, editor, moderator, measure):
    citizen.district = haspe()
    citizen.save()
    online = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Mehr Radwege!")
    Support.objects.create(comment=online, user=other_citizen)
    online.outcome = Comment.Outcome.ADOPTED
    online.outcome_measure = measure
    online.save()
    online.tags.add(EvaluationTag.objects.create(name="Anzahl der Ziele"))
    services.answer_create(comment=online, author=editor, text="Danke!")
    hidden = make_comment(
        goal=goal, comment_round=open_round, author=other_citizen, text='=HYPERLINK("x")'
    )
    services.comment_hide(comment=hidden, moderator=moderator, reason="spam", note="Werbung")
    withdrawn = make_comment(
        goal=goal,
        comment_round=open_round,
        author=other_citizen,
        text="Doch nicht",
        status="withdrawn",
    )
    workshop = services.workshop_contribution_create(
        editor=editor, round=open_round, goal=goal, event=haspe_workshop(), text="Karte aus Haspe"
    )
    return {"online": online, "hidden": hidden, "withdrawn": withdrawn, "workshop": workshop}


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_csv_export_columns_and_marked_rows(tmp_path, contributions):
    path = tmp_path / "beitraege.csv"
    call_command(
        "export_contributions", "--format", "csv", "--output", str(path), stdout=io.StringIO()
    )
    rows = {int(row["ID"]): row for row in read_csv(path.read_bytes())}
    assert list(next(iter(rows.values())).keys()) == [
        "ID",
        "Beteiligungsrunde",
        "Ziel",
        "Kernbotschaft",
        "Maßnahme",
        "Antwort auf (ID)",
        "Quelle",
        "Veranstaltung",
        "Stadtbezirk der Verfasserin/des Verfassers",
        "Status",
        "Markierung",
        "Moderationsgrund",
        "Zustimmungen",
        "Ergebnis",
        "Begründung des Ergebnisses",
        "Antwort der Stadt Hagen",
        "Auswertungskategorien",
        "Erstellt (Ortszeit)",
        "Bearbeitet (Ortszeit)",
        "Frühere Fassungen",
        "Zielnummer",
        "Veränderte Maßnahme",
        "Veränderte Kernbotschaft",
        "Ergebnis festgehalten am",
        "Zuständiger Fachbereich",
        "Herkunft",
        "Moderiert von",
        "Moderiert (Ortszeit)",
        "Link",
        "suggested_goal",
        "score",
        "confirmed_goal",
        "theme",
        "duplicate_group",
        "method_version",
        "Stadtbezirk (verortet oder importiert)",
        "Breitengrad (auf etwa 100 m gerundet)",
        "Längengrad (auf etwa 100 m gerundet)",
        "Text",
    ]
    online = rows[contributions["online"].pk]
    assert online["Stadtbezirk der Verfasserin/des Verfassers"] == "Haspe"
    assert (online["Zustimmungen"], online["Ergebnis"], online["Antwort der Stadt Hagen"]) == (
        "1",
        "Übernommen",
        "Danke!",
    )
    assert online["Auswertungskategorien"] == "Anzahl der Ziele"
    assert (online["Zielnummer"], online["Veränderte Maßnahme"]) == ("10", "Radverkehr stärken")
    assert online["Link"].endswith(f"/ziele/mobilitaet-neu-denken/#beitrag-{online['ID']}")
    assert online["Link"].startswith("http")
    assert online["Markierung"] == ""
    assert (online["Bearbeitet (Ortszeit)"], online["Frühere Fassungen"]) == ("", "0")
    hidden = rows[contributions["hidden"].pk]
    assert (hidden["Markierung"], hidden["Moderationsgrund"]) == ("AUSGEBLENDET", "Spam")
    assert hidden["Moderiert von"] == "Moderation" and hidden["Moderiert (Ortszeit)"]
    assert hidden["Text"] == '\'=HYPERLINK("x")'  # formula injection guarded
    withdrawn = rows[contributions["withdrawn"].pk]
    # The withdraw page promises the text is no longer exported.
    assert (withdrawn["Markierung"], withdrawn["Text"]) == ("ZURÜCKGEZOGEN", "")
    workshop = rows[contributions["workshop"].pk]
    assert workshop["Quelle"] == "Veranstaltung"
    assert workshop["Veranstaltung"].startswith("Stadtbezirkswerkstatt Haspe")
    content = path.read_text(encoding="utf-8-sig")
    assert "alice@example.org" not in content and "Alice" not in content
    assert "Doch nicht" not in content


def test_xlsx_export_has_the_same_rows(tmp_path, contributions):
    path = tmp_path / "beitraege.xlsx"
    call_command(
        "export_contributions", "--format", "xlsx", "--output", str(path), stdout=io.StringIO()
    )
    sheet = load_workbook(path, read_only=True).active
    values = list(sheet.values)
    assert values[0][0] == "ID" and values[0][-1] == "Text"
    assert len(values) == 1 + Comment.objects.count()
    # The text exactly as written: the apostrophe guard is for CSV only.
    assert '=HYPERLINK("x")' in [row[-1] for row in values]
    assert "Doch nicht" not in [row[-1] for row in values]


def test_admin_export_streams_for_editors_only(editor_client, moderator_client, contributions):
    response = editor_client.get("/admin/participation/comment/export/csv/")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    assert_security_headers(response)
    rows = read_csv(b"".join(response.streaming_content))
    assert len(rows) == Comment.objects.count()
    xlsx = editor_client.get("/admin/participation/comment/export/xlsx/")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert_security_headers(xlsx)
    assert moderator_client.get("/admin/participation/comment/export/csv/").status_code == 403


def test_admin_export_action_exports_the_selection(editor_client, contributions):
    response = editor_client.post(
        "/admin/participation/comment/",
        {"action": "export_csv", "_selected_action": [contributions["online"].pk]},
    )
    rows = read_csv(b"".join(response.streaming_content))
    assert [row["Text"] for row in rows] == ["Mehr Radwege!"]


# Statistics ----------------------------------------------------------------------------------


def test_statistics_page_shows_tables_and_chart(client, contributions):
    html = client.get("/beteiligung/statistik/").content.decode()
    assert "<h1>Beteiligung in Zahlen</h1>" in html
    assert (
        '<svg role="img"' in html
        and '<title id="chart-title">Beiträge und Antworten je Ziel</title>' in html
    )
    assert "Mobilität neu denken!: 3" in html  # online, hidden, workshop; not the withdrawn one
    for heading in ("Nach Zielen", "Nach Beteiligungsrunden", "Nach Stadtbezirken", "Nach Quelle"):
        assert heading in html
    assert '<th scope="row">Haspe</th>' in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]


def test_dossier_shows_counts_per_goal(client, contributions):
    html = client.get("/ziele/dossier/").content.decode()
    assert "Beteiligung je Ziel" in html


def build(goal, comment_round, count):
    for n in range(count):
        author = make_user(f"s{count}-{n}@example.org", f"S{count}-{n}")
        comment = make_comment(goal=goal, comment_round=comment_round, author=author)
        Support.objects.create(comment=comment, user=author)


def test_statistics_page_query_count_is_fixed(
    django_assert_num_queries, client, settings, goal, other_goal, open_round
):
    settings.PAGE_CACHE_ENABLED = False
    build(goal, open_round, 2)
    # The kept counts (all four tables), goals, rounds, the districts' names, the site version;
    # the map's areas only on the first visit after an editor's change (site_content.py).
    site_content.clear()
    with django_assert_num_queries(6):
        client.get("/beteiligung/statistik/")
    with django_assert_num_queries(5):
        client.get("/beteiligung/statistik/")
    build(other_goal, open_round, 40)
    client.get("/beteiligung/statistik/")
    with django_assert_num_queries(5):
        response = client.get("/beteiligung/statistik/")
    assert "Hagener Zentren: 40" in response.content.decode()  # the chart label


def test_export_has_the_latest_text_an_edited_marker_and_the_number_of_versions(
    tmp_path, goal, open_round, citizen
):
    online = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Radwege")
    services.comment_edit(comment=online, user=citizen, text="Mehr sichere Radwege!")
    path = tmp_path / "beitraege.csv"
    call_command(
        "export_contributions", "--format", "csv", "--output", str(path), stdout=io.StringIO()
    )
    row = {int(r["ID"]): r for r in read_csv(path.read_bytes())}[online.pk]
    assert row["Text"] == "Mehr sichere Radwege!"
    assert row["Bearbeitet (Ortszeit)"] != "" and row["Frühere Fassungen"] == "1"
