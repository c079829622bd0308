"""Issue 13, import of offline and earlier input: CSV/XLSX into a round, dry run with German
reasons per row, idempotent (the same file twice creates nothing new)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from participation.models import Comment

from .moderation_fixtures import haspe, haspe_workshop

CSV = (
    "Text;Ziel;Stadtbezirk;Datum\r\n"
    "Mehr Bänke am Volmeufer;10;Haspe;03.07.2018\r\n"
    "=Tempo 30 vor Schulen;mobilitaet-neu-denken;;\r\n"
    ";10;;\r\n"
    "Unbekanntes Ziel;99;;\r\n"
    "Falscher Bezirk;10;Atlantis;\r\n"
    "Schlechtes Datum;10;;31.02.2018\r\n"
    "Mehr Bänke am Volmeufer;10;Haspe;03.07.2018\r\n"
).encode("utf-8-sig")


@pytest.fixture
def setup(goal, closed_round):
    haspe()
    return closed_round


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_contributions", *args, stdout=out)
    return out.getvalue()


def test_dry_run_reports_each_rejected_row_in_german_and_saves_nothing(tmp_path, setup):
    path = tmp_path / "karten.csv"
    path.write_bytes(CSV)
    out = run(str(path), "--round", setup.slug, "--source", "imported", "--origin", "Plan-Portal")
    assert "Probelauf: 2 Beiträge würden angelegt, 1 bereits vorhanden, 4 abgelehnt." in out
    assert "Zeile 4 abgelehnt: Kein Text." in out
    assert "Zeile 5 abgelehnt: Ziel „99“ nicht gefunden" in out
    assert "Zeile 6 abgelehnt: Stadtbezirk „Atlantis“ nicht gefunden." in out
    assert "Zeile 7 abgelehnt: Datum „31.02.2018“ ist nicht lesbar (TT.MM.JJJJ)." in out
    assert "Zeile 8 übersprungen: Wie Zeile 2." in out
    assert not Comment.objects.exists()


def test_import_creates_the_rows_exactly_as_written_and_twice_creates_nothing(
    tmp_path, setup, goal
):
    path = tmp_path / "karten.csv"
    path.write_bytes(CSV)
    args = [str(path), "--round", setup.slug, "--source", "imported", "--origin", "Plan-Portal"]
    assert "2 angelegt, 1 bereits vorhanden, 4 abgelehnt." in run(*args, "--apply")
    bench = Comment.objects.get(text="Mehr Bänke am Volmeufer")
    assert (bench.goal, bench.district, bench.source, bench.origin, bench.author) == (
        goal,
        haspe(),
        "imported",
        "Plan-Portal",
        None,
    )
    assert bench.created_at.date().isoformat() == "2018-07-03" and bench.is_published
    assert Comment.objects.filter(text="=Tempo 30 vor Schulen").exists()  # no guard added
    assert "0 angelegt, 3 bereits vorhanden, 4 abgelehnt." in run(*args, "--apply")
    assert Comment.objects.count() == 2
    # The district's figures count imported input recorded for it.
    assert Comment.objects.from_district(haspe()).count() == 1


def test_xlsx_workshop_cards_need_their_event(tmp_path, setup, goal):
    event = haspe_workshop()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Text", "Ziel", "Veranstaltung"])
    sheet.append(["Sichere Schulwege", 10, event.slug])
    sheet.append(["Ohne Veranstaltung", 10, None])
    path = tmp_path / "werkstatt.xlsx"
    workbook.save(path)
    out = run(str(path), "--round", setup.slug, "--source", "event", "--apply")
    assert "1 angelegt, 0 bereits vorhanden, 1 abgelehnt." in out
    assert "Zeile 3 abgelehnt: Werkstatt-Beiträge brauchen die Veranstaltung" in out
    card = Comment.objects.get()
    assert (card.event, card.source, card.created_at) == (event, "event", event.starts_at)


def test_goal_outside_the_round_is_rejected(tmp_path, setup, other_goal):
    setup.goals.add(other_goal)
    path = tmp_path / "a.csv"
    path.write_bytes(b"Text;Ziel\nIdee;10\n")
    out = run(str(path), "--round", setup.slug, "--source", "imported", "--origin", "X")
    assert "gehört nicht zur Runde „Beendete Runde“" in out


def test_a_file_without_the_required_columns_is_refused(tmp_path, setup):
    path = tmp_path / "a.csv"
    path.write_bytes(b"Name;Wert\nx;y\n")
    with pytest.raises(CommandError, match="„Text“ und „Ziel“"):
        run(str(path), "--round", setup.slug, "--source", "imported", "--origin", "X")


def test_admin_upload_shows_the_dry_run_then_imports_on_confirmation(editor_client, setup, goal):
    upload = SimpleUploadedFile("karten.csv", CSV, content_type="text/csv")
    response = editor_client.post(
        "/admin/participation/comment/import/",
        {"file": upload, "round": setup.pk, "source": "imported", "origin": "Plan-Portal"},
    )
    assert response.status_code == 200, response
    html = response.content.decode()
    assert "Probelauf: 2 Beiträge würden angelegt" in html and "Kein Text." in html
    assert not Comment.objects.exists()
    token = response.context["token"]
    done = editor_client.post("/admin/participation/comment/import/", {"token": token}, follow=True)
    assert "2 angelegt, 1 bereits vorhanden, 4 abgelehnt." in done.content.decode()
    assert Comment.objects.count() == 2
    again = editor_client.post(
        "/admin/participation/comment/import/", {"token": token}, follow=True
    )
    assert "bereits durchgeführt" in again.content.decode()
    assert Comment.objects.count() == 2


def test_moderators_cannot_import(moderator_client, setup):
    assert moderator_client.get("/admin/participation/comment/import/").status_code == 403
