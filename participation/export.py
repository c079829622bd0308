"""The evaluation export: one row per contribution, streamed as CSV or XLSX.

Rows come from `Comment.objects.for_export()` read in chunks of 2,000 by id, so memory stays
flat however many contributions there are; nothing builds a list of all rows.
"""

import csv
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from goals.models import Goal, KeyMessage, Measure
from participation.models import Comment, CommentRound, Department, OfficialAnswer
from participation.notifications import absolute_url

CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


WORKBENCH_COLUMNS = [
    "suggested_goal",
    "score",
    "confirmed_goal",
    "theme",
    "duplicate_group",
    "method_version",
]


def header() -> list[str]:
    return [
        _("ID"),
        _("Comment round"),
        _("Goal"),
        _("Key message"),
        _("Measure"),
        _("Reply to (ID)"),
        _("Source"),
        _("Event"),
        _("Author's district"),
        _("Status"),
        _("Marked"),
        _("Moderation reason"),
        _("Supports"),
        _("Outcome"),
        _("Outcome explanation"),
        _("Answer of the City of Hagen"),
        _("Evaluation tags"),
        _("Created (local time)"),
        _("Edited (local time)"),
        _("Earlier versions"),
        _("Goal number"),
        _("Changed measure"),
        _("Changed key message"),
        _("Outcome date"),
        _("Responsible department"),
        _("Origin"),
        _("Moderated by"),
        _("Moderated (local time)"),
        _("Link"),
        # The evaluation workbench's suggestions (workbench/), named as tools that read the
        # export expect them; empty where no run has looked at the contribution.
        *WORKBENCH_COLUMNS,
        _("District (placed or imported)"),
        _("Latitude (rounded to about 100 m)"),
        _("Longitude (rounded to about 100 m)"),
        _("Text"),
    ]


def safe_cell(value) -> object:
    """Keep spreadsheet programs from reading text as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Labels:
    """Translated choice labels and the titles of rounds, goals, key messages, measures and
    events, looked up once per export instead of once per row (a few hundred small rows)."""

    def __init__(self) -> None:
        self.source = {value: str(label) for value, label in Comment.Source.choices}
        self.status = {value: str(label) for value, label in Comment.Status.choices}
        self.reason = {value: str(label) for value, label in Comment.ModerationReason.choices}
        self.outcome = {value: str(label) for value, label in Comment.Outcome.choices}
        self.marker = {
            Comment.Status.HIDDEN: _("HIDDEN"),
            Comment.Status.WITHDRAWN: _("WITHDRAWN"),
            Comment.Status.PENDING: _("NOT YET PUBLISHED"),
        }
        self.rounds = dict(CommentRound.objects.values_list("pk", "title"))
        self.goals = {goal.pk: goal.full_title for goal in Goal.objects.only("title", "claim")}
        self.key_messages = dict(KeyMessage.objects.values_list("pk", "text"))
        self.measures = dict(Measure.objects.values_list("pk", "text"))
        self.events = {event.pk: str(event) for event in Event.objects.all()}
        self.goal_numbers = dict(Goal.objects.exclude(number=None).values_list("pk", "number"))
        self.goal_urls = {goal.pk: goal.get_absolute_url() for goal in Goal.objects.only("slug")}
        self.departments = dict(Department.objects.values_list("pk", "name"))
        self.base_url = absolute_url("")


# The columns `row()` reads, in this order; `for_export()` annotates support_count,
# author_district, version_count and moderator_name.
FIELDS = (
    "pk",
    "round_id",
    "goal_id",
    "key_message_id",
    "measure_id",
    "parent_id",
    "source",
    "event_id",
    "status",
    "moderation_reason",
    "outcome",
    "outcome_note",
    "created_at",
    "edited_at",
    "text",
    "support_count",
    "author_district",
    "version_count",
    "outcome_measure_id",
    "outcome_key_message_id",
    "outcome_at",
    "department_id",
    "origin",
    "moderator_name",
    "moderated_at",
    "workbench__suggested_goal_id",
    "workbench__score",
    "workbench__confirmed_goal_id",
    "workbench__theme__label",
    "workbench__duplicate_group_id",
    "workbench__method_version",
    "district__name",
    "latitude",
    "longitude",
)


def _local(moment, fmt: str) -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def row(values: tuple, labels: _Labels, answers: list[str], tags: list[str]) -> list:
    """One export row from the FIELDS of a contribution, its answers and its tags."""
    (
        pk,
        round_id,
        goal_id,
        key_message_id,
        measure_id,
        parent_id,
        source,
        event_id,
        status,
        reason,
        outcome,
        outcome_note,
        created_at,
        edited_at,
        text,
        support_count,
        author_district,
        version_count,
        outcome_measure_id,
        outcome_key_message_id,
        outcome_at,
        department_id,
        origin,
        moderator_name,
        moderated_at,
        suggested_goal_id,
        score,
        confirmed_goal_id,
        theme,
        duplicate_group_id,
        method_version,
        district_name,
        latitude,
        longitude,
    ) = values
    withdrawn = status == Comment.Status.WITHDRAWN
    return [
        pk,
        labels.rounds[round_id],
        labels.goals[goal_id],
        labels.key_messages.get(key_message_id, ""),
        labels.measures.get(measure_id, ""),
        parent_id or "",
        labels.source.get(source, source),
        labels.events.get(event_id, ""),
        author_district or "",
        labels.status.get(status, status),
        labels.marker.get(status, ""),
        labels.reason.get(reason, reason),
        support_count,
        labels.outcome.get(outcome, outcome),
        outcome_note,
        " | ".join(answers),
        ", ".join(tags),
        _local(created_at, "%d.%m.%Y %H:%M"),
        _local(edited_at, "%d.%m.%Y %H:%M"),
        version_count,
        labels.goal_numbers.get(goal_id, ""),
        labels.measures.get(outcome_measure_id, ""),
        labels.key_messages.get(outcome_key_message_id, ""),
        _local(outcome_at, "%d.%m.%Y"),
        labels.departments.get(department_id, ""),
        origin,
        moderator_name or "",
        _local(moderated_at, "%d.%m.%Y %H:%M"),
        f"{labels.base_url}{labels.goal_urls[goal_id]}#beitrag-{pk}",
        *(
            ["", "", "", "", "", ""]
            if withdrawn or method_version is None
            else [
                labels.goals.get(suggested_goal_id, ""),
                round(score, 3),
                labels.goals.get(confirmed_goal_id, ""),
                theme or "",
                duplicate_group_id or "",
                method_version,
            ]
        ),
        district_name or "",
        "" if latitude is None else str(latitude),
        "" if longitude is None else str(longitude),
        # The withdraw page promises that a withdrawn text is no longer exported.
        "" if withdrawn else text,
    ]


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for comment_id, text in pairs:
        grouped.setdefault(comment_id, []).append(text)
    return grouped


def rows(queryset: QuerySet[Comment], *, guard_formulas: bool = True) -> Iterator[list]:
    """The header, then one row per contribution in id order, read in chunks of CHUNK_SIZE
    by id (three queries per chunk, plain tuples: model instances cost two thirds of the time
    of an export of 100,000). The formula guard is for CSV: an XLSX cell written as a string
    is never a formula, so there the text stays exactly as written."""
    yield header()
    labels = _Labels()
    contributions = queryset.for_export()
    last = 0
    while chunk := list(contributions.filter(pk__gt=last).values_list(*FIELDS)[:CHUNK_SIZE]):
        ids = [values[0] for values in chunk]
        last = ids[-1]
        answers = _grouped(
            OfficialAnswer.objects.filter(comment__in=ids)
            .order_by("created_at", "pk")
            .values_list("comment_id", "text")
        )
        tags = _grouped(
            Comment.tags.through.objects.filter(comment__in=ids)
            .order_by("evaluationtag__name")
            .values_list("comment_id", "evaluationtag__name")
        )
        for values in chunk:
            cells = row(values, labels, answers.get(values[0], []), tags.get(values[0], []))
            yield [safe_cell(value) for value in cells] if guard_formulas else cells


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(queryset: QuerySet[Comment]) -> Iterator[str]:
    """UTF-8 with BOM (the response encodes), semicolons: what German Excel opens directly."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff"
    for values in rows(queryset):
        yield writer.writerow(values)


