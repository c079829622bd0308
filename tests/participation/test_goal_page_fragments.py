"""The goal page keeps each contribution's rendered HTML (hagen_isek/fragments.py): every change a
reader could see shows on the next render, and what only one reader sees is never shared."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from participation import services
from participation.models import Comment
from tests.conftest import logged_in
from tests.participation.conftest import make_comment

pytestmark = pytest.mark.django_db


def page(client, goal, prefix="") -> str:
    response = client.get(prefix + goal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_pieces_are_cached_and_served_from_the_cache(client, goal, open_round, comment):
    page(client, goal)
    fragments = caches["fragments"]
    keys = list(fragments._cache)  # LocMemCache: what the first render stored
    assert keys
    html = page(client, goal)
    assert "Mehr Radwege!" in html
    assert list(fragments._cache) == keys  # the second render stored nothing new


def test_an_edit_shows_on_the_next_render(citizen, goal, open_round, comment):
    client = logged_in(citizen)
    assert "Mehr Radwege!" in page(client, goal)
    services.comment_edit(comment=comment, user=citizen, text="Mehr und breitere Radwege!")
    html = page(client, goal)
    assert "Mehr und breitere Radwege!" in html
    assert "Mehr Radwege!" not in html
    assert "bearbeitet am" in html


def test_hidden_and_withdrawn_contributions_never_come_back_from_the_cache(
    client, citizen, moderator, goal, open_round, comment
):
    assert "Mehr Radwege!" in page(client, goal)
    services.comment_hide(comment=comment, moderator=moderator, reason="spam", note="Werbung")
    html = page(client, goal)
    assert "Mehr Radwege!" not in html
    assert "Dieser Beitrag wurde von der Moderation ausgeblendet: Spam" in html

    comment.refresh_from_db()
    services.comment_restore(comment=comment, moderator=moderator)
    assert "Mehr Radwege!" in page(client, goal)

    comment.refresh_from_db()
    services.comment_withdraw(comment=comment, user=citizen)
    html = page(client, goal)
    assert "Mehr Radwege!" not in html
    assert "Dieser Beitrag wurde von der verfassenden Person zurückgezogen." in html


def test_supports_answers_outcomes_and_names_show_on_the_next_render(
    client, citizen, other_citizen, editor, goal, open_round, comment
):
    assert "0 Zustimmungen" in page(client, goal)
    services.support_toggle(comment=comment, user=other_citizen)
    assert "1 Zustimmung" in page(client, goal)
    services.answer_create(comment=comment, author=editor, text="Wir prüfen das.")
    assert "Wir prüfen das." in page(client, goal)
    citizen.display_name = "Radlerin"
    citizen.save()
    assert "Radlerin" in page(client, goal)
    Comment.objects.filter(pk=comment.pk).update(
        outcome=Comment.Outcome.FORWARDED, outcome_at=timezone.now()
    )
    assert "An Fachbereich weitergeleitet" in page(client, goal)


def test_reader_specific_controls_are_not_taken_from_another_readers_render(
    client, citizen, other_citizen, goal, open_round, comment
):
    page(client, goal)  # an anonymous reader fills the cache first
    author_html = page(logged_in(citizen), goal)
    assert f"/beitraege/{comment.pk}/bearbeiten/" in author_html
    assert f"/beitraege/{comment.pk}/zurueckziehen/" in author_html
    assert f"/beitraege/{comment.pk}/melden/" not in author_html

    services.support_toggle(comment=comment, user=other_citizen)
    other_html = page(logged_in(other_citizen), goal)
    assert f"/beitraege/{comment.pk}/melden/" in other_html
    assert 'aria-pressed="true"' in other_html
    assert f"/beitraege/{comment.pk}/bearbeiten/" not in other_html
    assert f"/beitraege/{comment.pk}/bearbeiten/" not in page(client, goal)


def test_only_the_author_of_a_hidden_contribution_sees_the_objection_link(
    client, citizen, other_citizen, moderator, goal, open_round, comment
):
    services.comment_hide(comment=comment, moderator=moderator, reason="spam", note="Werbung")
    objection = f"/beitraege/{comment.pk}/widerspruch/"
    assert objection not in page(client, goal)
    assert objection in page(logged_in(citizen), goal)
    assert objection not in page(logged_in(other_citizen), goal)


def test_own_pending_edit_badge_is_only_for_the_author(client, citizen, goal, open_round, comment):
    Comment.objects.filter(pk=comment.pk).update(pending_text="Geänderter Text")
    badge = "Ihre Änderung wartet auf Freigabe"
    assert badge in page(logged_in(citizen), goal)
    assert badge not in page(client, goal)


def test_german_and_english_pieces_are_kept_apart(client, citizen, goal, open_round):
    edited = make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Bearbeitet",
        edited_at=timezone.now() - timedelta(minutes=1),
    )
    assert "bearbeitet am" in page(client, goal)
    english = page(client, goal, prefix="/en")
    assert "edited on" in english and "bearbeitet am" not in english
    assert f'id="beitrag-{edited.pk}"' in english


def test_event_lists_show_a_changed_event_on_the_next_render(client, goal):
    from tests.events.conftest import make_event

    event = make_event("werkstatt-haspe", title="Werkstatt Haspe")
    event.goals.add(goal)
    assert "Werkstatt Haspe" in page(client, goal)
    assert "Werkstatt Haspe" in client.get("/termine/").content.decode()
    event.title = "Stadtteilwerkstatt Haspe"
    event.status = event.Status.CANCELLED
    event.save()
    for html in (page(client, goal), client.get("/termine/").content.decode()):
        assert "Stadtteilwerkstatt Haspe" in html
        assert "Werkstatt Haspe</a>" not in html.replace("Stadtteilwerkstatt Haspe</a>", "")
        assert "event-status-cancelled" in html
    event.is_published = False
    event.save()
    assert "Stadtteilwerkstatt Haspe" not in page(client, goal)
    assert "Stadtteilwerkstatt Haspe" not in client.get("/termine/").content.decode()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "name",
    [
        "participation:support-toggle",
        "participation:comment-report",
        "participation:comment-reply",
        "participation:comment-edit",
        "participation:comment-withdraw",
        "participation:comment-object",
    ],
)
def test_contribution_links_are_what_reverse_gives_in_each_language(name, language):
    from django.urls import reverse
    from django.utils import translation

    from participation.templatetags.participation_tags import contribution_url

    with translation.override(language):
        for pk in (7, 987654321, 12):
            assert contribution_url(pk, name) == reverse(name, args=[pk])


# --- the stored list ({% list_piece %}, Discussion.list_key) ----------------------------------


def csrf_client(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_readers_in_another_state_never_get_each_others_list(
    citizen, other_citizen, goal, open_round, comment
):
    from tests.conftest import make_user

    third = make_user("carla@example.org", "Carla")
    services.support_toggle(comment=comment, user=other_citizen)
    for _ in range(2):  # the second round is served from the stored pieces
        supporter = page(logged_in(other_citizen), goal)
        reader = page(logged_in(third), goal)
        author = page(logged_in(citizen), goal)
        assert 'aria-pressed="true"' in supporter and 'aria-pressed="false"' not in supporter
        assert 'aria-pressed="false"' in reader and 'aria-pressed="true"' not in reader
        assert f"/beitraege/{comment.pk}/bearbeiten/" in author
        assert f"/beitraege/{comment.pk}/bearbeiten/" not in reader + supporter
        assert f"/beitraege/{comment.pk}/melden/" not in author


def test_a_stored_list_carries_each_readers_own_working_tokens(
    citizen, other_citizen, goal, open_round, comment
):
    import re

    from tests.conftest import make_user

    page(logged_in(make_user("carla@example.org", "Carla")), goal)  # stores the list
    client = csrf_client(other_citizen)
    html = page(client, goal)
    tokens = re.findall(r'name="submission_token" value="([^"]+)"', html)
    again = re.findall(r'name="submission_token" value="([^"]+)"', page(client, goal))
    assert tokens and len(set(tokens + again)) == len(tokens) + len(again)  # fresh each time
    form = re.search(
        rf'action="/beitraege/{comment.pk}/zustimmung/">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    )
    assert form, "the support form with this reader's token"
    response = client.post(
        f"/beitraege/{comment.pk}/zustimmung/",
        {"csrfmiddlewaretoken": form.group(1), "next": goal.get_absolute_url()},
    )
    assert response.status_code == 302
    assert 'aria-pressed="true"' in page(client, goal)


def test_the_edit_link_goes_when_the_window_closes_without_any_write(
    citizen, goal, open_round, comment, monkeypatch
):
    client = logged_in(citizen)
    assert f"/beitraege/{comment.pk}/bearbeiten/" in page(client, goal)
    later = comment.created_at + Comment.EDIT_WINDOW + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = page(client, goal)
    assert f"/beitraege/{comment.pk}/bearbeiten/" not in html
    assert f"/beitraege/{comment.pk}/zurueckziehen/" in html


def test_references_show_whether_or_not_the_goal_page_loaded_them(
    client, goal, open_round, comment, key_message, measure
):
    """Key messages and measures come from the goal's own content; a measure of another goal
    or an unpublished one (an outcome recorded elsewhere) is loaded for the page."""
    from goals.models import Goal, Measure

    other = Goal.objects.create(slug="anderes-ziel", title="Anderes Ziel", number=3)
    elsewhere = Measure.objects.create(is_published=True, slug="woanders", text="Woanders")
    elsewhere.goals.add(other)
    unpublished = Measure.objects.create(is_published=False, slug="entwurf", text="Im Entwurf")
    unpublished.goals.add(goal)
    Comment.objects.filter(pk=comment.pk).update(
        key_message=key_message,
        measure=unpublished,
        outcome=Comment.Outcome.ADOPTED,
        outcome_measure=elsewhere,
    )
    reply = make_comment(goal=goal, comment_round=open_round, author=comment.author, text="Ja")
    Comment.objects.filter(pk=reply.pk).update(parent=comment, measure=measure)
    html = page(client, goal)
    assert "Verkehrsbelastungen verringern" in html  # the key message, from the goal
    assert "Im Entwurf" in html and "Woanders" in html  # loaded for the page
    assert html.count("Radverkehr stärken") >= 2  # the goal's measure, listed and referred to


def test_the_kept_contribution_form_gives_each_view_its_own_submission_token(
    citizen, other_citizen, goal, open_round
):
    import re

    from tests.html import parse

    def form_fields(html: str) -> dict[str, str]:
        start = html.index('class="comment-form"')
        fields = {}
        for tag, attrs in parse(html[start : html.index("</form>", start)]).tags:
            if tag in ("input", "textarea") and attrs.get("name"):
                fields[attrs["name"]] = attrs.get("value", "")
        return fields

    page(logged_in(citizen), goal)  # renders and keeps the form
    client = csrf_client(other_citizen)
    first, second = form_fields(page(client, goal)), form_fields(page(client, goal))
    uuid_pattern = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.fullmatch(uuid_pattern, first["submission_token"])
    assert first["submission_token"] != second["submission_token"]
    url = f"/ziele/{goal.slug}/beitraege/neu/"
    data = {**first, "text": "Aus dem gespeicherten Formular."}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: stored once
    assert Comment.objects.filter(text="Aus dem gespeicherten Formular.").count() == 1
