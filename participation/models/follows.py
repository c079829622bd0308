"""Following a goal or a district, and the record of what a follower was told."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FollowQuerySet(models.QuerySet):
    def of_user(self, user) -> "FollowQuerySet":
        return self.filter(user=user)

    def for_listing(self) -> "FollowQuerySet":
        return self.select_related("goal", "district").order_by("-created_at", "-pk")


class Follow(models.Model):
    """A citizen follows one goal or one Stadtbezirk (never both in one row)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    goal = models.ForeignKey(
        "goals.Goal",
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    district = models.ForeignKey(
        "events.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, district__isnull=True)
                | Q(goal__isnull=True, district__isnull=False),
                name="participation_follow_goal_or_district",
            ),
            models.UniqueConstraint(
                fields=["user", "goal"],
                condition=Q(goal__isnull=False),
                name="participation_follow_unique_goal",
            ),
            models.UniqueConstraint(
                fields=["user", "district"],
                condition=Q(district__isnull=False),
                name="participation_follow_unique_district",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.goal or self.district}"

    @property
    def target(self):
        return self.goal or self.district


class FollowNotice(models.Model):
    """One item a follower was told about, by single e-mail or in a digest.

    The unique constraint is what makes the sending command safe to run twice (also twice at
    the same time): an item is recorded for a person once, in the transaction that sends it.
    """

    class Item(models.TextChoices):
        ANSWER = "answer", _("Official answer")
        OUTCOME = "outcome", _("Outcome of a contribution")
        ROUND_OPEN = "round_open", _("Comment round opened")
        ROUND_ENDING = "round_ending", _("Comment round ending soon")
        EVENT = "event", _("New date")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="follow_notices",
    )
    item = models.CharField(_("item"), max_length=20, choices=Item.choices)
    # The answer, contribution (outcome), comment round or event the notice was about.
    object_id = models.PositiveBigIntegerField(_("object"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    in_digest = models.BooleanField(_("in the weekly digest"), default=False)

    class Meta:
        verbose_name = _("follow notice")
        verbose_name_plural = _("follow notices")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "object_id"], name="participation_follownotice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.item} {self.object_id}"
