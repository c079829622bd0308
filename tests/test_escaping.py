"""User-supplied text and file names are escaped wherever they appear: public pages, the
signed-in pages, the admin, the data download and e-mails."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from events.models import Event, EventDocument
from goals.models import Goal
from participation.models import Comment, CommentRound
from tests.conftest import logged_in, make_user

ATTACK = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
RAW_MARKERS = ["<script>alert", "<img src=x", "onerror=alert(1)>"]


def assert_escaped(html: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, marker
    assert "&lt;script&gt;alert(" in html


@pytest.fixture
def discussion(db):
    now = timezone.now()
    goal = Goal.objects.create(slug="ziel", title="Hagener Zentren", status=Goal.Status.PUBLISHED)
    comment_round = CommentRound.objects.create(
        title="Runde",
        slug="runde",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=5),
        is_published=True,
    )
    # Display names refuse control characters but may contain markup characters.
    author = make_user("mallory@example.org", "<b>Mal</b><script>alert(2)")  # 40 at most
    comment = Comment.objects.create(
        goal=goal, round=comment_round, author=author, text=ATTACK + "\njavascript:alert(1)"
    )
    Comment.objects.create(
        goal=goal, round=comment_round, author=author, parent=comment, text=ATTACK
    )
    return goal, author, comment


@pytest.mark.django_db
def test_contribution_text_and_display_name_are_escaped_on_the_goal_page(discussion):
    goal, author, comment = discussion
    html = Client().get(goal.get_absolute_url()).content.decode()
    assert_escaped(html)
    assert "&lt;b&gt;Mal&lt;/b&gt;&lt;script&gt;alert(2)" in html
    assert 'href="javascript:' not in html


@pytest.mark.django_db
def test_own_pages_escape_the_display_name_and_text(discussion):
    goal, author, comment = discussion
    client = logged_in(author)
    for url in [
        goal.get_absolute_url(),
        "/konto/uebersicht/",
        f"/beitraege/{comment.pk}/bearbeiten/",
        f"/beitraege/{comment.pk}/zurueckziehen/",
        "/",
    ]:
        html = client.get(url).content.decode()
        for marker in RAW_MARKERS:
            assert marker not in html, (url, marker)


@pytest.mark.django_db
def test_rejected_input_is_shown_escaped(discussion):
    goal, author, comment = discussion
    cache.clear()
    response = logged_in(author).post(
        f"/ziele/{goal.slug}/beitraege/neu/", {"text": ATTACK, "key_message": ATTACK}
    )
    assert response.status_code == 200
    assert_escaped(response.content.decode())


@pytest.mark.django_db
def test_admin_lists_escape_contributions(discussion, editor):
    html = logged_in(editor).get("/admin/participation/comment/").content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html


@pytest.mark.django_db
def test_data_download_is_an_attachment_that_browsers_never_render(discussion):
    goal, author, comment = discussion
    response = logged_in(author).get("/konto/meine-daten/")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == author.display_name  # verbatim for its owner


@pytest.mark.django_db
def test_uploaded_file_names_and_titles_are_sanitised_and_escaped(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = Event.objects.create(
        slug="werkstatt",
        title="Werkstatt",
        kind=Event.Kind.DISTRICT_WORKSHOP,
        audience=Event.Audience.PUBLIC,
        starts_at=timezone.now() - timedelta(days=3),
        is_published=True,
    )
    document = EventDocument.objects.create(
        event=event,
        title=ATTACK,
        alt_text=ATTACK,
        file=SimpleUploadedFile(f"{ATTACK}.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    )
    assert "<" not in document.file.name and '"' not in document.file.name
    html = Client().get(event.get_absolute_url()).content.decode()
    assert_escaped(html)


@pytest.mark.django_db
def test_e_mails_are_plain_text_without_user_supplied_markup():
    cache.clear()
    response = Client().post(
        "/konto/signup/",
        {
            "email": "neu@example.org",
            "display_name": "<b>Neu</b>",
            "password1": "Ein-langes-Passwort-2035",
            "password2": "Ein-langes-Passwort-2035",
            "accept_netiquette": "on",
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302
    Client().post("/konto/password/reset/", {"email": '"<b>x</b>"@example.org'})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert not getattr(message, "alternatives", [])  # no HTML part to inject into
        assert "\n" not in message.subject
        assert "<b>Neu</b>" not in message.body
