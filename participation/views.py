import json
from functools import wraps
from urllib.parse import urlencode

from allauth.account.views import ConfirmEmailView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from events.models import District
from goals.models import Goal, attach_kept_content
from participation import dossier, notifications, services, statistics
from participation.discussion import round_for_goal
from participation.forms import (
    AccountDeleteForm,
    CommentEditForm,
    CommentForm,
    FollowSettingsForm,
    ObjectionForm,
    ProfileForm,
    ReplyForm,
    ReportForm,
)
from participation.models import Comment, CommentRound, Follow, User
from participation.services import ContributionRefused, account_data_export, account_delete
from participation.templatetags.participation_tags import CONTRIBUTION_MESSAGE_TAG, round_overview


def login_required(view):
    """Like Django's, but after login the visitor returns to the page the form was on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        target = request.POST.get("next") or request.get_full_path()
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = "/"
        return redirect_to_login(target)

    return wrapper


class ConfirmEmailThenContinueView(ConfirmEmailView):
    """allauth's confirmation, but a visitor who confirms in a browser where they are not logged
    in goes to the login page with `next` kept, not to the bare login page."""

    def get_redirect_url(self) -> str:
        next_url = self.get_next_url()
        if next_url and not self.request.user.is_authenticated:
            return reverse("account_login") + "?" + urlencode({"next": next_url})
        return super().get_redirect_url()


def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rounds = CommentRound.objects.published().with_comment_count()
    overview = round_overview(now)
    open_round = overview["open_round"]
    goals = Goal.objects.published()
    if open_round and open_round.goals.exists():
        goals = goals.filter(comment_rounds=open_round)
    context = {
        **overview,
        "current_rounds": rounds.open(now).order_by("ends_at", "pk").with_hidden_counts(),
        "upcoming_rounds": rounds.upcoming(now).order_by("starts_at", "pk"),
        "past_rounds": rounds.closed(now).order_by("-starts_at", "pk").with_hidden_counts(),
        "goals": goals,
    }
    return render(request, "participation/index.html", context)


def _back(request: HttpRequest, goal: Goal, anchor: str) -> HttpResponseRedirect:
    """Back to the page the form was on (same page number and sort), at the given anchor."""
    target = request.POST.get("next", "")
    if not (
        target.startswith(goal.get_absolute_url())
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        target = goal.get_absolute_url()
    return HttpResponseRedirect(f"{target.split('#')[0]}#{anchor}")


def _message_at(request: HttpRequest, comment: Comment, text, level=messages.SUCCESS) -> None:
    """A message shown at the contribution itself, where the redirect scrolls to."""
    messages.add_message(request, level, text, extra_tags=f"{CONTRIBUTION_MESSAGE_TAG}{comment.pk}")


def _success_message(request: HttpRequest, comment: Comment) -> None:
    if comment.is_pending:
        _message_at(
            request,
            comment,
            _(
                "Thank you! Your contribution has been received. It will be published as soon "
                "as the moderation has approved it."
            ),
        )
    else:
        _message_at(request, comment, _("Thank you! Your contribution has been published."))


def _render_form(
    request: HttpRequest, goal: Goal, form, *, status: int = 200, **context
) -> HttpResponse:
    context = {"goal": goal, "form": form, **context}
    return render(request, "participation/comment_form.html", context, status=status)


@require_POST
@login_required
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.published(), slug=slug)
    attach_kept_content(goal)  # the form's choices as the goal page offered them
    # The form as the goal page offered it; the service checks the round again, from the database.
    comment_round, round_state = round_for_goal(goal, timezone.now(), kept=True)
    allows_placing = round_state == "open" and comment_round.allows_placing
    form = CommentForm(request.POST, goal=goal, allows_placing=allows_placing)
    render_form = {"heading": _("Write a contribution"), "action": request.path}
    if not form.is_valid():
        return _render_form(request, goal, form, **render_form)
    try:
        comment, created = services.comment_create(
            author=request.user, goal=goal, **form.cleaned_data
        )
    except ContributionRefused as refusal:
        form.add_error(None, refusal.message)
        return _render_form(request, goal, form, status=403, **render_form)
    _success_message(request, comment)
    return HttpResponseRedirect(comment.get_absolute_url())


@require_POST
@login_required
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(Comment.objects.select_related("goal"), pk=pk)
    goal = parent.goal
    form = ReplyForm(request.POST)
    render_form = {"heading": _("Reply to a contribution"), "action": request.path}
    if not form.is_valid():
        return _render_form(request, goal, form, **render_form)
    try:
        comment, created = services.comment_create(
            author=request.user, goal=goal, parent=parent, **form.cleaned_data
        )
    except ContributionRefused as refusal:
        form.add_error(None, refusal.message)
        return _render_form(request, goal, form, status=403, **render_form)
    _success_message(request, comment)
    return _back(request, goal, f"beitrag-{comment.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped to the author: for everybody else the contribution does not exist here.
    comment = get_object_or_404(
        Comment.objects.select_related("goal", "round"), pk=pk, author=request.user
    )
    form = CommentEditForm(request.POST or None, initial={"text": comment.current_text})
    render_form = {
        "heading": _("Edit your contribution"),
        "action": request.path,
        "edit_deadline": comment.edit_deadline,
        "pre_moderated": comment.round.is_pre_moderated and comment.is_published,
    }
    refusal = comment.edit_refusal()
    if refusal:
        messages.error(request, refusal)
        return HttpResponseRedirect(comment.get_absolute_url())
    if request.method == "GET" or not form.is_valid():
        return _render_form(request, comment.goal, form, **render_form)
    try:
        services.comment_edit(comment=comment, user=request.user, text=form.cleaned_data["text"])
    except ContributionRefused as refusal:
        form.add_error(None, refusal.message)
        return _render_form(request, comment.goal, form, status=403, **render_form)
    _message_at(request, comment, _("Your contribution has been changed."))
    return HttpResponseRedirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def comment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("goal"), pk=pk, author=request.user)
    if not comment.shows_text:
        messages.error(request, _("This contribution can no longer be withdrawn."))
        return HttpResponseRedirect(comment.get_absolute_url())
    if request.method == "GET":
        return render(request, "participation/comment_withdraw.html", {"comment": comment})
    try:
        services.comment_withdraw(comment=comment, user=request.user)
    except ContributionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        _message_at(request, comment, _("Your contribution has been withdrawn."))
    return HttpResponseRedirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def comment_object(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's Widerspruch against hiding the contribution (the link in the e-mail)."""
    comment = get_object_or_404(Comment.objects.select_related("goal"), pk=pk, author=request.user)
    if not comment.is_hidden:
        messages.error(request, _("This contribution is not hidden."))
        return HttpResponseRedirect(comment.get_absolute_url())
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_object(
                comment=comment, author=request.user, text=form.cleaned_data["text"]
            )
        except ContributionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            _message_at(
                request,
                comment,
                _("Your objection has been sent. The moderation team will look at it again."),
            )
            return HttpResponseRedirect(comment.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"comment": comment, "form": form}
    return render(request, "participation/comment_object.html", context, status=status)


