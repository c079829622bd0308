from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the ISEK seed events (filled in by the events app)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("No seed events yet.")
