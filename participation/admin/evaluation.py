"""Evaluation in the admin: the city's answers, evaluation tags and the export."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation import export
from participation.models import (
    Comment,
    EvaluationTag,
    OfficialAnswer,
)


class OfficialAnswerInline(admin.StackedInline):
    model = OfficialAnswer
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0
    can_delete = False
    verbose_name = _("answer of the City of Hagen")
    verbose_name_plural = _("answers of the City of Hagen")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ExportAdminMixin:
    """The export of contributions for evaluation (CSV and XLSX), in full or selected."""

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participation.export_comment")

    def get_urls(self):
        return [
            path(
                "export/<slug:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="participation_comment_export",
            ),
            *super().get_urls(),
        ]

    def _export_response(self, queryset: QuerySet, fmt: str) -> StreamingHttpResponse:
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        if fmt == "xlsx":
            response = StreamingHttpResponse(
                export.xlsx_chunks(queryset),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            fmt = "csv"
            response = StreamingHttpResponse(
                (chunk.encode("utf-8") for chunk in export.csv_chunks(queryset)),
                content_type="text/csv; charset=utf-8",
            )
        response["Content-Disposition"] = f'attachment; filename="beitraege-{stamp}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response

    def export_view(self, request: HttpRequest, fmt: str) -> StreamingHttpResponse:
        if fmt not in ("csv", "xlsx") or not self.has_export_permission(request):
            raise PermissionDenied
        return self._export_response(Comment.objects.all(), fmt)

    @admin.action(description=_("Export selected as CSV"), permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse:
        return self._export_response(Comment.objects.filter(pk__in=queryset.values("pk")), "csv")

    @admin.action(description=_("Export selected as XLSX"), permissions=["export"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse:
        return self._export_response(Comment.objects.filter(pk__in=queryset.values("pk")), "xlsx")


@admin.register(EvaluationTag)
class EvaluationTagAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "comment_count"]
    search_fields = ["name", "description"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count

        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    @admin.display(description=_("contributions"), ordering="comment_total")
    def comment_count(self, obj: EvaluationTag) -> int:
        return obj.comment_total