@require_POST
@login_required
def support_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("goal"), pk=pk)
    try:
        supported = services.support_toggle(comment=comment, user=request.user)
    except ContributionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if supported:
            _message_at(request, comment, _("You support this contribution."))
        else:
            _message_at(request, comment, _("You no longer support this contribution."))
    return _back(request, comment.goal, f"beitrag-{comment.pk}")


def _render_account(request: HttpRequest, *, form=None, follow_form=None, status=200):
    # Separate instances, so that invalid input never shows up in the header of the page.
    context = {
        "form": form or ProfileForm(instance=User.objects.get(pk=request.user.pk)),
        "follow_form": follow_form
        or FollowSettingsForm(instance=User.objects.get(pk=request.user.pk)),
        "follows": Follow.objects.of_user(request.user).for_listing(),
        "contributions": Comment.objects.for_author_listing(request.user),
    }
    return render(request, "participation/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=User.objects.get(pk=request.user.pk))
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("participation:account")
        return _render_account(request, form=form)
    return _render_account(request)


@require_POST
@login_required
def follow_settings(request: HttpRequest) -> HttpResponse:
    form = FollowSettingsForm(request.POST, instance=User.objects.get(pk=request.user.pk))
    if not form.is_valid():
        return _render_account(request, follow_form=form)
    form.save()
    messages.success(request, _("Your settings for following have been saved."))
    return HttpResponseRedirect(reverse("participation:account") + "#folgen")


def _follow(request: HttpRequest, **target) -> HttpResponse:
    followed = next(iter(target.values()))
    if request.POST.get("action") == "unfollow":
        services.follow_remove(user=request.user, **target)
        messages.success(request, _("You no longer follow „%(name)s“.") % {"name": followed})
    else:
        services.follow_add(user=request.user, **target)
        messages.success(
            request,
            _(
                "You now follow „%(name)s“. On your account page you choose what you hear "
                "about and how often."
            )
            % {"name": followed},
        )
    back = request.POST.get("next", "")
    if not (
        back.startswith("/")
        and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    ):
        back = followed.get_absolute_url()
    return HttpResponseRedirect(back)


@require_POST
@login_required
def follow_goal(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, goal=get_object_or_404(Goal.objects.published(), slug=slug))


@require_POST
@login_required
def follow_district(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, district=get_object_or_404(District, slug=slug))


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


@require_http_methods(["GET", "POST"])
@login_required
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.published().select_related("goal"), pk=pk)
    form = ReportForm(request.POST or None)
    context = {"comment": comment, "form": form}
    if request.method == "GET" or not form.is_valid():
        return render(request, "participation/comment_report.html", context)
    try:
        services.comment_report(comment=comment, reporter=request.user, **form.cleaned_data)
    except ContributionRefused as refusal:
        form.add_error(None, refusal.message)
        return render(request, "participation/comment_report.html", context, status=403)
    messages.success(
        request,
        _("Thank you for your report. The moderation will look at the contribution."),
    )
    return HttpResponseRedirect(comment.get_absolute_url())


# The token is the authorisation (signed, per person and kind); mail programs post the
# one-click unsubscribe (RFC 8058) without a CSRF token, so this view is exempt.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = notifications.read_unsubscribe_token(token)
    if found is None:
        return render(request, "participation/unsubscribe.html", {"invalid": True}, status=400)
    user, kind = found
    done = request.method == "POST"
    if done:
        services.notification_unsubscribe(user=user, kind=kind)
    context = {
        "kind": kind,
        "done": done,
        "follow_label": notifications.FOLLOW_KIND_LABELS.get(kind),
    }
    return render(request, "participation/unsubscribe.html", context)


def round_results(request: HttpRequest, slug: str) -> HttpResponse:
    """„Was aus den Beiträgen wurde“: what became of a round's contributions."""
    comment_round = get_object_or_404(CommentRound.objects.published(), slug=slug)
    return render(request, "participation/round_results.html", dossier.round_results(comment_round))


def statistics_page(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/statistics.html", statistics.overview())
