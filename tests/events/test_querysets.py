import datetime

from django.utils import timezone

from events.models import Event
from tests.events.conftest import local, make_event


def test_upcoming_and_past_split_at_now(db):
    now = timezone.now()
    soon = make_event("soon", starts_at=now + datetime.timedelta(days=2))
    later = make_event("later", starts_at=now + datetime.timedelta(days=20))
    over = make_event("over", starts_at=now - datetime.timedelta(days=3))
    assert list(Event.objects.upcoming()) == [soon, later]
    assert list(Event.objects.past()) == [over]


def test_running_event_counts_as_upcoming(db):
    now = timezone.now()
    running = make_event(
        "running",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    assert list(Event.objects.upcoming()) == [running]


def test_tentative_events_sort_by_their_approximate_day(db):
    make_event("a", starts_at=local(2019, 3, 1, 10))
    mid = make_event(
        "mid", tentative_period="voraussichtlich Mitte 2019", sorts_as=datetime.date(2019, 7, 1)
    )
    make_event("b", starts_at=local(2019, 11, 14, 18))
    assert [e.slug for e in Event.objects.past()] == ["b", "mid", "a"]
    assert list(Event.objects.tentative()) == [mid]
    assert mid not in Event.objects.dated()


def test_upcoming_and_past_in_one_query_keep_their_orders(db, django_assert_num_queries):
    now = timezone.now()
    make_event("later", starts_at=now + datetime.timedelta(days=20))
    make_event("soon", starts_at=now + datetime.timedelta(days=2))
    make_event("open", tentative_period="voraussichtlich Herbst")
    make_event("a", starts_at=local(2019, 3, 1, 10))
    make_event("mid", tentative_period="Mitte 2019", sorts_as=datetime.date(2019, 7, 1))
    make_event("z-same-day", starts_at=local(2019, 11, 14, 18))
    make_event("b-same-day", starts_at=local(2019, 11, 14, 18))
    with django_assert_num_queries(1):
        upcoming, past = Event.objects.upcoming_and_past()
    assert upcoming == list(Event.objects.upcoming())
    assert past == list(Event.objects.past())
    assert [e.slug for e in upcoming] == ["soon", "later", "open"]
    assert [e.slug for e in past] == ["b-same-day", "z-same-day", "mid", "a"]


def test_tentative_event_without_approximate_day_is_upcoming(db):
    open_date = make_event("open", tentative_period="voraussichtlich Herbst")
    assert list(Event.objects.upcoming()) == [open_date]


def test_published_and_filters(db, haspe, goal):
    hidden = make_event("hidden", is_published=False)
    session = make_event(
        "session", kind=Event.Kind.SESSION, audience=Event.Audience.POLITICS, district=haspe
    )
    session.goals.add(goal)
    workshop = make_event("workshop", district=haspe)
    assert hidden not in Event.objects.published()
    assert set(Event.objects.in_district(haspe)) == {session, workshop}
    assert list(Event.objects.of_kind(Event.Kind.SESSION)) == [session]
    assert list(Event.objects.for_audience(Event.Audience.POLITICS)) == [session]
    assert list(Event.objects.for_goal(goal)) == [session]


def test_the_clock_splits_kept_events_as_the_database_does_at_every_edge(db):
    """Pages split the events a worker keeps by Event.is_past (events.models.split_upcoming_and_
    past); the database splits by EventQuerySet._not_over_q. Both must agree at every edge."""
    now = timezone.now()
    today = timezone.localdate(now)
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    make_event("earlier-today-no-end", starts_at=start_of_today + datetime.timedelta(minutes=1))
    make_event("yesterday-no-end", starts_at=start_of_today - datetime.timedelta(minutes=1))
    make_event(
        "ended-a-minute-ago",
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now - datetime.timedelta(minutes=1),
    )
    make_event(
        "ends-in-a-minute",
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(minutes=1),
    )
    make_event("tentative-today", tentative_period="heute", sorts_as=today)
    make_event(
        "tentative-yesterday", tentative_period="gestern", sorts_as=today - datetime.timedelta(1)
    )
    make_event("tentative-open", tentative_period="irgendwann")
    upcoming, past = Event.objects.upcoming_and_past()
    assert upcoming == list(Event.objects.upcoming())
    assert past == list(Event.objects.past())
    assert {e.slug for e in past} == {
        "yesterday-no-end",
        "ended-a-minute-ago",
        "tentative-yesterday",
    }
