"""Every promise the interface makes, as a test that fails if it breaks.

Promises (German catalog / templates):
- sign-up and account form: the district "wird nie öffentlich angezeigt"; the statistics show
  districts as counts only;
- e-mail address: "wird nie öffentlich angezeigt" / "Ihre E-Mail-Adresse wird nie angezeigt";
- withdraw page: the text "is no longer shown or exported" (pages, feeds, search, open data,
  staff export, data download);
- moderation: nothing is deleted, the note is "intern; wird nie öffentlich angezeigt";
- report form: "Ihr Name wird der Verfasserin oder dem Verfasser nicht angezeigt";
- pending: "wartet auf Freigabe – nur für Sie sichtbar";
- account deletion: contributions stay as „Gelöschtes Konto“;
- official answers: the public sees „Antwort der Stadt Hagen“, not the staff member.
"""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from events.models import District
from participation import services
from participation.models import Comment, Report
from tests.conftest import PASSWORD, logged_in, make_user

from .conftest import make_comment

pytestmark = pytest.mark.django_db

DISTRICT = "Testheim-Süd"
PSEUDONYM = "Kiezkenner"
EMAIL = "kiezkenner@example.org"
TEXT = "Die Ampel an der Körnerstraße braucht eine längere Grünphase."


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def public_urls(goal) -> list[str]:
    """Every public page, feed, export and search that could show a contribution or author."""
    return [
        "/",
        goal.get_absolute_url(),
        "/ziele/",
        "/ziele/dossier/",
        "/beteiligung/",
        "/beteiligung/antworten/feed/",
        reverse("participation:goal-feed", args=[goal.slug]),
        "/suche/?q=Ampel",
        "/suche/?q=" + PSEUDONYM,
        "/sitemap.xml",
        "/offene-daten/",
        "/offene-daten/beitraege.json",
        "/offene-daten/beitraege.csv",
    ]


# Pages that list the districts themselves; there the district may stand, with counts only.
DISTRICT_PAGES = [
    "/termine/",  # its district filter
    "/bezirke/",
    "/bezirke/testheim-sued/",
    "/beteiligung/statistik/",
    "/offene-daten/beteiligung-in-zahlen.json",
    "/offene-daten/beteiligung-in-zahlen.csv",
]


@pytest.fixture
def district(db) -> District:
    return District.objects.create(name=DISTRICT, slug="testheim-sued", position=9)


@pytest.fixture
def author(district):
    user = make_user(EMAIL, PSEUDONYM)
    user.district = district
    user.save()
    return user


@pytest.fixture
def contribution(goal, open_round, author, editor) -> Comment:
    comment = make_comment(goal=goal, comment_round=open_round, author=author, text=TEXT)
    services.answer_create(comment=comment, author=editor, text="Wir prüfen die Schaltung.")
    return comment


@pytest.mark.parametrize("viewer", ["anonymous", "other citizen"])
def test_the_authors_district_is_never_shown_with_the_contribution(
    viewer, other_citizen, contribution
):
    client = Client() if viewer == "anonymous" else logged_in(other_citizen)
    for url in public_urls(contribution.goal):
        response = client.get(url)
        assert response.status_code == 200, url
        # The goal dossier's cover links every district's own dossier by name; that link is
        # about the district, not about anybody in it.
        text = body(response).replace(
            f'<a href="/bezirke/{contribution.author.district.slug}/dossier/">{DISTRICT}</a>', ""
        )
        assert DISTRICT not in text, url
    for url in DISTRICT_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        assert PSEUDONYM not in text and TEXT not in text, url


def test_district_statistics_are_public_as_counts_only(client, contribution):
    rows = json.loads(body(client.get("/offene-daten/beteiligung-in-zahlen.json")))["daten"]
    row = next(row for row in rows if row["bezeichnung"] == DISTRICT)
    assert row["beitraege_und_antworten"] == 1
    assert set(row) >= {"gliederung", "bezeichnung", "beitraege_und_antworten"}
    assert not {"text", "autor", "pseudonym", "id"} & set(row)
    html = client.get("/beteiligung/statistik/").content.decode()
    assert DISTRICT in html


def test_the_e_mail_address_is_never_shown(other_citizen, contribution, district):
    for client in (Client(), logged_in(other_citizen)):
        for url in [*public_urls(contribution.goal), *DISTRICT_PAGES]:
            assert EMAIL not in body(client.get(url)), url


