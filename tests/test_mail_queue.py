"""Mail that cannot be lost: with the mail server down, sign-up answers normally, the mail waits
in the queue, and `manage.py send_mail` delivers it once SMTP is back."""

import re
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from mailer.models import Message

from tests.conftest import free_port
from tests.participation.test_accounts import signup_data
from tests.test_settings import STRONG_KEY, run_manage


class Sink:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def queued_smtp(settings):
    cache.clear()
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens: the mail server refuses
    yield settings
    cache.clear()


def test_production_smtp_goes_through_the_queue():
    result = run_manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.MAILER_EMAIL_BACKEND)",
        DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_EMAIL_BACKEND="smtp",
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1].split() == [
        "mailer.backend.DbBackend",
        "django.core.mail.backends.smtp.EmailBackend",
    ], result.stderr


@pytest.mark.django_db
def test_password_reset_with_mail_server_down_answers_normally(queued_smtp, citizen):
    response = Client().post("/konto/password/reset/", {"email": citizen.email})
    assert response.status_code == 302
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_signup_with_mail_server_down_queues_the_mail_and_delivers_it_later(queued_smtp):
    response = Client().post("/konto/signup/", signup_data())
    assert response.status_code == 302
    assert Message.objects.count() == 1

    call_command("send_mail")  # the server still refuses: the mail stays, deferred
    assert Message.objects.count() == 1

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        queued_smtp.EMAIL_PORT = controller.port
        call_command("retry_deferred")
        call_command("send_mail")
    finally:
        controller.stop()
    assert Message.objects.count() == 0
    assert len(sink.messages) == 1
    body = sink.messages[0].get_payload(decode=True) or b""
    if sink.messages[0].is_multipart():
        body = sink.messages[0].get_payload(0).get_payload(decode=True)
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", body.decode()).group(0)
    path = "/" + link.split("/", 3)[3]
    Client().post(path)
    assert EmailAddress.objects.get(email="neu@example.org").verified
