from django.core.management.base import BaseCommand

from hagen_isek.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Give the staff groups exactly the permissions of hagen_isek.roles (migrate does too)."

    def handle(self, *args, **options) -> None:
        sync_roles()
        self.stdout.write(f"{', '.join(ROLES)}: permissions applied.")
