"""Accounts in the admin: superusers and moderators look at an account, block or unblock it
(with a reason, logged); only superusers assign the staff roles. Nothing here deletes."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from participation import services
from participation.models import AccountLogEntry, User

from .moderation import ReadOnlyInline


class AccountLogInline(ReadOnlyInline):
    # Stacked: a table of reasons would scroll sideways on a phone, out of the keyboard's reach.
    template = "admin/edit_inline/stacked.html"
    model = AccountLogEntry
    fk_name = "account"
    fields = ["created_at", "actor_name", "action", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("account log")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("by"))
    def actor_name(self, entry: AccountLogEntry) -> str:
        return entry.actor.public_name if entry.actor else "–"


class RolesForm(forms.ModelForm):
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=services.role_groups(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An account with a role can log into the admin (with two-factor login)."),
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = services.role_groups()
        if self.instance.pk:
            self.initial["roles"] = list(self.instance.groups.values_list("pk", flat=True))


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the person when they try to log in)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """E-mail addresses appear only on an account's own page, never in the list."""

    form = RolesForm
    list_display = ["name", "account_state", "role_names", "is_staff", "date_joined", "last_login"]
    list_display_links = ["name"]
    list_filter = ["is_active", "is_staff", "groups"]
    ordering = ["display_name", "pk"]
    date_hierarchy = "date_joined"
    inlines = [AccountLogInline]
    readonly_fields = [
        "display_name",
        "email",
        "account_state",
        "block_reason",
        "role_names",
        "is_superuser",
        "date_joined",
        "last_login",
    ]
    change_form_template = "admin/participation/user/change_form.html"

    class Media:
        css = {"all": ["css/accounts-admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        # Looking an address up is an administrator's task (e.g. a request for information).
        return ["display_name", "email"] if request.user.is_superuser else ["display_name"]

    def get_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fields = list(self.readonly_fields)
        if self.has_change_permission(request, obj):
            fields.insert(fields.index("role_names"), "roles")
            fields.remove("role_names")
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people sign up themselves

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the person deletes the account; the contributions stay

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser  # moderators look and block, they never change roles

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) or request.user.is_superuser

    @admin.display(description=_("display name"), ordering="display_name")
    def name(self, user: User) -> str:
        return user.public_name

    @admin.display(description=_("state"))
    def account_state(self, user: User) -> str:
        if user.is_deleted:
            return str(_("Deleted account"))
        if user.is_blocked:
            return _("Blocked since %(date)s") % {
                "date": user.blocked_at.astimezone().strftime("%d.%m.%Y %H:%M")
            }
        return str(_("Active")) if user.is_active else str(_("Inactive"))

    @admin.display(description=_("roles"))
    def role_names(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all()) or "–"

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        services.account_set_roles(
            account=obj, staff=request.user, roles=form.cleaned_data["roles"]
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["may_block"] = obj is not None and services.may_block(
            staff=request.user, account=obj
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/sperren/", view(self.block_view), name="participation_user_block"),
            path(
                "<int:pk>/entsperren/",
                view(require_POST(self.unblock_view)),
                name="participation_user_unblock",
            ),
            *super().get_urls(),
        ]

    def _account_for(self, request: HttpRequest, pk: int) -> User:
        account = get_object_or_404(User, pk=pk)
        if not services.may_block(staff=request.user, account=account):
            raise PermissionDenied
        return account

    def _back(self, account: User) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:participation_user_change", args=[account.pk]))

    def block_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self._account_for(request, pk)
        form = BlockForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.account_block(
                    account=account, staff=request.user, reason=form.cleaned_data["reason"]
                )
            except services.AccountActionRefused as refused:
                self.message_user(request, refused.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The account „%(name)s“ is blocked.") % {"name": account.public_name},
                    messages.SUCCESS,
                )
            return self._back(account)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "account": account,
            "form": form,
            "title": _("Block account „%(name)s“") % {"name": account.public_name},
        }
        return TemplateResponse(request, "admin/participation/user/block.html", context)

    def unblock_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self._account_for(request, pk)
        try:
            services.account_unblock(account=account, staff=request.user)
        except services.AccountActionRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("The account „%(name)s“ is unblocked.") % {"name": account.public_name},
                messages.SUCCESS,
            )
        return self._back(account)
