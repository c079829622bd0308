"""Evaluation: tags the editors assign and the city's official answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models import Goal

from .contributions import Comment


class EvaluationTag(models.Model):
    """An evaluation category managed by the editors, e.g. „Anzahl der Ziele“."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("When to use this tag; internal.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation tag")
        verbose_name_plural = _("evaluation tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A Fachbereich of the city administration that evaluates contributions."""

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("E.g. „FB 61 – Stadtentwicklung, -planung und Bauordnung“."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfficialAnswerQuerySet(models.QuerySet):
    def public(self) -> "OfficialAnswerQuerySet":
        """Answers to contributions the public can read (Comment.objects.public())."""
        return self.filter(
            comment__status=Comment.Status.PUBLISHED,
            comment__round__is_published=True,
            comment__goal__status=Goal.Status.PUBLISHED,
        )


class OfficialAnswer(models.Model):
    """The answer of the City of Hagen to a contribution; only staff write it (in the admin)."""

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="official_answers",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Internal; the public sees „Antwort der Stadt Hagen“."),
    )
    text = models.TextField(_("text"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = OfficialAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("official answer")
        verbose_name_plural = _("official answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return Truncator(self.text).chars(60)
