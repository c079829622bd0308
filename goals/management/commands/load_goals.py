from django.core.management.base import BaseCommand

from goals.services import load_seed_goals


class Command(BaseCommand):
    help = "Load the ISEK 2018 goals, key messages and measures; safe to run again."

    def handle(self, *args, **options) -> None:
        report = load_seed_goals()
        created = ", ".join(f"{n} {name}" for name, n in report.created.items()) or "nothing"
        updated = ", ".join(f"{n} {name}" for name, n in report.updated.items()) or "nothing"
        self.stdout.write(f"Goals seed: created {created}; updated {updated}.")
        for item in report.kept:
            self.stdout.write(f"  kept editor's version of {item}")
