"""Every absolute link (e-mails, calendar, the admin's "view on site") uses DJANGO_SITE_URL,
port included, whatever Host the triggering request had."""

import re
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from events.models import Event
from hagen_isek.env import env_site_url
from participation import services

from .test_accounts import SIGNUP_URL, signup_data

SITE = "http://127.0.0.1:8123"
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    cache.clear()
    yield
    cache.clear()


def links(message) -> list[str]:
    parts = [message.body, *(content for content, _ in getattr(message, "alternatives", []))]
    found = [url for part in parts for url in LINK.findall(part)]
    header = message.extra_headers.get("List-Unsubscribe", "")
    return found + re.findall(r"<([^>]+)>", header)


def assert_all_on_site(message) -> None:
    found = links(message)
    assert found, message.body
    portal_links = [url for url in found if "hagen.de" not in url]
    assert portal_links and all(url.startswith(f"{SITE}/") for url in portal_links), found


def test_reply_mail_links_and_list_unsubscribe_carry_the_port(
    goal, open_round, comment, other_citizen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(author=other_citizen, goal=goal, text="Genau.", parent=comment)
    (message,) = mailoutbox
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/konto/")
    assert_all_on_site(message)


def test_answer_mail_links_carry_the_port(
    comment, editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_create(comment=comment, author=editor, text="Wir prüfen das.")
    (message,) = mailoutbox
    assert_all_on_site(message)


@pytest.mark.django_db
def test_confirmation_and_password_reset_links_use_the_site_url_not_the_host_header():
    Client(HTTP_HOST="localhost").post(SIGNUP_URL, signup_data())
    (confirmation,) = mail.outbox
    assert re.search(rf"{re.escape(SITE)}/konto/confirm-email/\S+", confirmation.body)
    mail.outbox.clear()
    from participation.models import User

    user = User.objects.get(email="neu@example.org")
    user.emailaddress_set.update(verified=True)
    Client(HTTP_HOST="localhost").post("/konto/password/reset/", {"email": "neu@example.org"})
    (reset,) = mail.outbox
    assert re.search(rf"{re.escape(SITE)}/konto/password/reset/key/\S+", reset.body)
    assert "http://localhost/" not in reset.body


def test_calendar_entries_link_to_the_site_url(client, seeded):
    ics = client.get("/termine/stadtbezirkswerkstatt-haspe-2018.ics").content.decode()
    assert f"URL:{SITE}/termine/stadtbezirkswerkstatt-haspe-2018/" in ics.replace("\r\n ", "")
    page = client.get("/termine/").content.decode()
    assert "webcal://127.0.0.1:8123/termine/feed.ics" in page


def test_seeding_sets_the_site_domain_so_view_on_site_keeps_the_port(admin_client, seeded):
    call_command("seed_portal", stdout=None)
    assert Site.objects.get_current().domain == "127.0.0.1:8123"
    event = Event.objects.get(slug="stadtbezirkswerkstatt-haspe-2018")
    content_type = ContentType.objects.get_for_model(Event)
    response = admin_client.get(f"/admin/r/{content_type.pk}/{event.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(
        "://127.0.0.1:8123/termine/stadtbezirkswerkstatt-haspe-2018/"
    )


@pytest.mark.parametrize(
    "raw", ["127.0.0.1:8000", "ftp://example.org", "https://example.org/portal/", "https://"]
)
def test_a_malformed_site_url_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_SITE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SITE_URL"):
        env_site_url("DJANGO_SITE_URL", "http://localhost")


def test_site_url_drops_a_trailing_slash(monkeypatch):
    monkeypatch.setenv("DJANGO_SITE_URL", "https://beteiligung.hagen.de/")
    assert env_site_url("DJANGO_SITE_URL", "http://localhost") == "https://beteiligung.hagen.de"


def test_make_run_sets_the_site_url_from_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], capture_output=True, text=True, check=True
    ).stdout
    serve = [line for line in dry_run.splitlines() if "runserver" in line]
    assert serve and "DJANGO_SITE_URL=http://127.0.0.1:8123" in serve[0]
    assert "127.0.0.1:8123" in serve[0].split("runserver")[1]
