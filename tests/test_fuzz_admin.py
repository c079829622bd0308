"""Every admin page, as Redaktion, Moderation and superuser, with hostile input: never a 500.

A deterministic sample of tests/admin_fuzz.py (one seed per persona); bench/admin_fuzz.py sends
every combination and prints the figures.
"""

import pytest

from goals.models import Goal
from participation.models import Comment, CommentRound, Report
from tests.admin_fuzz import admin_requests
from tests.conftest import logged_in

PERSONAS = ["editor", "moderator", "superuser"]


@pytest.fixture
def staff_users(seeded, editor, moderator, admin_user, citizen):
    # Rows for the participation models too, so their object views get a real id as well.
    comment = Comment.objects.create(
        goal=Goal.objects.published().first(),
        round=CommentRound.objects.first(),
        author=citizen,
        text="Mehr Bäume!",
    )
    Report.objects.create(comment=comment, reporter=citizen, reason="spam")
    return {"editor": editor, "moderator": moderator, "superuser": admin_user}


def test_the_fuzz_reaches_every_kind_of_admin_page(db):
    urls = {str(request) for request in admin_requests(seed="check", exhaustive=True)}
    for part in ["/history/", "/change/", "/delete/", "/add/", "/moderation/", "/export/", "/r/"]:
        assert any(part in url for url in urls), part
    assert any(url.startswith("TRACE ") for url in urls)
    assert any(url.startswith("POST /admin/events/event/ ") for url in urls)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_admin_page_answers_a_server_error(staff_users, persona):
    client = logged_in(staff_users[persona])
    client.raise_request_exception = False
    requests = admin_requests(seed=persona)
    failures = []
    for request in requests:
        status = request.send(client).status_code
        if status >= 500:
            failures.append(f"{status} {request}")
    assert not failures, f"{len(failures)} of {len(requests)} requests failed:\n" + "\n".join(
        failures
    )
