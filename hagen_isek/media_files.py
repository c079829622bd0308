"""What an uploaded sign-language video file is: checked by its content, not only by its name.

The duration comes from the MP4 movie header (mutagen, pure Python, no ffmpeg), the size from
the file itself, so the download link states what a visitor will really get.
"""

from dataclasses import dataclass

import mutagen.mp4
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

# The first bytes of the image types a poster may have.
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
WEBP_SIGNATURE = (b"RIFF", b"WEBP")


@dataclass(frozen=True)
class VideoInfo:
    duration_seconds: float
    size_bytes: int


def _head(file: File, length: int) -> bytes:
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def read_video_info(file: File) -> VideoInfo:
    """Duration and size of an MP4 file; ValidationError if it is no readable MP4 video."""
    if _head(file, 8)[4:8] != b"ftyp":
        raise ValidationError(_("The video must be an MP4 file."), code="not_mp4")
    try:
        duration = mutagen.mp4.MP4(file).info.length
    except mutagen.MutagenError as error:
        raise ValidationError(
            _("The MP4 file cannot be read: %(error)s"), code="unreadable", params={"error": error}
        ) from error
    finally:
        file.seek(0)
    if not duration or duration <= 0:
        raise ValidationError(_("The MP4 file states no duration."), code="no_duration")
    return VideoInfo(duration_seconds=round(duration, 2), size_bytes=file.size)


def validate_mp4(file: File) -> None:
    read_video_info(file)


def validate_poster_image(file: File) -> None:
    head = _head(file, 12)
    is_webp = head[:4] == WEBP_SIGNATURE[0] and head[8:12] == WEBP_SIGNATURE[1]
    if not (head.startswith(IMAGE_SIGNATURES) or is_webp):
        raise ValidationError(_("The poster must be a JPEG, PNG or WebP image."), code="not_image")


def validate_webvtt(file: File) -> None:
    head = _head(file, 16).decode("utf-8", errors="replace").lstrip("\ufeff")
    if not head.startswith("WEBVTT"):
        raise ValidationError(
            _("The captions must be a WebVTT file (its first line is “WEBVTT”)."),
            code="not_webvtt",
        )
