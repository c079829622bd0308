"""Redis failing under the portal (refused, hung, back again): pages answer, writes land, limits
hold per worker, and no page shows what a write during the outage changed back to its old state.

Each test runs its own redis-server, stopped or frozen (SIGSTOP: a hung server that keeps its
data) in the middle of the test."""

import contextlib
import os
import shutil
import signal
import subprocess
import uuid

import pytest
import redis
from django.test import Client
from django.urls import reverse
from redis.backoff import NoBackoff
from redis.retry import Retry

from hagen_isek import page_cache, shared_cache
from hagen_isek.settings import redis_caches
from participation.models import Comment
from tests.conftest import PASSWORD, free_port

pytestmark = pytest.mark.django_db


class Server:
    """A private redis-server that a test can stop, start again, or freeze (SIGSTOP: hung,
    its data kept) and thaw."""

    def __init__(self, directory) -> None:
        self.port = free_port()
        self.pidfile = directory / f"redis-{self.port}.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis(host="127.0.0.1", port=self.port, retry=Retry(NoBackoff(), 0))
        self.running = False

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(self.pidfile)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(500):
            try:
                self.client.ping()
                self.running = True
                return
            except redis.ConnectionError:
                pass
        raise RuntimeError("redis-server did not start")

    def _signal(self, number: int) -> None:
        os.kill(int(self.pidfile.read_text()), number)

    def freeze(self) -> None:
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.running:
            self.thaw()
            with contextlib.suppress(redis.ConnectionError):  # shutting down closes it
                self.client.shutdown(nosave=True)
            self.running = False


@pytest.fixture
def server(tmp_path, settings):
    if not shutil.which("redis-server"):
        if os.environ.get("REDIS_REQUIRED"):
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    server = Server(tmp_path)
    server.start()
    settings.CACHES = {**settings.CACHES, **redis_caches(server.url)}
    settings.PAGE_CACHE_ENABLED = True
    yield server
    server.stop()
    shared_cache.breaker.reset()
    page_cache._unreplaced.clear()


def back_again(server: Server, *, start: bool = False) -> None:
    """Redis answers again and the breaker's seconds have passed."""
    if start:
        server.start()
    else:
        server.thaw()
    shared_cache.breaker.reset()


def test_public_pages_answer_while_redis_refuses_connections(server, goal, open_round):
    assert Client().get(goal.get_absolute_url()).headers["X-Page-Cache"] == "miss"
    server.stop()
    for url in ("/", reverse("goals:list"), goal.get_absolute_url(), reverse("events:list")):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response.headers["X-Page-Cache"] == "bypass", url
    assert goal.title in Client().get(goal.get_absolute_url()).content.decode()


def test_a_hung_redis_costs_one_wait_then_pages_render_uncached(server, goal, open_round):
    url = goal.get_absolute_url()
    Client().get(url)
    assert Client().get(url).headers["X-Page-Cache"] == "hit"
    server.freeze()
    # One call waits half a second (redis-py alone: 5 s), then the breaker skips Redis.
    first = Client().get(url)
    assert (first.status_code, first.headers["X-Page-Cache"]) == (200, "bypass")
    assert shared_cache.breaker.is_open()
    back_again(server)
    assert Client().get(url).headers["X-Page-Cache"] == "hit"


def test_an_edit_during_the_outage_is_never_hidden_by_a_page_stored_before(
    server, goal, open_round
):
    url = goal.get_absolute_url()
    Client().get(url)
    assert Client().get(url).headers["X-Page-Cache"] == "hit"
    server.freeze()  # hung, its data (the stored page and its versions) kept
    goal.title = "Neuer Titel während des Ausfalls"
    goal.save()  # the version cannot be replaced now
    during = Client().get(url)
    assert during.headers["X-Page-Cache"] == "bypass"
    assert "Neuer Titel während des Ausfalls" in during.content.decode()
    back_again(server)
    after = Client().get(url)
    assert after.headers["X-Page-Cache"] == "miss"  # the old page was not served
    assert "Neuer Titel während des Ausfalls" in after.content.decode()
    assert page_cache._unreplaced == set()


def test_a_contribution_posted_while_redis_is_down_is_stored_and_shown(
    server, goal, open_round, citizen_client
):
    url = goal.get_absolute_url()
    Client().get(url)
    server.stop()
    response = citizen_client.post(
        reverse("participation:comment-create", args=[goal.slug]),
        {"text": "Geschrieben, als der Cache ausfiel.", "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(text="Geschrieben, als der Cache ausfiel.").exists()
    assert "Geschrieben, als der Cache ausfiel." in Client().get(url).content.decode()
    back_again(server, start=True)
    shown = Client().get(url).content.decode()
    assert "Geschrieben, als der Cache ausfiel." in shown


def test_the_login_limit_holds_in_the_worker_while_redis_is_down(server, citizen):
    server.stop()
    for _ in range(10):
        Client().post("/konto/login/", {"login": citizen.email, "password": "falsch-geraten"})
    refused = Client().post("/konto/login/", {"login": citizen.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.content.decode()


def test_a_good_login_works_while_redis_is_down(server, citizen):
    server.stop()
    response = Client().post("/konto/login/", {"login": citizen.email, "password": PASSWORD})
    assert response.status_code == 302
