"""Account lockout is no weapon: the owner gets in again through the password reset."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

NEW_PASSWORD = "Lennetal-Viadukt-2036"
LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto"


def log_in(client: Client, email: str, password: str):
    return client.post("/konto/login/", {"login": email, "password": password})


def lock_out(email: str) -> None:
    """Five wrong passwords from somewhere else, as anyone who knows the address can send."""
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        log_in(attacker, email, "falsch-geraten")


def reset_password(client: Client, email: str, password: str) -> None:
    client.post("/konto/password/reset/", {"email": email})
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    set_password_page = client.get("/" + link.split("/", 3)[3], follow=True)
    form_url = set_password_page.redirect_chain[-1][0]
    done = client.post(form_url, {"password1": password, "password2": password})
    assert done.status_code == 302


@pytest.mark.django_db
def test_lockout_refuses_the_right_password_and_offers_the_reset(citizen):
    lock_out(citizen.email)
    response = log_in(Client(), citizen.email, PASSWORD)
    assert response.status_code == 200
    html = response.content.decode()
    assert LOCKED in html
    assert "hebt die Sperre sofort auf" in html
    assert re.search(
        r'<a [^>]*href="/konto/password/reset/"[^>]*>Passwort jetzt zurücksetzen</a>', html
    )


@pytest.mark.django_db
def test_completed_password_reset_lifts_the_lockout(citizen):
    lock_out(citizen.email)
    owner = Client()
    assert LOCKED in log_in(owner, citizen.email, PASSWORD).content.decode()
    reset_password(owner, citizen.email, NEW_PASSWORD)
    response = log_in(Client(), citizen.email, NEW_PASSWORD)
    assert response.status_code == 302  # logged in


@pytest.mark.django_db
def test_requesting_a_reset_alone_does_not_lift_the_lockout(citizen):
    lock_out(citizen.email)
    Client().post("/konto/password/reset/", {"email": citizen.email})
    assert LOCKED in log_in(Client(), citizen.email, PASSWORD).content.decode()
