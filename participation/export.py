"""The evaluation export: one row per contribution, streamed as CSV or XLSX.

Rows come from `Comment.objects.for_export()` read with `iterator(chunk_size=2000)`, so memory
stays flat however many contributions there are; nothing builds a list of all rows.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import Comment

CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
        _("Text"),
    ]


def safe_cell(value) -> object:
    """Keep spreadsheet programs from reading text as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _marker(comment: Comment) -> str:
    if comment.status == Comment.Status.HIDDEN:
        return _("HIDDEN")
    if comment.status == Comment.Status.WITHDRAWN:
        return _("WITHDRAWN")
    if comment.status == Comment.Status.PENDING:
        return _("NOT YET PUBLISHED")
    return ""


def row(comment: Comment) -> list:
    """One export row; expects the annotations and prefetches of `for_export()`."""
    answers = " | ".join(answer.text for answer in comment.official_answers.all())
    tags = ", ".join(tag.name for tag in comment.tags.all())
    return [
        comment.pk,
        comment.round.title,
        comment.goal.full_title,
        comment.key_message.text if comment.key_message_id else "",
        comment.measure.text if comment.measure_id else "",
        comment.parent_id or "",
        comment.get_source_display(),
        str(comment.event) if comment.event_id else "",
        comment.author_district or "",
        comment.get_status_display(),
        _marker(comment),
        comment.get_moderation_reason_display() if comment.moderation_reason else "",
        comment.support_count,
        comment.get_outcome_display() if comment.outcome else "",
        comment.outcome_note,
        answers,
        tags,
        timezone.localtime(comment.created_at).strftime("%d.%m.%Y %H:%M"),
        comment.text,
    ]


def rows(queryset: QuerySet[Comment]) -> Iterator[list]:
    yield header()
    for comment in queryset.for_export().iterator(chunk_size=CHUNK_SIZE):
        yield [safe_cell(value) for value in row(comment)]


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


def write_xlsx(queryset: QuerySet[Comment], path) -> None:
    """openpyxl's write-only mode keeps only the current row in memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Contributions")[:31])
    for values in rows(queryset):
        sheet.append(values)
    workbook.save(path)


def xlsx_chunks(queryset: QuerySet[Comment], chunk_size: int = 64 * 1024) -> Iterable[bytes]:
    """XLSX is a zip that needs seeking; write it to a temporary file, then stream that."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_xlsx(queryset, handle.name)
        handle.seek(0)
        while chunk := handle.read(chunk_size):
            yield chunk
