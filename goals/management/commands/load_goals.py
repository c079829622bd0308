from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the ISEK seed goals (filled in by the goals app)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("No seed goals yet.")
