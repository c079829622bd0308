"""After a write the confirmation appears at the contribution the redirect scrolls to, as a
status message, not at the top of a long page."""

import re
import uuid

import pytest
from django.urls import reverse

from tests.participation.conftest import make_comment

pytestmark = pytest.mark.django_db

PUBLISHED = "Vielen Dank! Ihr Beitrag ist veröffentlicht."


def article(html: str, pk: int) -> str:
    start = html.index(f'id="beitrag-{pk}"')
    return html[start : html.index("</article>", start)]


def status_box(html: str) -> str:
    match = re.search(r'<div class="messages" role="status">(.*?)</div>\s*</div>', html, re.S)
    return match.group(1) if match else ""


def top_messages(html: str) -> str:
    """The messages at the top of main, before the first contribution."""
    main = html[html.index("<main") :]
    return status_box(main.split('class="comment', 1)[0])


def test_new_contribution_carries_its_confirmation(citizen_client, goal, open_round):
    response = citizen_client.post(
        reverse("participation:comment-create", args=[goal.slug]),
        {"text": "Mehr Bänke am Volmeufer", "submission_token": str(uuid.uuid4())},
    )
    pk = int(response.url.rsplit("-", 1)[1])
    html = citizen_client.get(response.url).content.decode()
    assert PUBLISHED in status_box(article(html, pk))
    assert top_messages(html) == ""
    assert 'class="alert alert-success"' in html
    assert html.count(PUBLISHED) == 1


def test_reply_confirmation_sits_at_the_reply(citizen_client, goal, open_round, other_citizen):
    parent = make_comment(goal=goal, comment_round=open_round, author=other_citizen)
    response = citizen_client.post(
        reverse("participation:comment-reply", args=[parent.pk]),
        {"text": "Stimmt.", "submission_token": str(uuid.uuid4()), "next": goal.get_absolute_url()},
    )
    pk = int(response.url.rsplit("-", 1)[1])
    html = citizen_client.get(response.url).content.decode()
    assert PUBLISHED in status_box(article(html, pk))
    assert PUBLISHED not in article(html, parent.pk)


def test_support_confirmation_sits_at_the_supported_contribution(
    citizen_client, goal, open_round, other_citizen
):
    comment = make_comment(goal=goal, comment_round=open_round, author=other_citizen)
    response = citizen_client.post(
        reverse("participation:support-toggle", args=[comment.pk]),
        {"next": goal.get_absolute_url()},
    )
    html = citizen_client.get(response.url).content.decode()
    assert "Sie stimmen diesem Beitrag zu." in status_box(article(html, comment.pk))
    assert top_messages(html) == ""


def test_a_message_about_a_contribution_not_on_the_page_stays_at_the_top(
    citizen_client, goal, other_goal, open_round, other_citizen
):
    comment = make_comment(goal=goal, comment_round=open_round, author=other_citizen)
    citizen_client.post(
        reverse("participation:support-toggle", args=[comment.pk]),
        {"next": goal.get_absolute_url()},
    )
    html = citizen_client.get(other_goal.get_absolute_url()).content.decode()
    assert "Sie stimmen diesem Beitrag zu." in top_messages(html)
