"""Hypothesis fuzzing of the contribution forms (write, reply, edit): never a 500, a clear German
message for bad input, and the text as typed comes back in the form."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participation.models import Comment
from tests.conftest import logged_in

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENGLISH_LEFTOVERS = (
    "This field",
    "Enter a valid",
    "Ensure this value",
    "Select a valid",
    "Null char",
)
NASTY = [
    "",
    "   \n\t ",
    "\x00",
    "Radweg\x00nach Haspe",
    "\u202eegaH ni nehnhoW",  # right-to-left override
    "مرحبا بكم في هاغن",
    "🌳🚲 mehr Grün & Räder 🚋",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example")',
    "\r\n\r\nZeilen\r\numbrüche\r\n",
]
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),  # any Unicode, NUL and other control characters included
    st.integers(min_value=4001, max_value=4200).map(lambda n: ("Wörter " * 600)[:n]),
    st.integers(min_value=3990, max_value=4000).map(lambda n: "ä" * n),
)
choices = st.one_of(st.just(""), st.text(max_size=20), st.integers().map(str))

TOO_LONG = "Ihr Beitrag ist zu lang: Erlaubt sind höchstens 4000 Zeichen"
EMPTY = "Bitte schreiben Sie einen Text, bevor Sie Ihren Beitrag absenden."
NOT_SENT = "Ihr Beitrag wurde noch nicht abgesendet."


def assert_rejected_clearly(response, text: str) -> None:
    """The form again, with the reason in German and the text exactly as it was typed."""
    html = response.content.decode()
    assert "invalid-feedback" in html or "alert-danger" in html
    for english in ENGLISH_LEFTOVERS:
        assert english not in html, english
    if text.strip():  # (crispy collapses a whitespace-only value; nothing is lost there)
        assert escape(text) in html
    if len(text) > 4000:
        assert TOO_LONG in html
    elif not text.strip():
        assert EMPTY in html


def expected_to_pass(text: str) -> bool:
    return bool(text.strip()) and len(text) <= 4000 and "\x00" not in text


@pytest.fixture(autouse=True)
def no_rate_limit():
    # Many submissions in a row; the rate limit has its own tests.
    cache.clear()


@pytest.mark.django_db
@FUZZ
@given(text=texts, key_message=choices, measure=choices, token=st.booleans())
def test_comment_form_never_fails_and_keeps_input(
    goal, key_message, measure, open_round, citizen, text, token
):
    cache.clear()
    data = {"text": text, "key_message": key_message, "measure": measure}
    if token:
        data["submission_token"] = str(uuid.uuid4())
    response = logged_in(citizen).post(f"/ziele/{goal.slug}/beitraege/neu/", data)
    assert response.status_code in (200, 302), response.status_code
    valid_choices = not key_message and not measure
    if response.status_code == 302:
        assert expected_to_pass(text) and valid_choices
        assert Comment.objects.filter(author=citizen, text=text.strip()).exists()
    else:
        assert not (expected_to_pass(text) and valid_choices)
        assert_rejected_clearly(response, text)
        if key_message or measure:
            assert "Bitte wählen Sie eine der Kernbotschaften und Maßnahmen dieses Ziels." in (
                response.content.decode()
            )


@pytest.mark.django_db
@FUZZ
@given(text=texts)
def test_reply_form_never_fails_and_keeps_input(comment, other_citizen, text):
    cache.clear()
    response = logged_in(other_citizen).post(
        f"/beitraege/{comment.pk}/antworten/", {"text": text, "next": "//evil.example/"}
    )
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert expected_to_pass(text)
        assert response["Location"].startswith(comment.goal.get_absolute_url())
        assert Comment.objects.filter(parent=comment, text=text.strip()).exists()
    else:
        assert not expected_to_pass(text)
        assert_rejected_clearly(response, text)


@pytest.mark.django_db
@FUZZ
@given(text=texts)
def test_edit_form_never_fails_and_keeps_input(comment, citizen, text):
    response = logged_in(citizen).post(f"/beitraege/{comment.pk}/bearbeiten/", {"text": text})
    assert response.status_code in (200, 302), response.status_code
    comment.refresh_from_db()
    if response.status_code == 302:
        assert expected_to_pass(text)
        assert comment.text == text.strip()
    else:
        assert not expected_to_pass(text)
        assert_rejected_clearly(response, text)


@pytest.mark.django_db
@FUZZ
@given(value=st.sampled_from(NASTY) | st.text(max_size=60))
def test_account_forms_survive_control_characters(citizen, value):
    """NUL bytes and other control characters in every account form: a message, never a 500."""
    cache.clear()
    anonymous = Client()
    for url, data in [
        ("/konto/login/", {"login": value, "password": value}),
        ("/konto/signup/", {"email": value, "display_name": value, "password1": value}),
        ("/konto/password/reset/", {"email": value}),
    ]:
        assert anonymous.post(url, data).status_code in (200, 302), url
    client = logged_in(citizen)
    for url, data in [
        ("/konto/uebersicht/", {"display_name": value}),
        ("/konto/loeschen/", {"password": value}),
        ("/konto/email/", {"email": value, "action_add": ""}),
        ("/konto/password/change/", {"oldpassword": value, "password1": value}),
    ]:
        response = client.post(url, data)
        assert response.status_code in (200, 302), url
        assert "Null characters" not in response.content.decode()
