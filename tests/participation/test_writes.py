"""Every write: the permission matrix, refusals with clear messages, CSRF, double submits."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.models import Comment, CommentRound, Support
from tests.conftest import logged_in
from tests.html import parse
from tests.participation.conftest import make_comment

pytestmark = pytest.mark.django_db


def create_url(goal) -> str:
    return reverse("participation:comment-create", args=[goal.slug])


def post_comment(client, goal, text="Mehr Radwege an der Volme!", **extra):
    data = {"text": text, "submission_token": str(uuid.uuid4()), **extra}
    return client.post(create_url(goal), data)


# --- create -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_and_back_to_the_goal(client, goal, open_round):
    response = client.post(create_url(goal), {"text": "Hallo", "next": goal.get_absolute_url()})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=/ziele/mobilitaet-neu-denken/" in response.url
    assert not Comment.objects.exists()


def test_unverified_account_is_refused_with_message(unverified, goal, open_round):
    response = post_comment(logged_in(unverified), goal)
    assert response.status_code == 403
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in response.content.decode()
    assert not Comment.objects.exists()


def test_verified_citizen_publishes_a_contribution(citizen_client, citizen, goal, open_round):
    response = post_comment(citizen_client, goal)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"/ziele/mobilitaet-neu-denken/#beitrag-{comment.pk}"
    assert (comment.author, comment.round, comment.status) == (
        citizen,
        open_round,
        Comment.Status.PUBLISHED,
    )
    page = citizen_client.get(response.url).content.decode()
    assert "Vielen Dank! Ihr Beitrag ist veröffentlicht." in page
    assert "Mehr Radwege an der Volme!" in page


def test_moderator_may_write_like_any_verified_citizen(moderator_client, goal, open_round):
    assert post_comment(moderator_client, goal).status_code == 302
    assert Comment.objects.count() == 1


def test_citizen_cannot_comment_after_round_closes(citizen_client, goal, closed_round):
    response = post_comment(citizen_client, goal)
    html = response.content.decode()
    assert response.status_code == 403
    assert "keine Beteiligungsrunde geöffnet" in html
    assert "Mehr Radwege an der Volme!" in html  # the text is kept
    assert not Comment.objects.exists()


def test_citizen_cannot_comment_on_a_goal_outside_the_round(
    citizen_client, goal, other_goal, open_round
):
    open_round.goals.add(other_goal)
    assert post_comment(citizen_client, goal).status_code == 403
    assert post_comment(citizen_client, other_goal).status_code == 302


def test_pre_moderated_round_holds_contribution_for_moderation(citizen_client, goal, open_round):
    open_round.moderation = CommentRound.Moderation.PRE
    open_round.save()
    response = post_comment(citizen_client, goal)
    assert Comment.objects.get().status == Comment.Status.PENDING
    html = citizen_client.get(response.url).content.decode()
    assert "sobald die Moderation ihn freigegeben hat" in html
    assert "nur für Sie sichtbar" in html
    assert "Mehr Radwege an der Volme!" not in Client().get(response.url).content.decode()


def test_form_errors_keep_the_typed_text(citizen_client, goal, open_round, other_goal):
    from goals.models import KeyMessage

    foreign = KeyMessage.objects.create(goal=other_goal, text="Fremde Botschaft")
    response = post_comment(citizen_client, goal, text="Mein Text", key_message=foreign.pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mein Text" in html
    assert "Bitte wählen Sie eine der Kernbotschaften und Maßnahmen dieses Ziels" in html
    assert not Comment.objects.exists()


def test_too_long_text_is_refused_and_kept(citizen_client, goal, open_round):
    text = "x" * 4001
    response = post_comment(citizen_client, goal, text=text)
    html = response.content.decode()
    assert "höchstens 4000 Zeichen" in html
    assert text in html


def test_empty_text_gets_a_clear_message(citizen_client, goal, open_round):
    html = post_comment(citizen_client, goal, text="   ").content.decode()
    assert "Bitte schreiben Sie einen Text" in html


def test_key_message_and_measure_of_the_goal_are_stored(
    citizen_client, goal, open_round, key_message, measure
):
    post_comment(citizen_client, goal, key_message=key_message.pk, measure=measure.pk)
    comment = Comment.objects.get()
    assert (comment.key_message, comment.measure) == (key_message, measure)


def test_a_measure_the_goal_page_does_not_offer_is_refused_and_the_text_kept(
    citizen_client, goal, open_round
):
    from goals.models import Measure

    draft = Measure.objects.create(is_published=False, slug="entwurf", text="Noch nicht öffentlich")
    draft.goals.add(goal)
    assert (
        "Noch nicht öffentlich" not in citizen_client.get(goal.get_absolute_url()).content.decode()
    )
    response = post_comment(citizen_client, goal, text="Mein Vorschlag", measure=draft.pk)
    assert response.status_code == 200 and not Comment.objects.exists()
    html = response.content.decode()
    assert "Mein Vorschlag" in html and "Noch nicht öffentlich" not in html


def test_double_submission_creates_one_contribution(citizen_client, goal, open_round):
    data = {"text": "Doppelt geklickt", "submission_token": str(uuid.uuid4())}
    first = citizen_client.post(create_url(goal), data)
    second = citizen_client.post(create_url(goal), data)
    assert Comment.objects.count() == 1
    assert first.url == second.url


def test_rate_limit_allows_five_contributions_in_ten_minutes(citizen_client, goal, open_round):
    for number in range(5):
        assert post_comment(citizen_client, goal, text=f"Beitrag {number}").status_code == 302
    response = post_comment(citizen_client, goal, text="Der sechste Beitrag")
    html = response.content.decode()
    assert "Sie haben in den letzten 10 Minuten 5 Beiträge geschrieben" in html
    assert "Der sechste Beitrag" in html
    assert Comment.objects.count() == 5


def test_csrf_is_enforced_on_every_write(citizen, goal, open_round, comment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    urls = [
        create_url(goal),
        reverse("participation:comment-reply", args=[comment.pk]),
        reverse("participation:comment-edit", args=[comment.pk]),
        reverse("participation:comment-withdraw", args=[comment.pk]),
        reverse("participation:support-toggle", args=[comment.pk]),
    ]
    for url in urls:
        assert client.post(url, {"text": "ohne Token"}).status_code == 403, url
    assert Comment.objects.count() == 1
    assert Comment.objects.get().status == Comment.Status.PUBLISHED


@pytest.mark.parametrize("name", ["comment-reply", "support-toggle"])
def test_get_on_a_write_is_not_allowed(citizen_client, comment, name):
    assert (
        citizen_client.get(reverse(f"participation:{name}", args=[comment.pk])).status_code == 405
    )


# --- reply ------------------------------------------------------------------------------------


def reply_url(comment) -> str:
    return reverse("participation:comment-reply", args=[comment.pk])


def test_anonymous_cannot_reply(client, comment):
    response = client.post(reply_url(comment), {"text": "Antwort"})
    assert response.status_code == 302 and "/konto/login/" in response.url
    assert Comment.objects.count() == 1


def test_unverified_cannot_reply(unverified, comment):
    assert logged_in(unverified).post(reply_url(comment), {"text": "Antwort"}).status_code == 403
    assert Comment.objects.count() == 1


def test_citizen_replies_one_level_deep(other_citizen, comment):
    client = logged_in(other_citizen)
    response = client.post(reply_url(comment), {"text": "Gute Idee", "next": "/ziele/x/"})
    reply = Comment.objects.get(parent=comment)
    assert response.status_code == 302
    assert response.url == f"/ziele/mobilitaet-neu-denken/#beitrag-{reply.pk}"
    response = client.post(reply_url(reply), {"text": "Antwort auf Antwort"})
    assert response.status_code == 403
    assert Comment.objects.count() == 2


def test_reply_keeps_page_and_sort_of_the_goal_page(other_citizen, comment):
    next_url = "/ziele/mobilitaet-neu-denken/?seite=2&sortierung=zustimmung"
    response = logged_in(other_citizen).post(
        reply_url(comment), {"text": "Gute Idee", "next": next_url}
    )
    assert response.url.startswith(next_url + "#beitrag-")


def test_reply_after_round_closed_is_refused(other_citizen, comment, open_round):
    open_round.ends_at = timezone.now() - timedelta(seconds=1)
    open_round.starts_at = open_round.ends_at - timedelta(days=5)
    open_round.save()
    response = logged_in(other_citizen).post(reply_url(comment), {"text": "Zu spät"})
    assert response.status_code == 403
    assert "keine Beteiligungsrunde geöffnet" in response.content.decode()


# --- edit -------------------------------------------------------------------------------------


def edit_url(comment) -> str:
    return reverse("participation:comment-edit", args=[comment.pk])


def test_author_edits_within_15_minutes_and_it_is_marked(citizen_client, comment):
    response = citizen_client.post(edit_url(comment), {"text": "Mehr sichere Radwege!"})
    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.text == "Mehr sichere Radwege!"
    assert comment.edited_at is not None
    assert "bearbeitet" in citizen_client.get(response.url).content.decode()


def test_author_cannot_edit_after_15_minutes(citizen_client, comment):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=15, seconds=1)
    )
    response = citizen_client.post(edit_url(comment), {"text": "Zu spät geändert"}, follow=True)
    comment.refresh_from_db()
    assert comment.text == "Mehr Radwege!"
    assert "nur in den ersten 15 Minuten bearbeitet" in response.content.decode()


def test_edit_form_shows_the_current_text(citizen_client, comment):
    html = citizen_client.get(edit_url(comment)).content.decode()
    assert "Mehr Radwege!" in html


@pytest.mark.parametrize("persona", ["other_citizen", "moderator", "unverified"])
def test_nobody_else_can_edit(request, comment, persona):
    client = logged_in(request.getfixturevalue(persona))
    assert client.post(edit_url(comment), {"text": "Fremd geändert"}).status_code == 404
    comment.refresh_from_db()
    assert comment.text == "Mehr Radwege!"


def test_anonymous_cannot_edit(client, comment):
    assert client.post(edit_url(comment), {"text": "x"}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Mehr Radwege!"


# --- withdraw ---------------------------------------------------------------------------------


def withdraw_url(comment) -> str:
    return reverse("participation:comment-withdraw", args=[comment.pk])


def test_author_withdraws_and_a_placeholder_stays(citizen_client, comment):
    assert "nicht rückgängig" in citizen_client.get(withdraw_url(comment)).content.decode()
    response = citizen_client.post(withdraw_url(comment))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.WITHDRAWN
    assert comment.text == "Mehr Radwege!"  # kept in the database, never destroyed
    html = Client().get(response.url).content.decode()
    assert "Dieser Beitrag wurde von der verfassenden Person zurückgezogen." in html
    assert "Mehr Radwege!" not in html


@pytest.mark.parametrize("persona", ["other_citizen", "moderator"])
def test_nobody_else_can_withdraw(request, comment, persona):
    client = logged_in(request.getfixturevalue(persona))
    assert client.post(withdraw_url(comment)).status_code == 404
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_anonymous_cannot_withdraw(client, comment):
    assert client.post(withdraw_url(comment)).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


# --- support ----------------------------------------------------------------------------------


def support_url(comment) -> str:
    return reverse("participation:support-toggle", args=[comment.pk])


def test_citizen_supports_and_withdraws_support(other_citizen, comment):
    client = logged_in(other_citizen)
    response = client.post(support_url(comment))
    assert response.url == f"/ziele/mobilitaet-neu-denken/#beitrag-{comment.pk}"
    assert Support.objects.filter(comment=comment, user=other_citizen).count() == 1
    assert "Sie stimmen diesem Beitrag zu." in client.get(response.url).content.decode()
    client.post(support_url(comment))
    assert not Support.objects.exists()


def test_author_cannot_support_own_contribution(citizen_client, comment):
    html = citizen_client.post(support_url(comment), follow=True).content.decode()
    assert "Ihrem eigenen Beitrag" in html
    assert not Support.objects.exists()


def test_unverified_cannot_support(unverified, comment):
    logged_in(unverified).post(support_url(comment))
    assert not Support.objects.exists()


def test_anonymous_cannot_support(client, comment):
    response = client.post(support_url(comment))
    assert response.status_code == 302 and "/konto/login/" in response.url
    assert not Support.objects.exists()


def test_moderator_supports_like_a_citizen(moderator_client, comment):
    moderator_client.post(support_url(comment))
    assert Support.objects.count() == 1


def test_support_after_round_closed_is_refused(other_citizen, goal, closed_round, citizen):
    old = make_comment(goal=goal, comment_round=closed_round, author=citizen)
    logged_in(other_citizen).post(support_url(old))
    assert not Support.objects.exists()


def test_contribution_field_does_not_cut_pasted_text_and_offers_a_count(
    citizen_client, goal, open_round
):
    html = citizen_client.get(goal.get_absolute_url()).content.decode()
    [field] = [
        attrs
        for tag, attrs in parse(html).tags
        if tag == "textarea" and attrs.get("name") == "text"
    ]
    assert "maxlength" not in field
    assert field["data-character-limit"] == "4000"
    assert field["data-over-text"] == "%(count)s Zeichen zu viel"
    assert "/static/js/character-count" in html
