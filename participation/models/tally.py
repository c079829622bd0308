"""The statistics' running counts, kept exact on every write (participation/services/tally.py).

The statistics page groups counted contributions by goal, round, district, source, moderation
state and outcome. Counting them on every request took over a second at 100,000 contributions;
these tables hold the counts per combination of those six (a few thousand rows at most), and
which combination each counted contribution is in, so a write can move it from one to another.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

NO_DISTRICT = 0  # district_key of contributions counted for no district


class TallyCell(models.Model):
    """The counted contributions (and their supports) of one combination of what the statistics
    group by. Rows are never deleted while the portal runs, only emptied: a write that found a
    cell can always add to it."""

    goal = models.ForeignKey(
        "goals.Goal", verbose_name=_("goal"), on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(
        "participation.CommentRound",
        verbose_name=_("comment round"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # An integer, not a nullable key: a unique constraint treats every NULL as different.
    district_key = models.PositiveBigIntegerField(_("district"), default=NO_DISTRICT)
    source = models.CharField(_("source"), max_length=10)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    contributions = models.IntegerField(_("contributions and replies"), default=0)
    supports = models.IntegerField(_("supports"), default=0)

    class Meta:
        verbose_name = _("statistics count")
        verbose_name_plural = _("statistics counts")
        ordering = ["goal", "round", "district_key", "source", "is_hidden", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "round", "district_key", "source", "is_hidden", "outcome"],
                name="participation_tallycell_unique_combination",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.contributions}"

    @property
    def key(self) -> tuple:
        return (
            self.goal_id,
            self.round_id,
            self.district_key,
            self.source,
            self.is_hidden,
            self.outcome,
        )


class TalliedContribution(models.Model):
    """Where one counted contribution is counted, with the supports it added. A plain id, not a
    foreign key: a contribution deleted in any way leaves this row for the next sync to undo."""

    comment_id = models.BigIntegerField(_("contribution"), primary_key=True)
    cell = models.ForeignKey(
        TallyCell, verbose_name=_("count"), on_delete=models.CASCADE, related_name="+"
    )
    supports = models.IntegerField(_("supports"), default=0)

    class Meta:
        verbose_name = _("counted contribution")
        verbose_name_plural = _("counted contributions")
        ordering = ["comment_id"]

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.cell_id}"
