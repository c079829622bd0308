from django.contrib import admin
from django.template.defaultfilters import filesizeformat

from hagen_isek.easy_language_admin import HINTS_LABEL, EasyLanguageHintsMixin, hints_html
from hagen_isek.history_admin import ReadableHistoryAdmin
from hagen_isek.models import EasyLanguageSection, SignLanguageVideo
from hagen_isek.upload_admin import ReselectFilesMixin


@admin.register(EasyLanguageSection)
class EasyLanguageSectionAdmin(EasyLanguageHintsMixin, ReadableHistoryAdmin):
    easy_language_fields = ("heading", "body")
    list_display = ["heading", "topic", "is_editorial_summary", "updated_at"]
    list_filter = ["is_editorial_summary"]
    search_fields = ["heading", "body"]
    fields = ["topic", "heading", "body", "body_hints", "is_editorial_summary", "updated_at"]
    readonly_fields = ["body_hints", "updated_at"]

    @admin.display(description=HINTS_LABEL)
    def body_hints(self, section: EasyLanguageSection) -> str:
        return hints_html(f"{section.heading}\n{section.body}")


@admin.register(SignLanguageVideo)
class SignLanguageVideoAdmin(ReselectFilesMixin, ReadableHistoryAdmin):
    list_display = ["__str__", "is_published", "duration", "file_size", "updated_at"]
    list_filter = ["is_published", "topic"]
    search_fields = ["transcript"]
    fields = [
        "topic",
        "video",
        "poster",
        "captions",
        "transcript",
        "is_published",
        "duration",
        "file_size",
        "updated_at",
    ]
    readonly_fields = ["duration", "file_size", "updated_at"]

    @admin.display(description=SignLanguageVideo._meta.get_field("duration_seconds").verbose_name)
    def duration(self, video: SignLanguageVideo) -> str:
        return video.duration_display

    @admin.display(description=SignLanguageVideo._meta.get_field("size_bytes").verbose_name)
    def file_size(self, video: SignLanguageVideo) -> str:
        return filesizeformat(video.size_bytes)
