import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.forms import AccountDeleteForm, ProfileForm
from participation.models import User
from participation.services import account_data_export, account_delete


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/index.html")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    # A separate instance, so that invalid input never shows up in the header of the page.
    profile = User.objects.get(pk=request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("participation:account")
    else:
        form = ProfileForm(instance=profile)
    return render(request, "participation/account.html", {"form": form})


@login_required
def account_download(request: HttpRequest) -> HttpResponse:
    data = json.dumps(account_data_export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    filename = f"hagenplant-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete_confirm(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete(request.user)
        logout(request)
        messages.success(
            request,
            _(
                "Your account has been deleted. Your personal data has been erased; your "
                "contributions remain as „Deleted account“."
            ),
        )
        return redirect("home")
    return render(request, "participation/account_delete.html", {"form": form})