def test_the_staff_export_and_the_account_list_hold_no_address(
    contribution, editor_client, moderator_client
):
    export = body(editor_client.get("/admin/participation/comment/export/csv/"))
    assert TEXT in export and EMAIL not in export
    assert EMAIL not in body(moderator_client.get("/admin/participation/user/"))


def test_the_authors_own_pages_show_the_address_only_to_them(author, other_citizen):
    assert EMAIL in logged_in(author).get(reverse("participation:account")).content.decode()
    other = logged_in(other_citizen).get(reverse("participation:account")).content.decode()
    assert EMAIL not in other


def test_a_reply_mail_names_the_pseudonym_never_the_address(
    contribution, other_citizen, django_capture_on_commit_callbacks
):
    replier = logged_in(other_citizen)
    with django_capture_on_commit_callbacks(execute=True):
        replier.post(
            reverse("participation:comment-reply", args=[contribution.pk]),
            {"text": "Da stimme ich zu."},
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "bob@example.org" not in message.body + message.alternatives[0][0]


def test_withdrawn_text_is_shown_and_exported_nowhere(
    client, author, contribution, editor_client, django_capture_on_commit_callbacks
):
    logged_in(author).post(reverse("participation:comment-withdraw", args=[contribution.pk]))
    contribution.refresh_from_db()
    assert contribution.is_withdrawn and contribution.text == TEXT  # kept, never destroyed
    for url in [*public_urls(contribution.goal), *DISTRICT_PAGES]:
        assert TEXT not in body(client.get(url)), url
    assert TEXT not in body(logged_in(author).get(contribution.goal.get_absolute_url()))
    assert TEXT not in body(editor_client.get("/admin/participation/comment/export/csv/"))
    download = logged_in(author).get(reverse("participation:account-download"))
    assert TEXT not in body(download)


def test_moderation_deletes_nothing_and_its_note_stays_internal(
    client, moderator, moderator_client, admin_client, contribution
):
    services.comment_hide(
        comment=contribution, moderator=moderator, reason="insult", note="Vermerk nur intern"
    )
    contribution.refresh_from_db()
    assert contribution.text == TEXT and Comment.objects.filter(pk=contribution.pk).exists()
    page = client.get(contribution.goal.get_absolute_url()).content.decode()
    assert "Vermerk nur intern" not in page and TEXT not in page
    assert "ausgeblendet" in page  # a placeholder stays in its place
    delete = f"/admin/participation/comment/{contribution.pk}/delete/"
    assert moderator_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = admin_client.get("/admin/participation/comment/").content.decode()
    assert "delete_selected" not in changelist
    assert Comment.objects.filter(pk=contribution.pk, text=TEXT).exists()


def test_the_reporter_is_not_shown_to_the_author(author, other_citizen, contribution):
    logged_in(other_citizen).post(
        reverse("participation:comment-report", args=[contribution.pk]),
        {"reason": Report.Reason.SPAM, "text": "Werbung"},
    )
    assert Report.objects.filter(comment=contribution).exists()
    own = logged_in(author).get(contribution.goal.get_absolute_url()).content.decode()
    assert "Bob" not in own


def test_pending_contribution_is_visible_only_to_its_author(
    goal, open_round, author, other_citizen
):
    open_round.moderation = open_round.Moderation.PRE
    open_round.save()
    make_comment(goal=goal, comment_round=open_round, author=author, text=TEXT, status="pending")
    assert TEXT in logged_in(author).get(goal.get_absolute_url()).content.decode()
    for client in (Client(), logged_in(other_citizen)):
        for url in public_urls(goal):
            assert TEXT not in body(client.get(url)), url


def test_account_deletion_keeps_the_text_as_deleted_account(client, author, contribution):
    response = logged_in(author).post(
        reverse("participation:account-delete"), {"password": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(contribution.goal.get_absolute_url()).content.decode()
    assert TEXT in page and "Gelöschtes Konto" in page and PSEUDONYM not in page
    contribution.refresh_from_db()
    assert contribution.text == TEXT and contribution.author_id == author.pk


def test_the_public_sees_the_city_not_the_staff_member_who_answered(client, contribution):
    page = client.get(contribution.goal.get_absolute_url()).content.decode()
    assert "Antwort der Stadt Hagen" in page and "Wir prüfen die Schaltung." in page
    assert "redaktion@example.org" not in page and ">Redaktion<" not in page
