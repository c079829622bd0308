from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction

from hagen_isek.seeding import SeedReport, seed_row
from participation.models import CommentRound

BERLIN = ZoneInfo("Europe/Berlin")
PHASE_1_START = datetime(2018, 4, 17, tzinfo=BERLIN)

# The two real online phases of HAGENplant 2035 (../shared/seeds/isek-hagen-facts.md).
# End instants are exclusive: a round open until 31 March inclusive ends at 1 April, 00:00.
ROUNDS = [
    {
        "slug": "phase-1-2018",
        "title": "1. Phase der Onlinebeteiligung",
        "starts_at": PHASE_1_START,
        # S8 says "four weeks" from 17.04.2018; no exact end date is recorded.
        "ends_at": PHASE_1_START + timedelta(days=28),
        "intro": (
            "Ab dem 17. April 2018, dem Tag des HagenForums im Ratssaal, konnten Bürgerinnen und "
            "Bürger vier Wochen lang online auf plan-portal.de/hagen mitwirken.\n\n"
            "Das Enddatum ist aus der Angabe „vier Wochen“ berechnet (Pressemitteilung der Stadt "
            "Hagen vom 11. April 2018); ein genaues Enddatum ist nicht überliefert."
        ),
    },
    {
        "slug": "phase-2-2019",
        "title": "2. Phase der Onlinebeteiligung",
        "starts_at": datetime(2019, 3, 1, tzinfo=BERLIN),
        "ends_at": datetime(2019, 4, 1, tzinfo=BERLIN),
        "intro": (
            "Vom 1. bis 31. März 2019 konnten Bürgerinnen und Bürger auf plan-portal.de/hagen "
            "Ideen für Maßnahmen einbringen und auf einer Karte verorten.\n\n"
            "In der Präsentation vom Juni 2018 war diese Phase noch für „Herbst/Winter 2018“ "
            "geplant."
        ),
    },
]


class Command(BaseCommand):
    help = "Load the two real online participation phases of 2018 and 2019; safe to run again."

    def handle(self, *args, **options) -> None:
        report = SeedReport()
        with transaction.atomic():
            for data in ROUNDS:
                seed_row(
                    CommentRound,
                    lookup={"slug": data["slug"]},
                    values={name: value for name, value in data.items() if name != "slug"},
                    create_values={"is_published": True},
                    report=report,
                )
        self.stdout.write(
            f"Comment rounds: {report.total('created')} created, {report.total('updated')} "
            f"updated, {len(report.kept)} left as they are (editors own them once created)."
        )
