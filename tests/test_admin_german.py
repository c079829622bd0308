"""Every admin page a member of staff can open reads German: no English UI word on it.

The walk covers, for the editor and the moderator, the start page and for every model they may
see the list, the add form and one object's change form, history and delete confirmation."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from events.models import Event
from goals.models import Goal
from participation.models import Comment, CommentRound, OfficialAnswer, Report
from tests.conftest import make_user

# English words of the admin's interface that are not also German words (so "Status", "Name",
# "Text", "Filter", "Export" or "Position" are not listed).
ENGLISH_WORDS = """
    the and or of with without for is are this that by at all not any
    Add Change Delete History Save Search Home Yes No None Unknown Today Now Show
    Hide Remove Select selected Choose Go View site Recent actions Flat Pages
    draft published reported pending hidden chars Available Chosen Clear Currently
    another field changed added deleted Goal Goals goal goals Measure measures
    Event events round Round contribution contributions message Message Key key
    Site Sites Object Revert Date Time Title Description Created Updated Comment
    Comments User Users Changed Added Reason Note State Sort All Any Empty Not
    empty Unpublish Publish Duplicate Approve Restore reports answer outcome
"""
ENGLISH = frozenset(ENGLISH_WORDS.split())
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
SKIPPED = {"script", "style", "textarea", "template", "option"}


class VisibleText(HTMLParser):
    """Text a planner reads, plus the labels screen readers announce."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        values = dict(attrs)
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        hits = [word for word in WORD.findall(part) if word in ENGLISH]
        if hits:
            found.append(f"{' '.join(hits)} in „{part.strip()[:80]}“")
    return found


def admin_pages(user) -> list[str]:
    """The URLs of every admin page the user may open, one object per model."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{info}_add"))
        obj = model_admin.get_queryset(request).first()
        if obj is None:
            continue
        urls.append(reverse(f"{info}_change", args=[obj.pk]))
        urls.append(reverse(f"{info}_history", args=[obj.pk]))
        if hasattr(model, "history") and (version := model.history.filter(id=obj.pk).first()):
            urls.append(reverse(f"{info}_simple_history", args=[obj.pk, version.history_id]))
        if model_admin.has_delete_permission(request, obj):
            urls.append(reverse(f"{info}_delete", args=[obj.pk]))
    return urls


@pytest.fixture
def staff_data(seeded):
    round_ = CommentRound.objects.published().first() or CommentRound.objects.first()
    citizen = make_user("walk@example.org", "Spaziergang")
    comment = Comment.objects.create(
        goal=round_.goals.first() or Goal.objects.first(),
        round=round_,
        author=citizen,
        text="Mehr Bänke am Volmeufer, bitte.",
        status=Comment.Status.PUBLISHED,
    )
    Report.objects.create(comment=comment, reporter=citizen, reason=Report.Reason.SPAM)
    OfficialAnswer.objects.create(comment=comment, text="Wir prüfen das.")
    return comment


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_every_admin_page_of_a_role_reads_german(role, request, staff_data):
    user = request.getfixturevalue(role)
    client = request.getfixturevalue(f"{role}_client")
    problems = {}
    for url in admin_pages(user):
        response = client.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode())
        if words:
            problems[url] = words
    assert not problems, "\n".join(f"{url}: {words}" for url, words in problems.items())


def test_german_catalog_uses_one_term_per_concept():
    catalog = (
        Path(__file__).resolve().parents[1] / "hagen_isek/locale/de/LC_MESSAGES/django.po"
    ).read_text(encoding="utf-8")
    german = "\n".join(line for line in catalog.splitlines() if not line.startswith("msgid"))
    assert "Kernaussage" not in german  # the ISEK says "Kernbotschaft"
    assert str(Event._meta.get_field("report").verbose_name) == "Dokumentation"  # not "Meldung"


@pytest.mark.django_db
def test_moderation_success_message_is_a_sentence(moderator_client, staff_data):
    response = moderator_client.post(
        reverse("admin:participation_comment_changelist"),
        {
            "action": "hide_selected",
            "_selected_action": [staff_data.pk],
            "apply": "1",
            "reason": Comment.ModerationReason.SPAM,
            "note": "Werbung",
        },
        follow=True,
    )
    assert "1 Beitrag wurde ausgeblendet." in response.content.decode()


@pytest.mark.django_db
def test_admin_and_its_scripts_speak_german_to_an_english_browser(editor_client):
    page = editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Was zu tun ist" in page.content.decode()
    scripts = editor_client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Alle ausw\\u00e4hlen" in scripts.content.decode()  # the catalog as JSON
