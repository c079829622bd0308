from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the ISEK seed comment rounds (filled in by the participation app)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("No seed comment rounds yet.")
