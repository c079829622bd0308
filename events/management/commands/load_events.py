from django.core.management.base import BaseCommand

from events.services import events_load_seed


class Command(BaseCommand):
    help = "Load the ISEK districts, events and decision timeline; safe to run again."

    def handle(self, *args, **options) -> None:
        counts = events_load_seed()
        self.stdout.write(
            f"Events: {counts['districts']} districts, {counts['events']} events, "
            f"{counts['milestones']} milestones loaded."
        )
