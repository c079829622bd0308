from django.core.management.base import BaseCommand

from goals.services import EDITOR_GROUP, sync_editor_group


class Command(BaseCommand):
    help = 'Grant the "Redaktion" group the editor permissions of all installed apps (idempotent).'

    def handle(self, *args, **options) -> None:
        added = sync_editor_group()
        self.stdout.write(f"{EDITOR_GROUP}: {added} permissions added.")
