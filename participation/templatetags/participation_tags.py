import secrets
import uuid
from datetime import time

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hagen_isek import fragments, site_content
from hagen_isek.fragments import content_key
from participation.models import Comment, CommentRound
from participation.text import render_comment_text

register = template.Library()

CONTRIBUTION_MESSAGE_TAG = "contribution-"
# The placeholder pk that contribution_url reverses each pattern with, once per language.
_PLACEHOLDER_PK = 987654321
_url_patterns: dict[tuple[str, str, str], str] = {}


def _contribution_pk(message) -> int | None:
    for tag in getattr(message, "extra_tags", "").split():
        if tag.startswith(CONTRIBUTION_MESSAGE_TAG):
            return int(tag.removeprefix(CONTRIBUTION_MESSAGE_TAG))
    return None


@register.filter
def contribution_url(pk: int, name: str) -> str:
    """`{% url name pk %}` for a contribution's own pages (support, report, reply, edit, ...):
    a signed-in reader's page links to each for every listed contribution, and reversing was
    a tenth of its template time. Each pattern is reversed once per language and prefix."""
    key = (name, get_language() or "", get_script_prefix())
    pattern = _url_patterns.get(key)
    if pattern is None:
        pattern = _url_patterns[key] = reverse(name, args=[_PLACEHOLDER_PK])
    return pattern.replace(str(_PLACEHOLDER_PK), str(int(pk)), 1)


@register.filter
def messages_at(messages, comment_pk: int) -> list:
    """The messages about this contribution, shown at it instead of at the top of the page."""
    return [message for message in messages or () if _contribution_pk(message) == comment_pk]


@register.filter
def messages_elsewhere(messages, page) -> list:
    """The messages not about a contribution on this page of the discussion (top of the page)."""
    on_page = set()
    for comment in page or ():
        on_page.add(comment.pk)
        on_page.update(reply.pk for reply in getattr(comment, "listed_replies", ()))
    return [message for message in messages or () if _contribution_pk(message) not in on_page]


@register.filter
def comment_text(text: str) -> SafeString:
    """Escape everything, keep line breaks, make http(s) links clickable (rel nofollow ugc)."""
    return render_comment_text(text or "")


@register.inclusion_tag("participation/includes/home_section.html")
def home_participation() -> dict:
    return round_overview()


def round_overview(now=None) -> dict:
    """The open round, else the next one; what the home page and /beteiligung/ lead with."""
    now = now or timezone.now()
    rounds = CommentRound.objects.published()
    return {
        "open_round": rounds.open(now).order_by("ends_at", "pk").first(),
        "next_round": rounds.upcoming(now).order_by("starts_at", "pk").first(),
    }


@register.simple_tag(takes_context=True)
def new_submission_token(context) -> str:
    """A fresh token per rendered form, so that a double submission creates one contribution
    (inside a {% list_piece %}: its placeholder, replaced by a fresh token on every output)."""
    if context.get(_IN_LIST_PIECE):
        return _SUBMISSION_PLACEHOLDER
    return str(uuid.uuid4())


# Placeholders of what a stored list piece must never hold: random per worker process (the
# fragments cache is the worker's own), so no contribution text can contain them.
_CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_SUBMISSION_PLACEHOLDER = f"submission-{secrets.token_hex(16)}"
_IN_LIST_PIECE = "_in_list_piece"
COMMENT_FORM_FIELDS = "participation/includes/comment_form_fields.html"


class ListPieceNode(template.Node):
    def __init__(self, nodelist, key) -> None:
        self.nodelist, self.key = nodelist, key

    def render(self, context) -> str:
        request = context.get("request")
        user = context.get("user")
        # A signed-in reader's list has forms that return to this very address.
        path = request.get_full_path() if user is not None and user.is_authenticated else ""
        key = "list-piece:" + content_key(
            self.key.resolve(context), context.get("LANGUAGE_CODE"), path
        )
        pieces = caches[fragments.ALIAS]
        html = pieces.get(key)
        if html is None:
            with context.push({"csrf_token": _CSRF_PLACEHOLDER, _IN_LIST_PIECE: True}):
                html = str(self.nodelist.render(context))
            pieces.set(key, html, 86_400)
        if _CSRF_PLACEHOLDER in html:  # this reader's own token (and its cookie, if new)
            html = html.replace(_CSRF_PLACEHOLDER, str(context.get("csrf_token") or ""))
        return _with_fresh_submission_tokens(html)


def _with_fresh_submission_tokens(html: str) -> SafeString:
    parts = html.split(_SUBMISSION_PLACEHOLDER)
    html = "".join(part + str(uuid.uuid4()) for part in parts[:-1]) + parts[-1]
    return mark_safe(html)  # noqa: S308 - rendered from a template, escaped there


