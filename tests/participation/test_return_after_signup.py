"""A visitor who registers from a goal's discussion returns to it after confirming and logging in,
also when the confirmation link is opened in another browser (confirming never logs in by itself:
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION stays off, the password is asked for)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from goals.models import Goal
from tests.participation.test_accounts import SIGNUP_URL, signup_data

BACK = "/ziele/mobilitaet/#beitraege"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        slug="mobilitaet", title="Mobilität", number=10, status=Goal.Status.PUBLISHED
    )


def confirmation_path() -> str:
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mail.outbox[-1].body).group(0)
    return "/" + link.split("/", 3)[3]


def test_confirmation_link_carries_the_page_the_visitor_came_from(goal):
    Client().post(SIGNUP_URL, {**signup_data(), "next": BACK})
    query = parse_qs(urlsplit(confirmation_path()).query)
    assert query["next"] == [BACK]


def test_confirmation_link_never_carries_a_foreign_address(goal):
    Client().post(SIGNUP_URL, {**signup_data(), "next": "https://evil.example/"})
    assert "next=" not in confirmation_path()


@pytest.mark.parametrize("same_browser", [True, False], ids=["same-browser", "other-browser"])
def test_confirming_leads_to_login_and_then_back(goal, same_browser):
    signup_browser = Client()
    signup_browser.post(SIGNUP_URL, {**signup_data(), "next": BACK})
    other_browser = signup_browser if same_browser else Client()
    path = confirmation_path()
    form = other_browser.get(path).content.decode()
    assert f'name="next" value="{BACK}"' in form
    response = other_browser.post(urlsplit(path).path, {"next": BACK})
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == "/konto/login/"
    assert parse_qs(login.query)["next"] == [BACK]
    logged_in = other_browser.post(
        response["Location"],
        {"login": "neu@example.org", "password": "Volmetal-Brücke-2035", "next": BACK},
    )
    assert logged_in["Location"] == BACK