def write_csv(queryset: QuerySet[Comment], stream) -> None:
    for chunk in csv_chunks(queryset):
        stream.write(chunk)


# A minimal XLSX package: one sheet of inline strings and numbers, written straight into the
# zip. openpyxl (even write-only) spends ~0.1 ms per cell; 100,000 rows of 19 cells took 55 s.
XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XLSX_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{XLSX_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{XLSX_TYPE}.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{XLSX_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{XLSX_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{XLSX_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{XLSX_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{XLSX_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{XLSX_MAIN}"><fonts count="1"><font><sz val="11"/>'
        '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
        'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
        'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle '
        'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}
# Characters XML 1.0 cannot carry (control characters other than tab and line breaks).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _xlsx_row(number: int, values: list, letters: list[str]) -> str:
    cells = []
    for letter, value in zip(letters, values, strict=False):
        ref = f"{letter}{number}"
        if value is None or value == "":
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            text = escape(XML_ILLEGAL.sub("", str(value)))
            cells.append(
                f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
            )
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_xlsx(queryset: QuerySet[Comment], path) -> None:
    """Rows are written into the zip as they come; memory stays flat."""
    title = escape(_("Contributions")[:31], {'"': "&quot;"})
    letters = _column_letters(len(header()))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as package:
        for name, xml in XLSX_PARTS.items():
            package.writestr(name, XLSX_HEAD + xml)
        package.writestr(
            "xl/workbook.xml",
            f'{XLSX_HEAD}<workbook xmlns="{XLSX_MAIN}" xmlns:r="{XLSX_REL}"><sheets>'
            f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{XLSX_HEAD}<worksheet xmlns="{XLSX_MAIN}"><sheetData>'.encode())
            batch = []
            for number, values in enumerate(rows(queryset, guard_formulas=False), start=1):
                batch.append(_xlsx_row(number, values, letters))
                if len(batch) == 500:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())


def xlsx_chunks(queryset: QuerySet[Comment], chunk_size: int = 64 * 1024) -> Iterable[bytes]:
    """XLSX is a zip that needs seeking; write it to a temporary file, then stream that."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_xlsx(queryset, handle.name)
        handle.seek(0)
        while chunk := handle.read(chunk_size):
            yield chunk
