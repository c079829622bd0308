"""Comment rounds in the admin."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from goals.models import Goal
from hagen_isek.history_admin import ReadableHistoryAdmin
from participation.models import (
    CommentRound,
)


class CommentRoundForm(forms.ModelForm):
    """A goal is open in at most one published round at a time, and only published goals can
    be opened for comment (a draft has no public page to comment on)."""

    class Meta:
        model = CommentRound
        fields = [
            "title",
            "slug",
            "intro",
            "starts_at",
            "ends_at",
            "goals",
            "moderation",
            "allows_placing",
            "is_published",
            "is_demo",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "goals" in self.fields:
            self.fields["goals"].queryset = Goal.objects.published()

    def clean(self) -> dict:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if not (data.get("is_published") and starts_at and ends_at):
            return data
        clashes = (
            CommentRound.objects.published()
            .overlapping(starts_at, ends_at)
            .sharing_goals_with(list(data.get("goals") or []))
            .exclude(pk=self.instance.pk)
        )
        if clashes:
            raise forms.ValidationError(
                _(
                    "These goals are already open for comment in „%(round)s“ at the same time. "
                    "A goal can be in only one published round at a time; change the period "
                    "or the goals."
                )
                % {"round": clashes[0].title}
            )
        return data


@admin.register(CommentRound)
class CommentRoundAdmin(ReadableHistoryAdmin):
    form = CommentRoundForm
    list_display = [
        "title",
        "starts_at",
        "ends_at",
        "state",
        "moderation",
        "allows_placing",
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
