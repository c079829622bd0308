import json
from pathlib import Path

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from hagen_isek.models import EasyLanguageSection
from hagen_isek.seeding import SeedReport, seed_row
from hagen_isek.site_url import site_domain

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
LEGAL_PAGES_FILE = SEED_DIR / "legal_pages.json"
EASY_LANGUAGE_FILE = SEED_DIR / "easy_language.json"
SEED_COMMANDS = ["load_goals", "load_events", "load_rounds"]


class Command(BaseCommand):
    help = (
        "Load the real ISEK seed data and the legal pages; safe to run again (nothing duplicated)."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            report = self.load_legal_pages()
            easy = self.load_easy_language()
        self.stdout.write(
            f"Legal pages: {report.total('created')} created, {report.total('updated')} updated, "
            f"{len(report.kept)} left as they are (editors own them once changed)."
        )
        self.stdout.write(
            f"Leichte Sprache: {easy.total('created')} created, {easy.total('updated')} updated, "
            f"{len(easy.kept)} kept as editors changed them."
        )
        for command in SEED_COMMANDS:
            call_command(command, stdout=self.stdout, stderr=self.stderr)

    def load_legal_pages(self) -> SeedReport:
        site, _ = Site.objects.update_or_create(
            pk=settings.SITE_ID,
            defaults={"domain": site_domain(), "name": "HAGENplant 2035"},
        )
        report = SeedReport()
        for page in json.loads(LEGAL_PAGES_FILE.read_text(encoding="utf-8")):
            flatpage, _ = seed_row(
                FlatPage,
                lookup={"url": page["url"]},
                values={"title": page["title"], "content": page["content"]},
                report=report,
            )
            flatpage.sites.add(site)
        return report

    def load_easy_language(self) -> SeedReport:
        report = SeedReport()
        for section in json.loads(EASY_LANGUAGE_FILE.read_text(encoding="utf-8")):
            seed_row(
                EasyLanguageSection,
                lookup={"topic": section["topic"]},
                values={"heading": section["heading"], "body": section["body"]},
                report=report,
            )
        return report
