"""Hypothesis fuzzing of the account forms: never a 500, a German message, nothing typed lost."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import logged_in

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENGLISH_LEFTOVERS = ("This field", "Enter a valid", "Ensure this value", "Select a valid")
# Printable text as a person might type or paste it (no control characters except line breaks).
typed = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"), max_size=80
)
long_text = st.text(st.characters(min_codepoint=65, max_codepoint=0x24F), min_size=41, max_size=400)


def assert_german_form_errors(html: str) -> None:
    assert "invalid-feedback" in html
    for english in ENGLISH_LEFTOVERS:
        assert english not in html


@pytest.mark.django_db
@FUZZ
@given(
    email=st.one_of(typed, st.emails()),
    display_name=st.one_of(typed, long_text),
    password=typed,
    district=typed,
    netiquette=st.booleans(),
    website=st.sampled_from(["", "http://spam.example"]),
)
def test_signup_form_never_fails_and_keeps_input(
    email, display_name, password, district, netiquette, website
):
    cache.clear()
    data = {
        "email": email,
        "display_name": display_name,
        "password1": password,
        "password2": password,
        "district": district,
        "accept_privacy": "on",
        "website": website,
    }
    if netiquette:
        data["accept_netiquette"] = "on"
    response = Client().post("/konto/signup/", data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert "Bitte korrigieren Sie die markierten Felder." in html
        assert_german_form_errors(html)
        if display_name.strip():
            assert f'value="{escape(display_name)}"' in html
        if len(" ".join(display_name.split())) > 40:
            assert "Der Anzeigename darf höchstens 40 Zeichen lang sein" in html


@pytest.mark.django_db
@FUZZ
@given(display_name=st.one_of(typed, long_text), district=typed)
def test_account_form_never_fails_and_keeps_input(citizen, display_name, district):
    client = logged_in(citizen)
    response = client.post(
        "/konto/uebersicht/", {"display_name": display_name, "district": district}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert_german_form_errors(html)
        if display_name.strip():
            assert f'value="{escape(display_name)}"' in html
        if len(" ".join(display_name.split())) > 40:
            assert "Der Anzeigename darf höchstens 40 Zeichen lang sein" in html


@pytest.mark.django_db
@FUZZ
@given(password=typed)
def test_delete_form_never_fails(citizen, password):
    response = logged_in(citizen).post("/konto/loeschen/", {"password": password})
    assert response.status_code == 200
    assert_german_form_errors(response.content.decode())
    citizen.refresh_from_db()
    assert citizen.deleted_at is None


@pytest.mark.django_db
@FUZZ
@given(login=st.one_of(typed, st.emails()), password=typed)
def test_login_form_never_fails(login, password):
    cache.clear()
    response = Client().post("/konto/login/", {"login": login, "password": password})
    assert response.status_code == 200
    for english in ENGLISH_LEFTOVERS:
        assert english not in response.content.decode()
