from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from participation.models import Comment, CommentRound


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
        now = timezone.now()
        if obj.starts_at > now:
            return str(_("upcoming"))
        if obj.ends_at <= now:
            return str(_("closed"))
        return str(_("open"))

    @admin.display(description=_("published contributions"), ordering="comment_count")
    def comment_count(self, obj: CommentRound) -> int:
        return obj.comment_count


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-mostly until the moderation admin arrives; contributions are never deleted."""

    list_display = ["pk", "excerpt", "goal", "round", "author_name", "status", "created_at"]
    list_filter = ["status", "round", "goal"]
    search_fields = ["text", "author__display_name"]
    list_select_related = ["goal", "round", "author"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "round",
        "goal",
        "key_message",
        "measure",
        "parent",
        "author",
        "text",
        "status",
        "created_at",
        "edited_at",
        "moderated_by",
        "moderated_at",
        "moderation_reason",
        "moderation_note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    @admin.display(description=_("text"))
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("author"), ordering="author__display_name")
    def author_name(self, obj: Comment) -> str:
        return obj.author.public_name if obj.author else "–"
