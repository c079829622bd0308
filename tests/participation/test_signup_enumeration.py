"""Signing up with a registered address looks, and costs, the same as with a new one: the same
page, status and one queued mail, and the password is hashed on both paths (hashing is what
made a new account's answer ~0.4 s slower; bench/signup_timing.py prints the medians)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.cache import cache
from django.test import Client

from participation.models import User
from tests.conftest import make_user

SIGNUP_URL = "/konto/signup/"


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(email: str, display_name: str):
    data = {
        "email": email,
        "display_name": display_name,
        "password1": "Volmetal-Brücke-2035",
        "password2": "Volmetal-Brücke-2035",
        "district": "",
        "accept_netiquette": "on",
        "accept_privacy": "on",
        "website": "",
    }
    return Client().post(SIGNUP_URL, data, follow=True)


def hashes_and_answer(counting_hasher, email: str, display_name: str):
    counting_hasher.calls = 0
    mail.outbox.clear()
    response = sign_up(email, display_name)
    return counting_hasher.calls, response


@pytest.mark.django_db
def test_registered_and_new_address_cost_the_same_password_hashing(counting_hasher):
    make_user("alice@example.org", "Alice")
    known_hashes, _ = hashes_and_answer(counting_hasher, "alice@example.org", "Neue Hagenerin")
    unknown_hashes, _ = hashes_and_answer(counting_hasher, "neu@example.org", "Neuer Hagener")
    assert unknown_hashes == 1  # the new account's password
    assert known_hashes == unknown_hashes


@pytest.mark.django_db
def test_registered_and_new_address_get_the_same_page_and_one_mail_each(counting_hasher):
    make_user("alice@example.org", "Alice")
    _, known = hashes_and_answer(counting_hasher, "alice@example.org", "Neue Hagenerin")
    [known_mail] = mail.outbox
    _, unknown = hashes_and_answer(counting_hasher, "neu@example.org", "Neuer Hagener")
    [unknown_mail] = mail.outbox

    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    page = known.content.decode().replace("alice@example.org", "ADDRESS")
    assert page == unknown.content.decode().replace("neu@example.org", "ADDRESS")
    # The owner of the registered address learns that someone tried; nobody else does.
    assert known_mail.to == ["alice@example.org"] and unknown_mail.to == ["neu@example.org"]
    assert User.objects.filter(email="alice@example.org").count() == 1
