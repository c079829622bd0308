from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from participation import export
from participation.models import Comment


class Command(BaseCommand):
    help = "Export every contribution for evaluation as CSV (UTF-8 BOM, semicolons) or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args, format: str, output: str, **options) -> None:
        path = Path(output)
        queryset = Comment.objects.all()
        if format == "xlsx":
            export.write_xlsx(queryset, path)
        else:
            with path.open("w", encoding="utf-8", newline="") as stream:
                export.write_csv(queryset, stream)
        self.stdout.write(f"{path}")
