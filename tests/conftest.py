"""Shared fixtures: personas of the permission matrix and clients already logged in."""

import os
import shutil
import socket
import subprocess
import time

import pytest
import redis
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import translation

from hagen_isek import page_cache, shared_cache, site_content
from hagen_isek.page_cache import _content_changed
from participation.models import User

PASSWORD = "Sicheres-Passwort-2035"


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.fixture(autouse=True)
def fresh_shared_caches():
    """A database cache is rolled back with each test; a Redis cache (REDIS_URL, as .ci/run sets
    for one run) keeps its keys, so each test starts with it empty."""
    for alias in caches:
        if isinstance(caches[alias], RedisCache):
            caches[alias].clear()
    site_content.clear()
    shared_cache.breaker.reset()
    page_cache._unreplaced.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private Redis server on a free port (no files), stopped after the session."""
    if not shutil.which("redis-server"):
        if os.environ.get("REDIS_REQUIRED"):
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    pidfile = tmp_path_factory.mktemp("redis") / "redis.pid"
    subprocess.run(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(pidfile)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    client.shutdown(nosave=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas are created per test; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


Rows = dict[type, list[tuple]]


def columns(model: type) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def table_rows() -> Rows:
    """Every row of every concrete table, keyed by model (one model per table)."""
    models = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            models.setdefault(model._meta.db_table, model)
    return {
        model: list(model._base_manager.order_by("pk").values_list(*columns(model)))
        for model in models.values()
    }


@pytest.fixture(scope="session")
def seed_snapshot(django_db_setup, django_db_blocker) -> tuple[Rows, Rows]:
    """The tables `seed_portal` changes, before and after it ran once on the fresh test database.

    Running the command for every test that needs the seed took most of the suite's time; the
    rows it writes are the same each time, so they are taken once and copied in by `seeded`.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        before = table_rows()
        call_command("seed_portal", verbosity=0, stdout=None)
        after = table_rows()
        transaction.set_rollback(True)
    changed = [model for model in after if after[model] != before[model]]
    for model in changed:
        # bulk_create() cannot insert the rows of a multi-table child model.
        assert model._meta.concrete_model is model and not model._meta.parents, model
    return {m: before[m] for m in changed}, {m: after[m] for m in changed}


@pytest.fixture
def seeded(db, seed_snapshot) -> None:
    """The real ISEK seed data, as `make run` loads it."""
    before, after = seed_snapshot
    current = {model: set(model._base_manager.values_list(*columns(model))) for model in before}
    if any(not current[model] <= set(rows) for model, rows in before.items()):
        # Something the test made earlier shares a table with the seed: seed it for real.
        call_command("seed_portal", verbosity=0, stdout=None)
        return
    # Each table holds only rows it held before the seed (none after a flush by a browser
    # test): replace them with the rows the seed leaves. Foreign keys are checked at commit.
    # A browser test runs without a transaction around it: one keeps the copy consistent.
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in after:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
        for model, rows in after.items():
            names = columns(model)
            model._base_manager.bulk_create(
                model(**dict(zip(names, row, strict=True))) for row in rows
            )
    Site.objects.clear_cache()
    # The rows went in without signals; tell the page cache, as the seed's saves would have.
    _content_changed(sender=FlatPage)


@pytest.fixture
def admin_client(admin_user) -> Client:
    """pytest-django's admin client, with the second factor that staff need for the admin."""
    return logged_in(admin_user)
