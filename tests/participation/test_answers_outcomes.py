"""Issue 6: official answers, outcomes, e-mails with unsubscribe links, workshop input."""

import re

import pytest

from goals.models import Measure
from participation import services
from participation.models import Comment, EvaluationTag
from tests.html import tallies

from .conftest import make_comment
from .moderation_fixtures import haspe, haspe_workshop

BADGE = '<span class="badge">Antwort der Stadt Hagen</span>'
# The management forms of the change page's inlines (answers, reports, moderation log).
INLINES = {
    f"{prefix}-{field}": "0"
    for prefix in ("official_answers", "versions", "objections", "reports", "moderation_log")
    for field in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def unsubscribe_path(body: str) -> str:
    url = re.search(r"https?://\S+/konto/benachrichtigungen/abbestellen/\S+/", body).group(0)
    return "/" + url.split("/", 3)[3]


# Answers -------------------------------------------------------------------------------------


def test_official_answer_is_shown_with_badge(client, comment, editor):
    services.answer_create(comment=comment, author=editor, text="Wir prüfen neue Radwege.")
    html = client.get(comment.goal.get_absolute_url()).content.decode()
    assert html.count(BADGE) == 1
    assert "Wir prüfen neue Radwege." in html
    assert "Redaktion" not in html.split('id="beitraege"')[1]  # the staff member stays internal


def test_citizen_cannot_fake_the_badge(client, goal, open_round, other_citizen):
    make_comment(
        goal=goal,
        comment_round=open_round,
        author=other_citizen,
        text=f'{BADGE}<section class="official-answer">Antwort der Stadt Hagen</section>',
    )
    html = client.get(goal.get_absolute_url()).content.decode()
    assert BADGE not in html
    assert "&lt;span class=&quot;badge&quot;&gt;Antwort der Stadt Hagen" in html


def test_answer_written_in_the_admin_is_logged_and_mailed(
    moderator_client, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/admin/participation/comment/{comment.pk}/change/"
    data = {
        **INLINES,
        "official_answers-TOTAL_FORMS": "1",
        "official_answers-0-text": "Danke, wir nehmen das auf.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    answer = comment.official_answers.get()
    assert answer.author == moderator
    assert comment.moderation_log.get().action == "answer"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]


def test_answer_mail_is_german_text_and_html_with_working_unsubscribe(
    client, comment, editor, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_create(comment=comment, author=editor, text="Wir prüfen das.")
    mail = mailoutbox[0]
    assert mail.subject == "[HAGENplant 2035] Die Stadt Hagen hat auf Ihren Beitrag geantwortet"
    assert "Guten Tag Alice," in mail.body and "Wir prüfen das." in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and 'lang="de"' in html and "Wir prüfen das." in html
    assert mail.extra_headers["List-Unsubscribe"].startswith("<http")
    path = unsubscribe_path(mail.body)
    assert path in html

    page = client.get(path)  # no login needed
    assert "Möchten Sie keine E-Mail mehr erhalten, wenn die Stadt" in page.content.decode()
    done = client.post(path)
    assert "Erledigt." in done.content.decode()
    citizen.refresh_from_db()
    assert citizen.notify_on_answer is False and citizen.notify_on_reply is True

    with django_capture_on_commit_callbacks(execute=True):
        services.answer_create(comment=comment, author=editor, text="Noch eine Antwort.")
    assert len(mailoutbox) == 1


def test_reply_mail_goes_to_the_author_with_its_own_unsubscribe(
    client,
    goal,
    open_round,
    comment,
    citizen,
    other_citizen,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            author=other_citizen, goal=goal, text="Sehe ich auch so.", parent=comment
        )
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.org"]
    assert "Bob hat auf Ihren Beitrag" in mail.body
    client.post(unsubscribe_path(mail.body))
    citizen.refresh_from_db()
    assert citizen.notify_on_reply is False and citizen.notify_on_answer is True


def test_own_reply_sends_no_mail(
    goal, open_round, comment, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(author=citizen, goal=goal, text="Nachtrag", parent=comment)
    assert mailoutbox == []


def test_forged_unsubscribe_token_is_refused(client, citizen):
    response = client.post("/konto/benachrichtigungen/abbestellen/falsch/")
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert citizen.notify_on_answer is True


def test_account_page_offers_the_notification_settings(citizen_client):
    html = citizen_client.get("/konto/uebersicht/").content.decode()
    assert "E-Mail bei Antwort der Stadt" in html and "E-Mail bei Antworten anderer" in html


# Outcomes ------------------------------------------------------------------------------------


@pytest.fixture
def adopted(goal, open_round, citizen, measure) -> Comment:
    comment = make_comment(
        goal=goal, comment_round=open_round, author=citizen, text="Radstation am Bahnhof"
    )
    comment.outcome = Comment.Outcome.ADOPTED
    comment.outcome_measure = measure
    comment.full_clean()
    comment.save()
    return comment


def test_outcome_trace_links_the_measure(client, adopted, measure):
    html = client.get(adopted.goal.get_absolute_url()).content.decode()
    assert "Ergebnis:</strong> Übernommen" in html
    assert f'href="{measure.get_absolute_url()}"' in html


def test_measure_page_lists_contributions_that_led_to_it(client, adopted, measure):
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "Beiträge, die zu dieser Maßnahme geführt haben" in html
    assert "Radstation am Bahnhof" in html


def test_goal_page_filters_by_outcome(client, adopted, comment):
    url = adopted.goal.get_absolute_url()
    html = client.get(url + "?ergebnis=uebernommen").content.decode()
    assert "Radstation am Bahnhof" in html and "Mehr Radwege!" not in html
    html = client.get(url + "?ergebnis=nicht-uebernommen").content.decode()
    assert "Zu diesem Ziel hat noch kein Beitrag dieses Ergebnis." in html
    assert "Mehr Radwege!" in client.get(url + "?ergebnis=unsinn").content.decode()


def test_outcome_rules(comment):
    comment.outcome = Comment.Outcome.REJECTED
    with pytest.raises(Exception, match="begründen"):
        comment.full_clean()
    comment.outcome = Comment.Outcome.ADOPTED
    with pytest.raises(Exception, match="Maßnahme oder Kernbotschaft"):
        comment.full_clean()


def test_editor_sets_outcome_and_tags_in_the_admin_and_it_is_logged(editor_client, comment, editor):
    tag = EvaluationTag.objects.create(name="Anzahl der Ziele")
    response = editor_client.post(
        f"/admin/participation/comment/{comment.pk}/change/",
        {
            "outcome": "rejected",
            "outcome_note": "Liegt außerhalb des Stadtgebiets.",
            "tags": [tag.pk],
            **INLINES,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    comment.refresh_from_db()
    assert comment.outcome == "rejected" and comment.outcome_at is not None
    assert list(comment.tags.all()) == [tag]
    assert comment.moderation_log.get().action == "outcome"


def test_moderator_cannot_set_outcomes(moderator_client, comment):
    moderator_client.post(
        f"/admin/participation/comment/{comment.pk}/change/",
        {
            "outcome": "forwarded",
            **INLINES,
        },
    )
    comment.refresh_from_db()
    assert comment.outcome == ""


# Workshop input ------------------------------------------------------------------------------


def test_editor_enters_workshop_input_without_account(editor_client, goal, open_round):
    event = haspe_workshop()
    response = editor_client.post(
        "/admin/participation/comment/add/",
        {
            "round": open_round.pk,
            "goal": goal.pk,
            "event": event.pk,
            "text": "Karte: Mehr Bänke am Markt",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    comment = Comment.objects.get()
    assert (comment.author, comment.source, comment.status) == (None, "event", "published")


def test_workshop_input_needs_an_event(editor_client, goal, open_round):
    response = editor_client.post(
        "/admin/participation/comment/add/",
        {"round": open_round.pk, "goal": goal.pk, "text": "Ohne Quelle"},
    )
    assert response.status_code == 200
    assert not Comment.objects.exists()


def test_workshop_input_on_goal_page_names_event_and_date(client, goal, open_round, editor):
    services.workshop_contribution_create(
        editor=editor, round=open_round, goal=goal, event=haspe_workshop(), text="Mehr Bänke"
    )
    html = client.get(goal.get_absolute_url()).content.decode()
    assert "aus der Stadtbezirkswerkstatt Haspe, 03.07.2018" in html
    assert "Mehr Bänke" in html


def test_district_page_counts_residents_but_lists_only_workshop_input(
    client, goal, open_round, citizen, editor
):
    citizen.district = haspe()
    citizen.save()
    make_comment(goal=goal, comment_round=open_round, author=citizen, text="Aus Haspe online")
    services.workshop_contribution_create(
        editor=editor, round=open_round, goal=goal, event=haspe_workshop(), text="Aus der Werkstatt"
    )
    html = client.get("/bezirke/haspe/").content.decode()
    assert tallies(html) == [(2, 0)]
    assert "Beiträge und Antworten:" in html and "davon ausgeblendet:" in html
    assert "Davon 1 aus einer Werkstatt." in html
    assert "Aus der Werkstatt" in html
    # Sign-up promises the district is never shown publicly: no resident's text, name or link.
    assert "Aus Haspe online" not in html and "Alice" not in html
    resident_comment = Comment.objects.get(text="Aus Haspe online")
    assert f"#beitrag-{resident_comment.pk}" not in html


def test_measure_an_outcome_led_to_cannot_be_deleted_and_the_page_names_the_contribution(
    editor_client, comment, measure
):
    Comment.objects.filter(pk=comment.pk).update(
        outcome=Comment.Outcome.ADOPTED, outcome_measure=measure
    )
    url = f"/admin/goals/measure/{measure.pk}/delete/"
    html = editor_client.get(url).content.decode()
    assert "geschützten" in html and "Beitrag " in html and "führte zu dieser Maßnahme" in html
    assert "Mehr Radwege!" in html
    editor_client.post(url, {"post": "yes"})
    assert Measure.objects.filter(pk=measure.pk).exists()
    comment.refresh_from_db()
    assert comment.outcome_measure == measure


def test_official_answers_keep_their_history(comment, editor):
    answer = services.answer_create(comment=comment, author=editor, text="Erste Antwort")
    answer.text = "Berichtigte Antwort"
    answer.save()
    assert list(answer.history.order_by("history_date").values_list("text", flat=True)) == [
        "Erste Antwort",
        "Berichtigte Antwort",
    ]


def test_staff_see_every_earlier_wording_of_an_answer_in_the_admin(comment, editor, editor_client):
    answer = services.answer_create(comment=comment, author=editor, text="Erste Antwort")
    url = f"/admin/participation/officialanswer/{answer.pk}/change/"
    response = editor_client.post(url, {"text": "Berichtigte Antwort"})
    assert response.status_code == 302
    history = editor_client.get(f"/admin/participation/officialanswer/{answer.pk}/history/")
    html = history.content.decode()
    assert history.status_code == 200 and "<td>Redaktion</td>" in html  # who changed it
    assert answer.history.count() == 2
    # The contribution's page links the answer's own page (and so its history).
    page = editor_client.get(f"/admin/participation/comment/{comment.pk}/change/")
    assert url in page.content.decode()
    assert editor_client.get("/admin/participation/officialanswer/add/").status_code == 403
