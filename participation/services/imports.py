"""Import of offline and earlier input: typed-up workshop cards or the export of an earlier
platform, from CSV or XLSX, into a comment round – with a dry run and idempotent.

Each row gets a stable key (a hash of its source, origin, goal and text), stored on the
contribution: importing the same file twice creates nothing new, and a corrected file adds
only the rows that are new."""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import District, Event
from goals.models import Goal
from hagen_isek.page_cache import bump_content_version
from participation.models import Comment, CommentRound, User
from participation.services.tally import tally_sync

# Column headings (case-insensitive) and the field they fill.
COLUMNS = {
    "text": "text",
    "beitrag": "text",
    "ziel": "goal",
    "goal": "goal",
    "stadtbezirk": "district",
    "bezirk": "district",
    "district": "district",
    "veranstaltung": "event",
    "event": "event",
    "datum": "date",
    "date": "date",
}
SOURCES = (Comment.Source.EVENT, Comment.Source.IMPORTED)


class ImportRefused(Exception):
    """The file as a whole cannot be read (format, missing columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportReport:
    created: list[tuple[int, Comment]] = field(default_factory=list)
    existing: list[tuple[int, str]] = field(default_factory=list)  # (row, why it is skipped)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, German reason)
    dry_run: bool = True

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.existing) + len(self.rejected)


def import_key(*, source: str, origin: str, goal: Goal, text: str) -> str:
    normalised = " ".join(text.split()).casefold()
    return hashlib.sha256(f"{source}\x1f{origin}\x1f{goal.pk}\x1f{normalised}".encode()).hexdigest()


def read_table(content: bytes, filename: str) -> list[tuple[int, dict]]:
    """(row number as a spreadsheet shows it, {field: value}) for every non-empty row."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif filename.lower().endswith(".csv"):
        table = _csv_rows(content)
    else:
        raise ImportRefused(_("Please upload a CSV or XLSX file."))
    if not table:
        raise ImportRefused(_("The file is empty."))
    heading = [str(cell or "").strip().casefold() for cell in table[0]]
    names = [COLUMNS.get(cell) for cell in heading]
    if "text" not in names or "goal" not in names:
        raise ImportRefused(
            _("The first row must name the columns; „Text“ and „Ziel“ are required.")
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            name: cell
            for name, cell in zip(names, cells, strict=False)
            if name and cell not in (None, "")
        }
        if any(str(value).strip() for value in values.values()):
            rows.append((number, values))
    return rows


