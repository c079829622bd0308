"""What the evaluation workbench stores: editors' word lists, runs, and per contribution the
suggestions of the latest run next to what an editor confirmed. Suggestions are never shown
to the public; only confirmed themes reach the committee dossier."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, KeyMessage
from participation.models import Comment, CommentRound


class StopWord(models.Model):
    """A domain word the themes ignore besides the German stop-word list („brauchen“)."""

    word = models.CharField(
        _("word"),
        max_length=60,
        unique=True,
        help_text=_("One word in lower case; its inflected forms are ignored too."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ignored word")
        verbose_name_plural = _("ignored words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word

    def save(self, *args, **kwargs) -> None:
        self.word = self.word.strip().casefold()
        super().save(*args, **kwargs)


class Keyword(models.Model):
    """Words that point to a goal (or one of its key messages), kept by the editors."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="workbench_keywords"
    )
    key_message = models.ForeignKey(
        KeyMessage,
        verbose_name=_("key message"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workbench_keywords",
        help_text=_("Optional: only for this key message of the goal."),
    )
    words = models.TextField(
        _("words"), help_text=_("Words or phrases, separated by commas or line breaks.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("keyword list")
        verbose_name_plural = _("keyword lists")
        ordering = ["goal", "key_message", "pk"]

    def __str__(self) -> str:
        return Truncator(self.words).chars(60)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.key_message_id and self.goal_id and self.key_message.goal_id != self.goal_id:
            raise ValidationError(
                {"key_message": _("The key message does not belong to this goal.")}
            )


class Run(models.Model):
    """One run of the workbench over the counted contributions of a round and/or goal."""

    method_version = models.CharField(_("method version"), max_length=120)
    round = models.ForeignKey(
        CommentRound,
        verbose_name=_("comment round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: all rounds."),
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: all goals."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    contribution_count = models.PositiveIntegerField(_("contributions"), default=0)
    theme_count = models.PositiveIntegerField(_("themes"), default=0)
    duplicate_group_count = models.PositiveIntegerField(_("groups of near-identical"), default=0)

    class Meta:
        verbose_name = _("workbench run")
        verbose_name_plural = _("workbench runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.started_at):%d.%m.%Y %H:%M} ({self.method_version})"


class Theme(models.Model):
    """A theme found among a goal's contributions; public (in the dossier) once confirmed."""

    run = models.ForeignKey(
        Run, verbose_name=_("run"), on_delete=models.CASCADE, related_name="themes"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="workbench_themes"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(
        _("label"),
        max_length=200,
        help_text=_("Proposed from the top terms; editors may reword it before confirming."),
    )
    top_terms = models.TextField(_("top terms"), blank=True)
    size = models.PositiveIntegerField(_("contributions"), default=0)
    quote_ids = models.JSONField(
        _("representative contributions"),
        default=list,
        help_text=_("IDs of the two or three contributions that represent the theme best."),
    )
    is_confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    method_version = models.CharField(_("method version"), max_length=120)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["goal", "-is_confirmed", "-size", "pk"]

    def __str__(self) -> str:
        return self.label


class DuplicateGroup(models.Model):
    """Near-identical contributions (e.g. a copy-paste campaign), shown as one with a count."""

    run = models.ForeignKey(
        Run, verbose_name=_("run"), on_delete=models.CASCADE, related_name="duplicate_groups"
    )
    size = models.PositiveIntegerField(_("contributions"))
    representative = models.ForeignKey(
        Comment, verbose_name=_("first contribution"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("group of near-identical contributions")
        verbose_name_plural = _("groups of near-identical contributions")
        ordering = ["-size", "pk"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.size}×): {Truncator(self.representative.text).chars(50)}"


class Result(models.Model):
    """The latest run's suggestions for one contribution, and what an editor confirmed (kept
    across runs; confirmed goals are the next run's training examples)."""

    comment = models.OneToOneField(
        Comment, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="workbench"
    )
    run = models.ForeignKey(
        Run, verbose_name=_("run"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method_version = models.CharField(_("method version"), max_length=120)
    suggested_goal = models.ForeignKey(
        Goal, verbose_name=_("suggested goal"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(
        _("score"), help_text=_("Similarity of the text to the suggested goal, 0 to 1.")
    )
    suggested_key_message = models.ForeignKey(
        KeyMessage,
        verbose_name=_("suggested key message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    duplicate_group = models.ForeignKey(
        DuplicateGroup,
        verbose_name=_("group of near-identical"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    confirmed_goal = models.ForeignKey(
        Goal,
        verbose_name=_("confirmed goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Set by an editor: the goal the contribution is about."),
    )
    confirmed_key_message = models.ForeignKey(
        KeyMessage,
        verbose_name=_("confirmed key message"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-comment"]

    def __str__(self) -> str:
        return str(self.comment)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.confirmed_key_message_id
            and self.confirmed_goal_id
            and self.confirmed_key_message.goal_id != self.confirmed_goal_id
        ):
            raise ValidationError(
                {"confirmed_key_message": _("The key message does not belong to this goal.")}
            )


class LogEntry(models.Model):
    """Every editorial decision on the workbench's suggestions: who, when, what."""

    class Action(models.TextChoices):
        CONFIRM_GOAL = "confirm_goal", _("Goal confirmed")
        CORRECT_GOAL = "correct_goal", _("Goal corrected")
        CONFIRM_THEME = "confirm_theme", _("Theme confirmed")
        WITHDRAW_THEME = "withdraw_theme", _("Theme confirmation withdrawn")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("contribution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("workbench log entry")
        verbose_name_plural = _("workbench log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({timezone.localtime(self.created_at):%d.%m.%Y})"
