from django.core.management.base import BaseCommand

from participation.services import moderation_digest_send


class Command(BaseCommand):
    help = "Send today's digest of pending and reported contributions to the Moderation group."

    def handle(self, *args, **options) -> None:
        digest = moderation_digest_send()
        if digest is None:
            self.stdout.write("Today's digest was already sent.")
        elif not digest.recipients:
            self.stdout.write("Nothing to review, or nobody in the Moderation group; no e-mail.")
        else:
            self.stdout.write(
                f"Digest sent to {digest.recipients}: {digest.pending} pending, "
                f"{digest.reported} reported."
            )
