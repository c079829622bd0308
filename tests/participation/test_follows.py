"""Following goals and districts: the buttons, the settings, the e-mails and the digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from events.models import District
from goals.models import Goal
from participation import notifications
from participation.models import Comment, Follow, FollowNotice, OfficialAnswer, User
from participation.services import send_follow_news
from tests.conftest import make_user
from tests.events.conftest import make_event
from tests.participation.conftest import make_comment, make_round


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


@pytest.fixture
def haspe(db) -> District:
    return District.objects.create(name="Haspe", slug="haspe")


def follow(user, *, since=timedelta(hours=1), **target) -> Follow:
    return Follow.objects.create(user=user, created_at=timezone.now() - since, **target)


def answer(comment, text="Wir prüfen das.") -> OfficialAnswer:
    return OfficialAnswer.objects.create(comment=comment, text=text)


# -- the buttons and the account page ---------------------------------------------------


def test_visitor_sees_a_login_link_instead_of_the_button(client, goal):
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "Anmelden, um diesem Ziel zu folgen" in page
    assert "/konto/folgen/" not in page  # no form: the page stays cacheable


def test_visitor_cannot_follow(client, goal):
    response = client.post(f"/konto/folgen/ziele/{goal.slug}/", {"action": "follow"})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_follow_needs_the_csrf_token(citizen, goal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(f"/konto/folgen/ziele/{goal.slug}/", {"action": "follow"})
    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_follow_is_post_only(citizen_client, goal):
    assert citizen_client.get(f"/konto/folgen/ziele/{goal.slug}/").status_code == 405
    assert not Follow.objects.exists()


def test_citizen_follows_and_unfollows_a_goal(citizen_client, citizen, goal):
    assert "Diesem Ziel folgen" in citizen_client.get(goal.get_absolute_url()).content.decode()
    response = citizen_client.post(
        f"/konto/folgen/ziele/{goal.slug}/", {"action": "follow", "next": goal.get_absolute_url()}
    )
    assert response["Location"] == goal.get_absolute_url()
    page = citizen_client.get(goal.get_absolute_url()).content.decode()
    assert "Sie folgen jetzt „Mobilität neu denken!“" in page
    assert "Sie folgen diesem Ziel." in page
    account = citizen_client.get("/konto/uebersicht/").content.decode()
    assert f'<a href="{goal.get_absolute_url()}">Mobilität neu denken!</a>' in account
    citizen_client.post(f"/konto/folgen/ziele/{goal.slug}/", {"action": "unfollow"})
    assert not Follow.objects.filter(user=citizen).exists()
    assert (
        "Sie folgen noch keinem Ziel" in citizen_client.get("/konto/uebersicht/").content.decode()
    )


def test_following_twice_keeps_one_follow(citizen_client, citizen, goal):
    for _ in range(2):
        citizen_client.post(f"/konto/folgen/ziele/{goal.slug}/", {"action": "follow"})
    assert Follow.objects.filter(user=citizen, goal=goal).count() == 1


def test_a_draft_goal_cannot_be_followed(citizen_client):
    Goal.objects.create(slug="entwurf", title="Entwurf", status=Goal.Status.DRAFT)
    assert citizen_client.post("/konto/folgen/ziele/entwurf/").status_code == 404


def test_citizen_follows_a_district_from_its_page(citizen_client, citizen, haspe):
    assert "Diesem Stadtbezirk folgen" in citizen_client.get("/bezirke/haspe/").content.decode()
    citizen_client.post("/konto/folgen/bezirke/haspe/", {"action": "follow"})
    assert Follow.objects.get(user=citizen).district == haspe
    assert (
        "Sie folgen diesem Stadtbezirk." in citizen_client.get("/bezirke/haspe/").content.decode()
    )


def test_redirect_after_follow_stays_on_the_site(citizen_client, goal):
    response = citizen_client.post(
        f"/konto/folgen/ziele/{goal.slug}/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == goal.get_absolute_url()


def test_settings_choose_the_kinds_and_the_digest(citizen_client, citizen):
    response = citizen_client.post(
        "/konto/folgen/", {"notify_follow_answers": "on", "follow_digest": "True"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.notify_follow_answers and citizen.follow_digest
    assert not citizen.notify_follow_rounds and not citizen.notify_follow_events


def test_one_citizen_cannot_change_anothers_follows(client, citizen, other_citizen, goal):
    follow(other_citizen, goal=goal)
    client.force_login(citizen)
    client.post(f"/konto/folgen/ziele/{goal.slug}/", {"action": "unfollow"})
    assert Follow.objects.filter(user=other_citizen).exists()


# -- the e-mails --------------------------------------------------------------------------


def test_new_answer_on_a_followed_goal_is_mailed_once(citizen, other_citizen, goal, open_round):
    follow(citizen, goal=goal)
    answer(make_comment(goal=goal, comment_round=open_round, author=other_citizen))
    counts = send_follow_news()
    assert counts == {"recipients": 1, "emails": 1, "items": 1}
    message = mail.outbox[-1]
    assert message.to == ["alice@example.org"]
    assert (
        message.subject == "[HAGENplant 2035] Neue Antwort der Stadt Hagen: Mobilität neu denken!"
    )
    assert "Die Stadt Hagen hat einen Beitrag beantwortet: „Wir prüfen das.“" in message.body
    html = message.alternatives[0][0]
    assert "Guten Tag Alice," in html and "Wir prüfen das." in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/konto/benachrichtigungen/abbestellen/" in message.extra_headers["List-Unsubscribe"]
    # Safe to run twice: the same item never again.
    assert send_follow_news() == {"recipients": 0, "emails": 0, "items": 0}
    assert len(mail.outbox) == 1


def test_news_from_before_the_follow_is_not_sent(citizen, other_citizen, goal, open_round):
    answer(make_comment(goal=goal, comment_round=open_round, author=other_citizen))
    Follow.objects.create(user=citizen, goal=goal, created_at=timezone.now() + timedelta(seconds=1))
    send_follow_news(now=timezone.now() + timedelta(seconds=2))
    assert mail.outbox == []


def test_answers_on_hidden_or_pending_contributions_are_not_sent(
    citizen, other_citizen, goal, open_round
):
    follow(citizen, goal=goal)
    for status in ("hidden", "pending", "withdrawn"):
        answer(
            make_comment(goal=goal, comment_round=open_round, author=other_citizen, status=status)
        )
    send_follow_news()
    assert mail.outbox == []


def test_kinds_the_follower_switched_off_are_not_sent(citizen, goal):
    citizen.notify_follow_events = False
    citizen.save()
    follow(citizen, goal=goal)
    make_event("werkstatt").goals.add(goal)
    send_follow_news()
    assert mail.outbox == []


def test_district_followers_hear_of_its_dates_its_workshop_input_and_every_round(
    citizen, goal, haspe
):
    follow(citizen, district=haspe)
    event = make_event("werkstatt-haspe", title="Werkstatt Haspe", district=haspe)
    make_event("anderswo", title="Anderswo")
    now = timezone.now()
    comment_round = make_round(
        title="Runde 3", starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(days=30)
    )
    comment_round.goals.add(goal)
    workshop = make_comment(
        goal=goal, comment_round=comment_round, author=None, source="event", event=event
    )
    answer(workshop)
    send_follow_news()
    subjects = sorted(message.subject.removeprefix("[HAGENplant 2035] ") for message in mail.outbox)
    assert subjects == [
        "Beteiligungsrunde geöffnet: Runde 3",
        "Neue Antwort der Stadt Hagen: Mobilität neu denken!",
        "Neuer Termin: Werkstatt Haspe",
    ]


def test_round_ending_in_three_days_is_announced(citizen, goal):
    follow(citizen, goal=goal, since=timedelta(days=30))
    now = timezone.now()
    make_round(title="Runde", starts_at=now - timedelta(days=20), ends_at=now + timedelta(days=2))
    send_follow_news()
    assert [m.subject for m in mail.outbox] == [
        "[HAGENplant 2035] Beteiligungsrunde endet bald: Runde"
    ]
    send_follow_news()
    assert len(mail.outbox) == 1


def test_outcome_is_sent(citizen, other_citizen, goal, open_round):
    follow(citizen, goal=goal)
    comment = make_comment(goal=goal, comment_round=open_round, author=other_citizen)
    Comment.objects.filter(pk=comment.pk).update(
        outcome=Comment.Outcome.FORWARDED, outcome_at=timezone.now()
    )
    send_follow_news()
    assert (
        "Was aus einem Beitrag geworden ist: An Fachbereich weitergeleitet." in mail.outbox[0].body
    )


def test_unverified_and_deleted_accounts_get_nothing(goal, open_round, other_citizen):
    unverified = make_user("u@example.org", "U", verified=False)
    follow(unverified, goal=goal)
    answer(make_comment(goal=goal, comment_round=open_round, author=other_citizen))
    send_follow_news()
    assert mail.outbox == []


def test_mail_server_down_records_nothing_and_the_next_run_sends(
    settings, citizen, other_citizen, goal, open_round
):
    follow(citizen, goal=goal)
    answer(make_comment(goal=goal, comment_round=open_round, author=other_citizen))
    settings.EMAIL_BACKEND = "tests.participation.test_follows.BrokenBackend"
    assert send_follow_news()["emails"] == 0
    assert not FollowNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_follow_news()["emails"] == 1


# -- the weekly digest --------------------------------------------------------------------


@pytest.fixture
def digest_reader(citizen) -> User:
    citizen.follow_digest = True
    citizen.save()
    return citizen


def test_digest_holds_the_weeks_news_in_one_mail_and_never_repeats(
    digest_reader, other_citizen, goal, haspe, open_round
):
    follow(digest_reader, goal=goal)
    follow(digest_reader, district=haspe)
    answer(make_comment(goal=goal, comment_round=open_round, author=other_citizen))
    event = make_event("werkstatt", title="Werkstatt", district=haspe)
    event.goals.add(goal)  # followed twice over: still one item
    assert send_follow_news() == {"recipients": 0, "emails": 0, "items": 0}  # no single mails
    assert send_follow_news(digest=True) == {"recipients": 1, "emails": 1, "items": 3}
    message = mail.outbox[0]
    assert message.subject == "[HAGENplant 2035] Ihre Wochenübersicht: 3 Neuigkeiten"
    assert message.body.count("\n* ") == 3
    assert "Neuer Termin" not in message.body or message.body.count("Werkstatt") == 1
    assert set(FollowNotice.objects.values_list("item", flat=True)) == {
        "answer",
        "event",
        "round_ending",
    }
    # The cron job runs again (or twice at once): nothing new, so no digest at all.
    assert send_follow_news(digest=True)["emails"] == 0
    assert len(mail.outbox) == 1


def test_no_empty_digest(digest_reader, goal):
    follow(digest_reader, goal=goal)
    call_command("send_follow_news", "--digest", stdout=None)
    assert mail.outbox == []


def test_digest_skips_news_already_sent_by_single_mail(citizen, other_citizen, goal, open_round):
    follow(citizen, goal=goal)
    answer(make_comment(goal=goal, comment_round=open_round, author=other_citizen))
    send_follow_news()
    citizen.follow_digest = True
    citizen.save()
    send_follow_news(digest=True)
    # Only the round ending within the digest's window is new.
    assert len(mail.outbox) == 2 and "Wir prüfen das" not in mail.outbox[1].body


# -- unsubscribe ----------------------------------------------------------------------


def test_one_click_unsubscribe_switches_off_one_kind(client, citizen):
    url = notifications.unsubscribe_url(citizen, "follow_events")
    response = client.post(url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert response.status_code == 200
    assert "keine E-Mails mehr zu: neue Termine" in response.content.decode()
    citizen.refresh_from_db()
    assert not citizen.notify_follow_events
    assert citizen.notify_follow_answers and citizen.notify_follow_rounds


def test_digest_unsubscribe_switches_off_all_follow_news(client, citizen):
    url = notifications.unsubscribe_url(citizen, "follows")
    client.post("/" + url.split("://", 1)[1].split("/", 1)[1])
    citizen.refresh_from_db()
    assert not (
        citizen.notify_follow_answers
        or citizen.notify_follow_rounds
        or citizen.notify_follow_events
    )
    assert citizen.notify_on_answer  # the other e-mails stay as they were
