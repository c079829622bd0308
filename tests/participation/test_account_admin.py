"""Staff act on accounts: moderators and superusers look at an account and block or unblock it
(reason stored, logged); only superusers assign the roles; e-mail addresses only on the
account's own admin page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from participation.models import AccountLogEntry, Comment, User
from tests.conftest import PASSWORD, logged_in, make_user

from .conftest import make_comment

pytestmark = pytest.mark.django_db

LIST = "/admin/participation/user/"


def change_url(user: User) -> str:
    return reverse("admin:participation_user_change", args=[user.pk])


def hidden_inputs(client: Client, url: str) -> dict[str, str]:
    """The hidden fields of the rendered change form (the inline's management form)."""
    html = client.get(url).content.decode()
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    return {name: value for name, value in found if name != "csrfmiddlewaretoken"}


def set_roles(client: Client, user: User, roles: list[Group]):
    data = hidden_inputs(client, change_url(user))
    return client.post(change_url(user), {**data, "roles": [group.pk for group in roles]})


def block(client: Client, user: User, reason: str = "Wiederholte Beleidigungen"):
    return client.post(
        reverse("admin:participation_user_block", args=[user.pk]), {"reason": reason}
    )


def test_user_list_shows_pseudonyms_but_no_email_addresses(moderator_client, admin_client, citizen):
    for client in (moderator_client, admin_client):
        html = client.get(LIST).content.decode()
        assert "Alice" in html
        assert "@example.org" not in html and "@example.com" not in html


def test_only_superusers_find_accounts_by_email(moderator_client, admin_client, citizen):
    query = {"q": "alice@example.org"}
    assert moderator_client.get(LIST, query).context["cl"].result_count == 0
    assert admin_client.get(LIST, query).context["cl"].result_count == 1
    assert moderator_client.get(LIST, {"q": "Alice"}).context["cl"].result_count == 1


def test_moderator_sees_the_email_on_the_accounts_own_page(moderator_client, citizen):
    html = moderator_client.get(change_url(citizen)).content.decode()
    assert "alice@example.org" in html
    assert 'name="roles"' not in html


def test_moderator_blocks_a_citizen_with_a_reason_logged(moderator_client, moderator, citizen):
    response = block(moderator_client, citizen)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.is_blocked and not citizen.is_active
    assert citizen.block_reason == "Wiederholte Beleidigungen"
    entry = AccountLogEntry.objects.get(account=citizen)
    assert (entry.action, entry.actor, entry.reason) == (
        "block",
        moderator,
        "Wiederholte Beleidigungen",
    )
    html = moderator_client.get(change_url(citizen)).content.decode()
    assert "Gesperrt seit" in html and "Wiederholte Beleidigungen" in html
    assert "Konto entsperren" in html


def test_block_needs_a_reason(moderator_client, citizen):
    response = block(moderator_client, citizen, reason="  ")
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    citizen.refresh_from_db()
    assert not citizen.is_blocked and not AccountLogEntry.objects.exists()


def test_moderator_cannot_block_staff_nor_change_roles(moderator_client, editor, citizen):
    assert block(moderator_client, editor).status_code == 403
    editor.refresh_from_db()
    assert not editor.is_blocked
    response = moderator_client.post(
        change_url(citizen), {"roles": [Group.objects.get(name="Redaktion").pk]}
    )
    assert response.status_code == 403
    assert not citizen.groups.exists()


def test_editor_and_citizen_cannot_block(editor_client, citizen_client, other_citizen):
    assert block(editor_client, other_citizen).status_code == 403
    response = block(citizen_client, other_citizen)
    assert response.status_code == 302 and "/login/" in response["Location"]
    other_citizen.refresh_from_db()
    assert not other_citizen.is_blocked


def test_blocked_account_gets_a_clear_german_message_on_login(moderator_client, citizen):
    block(moderator_client, citizen)
    response = Client().post("/konto/login/", {"login": "alice@example.org", "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Konto gesperrt" in html and "Wiederholte Beleidigungen" in html
    assert "_auth_user_id" not in Client().session


def test_wrong_password_on_a_blocked_account_reveals_nothing(moderator_client, citizen):
    block(moderator_client, citizen)
    response = Client().post("/konto/login/", {"login": "alice@example.org", "password": "falsch"})
    assert "Wiederholte Beleidigungen" not in response.content.decode()


def test_blocked_account_can_no_longer_post_support_or_report(
    moderator_client, citizen, other_citizen, goal, open_round
):
    theirs = make_comment(goal=goal, comment_round=open_round, author=other_citizen, text="Bänke")
    client = logged_in(citizen)
    block(moderator_client, citizen)
    client.post(
        reverse("participation:comment-create", args=[goal.slug]), {"text": "Noch ein Beitrag"}
    )
    client.post(reverse("participation:support-toggle", args=[theirs.pk]))
    client.post(reverse("participation:comment-report", args=[theirs.pk]), {"reason": "spam"})
    assert not Comment.objects.filter(author=citizen).exists()
    assert not theirs.supports.exists() and not theirs.reports.exists()
    assert client.get(reverse("participation:account")).status_code == 302


def test_unblocked_account_logs_in_again_and_the_log_keeps_both(moderator_client, citizen):
    block(moderator_client, citizen)
    response = moderator_client.post(reverse("admin:participation_user_unblock", args=[citizen.pk]))
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_blocked and citizen.is_active and citizen.block_reason == ""
    assert list(AccountLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "block",
        "unblock",
    ]
    client = Client()
    client.post("/konto/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert client.get(reverse("participation:account")).status_code == 200


def test_unblock_is_post_only(moderator_client, moderator, citizen):
    block(moderator_client, citizen)
    url = reverse("admin:participation_user_unblock", args=[citizen.pk])
    assert moderator_client.get(url).status_code == 405
    citizen.refresh_from_db()
    assert citizen.is_blocked


def test_superuser_assigns_roles_and_the_account_reaches_the_admin(
    admin_client, admin_user, citizen
):
    moderation = Group.objects.get(name="Moderation")
    response = set_roles(admin_client, citizen, [moderation])
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.is_staff and list(citizen.groups.all()) == [moderation]
    entry = AccountLogEntry.objects.get(account=citizen)
    assert (entry.action, entry.actor, entry.reason) == ("roles", admin_user, "Moderation")
    assert set_roles(admin_client, citizen, []).status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_staff and not citizen.groups.exists()


def test_superuser_can_block_staff_but_not_themselves(admin_client, admin_user, editor):
    assert block(admin_client, editor).status_code == 302
    editor.refresh_from_db()
    assert editor.is_blocked
    assert block(admin_client, admin_user).status_code == 403


def test_user_admin_offers_no_add_or_delete(admin_client, citizen):
    assert admin_client.get(LIST + "add/").status_code == 403
    assert admin_client.get(change_url(citizen).replace("change/", "delete/")).status_code == 403


def test_moderation_log_list_shows_no_staff_email(
    moderator_client, moderator, citizen, goal, open_round
):
    from participation import services

    comment = make_comment(goal=goal, comment_round=open_round, author=citizen)
    services.comment_hide(comment=comment, moderator=moderator, reason="spam", note="Werbung")
    html = moderator_client.get("/admin/participation/moderationlogentry/").content.decode()
    assert "Moderation" in html and "moderation@example.org" not in html


def test_deleted_account_cannot_be_blocked(moderator_client, citizen):
    from participation.services import account_delete

    account_delete(citizen)
    assert block(moderator_client, citizen).status_code == 403


def test_other_staff_make_user_helper_still_blocks_nothing(db):
    assert not make_user("x@example.org", "X").is_blocked
