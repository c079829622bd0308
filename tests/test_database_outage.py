"""Honest answers while the database fails: 503 with Retry-After, a German page, one log line,
and recovery without a restart."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from hagen_isek import urls as project_urls
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
GERMAN_NOTICE = "vorübergehend nicht erreichbar"


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused\n\tIs the server running on that host?"
    )


urlpatterns = [path("datenbank-weg/", database_gone), *project_urls.urlpatterns]
handler429 = project_urls.handler429
handler500 = project_urls.handler500


def assert_maintenance_page(status: int, headers, html: str) -> None:
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert GERMAN_NOTICE in html
    assert "Nichts, was Sie bereits gespeichert haben, geht verloren" in html
    assert '<html lang="de">' in html and 'id="main"' in html  # the site layout
    assert "Traceback" not in html and "5432" not in html  # nothing leaks


@pytest.mark.django_db
@pytest.mark.urls("tests.test_database_outage")
def test_database_error_in_a_view_answers_503_with_one_log_line(caplog):
    response = Client().get("/datenbank-weg/")
    assert_maintenance_page(response.status_code, response, response.content.decode())
    lines = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(lines) == 1
    assert "503" in lines[0].getMessage() and "/datenbank-weg/" in lines[0].getMessage()
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_database_error_in_a_middleware_answers_503_with_one_log_line(
    caplog, monkeypatch, settings
):
    class UnreachableCache:
        def get(self, *args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        get_many = get

    settings.PAGE_CACHE_ENABLED = True
    monkeypatch.setattr("hagen_isek.page_cache._cache", UnreachableCache)
    response = Client(raise_request_exception=False).get("/")
    assert_maintenance_page(response.status_code, response, response.content.decode())
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "database unavailable" in errors[0].getMessage()
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_readyz_answers_200_while_the_database_answers(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.content == b"ready"


# --- Against a real PostgreSQL server that goes away: a throwaway cluster, never the main one.

# A name and port of its own per test run: two runs on one machine (CI, several worktrees) must
# not drop or freeze each other's cluster.
CLUSTER = ("15", f"reliabtest{os.getpid()}")
CLUSTER_PORT = free_port()


def pg(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, timeout=120)


def drop_cluster() -> None:
    subprocess.run(
        ["pg_dropcluster", *CLUSTER, "--stop"], capture_output=True, timeout=120, check=False
    )


def fetch(url: str, timeout: float = 20) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (http://127.0.0.1)
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Portal(tuple):
    """(base URL, cluster(action), log path), with the gunicorn master's pid."""

    def __new__(cls, base, cluster, log, server_pid):
        portal = super().__new__(cls, (base, cluster, log))
        portal.server_pid = server_pid
        return portal


@pytest.fixture(scope="module")
def portal_on_throwaway_cluster(tmp_path_factory):
    """gunicorn with production settings on a PostgreSQL cluster of its own; yields the base URL,
    the function that stops/starts the cluster and the server's log file."""
    if not Path("/usr/bin/pg_createcluster").exists():
        pytest.skip("pg_createcluster (Debian postgresql-common) is not installed")
    pg("pg_createcluster", *CLUSTER, "--port", str(CLUSTER_PORT), "--start", "--", "--auth=trust")
    log = tmp_path_factory.mktemp("outage") / "gunicorn.log"
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{CLUSTER_PORT}/postgres",
        "DJANGO_SECRET_KEY": "outage-test-" + "k" * 60,
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = None
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=600)  # fmt: skip
        subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=120)  # fmt: skip
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with log.open("w") as log_file:
            server = subprocess.Popen(
                [str(gunicorn), "hagen_isek.wsgi", "--workers", "2", "--no-control-socket",
                 "--bind", f"127.0.0.1:{port}"],
                cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if fetch(base + "/healthz/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)

        def cluster(action: str) -> None:
            pg("pg_ctlcluster", *CLUSTER, action, *(["-m", "fast"] if action == "stop" else []))

        yield Portal(base, cluster, log, server.pid)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_cluster()


@pytest.mark.django_db
def test_database_stopped_answers_503_and_recovers_without_restart(portal_on_throwaway_cluster):
    base, cluster, log = portal_on_throwaway_cluster
    pages = ["/", "/ziele/", "/termine/", "/ueber-das-isek/"]
    for page in pages:
        assert fetch(base + page)[0] == 200, page
    assert fetch(base + "/readyz/")[0] == 200

    cluster("stop")
    for page in pages:
        status, headers, html = fetch(base + page)
        assert_maintenance_page(status, headers, html)
    assert fetch(base + "/readyz/")[0] == 503
    assert fetch(base + "/healthz/")[:1] == (200,)

    cluster("start")
    # A worker whose kept connection the shutdown ended, unused since, finds out with its next
    # query: at most one more 503 per worker (2 workers), then every page answers again.
    late_failures = 0
    for page in [*pages, "/readyz/"]:
        statuses = [fetch(base + page)[0]]
        while statuses[-1] == 503 and len(statuses) < 3:
            statuses.append(fetch(base + page)[0])
        assert statuses[-1] == 200, (page, statuses)
        late_failures += len(statuses) - 1
    assert late_failures <= 2
    written = log.read_text()
    assert "Traceback" not in written
    for page in pages:  # one line for each failed request
        assert written.count(f"Service Unavailable: {page} (database unavailable") >= 1, page


def cluster_processes() -> list[int]:
    """The throwaway cluster's postmaster and its children (never the main cluster's)."""
    data = Path("/var/lib/postgresql", *CLUSTER, "postmaster.pid")
    postmaster = int(data.read_text().split()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True)
    return [postmaster, *map(int, children.stdout.split())]


def workers(server_pid: int) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(server_pid)], capture_output=True, text=True)
    return set(map(int, found.stdout.split()))


@pytest.mark.django_db
def test_frozen_database_answers_503_without_a_worker_killed(portal_on_throwaway_cluster):
    """SIGSTOP of the server's processes: the kernel still accepts and acknowledges, nothing
    answers. Workers holding a kept connection give up on the query, workers connecting give up
    on the connection; each request gets its 503 long before gunicorn's 30 s worker timeout."""
    from concurrent.futures import ThreadPoolExecutor

    base, cluster, log = portal_on_throwaway_cluster
    server_pid = portal_on_throwaway_cluster.server_pid
    pages = ["/", "/ziele/", "/termine/", "/ueber-das-isek/"]
    with ThreadPoolExecutor(4) as pool:  # both workers hold a connection now
        assert [s for s, _, _ in pool.map(fetch, [base + p for p in pages * 2])] == [200] * 8
    before = workers(server_pid)
    assert len(before) == 2

    frozen = cluster_processes()
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        # Two rounds: the kept connections time out first, then new connections time out.
        with ThreadPoolExecutor(2) as pool:
            for _ in range(2):
                answers = list(pool.map(fetch, [base + p for p in pages[:2]], [15] * 2))
                for status, headers, html in answers:
                    assert_maintenance_page(status, headers, html)
        assert fetch(base + "/healthz/")[0] == 200
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)

    for page in [*pages, "/readyz/"]:
        statuses = [fetch(base + page)[0]]
        while statuses[-1] == 503 and len(statuses) < 3:
            statuses.append(fetch(base + page)[0])
        assert statuses[-1] == 200, (page, statuses, log.read_text()[-3000:])
    assert workers(server_pid) == before  # no worker was killed or replaced
    written = log.read_text()
    assert "WORKER TIMEOUT" not in written and "Traceback" not in written
    assert "did not answer within" in written
