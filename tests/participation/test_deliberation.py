"""Issue 13, the Abwägungstabelle: every contribution of a round (online, workshop, imported)
with disposition, reason, what it changed and the answer; XLSX opened with openpyxl."""

import io
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from participation import services
from participation.models import Comment, Department

from .conftest import make_comment
from .moderation_fixtures import haspe_workshop

URL = "/admin/participation/comment/abwaegung/"


@pytest.fixture
def table(goal, open_round, citizen, other_citizen, editor, moderator, measure, key_message):
    adopted = make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="=SUMME(A1) Radstation am Bahnhof\nmit zwei Zeilen",
    )
    services.comment_evaluate(
        comment=adopted,
        editor=editor,
        changes={
            "outcome": "adopted",
            "outcome_note": "Aufgenommen.",
            "outcome_measure": measure,
            "department": Department.objects.create(name="FB 61"),
        },
    )
    services.answer_create(comment=adopted, author=editor, text="Danke für den Hinweis.")
    workshop = services.workshop_contribution_create(
        editor=editor,
        round=open_round,
        goal=goal,
        event=haspe_workshop(),
        text="Karte: Ampel am Markt",
        key_message=key_message,
    )
    hidden = make_comment(goal=goal, comment_round=open_round, author=other_citizen, text="Spam!")
    services.comment_hide(comment=hidden, moderator=moderator, reason="spam", note="Werbung")
    pending = make_comment(
        goal=goal, comment_round=open_round, author=other_citizen, text="Wartet", status="pending"
    )
    return {"adopted": adopted, "workshop": workshop, "hidden": hidden, "pending": pending}


def xlsx(client, **params):
    response = client.get(URL, {"format": "xlsx", **params})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="abwaegung-')
    return load_workbook(io.BytesIO(response.content))


def test_xlsx_has_every_received_contribution_with_disposition_and_answer(
    editor_client, table, open_round, goal
):
    sheet = xlsx(editor_client, runde=open_round.pk, ziel=goal.pk).active
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == ["Nr.", "Ziel", "Eingang", "Quelle", "Bezieht sich auf", "Beitrag"]
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    # Pending contributions were never received publicly; hidden ones keep a row, not a text.
    assert set(rows) == {table["adopted"].pk, table["workshop"].pk, table["hidden"].pk}
    adopted = rows[table["adopted"].pk]
    assert adopted["Ziel"] == "Ziel 10: Mobilität neu denken!"
    assert adopted["Beitrag"] == "=SUMME(A1) Radstation am Bahnhof\nmit zwei Zeilen"
    assert adopted["Abwägung"] == "Übernommen" and adopted["Begründung"] == "Aufgenommen."
    assert adopted["Veränderte Maßnahme oder Kernbotschaft"] == "Maßnahme: Radverkehr stärken"
    assert adopted["Antwort der Stadt Hagen"] == "Danke für den Hinweis."
    assert adopted["Zuständiger Fachbereich"] == "FB 61"
    assert adopted["Link"].endswith(f"/ziele/mobilitaet-neu-denken/#beitrag-{table['adopted'].pk}")
    assert isinstance(adopted["Eingang"], datetime)
    workshop = rows[table["workshop"].pk]
    assert workshop["Quelle"].startswith("Stadtbezirkswerkstatt Haspe")
    assert workshop["Bezieht sich auf"] == "Verkehrsbelastungen verringern"
    assert workshop["Abwägung"] == "Noch nicht ausgewertet"
    assert rows[table["hidden"].pk]["Beitrag"] == "[Von der Moderation ausgeblendet: Spam]"


def test_xlsx_is_formatted_for_reading(editor_client, table, open_round):
    sheet = xlsx(editor_client, runde=open_round.pk).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M4"
    assert sheet.column_dimensions["F"].width == 60
    text = sheet.cell(row=2, column=6)
    assert text.alignment.wrap_text and text.data_type == "s"
    date = sheet.cell(row=2, column=3)
    assert date.is_date and date.number_format == "DD.MM.YYYY"
    assert sheet.cell(row=1, column=1).font.bold


def test_printable_page_lists_the_rows_without_the_web_interface(editor_client, table, open_round):
    response = editor_client.get(URL, {"runde": open_round.pk, "format": "seite"})
    html = response.content.decode()
    assert "Abwägungstabelle" in html and "Radstation am Bahnhof" in html
    assert "Maßnahme: Radverkehr stärken" in html and "Danke für den Hinweis." in html
    assert "Wartet" not in html and "Spam!" not in html
    assert "no-store" in response["Cache-Control"]


def test_choice_form_without_a_round(editor_client, table):
    html = editor_client.get(URL).content.decode()
    assert 'name="runde"' in html and 'name="ziel"' in html


def test_only_editors_with_export_permission(moderator_client, client, table, open_round):
    assert moderator_client.get(URL, {"runde": open_round.pk}).status_code == 403
    assert client.get(URL).status_code == 302


def test_query_count_does_not_grow_with_rows(editor_client, table, open_round, goal, citizen):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            editor_client.get(URL, {"runde": open_round.pk, "format": "xlsx"})
        return len(queries)

    count()  # the first request also loads the session and the site
    few = count()
    for index in range(15):
        comment = make_comment(
            goal=goal, comment_round=open_round, author=citizen, text=f"Beitrag {index}"
        )
        services.answer_create(comment=comment, author=None, text="Antwort")
    assert count() == few
    assert Comment.objects.count() > 15


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_xlsx_and_shows_the_text_as_written(
    editor_client, table, open_round, tmp_path
):
    response = editor_client.get(URL, {"runde": open_round.pk, "format": "xlsx"})
    source = tmp_path / "abwaegung.xlsx"
    source.write_bytes(response.content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "abwaegung.pdf").pages)
    assert "=SUMME(A1) Radstation" in " ".join(text.split())  # a string, not a formula
    assert "Übernommen" in text
