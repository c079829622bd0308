"""Parallel requests by one account: real threads, each with its own PostgreSQL connection.

A citizen double-clicks, a script fires many requests at once: every answer is a normal page or
redirect (never a 500) and the limits hold exactly.
"""

import threading
import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from participation.models import Comment, Support
from participation.services.rules import RATE_LIMIT_COUNT
from tests.conftest import logged_in

from .conftest import make_comment

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="row locks need PostgreSQL; SQLite serialises all writers anyway",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_parallel(count: int, request: Callable[[Client], int], make_client: Callable[[], Client]):
    """Runs `request` in `count` threads released at the same moment; returns the status codes."""
    clients = [make_client() for _ in range(count)]
    start = threading.Barrier(count)
    statuses: list[int | str] = []

    def run(client: Client) -> None:
        try:
            start.wait()
            statuses.append(request(client))
        except Exception as error:  # noqa: BLE001 - an exception is a 500 the user would see
            statuses.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


def test_parallel_support_toggles_by_one_account_never_fail(
    goal, open_round, citizen, other_citizen
):
    comment = make_comment(goal=goal, comment_round=open_round, author=other_citizen)
    url = reverse("participation:support-toggle", args=[comment.pk])

    statuses = in_parallel(
        40, lambda client: client.post(url).status_code, lambda: logged_in(citizen)
    )

    assert statuses == {302: 40}
    # An even number of toggles leaves the contribution unsupported, as one after the other would.
    assert Support.objects.filter(comment=comment).count() == 0


def test_parallel_posts_by_one_account_store_exactly_the_limit(goal, open_round, citizen):
    url = reverse("participation:comment-create", args=[goal.slug])
    numbers = iter(range(100))

    def post(client: Client) -> int:
        return client.post(url, {"text": f"Paralleler Beitrag {next(numbers)}"}).status_code

    statuses = in_parallel(12, post, lambda: logged_in(citizen))

    # Accepted posts redirect to the goal page; refused ones show the form with the message (403).
    assert statuses == {302: RATE_LIMIT_COUNT, 403: 12 - RATE_LIMIT_COUNT}
    assert Comment.objects.filter(author=citizen).count() == RATE_LIMIT_COUNT


def test_parallel_double_submission_stores_one_contribution(goal, open_round, citizen):
    url = reverse("participation:comment-create", args=[goal.slug])
    data = {"text": "Fünfmal geklickt", "submission_token": str(uuid.uuid4())}

    statuses = in_parallel(
        5, lambda client: client.post(url, data).status_code, lambda: logged_in(citizen)
    )

    assert statuses == {302: 5}
    assert Comment.objects.filter(author=citizen).count() == 1
