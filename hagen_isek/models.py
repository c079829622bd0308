"""The portal's pages about itself in Leichte Sprache and Deutsche Gebärdensprache (BITV 2.0 § 4).

Both cover the same four topics the regulation asks for; editors change the texts and upload the
videos in the admin. The seed (seed/easy_language.json) writes an editorial summary that editors
may replace; once a person has changed a section, the seed leaves it alone.
"""

from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from hagen_isek.media_files import (
    read_video_info,
    validate_mp4,
    validate_poster_image,
    validate_webvtt,
)


class Topic(models.TextChoices):
    """The four topics BITV 2.0 § 4 asks for, in the order the pages show them."""

    CONTENTS = "contents", _("What this website contains")
    NAVIGATION = "navigation", _("How to find your way on this website")
    ACCESSIBILITY = "accessibility", _("Essentials of the accessibility statement")
    MORE = "more", _("Where to find more in easy language")


TOPIC_ORDER = [topic.value for topic in Topic]


class EasyLanguageSection(models.Model):
    """One topic of the Leichte-Sprache page."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, unique=True)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Write one sentence per line. An empty line starts a new paragraph. Web addresses "
            "become links."
        ),
    )
    is_editorial_summary = models.BooleanField(
        _("editorial summary"),
        default=True,
        help_text=_(
            "Shown as “Redaktionelle Zusammenfassung”: the portal's editors wrote this text, it "
            "is no wording of the council."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Leichte Sprache section")
        verbose_name_plural = _("Leichte Sprache sections")
        ordering = ["topic"]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("easy-language") + f"#{self.topic}"

    @property
    def position(self) -> int:
        return TOPIC_ORDER.index(self.topic)


class SignLanguageVideoQuerySet(models.QuerySet):
    def published(self) -> "SignLanguageVideoQuerySet":
        return self.filter(is_published=True)


class SignLanguageVideo(models.Model):
    """A video in Deutsche Gebärdensprache on one topic, self-hosted (no third-party player)."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, unique=True)
    video = models.FileField(
        _("video (MP4)"),
        upload_to="gebaerdensprache/",
        validators=[FileExtensionValidator(["mp4"]), validate_mp4],
        help_text=_("An MP4 file (H.264). Its size and duration are read from the file."),
    )
    poster = models.FileField(
        _("poster image"),
        upload_to="gebaerdensprache/",
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"]), validate_poster_image],
        help_text=_("A still image shown before the video starts (JPEG, PNG or WebP)."),
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to="gebaerdensprache/",
        validators=[FileExtensionValidator(["vtt"]), validate_webvtt],
        help_text=_("German captions as a .vtt file."),
    )
    transcript = models.TextField(
        _("transcript"), help_text=_("The full text of the video, shown below it.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    duration_seconds = models.FloatField(_("duration in seconds"), editable=False, default=0)
    size_bytes = models.PositiveBigIntegerField(_("file size in bytes"), editable=False, default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = SignLanguageVideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign language video")
        verbose_name_plural = _("sign language videos")
        ordering = ["topic"]

    def __str__(self) -> str:
        return self.get_topic_display()

    def get_absolute_url(self) -> str:
        return reverse("sign-language") + f"#{self.topic}"

    def clean(self) -> None:
        # The figures the download link states come from the uploaded file itself.
        if self.video and not getattr(self.video, "_committed", True):
            try:
                info = read_video_info(self.video)
            except ValidationError:
                return  # already reported on the video field by validate_mp4
            self.duration_seconds = info.duration_seconds
            self.size_bytes = info.size_bytes

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(round(self.duration_seconds), 60)
        return f"{minutes}:{seconds:02d}"


# The legal pages are Django's flat pages; their history lives here, beside the portal's pages.
register_history(FlatPage, app=__package__)
