import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import District, Event, Milestone
from goals.models import Goal
from tests.events.conftest import local, make_event


def make_goal(number: int) -> Goal:
    return Goal.objects.create(
        slug=f"ziel-{number}", title=f"Ziel {number}", status=Goal.Status.PUBLISHED
    )


def populate(size: int, district: District, goal) -> Event:
    first = None
    for number in range(size):
        event = make_event(
            f"event-{size}-{number}",
            district=district,
            starts_at=local(2018 + number % 3, 1 + number % 12, 5, 18),
        )
        event.goals.add(goal)
        event.documents.create(title=f"Bericht {number}", file="events/x/bericht.pdf")
        Milestone.objects.create(title=f"Schritt {size}-{number}", event=event, source="S1")
        first = first or event
    make_event(f"tentative-{size}", tentative_period="voraussichtlich 2031", district=district)
    return first


@pytest.mark.parametrize(
    "url_for",
    [
        lambda event, district: reverse("events:list"),
        lambda event, district: (
            reverse("events:list") + f"?district={district.slug}&kind=werkstatt"
        ),
        lambda event, district: event.get_absolute_url(),
        lambda event, district: district.get_absolute_url(),
        lambda event, district: reverse("events:district-list"),
        lambda event, district: reverse("events:timeline"),
        lambda event, district: reverse("events:feed"),
    ],
)
def test_query_count_does_not_grow(client, haspe, goal, url_for, django_assert_num_queries):
    small_event = populate(2, haspe, goal)
    url = url_for(small_event, haspe)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    big_event = populate(25, haspe, goal)
    # The event page is checked on an event with more goals and documents than before.
    big_event.goals.add(*[make_goal(n) for n in range(5)])
    big_url = url_for(big_event, haspe)
    with django_assert_num_queries(len(small)):
        assert client.get(big_url).status_code == 200
    assert len(small) <= 8, [q["sql"] for q in small.captured_queries]


def test_goal_events_tag_query_count_does_not_grow(haspe, goal, django_assert_num_queries):
    from django.template import Context, Template

    template = Template("{% load events_tags %}{% goal_events goal %}")
    populate(2, haspe, goal)
    with CaptureQueriesContext(connection) as small:
        template.render(Context({"goal": goal}))
    populate(25, haspe, goal)
    with django_assert_num_queries(len(small)):
        html = template.render(Context({"goal": goal}))
    assert html.count('class="event-item"') == 27
    # The site version and the events; for the same version this worker keeps the events.
    assert len(small) == 2
    with django_assert_num_queries(1):
        template.render(Context({"goal": goal}))