def _csv_rows(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # what German Excel writes as "CSV"
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:  # one column only: nothing to sniff
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a broken file
        raise ImportRefused(_("The XLSX file cannot be read.")) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


class _Lookups:
    """Goals, districts and events found by number, slug or name, loaded once."""

    def __init__(self, comment_round: CommentRound) -> None:
        round_goals = list(comment_round.goals.all())
        self.round_goal_ids = {goal.pk for goal in round_goals}
        self.goals: dict[str, Goal] = {}
        for goal in Goal.objects.all():
            keys = [goal.slug, goal.title, goal.full_title]
            if goal.number:
                keys += [str(goal.number), f"ziel {goal.number}"]
            for key in keys:
                self.goals.setdefault(key.casefold().strip(), goal)
        self.districts: dict[str, District] = {}
        for district in District.objects.all():
            for key in (district.slug, district.name):
                self.districts[key.casefold()] = district
        self.events: dict[str, Event] = {}
        for event in Event.objects.all():
            for key in (event.slug, event.title):
                self.events.setdefault(key.casefold(), event)

    def goal(self, value) -> Goal | None:
        key = str(value).strip().casefold()
        if isinstance(value, float) and value.is_integer():
            key = str(int(value))
        return self.goals.get(key)


def _parse_date(value) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(12))
    else:
        text = str(value).strip()
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text) or re.fullmatch(
            r"(\d{4})-(\d{2})-(\d{2})", text
        )
        if not match:
            return None
        parts = [int(part) for part in match.groups()]
        year, month, day = parts if len(match.group(1)) == 4 else parts[::-1]
        try:
            moment = datetime(year, month, day, 12)
        except ValueError:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _build(
    number: int,
    values: dict,
    *,
    lookups: _Lookups,
    comment_round: CommentRound,
    source: str,
    origin: str,
    default_event: Event | None,
) -> Comment | str:
    """The contribution a row describes, or the German reason it is rejected."""
    text = str(values.get("text", "")).strip()
    if not text:
        return _("No text.")
    if len(text) > Comment.MAX_LENGTH:
        return _("The text is longer than %(max)d characters.") % {"max": Comment.MAX_LENGTH}
    if "goal" not in values:
        return _("No goal given.")
    goal = lookups.goal(values["goal"])
    if goal is None:
        return _("Goal „%(value)s“ not found (number, title or slug).") % {"value": values["goal"]}
    if lookups.round_goal_ids and goal.pk not in lookups.round_goal_ids:
        return _("Goal „%(goal)s“ is not part of the round „%(round)s“.") % {
            "goal": goal.title,
            "round": comment_round.title,
        }
    district = None
    if "district" in values:
        district = lookups.districts.get(str(values["district"]).strip().casefold())
        if district is None:
            return _("District „%(value)s“ not found.") % {"value": values["district"]}
    event = default_event
    if "event" in values:
        event = lookups.events.get(str(values["event"]).strip().casefold())
        if event is None:
            return _("Event „%(value)s“ not found.") % {"value": values["event"]}
    if source == Comment.Source.EVENT and event is None:
        return _("Workshop input needs the event it comes from (column „Veranstaltung“).")
    created_at = event.starts_at if event and event.starts_at else timezone.now()
    if "date" in values:
        created_at = _parse_date(values["date"])
        if created_at is None:
            return _("Date „%(value)s“ cannot be read (DD.MM.YYYY).") % {"value": values["date"]}
    return Comment(
        round=comment_round,
        goal=goal,
        text=text,
        source=source,
        event=event if source == Comment.Source.EVENT else None,
        district=district,
        origin=origin,
        author=None,
        status=Comment.Status.PUBLISHED,
        created_at=created_at,
        import_key=import_key(source=source, origin=origin, goal=goal, text=text),
    )


def contributions_import(
    *,
    content: bytes,
    filename: str,
    comment_round: CommentRound,
    source: str,
    origin: str = "",
    default_event: Event | None = None,
    editor: User | None = None,
    dry_run: bool = True,
) -> ImportReport:
    """Read the file and create what is new; with `dry_run`, only report what would happen."""
    if source not in SOURCES:
        raise ImportRefused(_("Import as workshop input or as imported input."))
    if source == Comment.Source.IMPORTED and not origin.strip():
        raise ImportRefused(_("Name the origin of imported input, e.g. „Plan-Portal 2018/19“."))
    rows = read_table(content, filename)
    lookups = _Lookups(comment_round)
    report = ImportReport(dry_run=dry_run)
    candidates: list[tuple[int, Comment]] = []
    first_row: dict[str, int] = {}
    for number, values in rows:
        built = _build(
            number,
            values,
            lookups=lookups,
            comment_round=comment_round,
            source=source,
            origin=origin.strip(),
            default_event=default_event,
        )
        if isinstance(built, str):
            report.rejected.append((number, built))
        elif built.import_key in first_row:
            report.existing.append(
                (number, _("Same as row %(row)d.") % {"row": first_row[built.import_key]})
            )
        else:
            first_row[built.import_key] = number
            candidates.append((number, built))
    with transaction.atomic():
        known = set(
            Comment.objects.select_for_update()
            .filter(import_key__in=[c.import_key for _n, c in candidates])
            .values_list("import_key", flat=True)
        )
        for number, comment in candidates:
            if comment.import_key in known:
                report.existing.append((number, _("Already imported.")))
            else:
                report.created.append((number, comment))
        if not dry_run and report.created:
            created = Comment.objects.bulk_create([comment for _n, comment in report.created])
            tally_sync(comment.pk for comment in created)  # bulk_create sends no signals
            transaction.on_commit(bump_content_version)
    report.existing.sort()
    return report