@register.simple_tag
def comment_form_fields(form) -> SafeString:
    """The goal page's empty contribution form (and the map to place it), rendered once per goal,
    site version and language by each worker (hagen_isek/site_content.py), with a fresh
    submission token in each output."""

    if form.is_bound:  # never kept: it shows what this citizen typed
        return mark_safe(render_to_string(COMMENT_FORM_FIELDS, {"form": form}))  # noqa: S308

    def render() -> str:
        form.initial["submission_token"] = _SUBMISSION_PLACEHOLDER
        return render_to_string(COMMENT_FORM_FIELDS, {"form": form})

    key = ("comment-form", form.goal.pk, form.allows_placing, get_language())
    return _with_fresh_submission_tokens(site_content.kept(key, render))


@register.tag
def list_piece(parser, token):
    """{% list_piece key %}...{% endlist_piece %}: the content rendered once per key, language
    and (for a signed-in reader) address, kept in the worker's fragments cache; CSRF and
    submission tokens are filled in for each output, so a stored piece never carries them.
    `key` must hold everything the content shows that differs between readers
    (participation.discussion.Discussion.list_key)."""
    try:
        _tag, key = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("list_piece takes one argument: the key") from None
    nodelist = parser.parse(("endlist_piece",))
    parser.delete_first_token()
    return ListPieceNode(nodelist, parser.compile_filter(key))


def _format_day(day) -> str:
    return date_format(day, "j. F Y")


@register.filter
def is_in(value, collection) -> bool:
    """{{ comment.pk|is_in:discussion.supported_ids }}"""
    return value in collection


@register.filter
def round_start(comment_round: CommentRound) -> str:
    local = timezone.localtime(comment_round.starts_at)
    if local.time() == time(0):
        return _format_day(local.date())
    return _("%(date)s, %(time)s o’clock") % {
        "date": _format_day(local.date()),
        "time": date_format(local, "H:i"),
    }


@register.filter
def round_end(comment_round: CommentRound) -> str:
    """The end as people say it: a round ending at midnight runs "until" the day before."""
    if comment_round.ends_at_midnight:
        return _format_day(comment_round.last_day)
    local = timezone.localtime(comment_round.ends_at)
    return _("%(date)s, %(time)s o’clock") % {
        "date": _format_day(local.date()),
        "time": date_format(local, "H:i"),
    }


@register.inclusion_tag("participation/includes/measure_contributions.html")
def measure_contributions(measure, limit: int = 20) -> dict:
    """The contributions that changed the measure (an outcome recorded with it) and those that
    refer to it: their tallies (CommentQuerySet.tally) and the latest published ones (four
    queries)."""
    counted = Comment.objects.counted()
    listed = Comment.objects.published().select_related("goal", "author", "event")
    return {
        "changed": counted.filter(outcome_measure=measure).tally(),
        "changed_by": listed.filter(outcome_measure=measure).order_by("created_at", "pk")[:limit],
        "referring": counted.filter(measure=measure).tally(),
        "referring_latest": listed.filter(measure=measure).newest_first()[:limit],
    }


@register.inclusion_tag("participation/includes/district_contributions.html")
def district_contributions(district, limit: int = 10) -> dict:
    """Contributions from the district as counts, and the latest input from its workshops
    (three queries). Residents' own contributions are never listed here: sign-up promises that
    the district a person names is never shown publicly, and a list would tie it to pseudonyms."""
    comments = Comment.objects.counted().from_district(district)
    return {
        "district": district,
        "tally": comments.tally(),
        "workshop": comments.from_events().count(),
        "latest": Comment.objects.published()
        .top_level()
        .filter(event__district=district)
        .select_related("goal", "event")
        .newest_first()[:limit],
    }


@register.inclusion_tag("participation/includes/dossier_counts.html")
def dossier_participation_counts() -> dict:
    from participation import statistics

    return {"rows": statistics.per_goal(), "outcome_labels": statistics.outcome_labels()}


@register.inclusion_tag("participation/includes/follow_button.html", takes_context=True)
def follow_button(context, target) -> dict:
    """Follow or unfollow a goal or a district; for visitors a link to log in (no form, so the
    page stays in the page cache). Uses `target.is_followed` where the view annotated it
    (`with_followed_by`), else one query."""
    from django.urls import reverse

    from events.models import District
    from participation.services import is_following

    request = context["request"]
    is_district = isinstance(target, District)
    kwargs = {"district": target} if is_district else {"goal": target}
    name = "participation:follow-district" if is_district else "participation:follow-goal"
    return {
        "user": request.user,
        "target": target,
        "is_district": is_district,
        "is_following": getattr(target, "is_followed", None)
        if hasattr(target, "is_followed")
        else is_following(request.user, **kwargs),
        "action": reverse(name, kwargs={"slug": target.slug}),
        "next": request.get_full_path(),
    }
