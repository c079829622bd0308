from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """One of Hagen's five Stadtbezirke."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    official_name = models.CharField(
        _("official body"),
        max_length=120,
        blank=True,
        help_text=_("Name of the district council, e.g. Bezirksvertretung Haspe."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_source = models.CharField(
        _("source of the population figure"), max_length=200, blank=True
    )
    quarters = models.CharField(
        _("quarters"),
        max_length=300,
        blank=True,
        help_text=_("Parts of the district, separated by commas."),
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:district", kwargs={"slug": self.slug})
