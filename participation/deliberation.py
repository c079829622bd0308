"""The Abwägungstabelle: per round (and goal), every contribution received – online, from
workshops and imported – with its disposition, reason, what it changed and the city's answer;
as a formatted XLSX and as the rows of the printable page for the council paper.

What is counted is `statistics.counted()`: hidden and withdrawn contributions keep their row
(the council sees that they existed), but not their text."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import Goal
from participation import statistics
from participation.models import Comment, CommentRound, OfficialAnswer
from participation.notifications import absolute_url


@dataclass
class DeliberationRow:
    comment: Comment
    number: int
    goal: str
    received: datetime
    source: str
    refers_to: str
    text: str
    supports: int
    outcome: str
    reason: str
    changed: str
    answer: str
    department: str
    link: str


def contributions(comment_round: CommentRound, goal: Goal | None = None) -> QuerySet[Comment]:
    queryset = statistics.counted().top_level().filter(round=comment_round)
    if goal is not None:
        queryset = queryset.filter(goal=goal)
    return (
        queryset.with_support_count()
        .select_related(
            "goal",
            "event",
            "key_message",
            "measure",
            "outcome_measure",
            "outcome_key_message",
            "department",
        )
        .prefetch_related(
            Prefetch("official_answers", queryset=OfficialAnswer.objects.order_by("created_at"))
        )
        .order_by("goal__position", "goal__number", "created_at", "pk")
    )


def goal_label(goal: Goal) -> str:
    if goal.number:
        return _("Goal %(number)s: %(title)s") % {"number": goal.number, "title": goal.title}
    return goal.title


def source_label(comment: Comment) -> str:
    if comment.event_id:
        return str(comment.event)
    if comment.is_imported:
        return f"{comment.get_source_display()}: {comment.origin}"
    return comment.get_source_display()


def shown_text(comment: Comment) -> str:
    if comment.is_hidden:
        return _("[Hidden by moderation: %(reason)s]") % {
            "reason": comment.get_moderation_reason_display()
        }
    if comment.is_withdrawn:
        return _("[Withdrawn by the author]")
    return comment.text


def rows(comment_round: CommentRound, goal: Goal | None = None) -> list[DeliberationRow]:
    base = absolute_url("")
    result = []
    for comment in contributions(comment_round, goal):
        changed = []
        if comment.outcome_measure:
            changed.append(_("Measure: %(text)s") % {"text": comment.outcome_measure.text})
        if comment.outcome_key_message:
            changed.append(_("Key message: %(text)s") % {"text": comment.outcome_key_message.text})
        refers = [obj.text for obj in (comment.key_message, comment.measure) if obj]
        result.append(
            DeliberationRow(
                comment=comment,
                number=comment.pk,
                goal=goal_label(comment.goal),
                received=timezone.localtime(comment.created_at),
                source=source_label(comment),
                refers_to="\n".join(refers),
                text=shown_text(comment),
                supports=comment.support_count,
                outcome=comment.get_outcome_display() or _("Not yet evaluated"),
                reason=comment.outcome_note,
                changed="\n".join(changed),
                answer="\n\n".join(answer.text for answer in comment.official_answers.all()),
                department=str(comment.department or ""),
                link=base + comment.get_absolute_url(),
            )
        )
    return result


# column heading, width in characters, row attribute
COLUMNS = [
    (gettext_lazy("No."), 8, "number"),
    (gettext_lazy("Goal"), 24, "goal"),
    (gettext_lazy("Received"), 11, "received"),
    (gettext_lazy("Source"), 18, "source"),
    (gettext_lazy("Refers to"), 24, "refers_to"),
    (gettext_lazy("Contribution"), 60, "text"),
    (gettext_lazy("Supports"), 10, "supports"),
    (gettext_lazy("Disposition"), 18, "outcome"),
    (gettext_lazy("Reason given"), 40, "reason"),
    (gettext_lazy("Changed measure or key message"), 32, "changed"),
    (gettext_lazy("Answer of the City of Hagen"), 48, "answer"),
    (gettext_lazy("Responsible department"), 22, "department"),
    (gettext_lazy("Link"), 30, "link"),
]


def write_xlsx(comment_round: CommentRound, goal: Goal | None, stream) -> None:
    """Frozen header, autofilter, column widths, wrapped text, real date cells; texts are
    written as strings exactly as given (a string cell is never a formula in XLSX)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Deliberation")[:31])
    headings = [str(heading) for heading, _width, _attr in COLUMNS]
    for index, (_heading, width, _attr) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    table = rows(comment_round, goal)
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(table) + 1}"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        header.append(cell)
    sheet.append(header)
    for row in table:
        cells = []
        for _heading, _width, attr in COLUMNS:
            value = getattr(row, attr)
            if isinstance(value, datetime):
                value = value.replace(tzinfo=None)  # Excel has no time zones: local time
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when the text starts with "="
            elif isinstance(value, datetime):
                cell.number_format = "DD.MM.YYYY"
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    workbook.save(stream)
