"""Issue 6: reports, the moderation queue and its log, placeholders; nothing is destroyed."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation import services
from participation.models import Comment, ModerationLogEntry, Report
from tests.conftest import logged_in, make_user

from .conftest import make_comment

PLACEHOLDER = "Dieser Beitrag wurde von der Moderation ausgeblendet: Verstoß gegen die Netiquette"


def reporters(n: int) -> list:
    return [make_user(f"melder{i}@example.org", f"Melder {i}") for i in range(n)]


def group_permissions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


# Roles -------------------------------------------------------------------------------------


def test_moderation_group_has_exactly_its_permissions(db):
    assert group_permissions("Moderation") == {
        "participation.view_comment",
        "participation.change_comment",
        "participation.moderate_comment",
        "participation.view_commentround",
        "participation.view_report",
        "participation.view_moderationlogentry",
        "participation.view_contributionversion",
        "participation.add_officialanswer",
        "participation.change_officialanswer",
        "participation.view_officialanswer",
        "participation.view_objection",
        "participation.view_user",
        "participation.block_user",
        "participation.view_accountlogentry",
        "goals.view_goal",
        "events.view_event",
    }


def test_editor_group_curates_events_and_participation_but_does_not_moderate(db):
    permissions = group_permissions("Redaktion")
    assert {
        "events.change_event",
        "participation.add_comment",
        "participation.add_evaluationtag",
        "participation.change_evaluationtag",
        "participation.add_officialanswer",
        "participation.export_comment",
    } <= permissions
    assert "participation.moderate_comment" not in permissions
    assert "participation.delete_comment" not in permissions
    assert "participation.change_user" not in permissions


def test_editor_group_has_exactly_its_permissions(db):
    every = {"add", "change", "delete", "view"}
    curated = {
        f"{app}.{action}_{model}"
        for app, model in [
            ("goals", "goal"),
            ("goals", "keymessage"),
            ("goals", "measure"),
            ("goals", "measuregoal"),
            ("events", "district"),
            ("events", "event"),
            ("events", "eventdocument"),
            ("events", "milestone"),
            ("hagen_isek", "signlanguagevideo"),
            ("events", "councilpaper"),
            ("workbench", "stopword"),
            ("workbench", "keyword"),
        ]
        for action in every
    }
    assert group_permissions("Redaktion") == curated | {
        "hagen_isek.change_easylanguagesection",
        "hagen_isek.view_easylanguagesection",
        "events.view_districtarea",
        "flatpages.change_flatpage",
        "flatpages.view_flatpage",
        "participation.add_commentround",
        "participation.change_commentround",
        "participation.view_commentround",
        "participation.add_comment",
        "participation.change_comment",
        "participation.view_comment",
        "participation.export_comment",
        "participation.add_evaluationtag",
        "participation.change_evaluationtag",
        "participation.view_evaluationtag",
        "participation.add_department",
        "participation.change_department",
        "participation.view_department",
        "participation.add_officialanswer",
        "participation.change_officialanswer",
        "participation.view_officialanswer",
        "participation.view_report",
        "participation.view_moderationlogentry",
        "participation.view_moderationdigest",
        "participation.view_support",
        "participation.view_contributionversion",
        # The evaluation workbench: run it, confirm suggestions and themes, read the rest.
        "workbench.add_run",
        "workbench.view_run",
        "workbench.change_result",
        "workbench.view_result",
        "workbench.change_theme",
        "workbench.view_theme",
        "workbench.view_duplicategroup",
        "workbench.view_logentry",
    }


# Reports -----------------------------------------------------------------------------------


def test_reports_below_threshold_keep_contribution_published(comment):
    for user in reporters(2):
        services.comment_report(comment=comment, reporter=user, reason=Report.Reason.SPAM)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert not ModerationLogEntry.objects.exists()


def test_third_account_reporting_hides_contribution_pending_review(comment):
    for user in reporters(3):
        services.comment_report(comment=comment, reporter=user, reason=Report.Reason.INSULT)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert comment.text == "Mehr Radwege!"
    entry = ModerationLogEntry.objects.get()
    assert (entry.action, entry.old_status, entry.new_status, entry.actor) == (
        "auto_hide",
        "published",
        "hidden",
        None,
    )
    assert Comment.objects.awaiting_review().filter(pk=comment.pk).exists()


def test_threshold_is_configurable(settings, comment, other_citizen):
    settings.MODERATION_REPORT_THRESHOLD = 1
    services.comment_report(comment=comment, reporter=other_citizen, reason=Report.Reason.SPAM)
    comment.refresh_from_db()
    assert comment.is_hidden


def test_same_account_cannot_report_twice(comment, other_citizen):
    services.comment_report(comment=comment, reporter=other_citizen, reason=Report.Reason.SPAM)
    with pytest.raises(services.ContributionRefused):
        services.comment_report(comment=comment, reporter=other_citizen, reason=Report.Reason.SPAM)
    assert Report.objects.count() == 1


def test_author_cannot_report_own_contribution(comment, citizen):
    with pytest.raises(services.ContributionRefused):
        services.comment_report(comment=comment, reporter=citizen, reason=Report.Reason.SPAM)


def test_citizen_reports_through_the_form(comment, other_citizen):
    client = logged_in(other_citizen)
    url = f"/beitraege/{comment.pk}/melden/"
    html = client.get(url).content.decode()
    assert "Beitrag melden" in html
    assert "Personenbezogene Daten" in html and "Beleidigung" in html
    response = client.post(url, {"reason": "personal_data", "text": "Telefonnummer"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.text) == (
        other_citizen,
        "personal_data",
        "Telefonnummer",
    )


def test_report_form_requires_login_and_a_reason(client, comment, other_citizen):
    url = f"/beitraege/{comment.pk}/melden/"
    assert client.get(url).status_code == 302
    response = logged_in(other_citizen).post(url, {"reason": ""})
    assert "Bitte wählen Sie einen Grund." in response.content.decode()
    assert not Report.objects.exists()


def test_goal_page_offers_report_link_to_others_only(comment, other_citizen, citizen):
    url = comment.goal.get_absolute_url()
    assert f"/beitraege/{comment.pk}/melden/" in logged_in(other_citizen).get(url).content.decode()
    assert f"/beitraege/{comment.pk}/melden/" not in logged_in(citizen).get(url).content.decode()


# Moderation actions ------------------------------------------------------------------------


def test_approve_publishes_pending_and_logs(goal, open_round, citizen, moderator):
    pending = make_comment(
        goal=goal, comment_round=open_round, author=citizen, status=Comment.Status.PENDING
    )
    services.comment_approve(comment=pending, moderator=moderator)
    assert pending.status == Comment.Status.PUBLISHED
    entry = pending.moderation_log.get()
    assert (entry.actor, entry.action, entry.old_status, entry.new_status) == (
        moderator,
        "approve",
        "pending",
        "published",
    )


def test_hide_needs_reason_and_note(comment, moderator):
    with pytest.raises(services.ModerationRefused):
        services.comment_hide(comment=comment, moderator=moderator, reason="netiquette", note=" ")
    with pytest.raises(services.ModerationRefused):
        services.comment_hide(comment=comment, moderator=moderator, reason="", note="Grund")
    comment.refresh_from_db()
    assert comment.is_published and not comment.moderation_log.exists()


def test_hide_and_restore_are_logged_and_resolve_reports(comment, moderator, other_citizen):
    services.comment_report(comment=comment, reporter=other_citizen, reason=Report.Reason.INSULT)
    services.comment_hide(
        comment=comment, moderator=moderator, reason="netiquette", note="Beleidigend"
    )
    assert comment.is_hidden and comment.moderation_reason == "netiquette"
    assert not Report.objects.open().exists()
    services.comment_restore(comment=comment, moderator=moderator)
    assert comment.is_published
    log = list(
        comment.moderation_log.order_by("pk").values_list(
            "action", "old_status", "new_status", "reason", "note"
        )
    )
    assert log == [
        ("hide", "published", "hidden", "netiquette", "Beleidigend"),
        ("restore", "hidden", "published", "", ""),
    ]
    assert comment.text == "Mehr Radwege!"


@pytest.mark.parametrize("record", ["report", "moderationlogentry"])
def test_a_report_and_a_log_entry_open_in_the_admin_with_their_contribution(
    comment, moderator, other_citizen, record
):
    services.comment_report(comment=comment, reporter=other_citizen, reason=Report.Reason.INSULT)
    services.comment_hide(comment=comment, moderator=moderator, reason="netiquette", note="Böse")
    model = {"report": Report, "moderationlogentry": ModerationLogEntry}[record]
    entry = model.objects.filter(comment=comment).first()
    response = logged_in(moderator).get(f"/admin/participation/{record}/{entry.pk}/change/")
    assert response.status_code == 200
    assert str(comment) in response.content.decode()
    assert "<form" in response.content.decode() and "<select" not in response.content.decode()


def test_withdrawn_contribution_cannot_be_moderated(comment, moderator):
    comment.status = Comment.Status.WITHDRAWN
    comment.save()
    with pytest.raises(services.ModerationRefused):
        services.comment_restore(comment=comment, moderator=moderator)


# Public placeholder and round counts -------------------------------------------------------


def test_placeholder_with_reason_replaces_hidden_text(client, comment, moderator):
    services.comment_hide(comment=comment, moderator=moderator, reason="netiquette", note="x")
    html = client.get(comment.goal.get_absolute_url()).content.decode()
    assert PLACEHOLDER in html
    assert "Mehr Radwege!" not in html


def test_placeholder_for_contribution_hidden_after_reports(client, comment):
    for user in reporters(3):
        services.comment_report(comment=comment, reporter=user, reason=Report.Reason.SPAM)
    html = client.get(comment.goal.get_absolute_url()).content.decode()
    assert "nach mehreren Meldungen ausgeblendet" in html
    assert "Mehr Radwege!" not in html


def test_round_shows_hidden_counts_by_reason(client, goal, open_round, citizen, moderator):
    for reason in ("netiquette", "netiquette", "spam"):
        hidden = make_comment(goal=goal, comment_round=open_round, author=citizen)
        services.comment_hide(comment=hidden, moderator=moderator, reason=reason, note="x")
    html = client.get("/beteiligung/").content.decode()
    assert "3 Beiträge wurden von der Moderation ausgeblendet" in html
    assert "Verstoß gegen die Netiquette (2)" in html
    assert "Spam (1)" in html


# Admin queue -------------------------------------------------------------------------------


@pytest.fixture
def queue(goal, open_round, citizen, other_citizen):
    old = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Alter Beitrag")
    reported = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Gemeldet")
    pending = make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Wartet",
        status=Comment.Status.PENDING,
    )
    newest = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Neu")
    # Two reports: below the threshold, so the contribution is still published.
    services.comment_report(comment=reported, reporter=reporters(1)[0], reason=Report.Reason.SPAM)
    services.comment_report(comment=reported, reporter=other_citizen, reason=Report.Reason.OTHER)
    return {"old": old, "reported": reported, "pending": pending, "newest": newest}


def test_queue_lists_pending_and_reported_first_with_reasons(moderator_client, queue):
    html = moderator_client.get("/admin/participation/comment/").content.decode()
    order = [html.index(text) for text in ("Wartet", "Gemeldet", "Neu", "Alter Beitrag")]
    assert order == sorted(order)
    assert "2: Sonstiges (1), Spam (1)" in html
    assert "Alice" in html and "Mobilität neu denken!" in html and "Testrunde" in html


def test_queue_filter_shows_only_items_awaiting_review(moderator_client, queue):
    html = moderator_client.get("/admin/participation/comment/?queue=1").content.decode()
    assert "Wartet" in html and "Gemeldet" in html
    assert "Alter Beitrag" not in html


def test_queue_changelist_query_count_is_fixed(
    django_assert_num_queries, moderator_client, goal, open_round, citizen, other_citizen
):
    def build(n):
        for _ in range(n):
            c = make_comment(goal=goal, comment_round=open_round, author=citizen)
            Report.objects.create(comment=c, reporter=other_citizen, reason="spam")

    build(3)
    moderator_client.get("/admin/participation/comment/")
    with CaptureQueriesContext(connection) as small:
        moderator_client.get("/admin/participation/comment/")
    # 22: two of them are the workbench's filters (suggested goals, themes), once per page.
    assert len(small.captured_queries) <= 22
    build(60)
    with django_assert_num_queries(len(small.captured_queries)):
        response = moderator_client.get("/admin/participation/comment/")
    assert response.content.decode().count('name="_selected_action"') == 50


def test_bulk_approve_action(moderator_client, queue, moderator):
    response = moderator_client.post(
        "/admin/participation/comment/",
        {
            "action": "approve_selected",
            "_selected_action": [queue["pending"].pk, queue["reported"].pk],
        },
    )
    assert response.status_code == 302
    queue["pending"].refresh_from_db()
    assert queue["pending"].is_published
    assert not Report.objects.open().exists()
    assert ModerationLogEntry.objects.filter(action="approve", actor=moderator).count() == 2


def test_bulk_hide_asks_for_reason_and_note_on_an_intermediate_page(moderator_client, queue):
    ids = [queue["reported"].pk, queue["newest"].pk]
    page = moderator_client.post(
        "/admin/participation/comment/", {"action": "hide_selected", "_selected_action": ids}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Grund (öffentlich sichtbar)" in html and "Notiz (intern)" in html
    assert Comment.objects.filter(status=Comment.Status.HIDDEN).count() == 0
    incomplete = moderator_client.post(
        "/admin/participation/comment/",
        {"action": "hide_selected", "_selected_action": ids, "apply": "1", "reason": "spam"},
    )
    assert incomplete.status_code == 200
    assert Comment.objects.filter(status=Comment.Status.HIDDEN).count() == 0
    done = moderator_client.post(
        "/admin/participation/comment/",
        {
            "action": "hide_selected",
            "_selected_action": ids,
            "apply": "1",
            "reason": "spam",
            "note": "Werbung",
        },
    )
    assert done.status_code == 302
    assert set(Comment.objects.filter(status="hidden").values_list("pk", flat=True)) == set(ids)
    assert ModerationLogEntry.objects.filter(action="hide", note="Werbung").count() == 2


def test_single_hide_form_then_restore_from_the_change_page(moderator_client, comment):
    url = f"/admin/participation/comment/{comment.pk}/moderation/ausblenden/"
    assert "Notiz (intern)" in moderator_client.get(url).content.decode()
    response = moderator_client.post(url, {"reason": "personal_data", "note": "Adresse"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.moderation_reason == "personal_data"
    change = moderator_client.get(f"/admin/participation/comment/{comment.pk}/change/")
    html = change.content.decode()
    assert "Moderationsprotokoll" in html and "Adresse" in html and "Wiederherstellen" in html
    moderator_client.post(f"/admin/participation/comment/{comment.pk}/moderation/wiederherstellen/")
    comment.refresh_from_db()
    assert comment.is_published


def test_editor_cannot_moderate(editor_client, comment):
    url = f"/admin/participation/comment/{comment.pk}/moderation/ausblenden/"
    assert editor_client.post(url, {"reason": "spam", "note": "x"}).status_code == 403
    html = editor_client.get("/admin/participation/comment/").content.decode()
    assert "hide_selected" not in html
    comment.refresh_from_db()
    assert comment.is_published


def test_citizen_cannot_open_the_queue(citizen_client):
    assert citizen_client.get("/admin/participation/comment/").status_code == 302


# Nothing is destroyed ----------------------------------------------------------------------


def test_admin_cannot_delete_contributions(admin_client, comment):
    assert admin_client.get(f"/admin/participation/comment/{comment.pk}/delete/").status_code == 403
    html = admin_client.get("/admin/participation/comment/").content.decode()
    assert "delete_selected" not in html
    admin_client.post(
        "/admin/participation/comment/",
        {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
    )
    assert Comment.objects.filter(pk=comment.pk, text="Mehr Radwege!").exists()


def test_admin_change_form_never_changes_text_or_status(admin_client, comment):
    url = f"/admin/participation/comment/{comment.pk}/change/"
    admin_client.post(
        url,
        {
            "text": "Überschrieben",
            "status": "hidden",
            "outcome": "",
            **{
                f"{prefix}-{field}": "0"
                for prefix in ("official_answers", "reports", "moderation_log")
                for field in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    comment.refresh_from_db()
    assert (comment.text, comment.status) == ("Mehr Radwege!", "published")


def test_account_deletion_keeps_the_contribution_text(comment, citizen, moderator):
    services.comment_hide(comment=comment, moderator=moderator, reason="spam", note="x")
    services.account_delete(citizen)
    services.account_delete(moderator)
    comment.refresh_from_db()
    assert comment.text == "Mehr Radwege!"
    assert comment.author_id == citizen.pk
    assert comment.moderation_log.get().note == "x"


def test_digest_command_is_safe_to_run_twice(
    mailoutbox, queue, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_moderation_digest", stdout=None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_moderation_digest", stdout=None)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["moderation@example.org"]
    assert mail.subject == "[HAGENplant 2035] Moderation: Beiträge warten auf Prüfung"
    assert "1 Beiträge warten auf Freigabe und 1 gemeldete Beiträge" in mail.body
    assert "/admin/participation/comment/?queue=1" in mail.body
    assert mail.alternatives[0][1] == "text/html"
