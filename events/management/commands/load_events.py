from django.core.management.base import BaseCommand

from events.services import events_load_seed


class Command(BaseCommand):
    help = "Load the ISEK districts, events and decision timeline; safe to run again."

    def handle(self, *args, **options) -> None:
        report = events_load_seed()
        self.stdout.write(
            f"Events seed: {report.total('created')} created, {report.total('updated')} updated, "
            f"{len(report.kept)} kept as editors made them."
        )
        for item in report.kept:
            self.stdout.write(f"  kept editor's version of {item}")
