from django.core.management.base import BaseCommand

from participation.models import TallyCell
from participation.services.tally import tally_rebuild


class Command(BaseCommand):
    help = "Recount the statistics' figures from all contributions (safe to run at any time)."

    def handle(self, *args, **options) -> None:
        tally_rebuild()
        cells = TallyCell.objects.filter(contributions__gt=0)
        self.stdout.write(
            f"Statistics recounted: {sum(c.contributions for c in cells):,} counted contributions."
        )
