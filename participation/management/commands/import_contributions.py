from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event
from participation import services
from participation.models import Comment, CommentRound


class Command(BaseCommand):
    help = (
        "Import workshop cards or an earlier platform's contributions from CSV or XLSX into a "
        "comment round. Columns: Text, Ziel (number, title or slug), optional Stadtbezirk, "
        "Veranstaltung, Datum. Without --apply it is a dry run that only reports. Importing "
        "the same file twice creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8 or Windows-1252) or XLSX file.")
        parser.add_argument("--round", required=True, help="Slug of the comment round.")
        parser.add_argument(
            "--source", choices=list(services.imports.SOURCES), default=Comment.Source.EVENT
        )
        parser.add_argument("--origin", default="", help="E.g. „Plan-Portal 2018/19, Phase 2“.")
        parser.add_argument("--event", help="Slug of the event for rows without one.")
        parser.add_argument("--apply", action="store_true", help="Create the contributions.")

    def handle(self, *args, file: str, round: str, source: str, origin: str, **options) -> None:
        translation.activate("de")
        comment_round = CommentRound.objects.filter(slug=round).first()
        if comment_round is None:
            raise CommandError(_("Comment round „%(slug)s“ not found.") % {"slug": round})
        default_event = None
        if options["event"]:
            default_event = Event.objects.filter(slug=options["event"]).first()
            if default_event is None:
                raise CommandError(_("Event „%(value)s“ not found.") % {"value": options["event"]})
        path = Path(file)
        try:
            report = services.contributions_import(
                content=path.read_bytes(),
                filename=path.name,
                comment_round=comment_round,
                source=source,
                origin=origin,
                default_event=default_event,
                dry_run=not options["apply"],
            )
        except services.ImportRefused as refusal:
            raise CommandError(refusal.message) from refusal
        self.stdout.write(summary(report))
        for number, reason in report.rejected:
            self.stdout.write(
                _("Row %(row)d rejected: %(reason)s") % {"row": number, "reason": reason}
            )
        for number, reason in report.existing:
            self.stdout.write(
                _("Row %(row)d skipped: %(reason)s") % {"row": number, "reason": reason}
            )


def summary(report: services.ImportReport) -> str:
    values = {
        "created": len(report.created),
        "existing": len(report.existing),
        "rejected": len(report.rejected),
    }
    if report.dry_run:
        return (
            ngettext(
                "Dry run: %(created)d contribution would be created, %(existing)d already "
                "there, %(rejected)d rejected. Nothing was saved.",
                "Dry run: %(created)d contributions would be created, %(existing)d already "
                "there, %(rejected)d rejected. Nothing was saved.",
                values["created"],
            )
            % values
        )
    return _("%(created)d created, %(existing)d already there, %(rejected)d rejected.") % values
