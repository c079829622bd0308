"""No moderation action is offered, or carried out, that the contribution's state forbids."""

import pytest

from participation import services
from participation.models import Comment, ModerationLogEntry, Report

CHANGE = "/admin/participation/comment/{pk}/change/"
MODERATE = "/admin/participation/comment/{pk}/moderation/{action}/"
BUTTONS = {
    "freigeben": "Freigeben",
    "ausblenden": "Ausblenden",
    "wiederherstellen": "Wiederherstellen",
}


def offered(client, comment: Comment) -> set[str]:
    html = client.get(CHANGE.format(pk=comment.pk)).content.decode()
    return {slug for slug in BUTTONS if MODERATE.format(pk=comment.pk, action=slug) in html}


def set_status(comment: Comment, status: str, reason: str = "") -> Comment:
    Comment.objects.filter(pk=comment.pk).update(status=status, moderation_reason=reason)
    comment.refresh_from_db()
    return comment


def report(comment: Comment, reporter) -> None:
    Report.objects.create(comment=comment, reporter=reporter, reason=Report.Reason.SPAM)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "reason", "reported", "expected"),
    [
        ("pending", "", False, {"freigeben", "ausblenden"}),
        ("published", "", False, {"ausblenden"}),
        ("published", "", True, {"freigeben", "ausblenden"}),
        ("hidden", "insult", False, {"wiederherstellen"}),
        ("hidden", "", True, {"freigeben", "ausblenden", "wiederherstellen"}),
        ("withdrawn", "", False, set()),
    ],
)
def test_change_page_offers_only_the_actions_the_state_allows(
    moderator_client, comment, other_citizen, status, reason, reported, expected
):
    set_status(comment, status, reason)
    if reported:
        report(comment, other_citizen)
    assert offered(moderator_client, comment) == expected


@pytest.mark.django_db
def test_editor_without_moderation_permission_sees_no_moderation_buttons(editor_client, comment):
    assert offered(editor_client, comment) == set()


@pytest.mark.django_db
def test_forbidden_action_by_url_changes_nothing_and_says_why(moderator_client, comment):
    response = moderator_client.post(
        MODERATE.format(pk=comment.pk, action="freigeben"), {"note": ""}, follow=True
    )
    assert "diese Aktion ist dafür nicht möglich" in response.content.decode()
    assert not ModerationLogEntry.objects.filter(comment=comment).exists()


@pytest.mark.django_db
def test_hiding_a_hidden_contribution_is_refused_by_the_service(comment, moderator):
    services.comment_hide(comment=comment, moderator=moderator, reason="spam", note="Werbung")
    with pytest.raises(services.ModerationRefused):
        services.comment_hide(comment=comment, moderator=moderator, reason="insult", note="x")
    assert ModerationLogEntry.objects.filter(comment=comment).count() == 1


@pytest.mark.django_db
def test_bulk_approve_skips_published_unreported_with_a_warning(moderator_client, comment):
    response = moderator_client.post(
        "/admin/participation/comment/",
        {"action": "approve_selected", "_selected_action": [comment.pk]},
        follow=True,
    )
    assert "diese Aktion ist dafür nicht möglich" in response.content.decode()
    assert not ModerationLogEntry.objects.filter(comment=comment).exists()
