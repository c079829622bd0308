from django.core.management.base import BaseCommand

from participation.services import send_follow_news


class Command(BaseCommand):
    help = (
        "E-mail followers of goals and districts what is new there: single e-mails (run hourly "
        "from cron), or with --digest the weekly digest (run once a week). Safe to run twice: "
        "no item is ever sent to a person twice, and nobody gets an empty digest."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Send the weekly digest to those who chose it (instead of single e-mails).",
        )

    def handle(self, *args, digest: bool, **options) -> None:
        counts = send_follow_news(digest=digest)
        what = "digests" if digest else "e-mails"
        self.stdout.write(
            f"{counts['emails']} {what} with {counts['items']} items "
            f"to {counts['recipients']} followers."
        )
