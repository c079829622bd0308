"""Comment rounds in the admin."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from participation.models import (
    CommentRound,
)


@admin.register(CommentRound)
class CommentRoundAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "starts_at",
        "ends_at",
        "state",
        "moderation",
        "is_published",
        "is_demo",
        "comment_count",
    ]
    list_filter = ["is_published", "moderation", "is_demo"]
    search_fields = ["title", "slug", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["goals"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_comment_count()

    @admin.display(description=_("state"))
    def state(self, obj: CommentRound) -> str:
        return obj.state().label

    @admin.display(description=_("published contributions"), ordering="comment_count")
    def comment_count(self, obj: CommentRound) -> int:
        return obj.comment_count
