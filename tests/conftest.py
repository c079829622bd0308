"""Shared fixtures: personas of the permission matrix and clients already logged in."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from participation.models import User

PASSWORD = "Sicheres-Passwort-2035"


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def make_user(
    email: str,
    display_name: str,
    *,
    verified: bool = True,
    staff: bool = False,
    groups: tuple[str, ...] = (),
) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, display_name=display_name, is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


@pytest.fixture
def citizen(db) -> User:
    return make_user("alice@example.org", "Alice")


@pytest.fixture
def other_citizen(db) -> User:
    return make_user("bob@example.org", "Bob")


@pytest.fixture
def unverified(db) -> User:
    return make_user("unverified@example.org", "Unbestätigt", verified=False)


@pytest.fixture
def moderator(db) -> User:
    return make_user("moderation@example.org", "Moderation", staff=True, groups=("Moderation",))


@pytest.fixture
def editor(db) -> User:
    return make_user("redaktion@example.org", "Redaktion", staff=True, groups=("Redaktion",))


def with_totp(user: User) -> User:
    """Staff reach the admin only with an activated authenticator app (STAFF_MFA_REQUIRED)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def logged_in(user: User) -> Client:
    if user.is_staff:
        with_totp(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def citizen_client(citizen) -> Client:
    return logged_in(citizen)


@pytest.fixture
def editor_client(editor) -> Client:
    return logged_in(editor)


@pytest.fixture
def moderator_client(moderator) -> Client:
    return logged_in(moderator)


@pytest.fixture
def seeded(db) -> None:
    """The real ISEK seed data, as `make run` loads it."""
    call_command("seed_portal", verbosity=0, stdout=None)


@pytest.fixture
def admin_client(admin_user) -> Client:
    """pytest-django's admin client, with the second factor that staff need for the admin."""
    return logged_in(admin_user)
