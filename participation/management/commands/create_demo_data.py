from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from participation.models import CommentRound, User

DEMO_ROUND_SLUG = "demo-beteiligungsrunde"
DEMO_PASSWORD = "hagen-demo-2035"  # noqa: S105 (demo only; refused outside DJANGO_DEMO)
DEMO_ACCOUNTS = [
    # e-mail, display name, staff, groups
    ("redaktion@example.org", "Redaktion Demo", True, ["Redaktion"]),
    ("moderation@example.org", "Moderation Demo", True, ["Moderation"]),
    ("buerger@example.org", "Hagener Bürgerin", False, []),
]


class Command(BaseCommand):
    help = "Create demo accounts for a local run (only with DJANGO_DEMO=true); safe to run again."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo data is only created with DJANGO_DEMO=true (never in production)."
            )
        with transaction.atomic():
            for email, display_name, is_staff, group_names in DEMO_ACCOUNTS:
                self.ensure_account(email, display_name, is_staff, group_names)
            demo_round = self.ensure_demo_round()
        self.stdout.write(f"\nDemo-Zugänge (Passwort für alle: {DEMO_PASSWORD}):")
        for email, _name, _staff, group_names in DEMO_ACCOUNTS:
            role = ", ".join(group_names) if group_names else "Bürgerin"
            self.stdout.write(f"  {email:28} {role}")
        self.stdout.write(
            f"Demo-Beteiligungsrunde offen bis einschließlich {demo_round.last_day:%d.%m.%Y}."
        )
        self.stdout.write("")

    def ensure_demo_round(self) -> CommentRound:
        """One clearly labelled round, open now for about 30 days, for trying out commenting."""
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        window = {"starts_at": today, "ends_at": today + timedelta(days=31)}
        demo_round, created = CommentRound.objects.get_or_create(
            slug=DEMO_ROUND_SLUG,
            defaults={
                **window,
                "title": "Demo-Beteiligungsrunde",
                "intro": (
                    "Diese Runde gibt es nur in der lokalen Demo-Installation. Hier können Sie "
                    "ausprobieren, wie das Kommentieren funktioniert. Die echten Phasen der "
                    "Onlinebeteiligung fanden 2018 und 2019 statt."
                ),
                "moderation": CommentRound.Moderation.POST,
                "is_published": True,
                "is_demo": True,
            },
        )
        if not created and not demo_round.is_open():
            # A later `make run` reopens the demo round instead of creating a second one.
            for field, value in window.items():
                setattr(demo_round, field, value)
            demo_round.is_published = True
            demo_round.save()
        return demo_round

    def ensure_account(
        self, email: str, display_name: str, is_staff: bool, groups: list[str]
    ) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"display_name": display_name, "is_staff": is_staff}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for name in groups:
            group = Group.objects.filter(name=name).first()
            if group:
                user.groups.add(group)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user
