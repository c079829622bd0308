import json
from pathlib import Path

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

LEGAL_PAGES_FILE = Path(__file__).resolve().parents[2] / "seed" / "legal_pages.json"
SEED_COMMANDS = ["load_goals", "load_events", "load_rounds"]


class Command(BaseCommand):
    help = (
        "Load the real ISEK seed data and the legal pages; safe to run again (nothing duplicated)."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            created = self.load_legal_pages()
        self.stdout.write(
            f"Legal pages: {created} created, existing ones left as editors made them."
        )
        for command in SEED_COMMANDS:
            call_command(command, stdout=self.stdout, stderr=self.stderr)

    def load_legal_pages(self) -> int:
        site, _ = Site.objects.update_or_create(
            pk=settings.SITE_ID,
            defaults={"domain": settings.ALLOWED_HOSTS[0], "name": "HAGENplant 2035"},
        )
        created = 0
        for page in json.loads(LEGAL_PAGES_FILE.read_text(encoding="utf-8")):
            flatpage, was_created = FlatPage.objects.get_or_create(
                url=page["url"], defaults={"title": page["title"], "content": page["content"]}
            )
            flatpage.sites.add(site)
            created += was_created
        return created
