"""Sign-up, account page, data download and account deletion, as a citizen sees them."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import District
from participation.models import User
from tests.conftest import PASSWORD, logged_in
from tests.html import parse

SIGNUP_URL = "/konto/signup/"
ACCOUNT_URL = "/konto/uebersicht/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def signup_data(**overrides) -> dict:
    data = {
        "email": "neu@example.org",
        "display_name": "Neue Hagenerin",
        "password1": "Volmetal-Brücke-2035",
        "password2": "Volmetal-Brücke-2035",
        "district": "",
        "accept_netiquette": "on",
        "accept_privacy": "on",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_page_explains_pseudonym_and_deleted_account():
    html = Client().get(SIGNUP_URL).content.decode()
    assert "Öffentlicher Anzeigename" in html
    assert "einzige Name, der öffentlich" in html
    assert "„Gelöschtes Konto“" in html
    assert 'href="/netiquette/"' in html and 'href="/datenschutz/"' in html
    assert html.count("<h1") == 1
    assert 'lang="de"' in html and "<main" in html


@pytest.mark.django_db
def test_signup_creates_account_with_consents_and_sends_confirmation():
    district = District.objects.create(name="Haspe", slug="haspe")
    response = Client().post(SIGNUP_URL, signup_data(district=district.pk))
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.display_name == "Neue Hagenerin"
    assert user.district == district
    assert user.netiquette_accepted_at is not None
    assert user.privacy_accepted_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in mail.outbox[0].subject
    assert "/konto/confirm-email/" in mail.outbox[0].body
    assert "Guten Tag" in mail.outbox[0].body


@pytest.mark.django_db
def test_confirmation_link_verifies_address_and_allows_login():
    Client().post(SIGNUP_URL, signup_data())
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    client = Client()
    page = client.get(path)
    assert "Bitte bestätigen Sie, dass" in page.content.decode()
    client.post(path)
    assert EmailAddress.objects.get(email="neu@example.org").verified
    response = client.post(
        "/konto/login/", {"login": "neu@example.org", "password": "Volmetal-Brücke-2035"}
    )
    assert response.status_code == 302
    assert "Sie sind als Neue Hagenerin angemeldet." in client.get(ACCOUNT_URL).content.decode()


@pytest.mark.django_db
def test_display_name_taken_in_other_case_is_refused_and_input_kept(citizen):
    response = Client().post(SIGNUP_URL, signup_data(display_name="aLiCe"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der Anzeigename „aLiCe“ ist bereits vergeben." in html
    assert 'value="neu@example.org"' in html
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.django_db
def test_signup_without_consents_is_refused_with_german_messages():
    data = signup_data()
    del data["accept_netiquette"], data["accept_privacy"]
    html = Client().post(SIGNUP_URL, data).content.decode()
    assert "Bitte akzeptieren Sie die Netiquette" in html
    assert "Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben." in html
    assert not User.objects.exists()


@pytest.mark.django_db
def test_different_passwords_get_formal_german_message():
    html = Client().post(SIGNUP_URL, signup_data(password2="anders-2035-xyz")).content.decode()
    assert "Bitte geben Sie zweimal dasselbe Passwort ein." in html


@pytest.mark.django_db
def test_honeypot_is_hidden_from_people():
    html = Client().get(SIGNUP_URL).content.decode()
    tags = parse(html).tags
    wrapper = next(attrs for tag, attrs in tags if "hp-field" in attrs.get("class", ""))
    field = next(attrs for tag, attrs in tags if attrs.get("name") == "website")
    assert wrapper["aria-hidden"] == "true"
    assert field["tabindex"] == "-1" and field["autocomplete"] == "off"


@pytest.mark.django_db
def test_bot_filling_the_honeypot_creates_nothing_and_learns_nothing():
    response = Client().post(SIGNUP_URL, signup_data(website="http://spam.example"), follow=True)
    assert "Wir haben Ihnen eine E-Mail mit einem Bestätigungslink gesendet." in (
        response.content.decode()
    )
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_repeated_failed_logins_are_stopped_with_german_message(citizen):
    client = Client()
    for _ in range(5):
        client.post("/konto/login/", {"login": citizen.email, "password": "falsch"})
    response = client.post("/konto/login/", {"login": citizen.email, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_page_is_formal_german():
    html = Client().get("/konto/login/").content.decode()
    assert "Noch kein Konto?" in html
    assert " du " not in html.lower() and " dein" not in html.lower()


@pytest.mark.django_db
def test_wrong_password_message_is_german(citizen):
    html = Client().post("/konto/login/", {"login": citizen.email, "password": "x"}).content
    assert "Die E-Mail-Adresse oder das Passwort ist nicht richtig." in html.decode()


@pytest.mark.django_db
def test_account_page_requires_login():
    response = Client().get(ACCOUNT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_account_page_shows_name_and_links(citizen_client):
    html = citizen_client.get(ACCOUNT_URL).content.decode()
    assert "Ihre Beiträge erscheinen unter dem Namen <strong>Alice</strong>" in html
    for text in ("E-Mail-Adresse ändern", "Passwort ändern", "Zwei-Faktor-Anmeldung"):
        assert text in html
    assert "Meine Daten herunterladen" in html and "Konto löschen" in html


@pytest.mark.django_db
def test_citizen_changes_display_name_and_district(citizen, citizen_client):
    district = District.objects.create(name="Hohenlimburg", slug="hohenlimburg")
    response = citizen_client.post(
        ACCOUNT_URL, {"display_name": "  Alice   aus Hagen ", "district": district.pk}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.display_name == "Alice aus Hagen"
    assert citizen.district == district
    assert "Ihr Profil wurde gespeichert." in citizen_client.get(ACCOUNT_URL).content.decode()


@pytest.mark.django_db
def test_taken_display_name_keeps_input_and_old_name(citizen, other_citizen, citizen_client):
    html = citizen_client.post(ACCOUNT_URL, {"display_name": "BOB"}).content.decode()
    assert "Der Anzeigename „BOB“ ist bereits vergeben." in html
    assert 'value="BOB"' in html
    assert "unter dem Namen <strong>Alice</strong>" in html
    citizen.refresh_from_db()
    assert citizen.display_name == "Alice"


@pytest.mark.django_db
def test_own_display_name_in_other_case_is_allowed(citizen, citizen_client):
    citizen_client.post(ACCOUNT_URL, {"display_name": "ALICE"})
    citizen.refresh_from_db()
    assert citizen.display_name == "ALICE"


@pytest.mark.django_db
def test_data_download_contains_profile_consents_addresses_contributions(
    citizen, citizen_client, monkeypatch
):
    monkeypatch.setattr(
        "participation.services.accounts.user_contributions",
        lambda user: [{"text": "Mehr Bäume am Volmeufer"}],
    )
    response = citizen_client.get("/konto/meine-daten/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Alice"
    assert data["profile"]["email"] == "alice@example.org"
    assert set(data["consents"]) == {"netiquette_accepted_at", "privacy_accepted_at"}
    assert data["email_addresses"] == [
        {"email": "alice@example.org", "verified": True, "primary": True}
    ]
    assert data["contributions"] == [{"text": "Mehr Bäume am Volmeufer"}]


@pytest.mark.django_db
def test_data_download_requires_login():
    assert Client().get("/konto/meine-daten/").status_code == 302


@pytest.mark.django_db
def test_delete_page_asks_for_password(citizen_client):
    html = citizen_client.get("/konto/loeschen/").content.decode()
    assert "Mein Konto endgültig löschen" in html
    assert "„Gelöschtes Konto“" in html


@pytest.mark.django_db
def test_wrong_password_does_not_delete(citizen, citizen_client):
    html = citizen_client.post("/konto/loeschen/", {"password": "falsch"}).content.decode()
    assert "Das Passwort ist nicht richtig." in html
    citizen.refresh_from_db()
    assert citizen.email == "alice@example.org" and citizen.deleted_at is None


@pytest.mark.django_db
def test_deletion_erases_person_keeps_row_and_logs_out(citizen):
    client = Client()
    client.post("/konto/login/", {"login": citizen.email, "password": PASSWORD})
    second_device = logged_in(citizen)
    Authenticator.objects.create(user=citizen, type=Authenticator.Type.TOTP, data={})
    response = client.post("/konto/loeschen/", {"password": PASSWORD}, follow=True)
    assert "Ihr Konto wurde gelöscht." in response.content.decode()
    citizen.refresh_from_db()
    assert (citizen.email, citizen.display_name, citizen.district) == (None, None, None)
    assert citizen.deleted_at is not None and not citizen.is_active
    assert not citizen.has_usable_password()
    assert citizen.public_name == "Gelöschtes Konto"
    assert not EmailAddress.objects.filter(user=citizen).exists()
    assert not Authenticator.objects.filter(user=citizen).exists()
    # Every other device is logged out too (the account is inactive and its password hash new).
    assert second_device.get(ACCOUNT_URL).status_code == 302
    assert second_device.get("/").context["user"].is_anonymous
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_deleted_account_cannot_log_in_and_address_is_free_again(citizen, citizen_client):
    citizen_client.post("/konto/loeschen/", {"password": PASSWORD})
    response = Client().post("/konto/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in Client().session
    assert response.status_code == 200
    Client().post(SIGNUP_URL, signup_data(email="alice@example.org", display_name="Alice"))
    assert User.objects.filter(email="alice@example.org").exists()


@pytest.mark.django_db
def test_signup_errors_are_linked_to_their_fields(citizen):
    html = Client().post(SIGNUP_URL, signup_data(display_name="Alice")).content.decode()
    field = next(attrs for tag, attrs in parse(html).tags if attrs.get("name") == "display_name")
    assert field["aria-invalid"] == "true"
    assert "id_display_name_error" in field["aria-describedby"].split()
    assert 'id="id_display_name_error"' in html


@pytest.mark.django_db
def test_data_download_query_count_does_not_grow_with_addresses(
    citizen, citizen_client, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as one_address:
        citizen_client.get("/konto/meine-daten/")
    for number in range(5):
        EmailAddress.objects.create(user=citizen, email=f"alt{number}@example.org")
    with django_assert_num_queries(len(one_address.captured_queries)):
        citizen_client.get("/konto/meine-daten/")
    assert len(one_address.captured_queries) <= 8
