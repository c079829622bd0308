"""Fault and abuse test of the production set-up; the work of bench/faults.

    python bench/faults.py [--results PATH|-] [--only NAME,...]     # run (about 5 minutes)
    python bench/faults.py --list                                  # the scenarios
    python bench/faults.py prepare                                 # in-process set-up (internal)

Creates a throwaway PostgreSQL cluster on a free port (pg_createcluster, never the main cluster),
migrates and seeds it, starts gunicorn with production settings (DEBUG off, 2 sync workers,
persistent connections, django-mailer queue, DJANGO_BEHIND_PROXY=true) and a local SMTP sink
(aiosmtpd), runs every scenario, prints one table and writes bench/FAULTS.md. Everything it
started is stopped and the cluster dropped at the end, also on Ctrl+C or failure.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from post_load import FormParser, comment_form  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE = "isek_faults"
RESTORED = "isek_faults_restored"
PAGES = ["/", "/ziele/", "/termine/", "/ueber-das-isek/"]
CLIENT_A = "203.0.113.66"  # documentation addresses (RFC 5737) for X-Forwarded-For
CLIENT_B = "198.51.100.23"
LOGIN = "/konto/login/"
SIGNUP = "/konto/signup/"
RESET = "/konto/password/reset/"

SCENARIOS = {
    "kill9": "worker kill -9 every 10 s under load",
    "hup": "kill -HUP of gunicorn under load",
    "toggles": "50 parallel support toggles by one account",
    "posts": "12 parallel posts by one account",
    "mail": "SMTP down, then up",
    "lockout": "15 failed logins from one client, then others and the owner",
    "db_stopped": "database stopped 20 s",
    "db_frozen": "database frozen (SIGSTOP, then SIGCONT)",
    "redis": "Redis frozen 10 s (SIGSTOP), then stopped 10 s, under load",
    "backup": "backup and restore (pg_dump -Fc, pg_restore)",
}
TARGETS = {
    "kill9": "≤ 0.1 % errors",
    "hup": "0 failed",
    "toggles": "0 × 500, supports = answered toggles mod 2",
    "posts": "0 × 500, exactly the limit stored",
    "mail": "0 lost, 0 × 500, confirmation works",
    "lockout": "other clients and the owner (via reset) get in",
    "db_stopped": "100 % 503 with Retry-After, each ≤ 5 s; 200 again ≤ 10 s after start",
    "db_frozen": "503 within 10 s, no worker killed",
    "redis": "0 failed, each ≤ 2 s, no worker killed; pages cached again ≤ 10 s after the start",
    "backup": "restore identical (counts and checksums of every table)",
}


def log(message: str) -> None:
    print(f"bench/faults: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int | str  # a number, or the name of the socket error
    headers: dict = field(default_factory=dict)
    body: str = ""
    seconds: float = 0.0
    started: float = 0.0

    @property
    def ok(self) -> bool:
        return isinstance(self.status, int) and 200 <= self.status < 400


class Browser:
    """One visitor: a cookie jar and, behind the proxy, the client address the proxy adds."""

    def __init__(self, base: str, client: str | None = None) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.client = client
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, timeout: float = 30):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.client:
            headers["X-Forwarded-For"] = self.client
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
        except (http.client.HTTPException, OSError) as error:
            return Answer(type(error).__name__, seconds=time.monotonic() - started, started=started)
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        return Answer(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            content,
            time.monotonic() - started,
            started,
        )

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def form(self, path: str, match=lambda form: True) -> dict:
        """The fields of the first POST form on the page that `match` accepts."""
        parser = FormParser()
        parser.feed(self.get(path).body)
        forms = [f for f in parser.forms if f["method"] == "post" and match(f)]
        if not forms:
            raise RuntimeError(f"no matching form on {path}")
        return {**forms[0], "action": urljoin(path, forms[0]["action"] or path)}

    def submit(self, path: str, values: dict, match=lambda form: True) -> Answer:
        form = self.form(path, match)
        return self.request("POST", form["action"], {**form["fields"], **values})


def load(base: str, paths: list[str], threads: int, stop: threading.Event):
    """Requests `paths` in turn from `threads` threads until `stop` is set; returns answers."""
    answers: list[Answer] = []
    lock = threading.Lock()

    def run(slot: int) -> None:
        browser = Browser(base)
        index = slot
        while not stop.is_set():
            answer = browser.get(paths[index % len(paths)], timeout=40)
            index += 1
            with lock:
                answers.append(answer)

    workers = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    return answers, workers


def wait_for(condition, timeout: float, what: str, interval: float = 0.2) -> float:
    """Polls `condition` until it is true; returns the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - started


def parallel(count: int, action) -> list:
    """Runs action(i) in `count` threads released at the same moment."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        results[index] = action(index)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


RUNNING_WRK: list[subprocess.Popen] = []


class Wrk:
    """wrk (C, 2 threads, 4 connections) loading `paths` in turn for `seconds`: fast enough that
    the figures are about the server, not about a Python client competing for the same cores."""

    def __init__(self, base: str, paths: list[str], seconds: int, folder: Path) -> None:
        script = folder / "rotate.lua"
        script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
        self.process = subprocess.Popen(
            ["wrk", "-t2", "-c4", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), base],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.started = time.monotonic()
        RUNNING_WRK.append(self.process)

    def result(self) -> tuple[int, int, str]:
        """(requests, failed, the error lines of wrk's summary)."""
        output, _ = self.process.communicate(timeout=120)
        done = re.search(r"(\d+) requests in", output)
        if not done:
            raise RuntimeError(f"wrk printed no summary:\n{output}")
        socket_errors = re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
        )
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        failed = sum(map(int, socket_errors.groups())) if socket_errors else 0
        failed_answers = int(non_2xx.group(1)) if non_2xx else 0
        lines = [line.strip() for line in output.splitlines()
                 if "Socket errors" in line or "Non-2xx" in line]  # fmt: skip
        return int(done.group(1)) + failed, failed + failed_answers, "; ".join(lines) or "none"


def statuses(answers: list[Answer]) -> str:
    counts = Counter(str(a.status) for a in answers)
    return ", ".join(f"{n} × {s}" for s, n in sorted(counts.items())) or "none"


def link_in(mail: bytes, pattern: str) -> str:
    message = message_from_bytes(mail)
    parts = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    text = "".join(p.get_payload(decode=True).decode("utf-8", "replace") for p in parts)
    found = re.search(r"https?://[^\s/]+(" + pattern + r"[^\s\"<>]*)", text)
    if not found:
        raise RuntimeError(f"no link matching {pattern} in the mail")
    return found.group(1)


# --- The things this script starts ------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster on a free port."""

    def __init__(self) -> None:
        versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
        self.version = versions[-1].name
        self.port = free_port()
        self.name = f"isekfaults{self.port}"
        self.created = False

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(args, check=True, capture_output=True, text=True, timeout=timeout)

    def create(self) -> None:
        self.created = True
        self.run("pg_createcluster", self.version, self.name, "--port", str(self.port),
                 "--start", "--", "--auth=trust")  # fmt: skip

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        self.run("pg_ctlcluster", self.version, self.name, "stop", "-m", "fast")

    def start(self) -> None:
        self.run("pg_ctlcluster", self.version, self.name, "start")

    def processes(self) -> list[int]:
        pid_file = Path("/var/lib/postgresql", self.version, self.name, "postmaster.pid")
        postmaster = int(pid_file.read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True)
        return [postmaster, *map(int, children.stdout.split())]

    def signal(self, pids: list[int], number: int) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    def drop(self) -> None:
        if self.created:
            subprocess.run(["pg_dropcluster", self.version, self.name, "--stop"],
                           capture_output=True, timeout=120, check=False)  # fmt: skip
            self.created = False

    def sql(self, database: str, query: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []


class SmtpSink:
    """A local SMTP server (aiosmtpd) that keeps every mail; stopped = connection refused."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mails: list[tuple[list[str], bytes]] = []
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        sink = self

        class Keep:
            async def handle_DATA(self, server, session, envelope):
                sink.mails.append((list(envelope.rcpt_tos), envelope.content))
                return "250 OK"

        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[bytes]:
        return [content for recipients, content in self.mails if address in recipients]


class Gunicorn:
    def __init__(self, env: dict, port: int, log_file: Path) -> None:
        self.env, self.port, self.log_file = env, port, log_file
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_file.open("a") as out:
            self.process = subprocess.Popen(
                [GUNICORN, "hagen_isek.wsgi", "--workers", "2", "--worker-class", "sync",
                 "--bind", f"127.0.0.1:{self.port}", "--no-control-socket",
                 "--log-level", "warning"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(lambda: Browser(self.base).get("/healthz/", timeout=2).ok, 60, "gunicorn")
        wait_for(lambda: len(self.workers()) == 2, 60, "two gunicorn workers")

    def workers(self) -> set[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                               text=True)  # fmt: skip
        return set(map(int, found.stdout.split()))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class RedisServer:
    """A private redis-server (nothing on disk) that a scenario freezes, stops and starts."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.pidfile = folder / f"redis-{self.port}.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                              text=True, timeout=10)  # fmt: skip

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                   "--save", "", "--appendonly", "no", "--daemonize", "yes",
                   "--pidfile", str(self.pidfile)]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
        wait_for(lambda: self.cli("ping").stdout.strip() == "PONG", 10, "redis-server")

    def signal(self, number: int) -> None:
        os.kill(int(self.pidfile.read_text()), number)

    def stop(self) -> None:
        if self.pidfile.exists():
            self.signal(signal.SIGCONT)
            self.cli("shutdown", "nosave")
            wait_for(lambda: not self.pidfile.exists(), 10, "redis-server to stop")


# --- The run ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    measured: str
    met: bool
    details: list[str] = field(default_factory=list)

    @property
    def row(self) -> list[str]:
        return [SCENARIOS[self.name], self.measured, TARGETS[self.name],
                "met" if self.met else "**missed**"]  # fmt: skip


class Run:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cluster = Cluster()
        self.smtp = SmtpSink(free_port())
        self.env = {
            **{k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))},
            "DATABASE_URL": self.cluster.url(DATABASE),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_DEBUG": "false",
            "DJANGO_HTTPS": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_BEHIND_PROXY": "true",
            "DJANGO_STAFF_MFA_REQUIRED": "true",
            "DJANGO_EMAIL_BACKEND": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "DJANGO_LOG_LEVEL": "WARNING",
        }  # fmt: skip
        self.gunicorn = Gunicorn(self.env, free_port(), folder / "gunicorn.log")
        self.frozen: list[int] = []
        self.prepared: dict = {}

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, text=True,
                              capture_output=True, timeout=timeout)  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def set_up(self) -> None:
        log(f"throwaway cluster {self.cluster.version}/{self.cluster.name} on port "
            f"{self.cluster.port}")  # fmt: skip
        self.cluster.create()
        self.cluster.sql("postgres", f'CREATE DATABASE "{DATABASE}"')
        log("migrate, cache tables, static files, seed data ...")
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("seed_portal", "--verbosity", "0")
        done = subprocess.run([PY, __file__, "prepare"], cwd=ROOT, env=self.env, text=True,
                              capture_output=True, timeout=300, check=True)  # fmt: skip
        self.prepared = json.loads(done.stdout)
        self.gunicorn.start()
        log(f"gunicorn on {self.gunicorn.base}, SMTP sink port {self.smtp.port} (down for now)")

    def clean_up(self) -> None:
        for process in RUNNING_WRK:
            if process.poll() is None:
                process.kill()
                process.wait()
        if self.frozen:
            self.cluster.signal(self.frozen, signal.SIGCONT)
        self.gunicorn.stop()
        self.smtp.stop()
        self.cluster.drop()

    def signed_in(self, index: int, client: str | None = None) -> Browser:
        browser = Browser(self.gunicorn.base, client)
        account = self.prepared["accounts"][index]
        browser.cookies[self.prepared["session_cookie"]] = account["session"]
        return browser

    # -- scenarios

    def kill9(self) -> Result:
        traffic = Wrk(self.gunicorn.base, [*PAGES, self.prepared["goal_url"]], 30, self.folder)
        kills = 0
        for second in (5, 15, 25):
            time.sleep(max(0.0, traffic.started + second - time.monotonic()))
            victim = sorted(self.gunicorn.workers())[0]
            os.kill(victim, signal.SIGKILL)
            kills += 1
            wait_for(lambda v=victim: v not in self.gunicorn.workers()
                     and len(self.gunicorn.workers()) == 2, 30, "a new worker")  # fmt: skip
        requests, failed, errors = traffic.result()
        rate = 100 * failed / requests if requests else 100
        return Result(
            "kill9",
            f"{requests} requests in 30 s, {kills} workers killed: {failed} failed ({rate:.3f} %)",
            requests > 0 and rate <= 0.1,
            [f"wrk: {errors} (a killed sync worker loses the one request it was answering)"],
        )

    def hup(self) -> Result:
        traffic = Wrk(self.gunicorn.base, [*PAGES, self.prepared["goal_url"]], 20, self.folder)
        reloads = 0
        for second in (4, 12):
            time.sleep(max(0.0, traffic.started + second - time.monotonic()))
            before = self.gunicorn.workers()
            os.kill(self.gunicorn.process.pid, signal.SIGHUP)
            reloads += 1
            wait_for(lambda b=before: not (self.gunicorn.workers() & b)
                     and len(self.gunicorn.workers()) == 2, 60, "reloaded workers")  # fmt: skip
        requests, failed, errors = traffic.result()
        return Result(
            "hup",
            f"{requests} requests in 20 s, {reloads} reloads (all workers replaced each time): "
            f"{failed} failed",
            requests > 0 and not failed,
            [f"wrk: {errors}"],
        )

    def toggles(self) -> Result:
        comment = self.prepared["comment_pk"]
        url = f"/beitraege/{comment}/zustimmung/"
        browser = self.signed_in(1, CLIENT_A)
        form = browser.form(self.prepared["goal_url"], lambda f: f["action"].endswith(url))
        token = form["fields"]["csrfmiddlewaretoken"]

        def toggle(index: int) -> Answer:
            twin = Browser(self.gunicorn.base, CLIENT_A)
            twin.cookies = dict(browser.cookies)
            return twin.request("POST", url, {**form["fields"], "csrfmiddlewaretoken": token})

        answers = parallel(50, toggle)
        rows = self.cluster.sql(
            DATABASE,
            "SELECT count(*) FROM participation_support s JOIN participation_user u "
            "ON u.id = s.user_id WHERE s.comment_id = %s AND u.email = %s",
            (comment, self.prepared["accounts"][1]["email"]),
        )[0][0]
        # Toggles by one account run one after the other, so the parity of the answered toggles
        # decides: an even number leaves no support.
        expected = sum(a.ok for a in answers) % 2
        return Result(
            "toggles",
            f"{statuses(answers)}; supports stored: {rows} (expected {expected})",
            all(a.ok for a in answers) and rows == expected,
        )

    def posts(self) -> Result:
        account = self.prepared["accounts"][2]
        browser = self.signed_in(2, CLIENT_A)
        page = browser.get(self.prepared["goal_url"]).body
        form = comment_form(page)
        if form is None:
            raise RuntimeError("the goal page shows no comment form to the signed-in account")
        action = urljoin(self.prepared["goal_url"], form["action"])

        def post(index: int) -> Answer:
            data = dict(form["fields"])
            for name, value in data.items():
                if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                value):  # fmt: skip
                    data[name] = str(uuid.uuid4())  # a new submission, not a double click
            for name in form["texts"]:
                data[name] = f"Fehlertest-Beitrag {index}: Mehr Schatten in der Innenstadt."
            twin = Browser(self.gunicorn.base, CLIENT_A)
            twin.cookies = dict(browser.cookies)
            return twin.request("POST", action, data)

        answers = parallel(12, post)
        stored = self.cluster.sql(
            DATABASE,
            "SELECT count(*) FROM participation_comment c JOIN participation_user u "
            "ON u.id = c.author_id WHERE u.email = %s",
            (account["email"],),
        )[0][0]
        limit = self.prepared["contribution_limit"]
        server_errors = sum(1 for a in answers if not a.ok and a.status != 403)
        return Result(
            "posts",
            f"{statuses(answers)} (403: the limit's refusal, form kept); stored {stored} "
            f"(limit {limit})",
            server_errors == 0 and stored == limit,
        )

    def mail(self) -> Result:
        base = self.gunicorn.base
        addresses = [f"fehlertest-{n}-{secrets.token_hex(3)}@example.org" for n in range(3)]
        signups: list[tuple[Browser, Answer]] = []
        for number, address in enumerate(addresses):
            browser = Browser(base, f"192.0.2.{10 + number}")
            password = secrets.token_urlsafe(12)
            answer = browser.submit(
                SIGNUP,
                {"email": address, "display_name": f"Fehlertest {number}", "password1": password,
                 "password2": password, "accept_netiquette": "on", "accept_privacy": "on",
                 "website": ""},
                lambda f: f["action"].endswith(SIGNUP) or "password2" in f["fields"],
            )  # fmt: skip
            signups.append((browser, answer))
        resets = []
        for index in (3,):
            account = self.prepared["accounts"][index]
            browser = Browser(base, f"192.0.2.{20 + index}")
            resets.append(browser.submit(RESET, {"email": account["email"]},
                                         lambda f: "email" in f["fields"]))  # fmt: skip
            addresses.append(account["email"])
        answers = [a for _, a in signups] + resets
        queued = self.cluster.sql(DATABASE, "SELECT count(*) FROM mailer_message")[0][0]
        self.manage("send_mail")  # SMTP still down: the mails are deferred, not lost
        deferred = self.cluster.sql(DATABASE, "SELECT count(*) FROM mailer_message")[0][0]
        self.smtp.start()
        self.manage("retry_deferred")
        self.manage("send_mail")
        lost = [a for a in addresses if not self.smtp.to(a)]
        browser, _ = signups[0]
        confirmed = False
        if not lost:
            path = link_in(self.smtp.to(addresses[0])[-1], "/konto/confirm-email/")
            answer = browser.submit(path, {}, lambda f: f["action"].rstrip("/").endswith(
                path.rstrip("/")) or "confirm" in f["action"])  # fmt: skip
            confirmed = answer.ok and self.cluster.sql(
                DATABASE, "SELECT verified FROM account_emailaddress WHERE email = %s",
                (addresses[0],))[0][0]  # fmt: skip
        server_errors = sum(1 for a in answers if not a.ok)
        return Result(
            "mail",
            f"{len(signups)} sign-ups + {len(resets)} reset while down: {statuses(answers)}; "
            f"{queued} queued, {deferred} deferred, {len(addresses) - len(lost)}/"
            f"{len(addresses)} delivered after SMTP came back, lost {len(lost)}; "
            f"confirmation link {'works' if confirmed else 'FAILED'}",
            server_errors == 0 and not lost and confirmed,
        )

    def login(self, browser: Browser, email: str, password: str) -> Answer:
        return browser.submit(LOGIN, {"login": email, "password": password},
                              lambda f: "login" in f["fields"])  # fmt: skip

    @staticmethod
    def got_in(answer: Answer) -> bool:
        return answer.status == 302 and "/konto/login" not in answer.headers.get("location", "")

    def lockout(self) -> Result:
        base = self.gunicorn.base
        owner = self.prepared["accounts"][0]
        attacker = Browser(base, CLIENT_A)
        failures = [self.login(attacker, owner["email"], "falsch-" + str(n)) for n in range(15)]
        throttled = sum("Zu viele" in a.body for a in failures)
        other = self.prepared["accounts"][4]
        other_in = self.login(Browser(base, CLIENT_B), other["email"], other["password"])
        owner_browser = Browser(base, CLIENT_B)
        owner_refused = self.login(owner_browser, owner["email"], owner["password"])
        owner_browser.submit(RESET, {"email": owner["email"]}, lambda f: "email" in f["fields"])
        self.manage("send_mail")
        mails = self.smtp.to(owner["email"])
        reset_in = False
        if mails:
            path = link_in(mails[-1], "/konto/password/reset/key/")
            key_page = owner_browser.get(path)
            set_password = key_page.headers.get("location") or path
            new = secrets.token_urlsafe(14)
            owner_browser.submit(set_password, {"password1": new, "password2": new},
                                 lambda f: "password1" in f["fields"])  # fmt: skip
            reset_in = self.got_in(self.login(Browser(base, CLIENT_B), owner["email"], new))
        return Result(
            "lockout",
            f"15 failed logins from client A: {statuses(failures)}, {throttled} of them "
            f"refused as too many; another account from "
            f"client B: {'in' if self.got_in(other_in) else 'REFUSED'}; the owner with the right "
            f"password: {'in' if self.got_in(owner_refused) else 'refused'}, after the "
            f"password reset: {'in' if reset_in else 'REFUSED'}",
            self.got_in(other_in) and reset_in,
        )

    def watch(self, threads: int = 2) -> tuple[list[Answer], threading.Event, list]:
        stop = threading.Event()
        paths = [*PAGES[:2], self.prepared["goal_url"]]
        answers, workers = load(self.gunicorn.base, paths, threads, stop)
        return answers, stop, workers

    @staticmethod
    def recovery(answers: list[Answer], back_at: float) -> tuple[float | None, list[Answer]]:
        """Seconds from `back_at` until the start of the first request after which every
        answer was a success; and the answers after `back_at` that failed."""
        after = sorted((a for a in answers if a.started + a.seconds >= back_at),
                       key=lambda a: a.started)  # fmt: skip
        failed = [a for a in after if not a.ok]
        if not after:
            return None, failed
        last_failure = max((a.started + a.seconds for a in failed), default=back_at)
        first_good = min((a.started for a in after if a.started >= last_failure and a.ok),
                         default=None)  # fmt: skip
        return (None if first_good is None else max(0.0, first_good - back_at)), failed

    def db_stopped(self) -> Result:
        answers, stop, workers = self.watch()
        wait_for(lambda: sum(a.ok for a in answers) >= 4, 30, "pages before the outage")
        self.cluster.stop()
        down_at = time.monotonic()
        time.sleep(20)  # the outage lasts 20 s: a duration, not a wait for a condition
        up_began = time.monotonic()
        self.cluster.start()
        back_at = time.monotonic()
        wait_for(lambda: sum(a.ok for a in answers if a.started > back_at) >= 10, 30,
                 "pages after the outage")  # fmt: skip
        stop.set()
        for worker in workers:
            worker.join()
        during = [a for a in answers if a.started >= down_at and a.started + a.seconds <= up_began]
        honest = [a for a in during if a.status == 503 and a.headers.get("retry-after")]
        slowest = max((a.seconds for a in during), default=0)
        seconds, late = self.recovery(answers, back_at)
        share = 100 * len(honest) / len(during) if during else 0
        return Result(
            "db_stopped",
            f"{len(during)} requests while down: {statuses(during)}, {share:.0f} % 503 with "
            f"Retry-After, slowest {slowest:.2f} s; 200 again {seconds:.1f} s after the start "
            f"({len(late)} more 503 after it)",
            bool(during) and share == 100 and slowest <= 5 and seconds is not None
            and seconds <= 10,
        )  # fmt: skip

    def db_frozen(self) -> Result:
        answers, stop, workers = self.watch()
        wait_for(lambda: sum(a.ok for a in answers) >= 4, 30, "pages before the freeze")
        before = self.gunicorn.workers()
        self.frozen = self.cluster.processes()
        self.cluster.signal(self.frozen, signal.SIGSTOP)
        frozen_at = time.monotonic()
        time.sleep(15)  # the freeze lasts 15 s: longer than the 8 s query deadline
        thawed_began = time.monotonic()
        self.cluster.signal(self.frozen, signal.SIGCONT)
        self.frozen = []
        back_at = time.monotonic()
        wait_for(lambda: sum(a.ok for a in answers if a.started > back_at) >= 10, 40,
                 "pages after the freeze")  # fmt: skip
        stop.set()
        for worker in workers:
            worker.join()
        during = [a for a in answers if a.started >= frozen_at and a.started < thawed_began]
        answered = [a for a in during if a.started + a.seconds <= thawed_began]
        slowest = max((a.seconds for a in answered), default=0)
        honest = [a for a in answered if a.status == 503 and a.headers.get("retry-after")]
        killed = before - self.gunicorn.workers()
        timeouts = self.gunicorn.log_file.read_text().count("WORKER TIMEOUT")
        seconds, _ = self.recovery(answers, back_at)
        return Result(
            "db_frozen",
            f"{len(answered)} requests answered while frozen: {statuses(answered)} "
            f"({len(honest)} with Retry-After), slowest {slowest:.2f} s; workers killed: "
            f"{len(killed)} (WORKER TIMEOUT in log: {timeouts}); 200 again {seconds:.1f} s "
            "after SIGCONT",
            bool(answered) and len(honest) == len(answered) and slowest <= 10 and not killed
            and not timeouts,
            ["seconds per request while frozen: "
             + ", ".join(f"{a.seconds:.2f}" for a in sorted(answered, key=lambda a: a.started))
             + " (a kept connection gives up after the 8 s query deadline, a new one after the "
             "5 s connect timeout)"],
        )  # fmt: skip

    def redis(self) -> Result:
        """A second gunicorn with REDIS_URL (production's shared cache) while Redis hangs and is
        gone: pages must render uncached (X-Page-Cache: bypass), not fail."""
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is missing (Debian package redis-server)")
        server = RedisServer(self.folder)
        server.start()
        app = Gunicorn({**self.env, "REDIS_URL": server.url}, free_port(),
                       self.folder / "gunicorn-redis.log")  # fmt: skip
        stop = threading.Event()
        threads: list = []
        try:
            app.start()
            workers_before = app.workers()
            answers, threads = load(app.base, [*PAGES[:2], self.prepared["goal_url"]], 2, stop)

            def hits(since: float) -> int:
                return sum(a.headers.get("x-page-cache") == "hit" for a in answers
                           if a.started > since)  # fmt: skip

            wait_for(lambda: hits(0) >= 4, 30, "cached pages before the outage")
            server.signal(signal.SIGSTOP)
            frozen_at = time.monotonic()
            time.sleep(10)  # the freeze lasts 10 s: a duration, not a wait for a condition
            thawed_at = time.monotonic()
            server.signal(signal.SIGCONT)
            wait_for(lambda: hits(thawed_at) >= 4, 30, "cached pages after the freeze")
            server.stop()
            stopped_at = time.monotonic()
            time.sleep(10)  # the outage lasts 10 s
            started_at = time.monotonic()
            server.start()
            back_at = time.monotonic()
            cached_again = wait_for(lambda: hits(back_at) >= 1, 30, "cached pages after the start")
        finally:
            stop.set()
            for thread in threads:
                thread.join()
            killed = workers_before - app.workers() if app.process else set()
            app.stop()
            server.stop()
        frozen = [
            a for a in answers if frozen_at <= a.started and a.started + a.seconds <= thawed_at
        ]
        gone = [
            a for a in answers if stopped_at <= a.started and a.started + a.seconds <= started_at
        ]
        during = frozen + gone
        failed = [a for a in during if not a.ok]
        slowest = max((a.seconds for a in during), default=0)
        bypass = sum(a.headers.get("x-page-cache") == "bypass" for a in during)
        return Result(
            "redis",
            f"{len(frozen)} requests while frozen, {len(gone)} while stopped: "
            f"{statuses(during)} ({bypass} rendered uncached), {len(failed)} failed, slowest "
            f"{slowest:.2f} s; workers killed: {len(killed)}; cached again {cached_again:.1f} s "
            "after the start",
            bool(frozen) and bool(gone) and not failed and slowest <= 2 and not killed
            and cached_again <= 10,
            ["seconds per request while frozen (first 12): "
             + ", ".join(f"{a.seconds:.2f}" for a in sorted(frozen, key=lambda a: a.started)[:12])
             + " (a call to Redis gives up after 0.5 s; then the worker skips it for 5 s)"],
        )  # fmt: skip

    def backup(self) -> Result:
        dump = self.folder / "backup.dump"
        url = self.cluster.url(DATABASE)
        started = time.monotonic()
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), "-d", url], check=True,
                       capture_output=True, timeout=300)  # fmt: skip
        self.cluster.sql("postgres", f'CREATE DATABASE "{RESTORED}"')
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d",
                        self.cluster.url(RESTORED), str(dump)], check=True,
                       capture_output=True, timeout=300)  # fmt: skip
        seconds = time.monotonic() - started

        def fingerprint(database: str) -> dict:
            tables = [row[0] for row in self.cluster.sql(database,
                      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                      "ORDER BY tablename")]  # fmt: skip
            # Row count and an md5 over every row as text, in a fixed order, per table.
            query = (
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                ' FROM "{}" t'
            )
            return {table: self.cluster.sql(database, query.format(table))[0] for table in tables}

        original, restored = fingerprint(DATABASE), fingerprint(RESTORED)
        different = [t for t in original if original[t] != restored.get(t)]
        rows = sum(count for count, _ in original.values())
        size = dump.stat().st_size
        dump.unlink()
        return Result(
            "backup",
            f"{len(original)} tables, {rows:,} rows, dump {size // 1024} KB, "
            f"{seconds:.1f} s; tables that differ: {len(different)}"
            + (f" ({', '.join(different)})" if different else ""),
            not different and set(original) == set(restored),
        )


# --- Report -----------------------------------------------------------------------------------

COLUMNS = ["scenario", "measured", "target (issue 18)", "met"]


def markdown_table(results: list[Result]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in r.row) + " |" for r in results]
    return "\n".join(lines)


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo
                if line.startswith("model name")), "unknown CPU")  # fmt: skip
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores ({cpu}), {int(memory) // 1024} MB RAM",
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def report(results: list[Result], meta: dict, errors: list[str]) -> str:
    met = sum(r.met for r in results)
    lines = [
        "# Fault and abuse test (bench/faults)",
        "",
        f"Real run of `bench/faults`: {met} of {len(results)} targets met"
        + (f", {len(errors)} scenarios could not run" if errors else "") + ".",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']}",
        f"- commit: `{meta['commit']}`",
        f"- load average (1, 5, 15 min) before: {meta['load_before']}, after: "
        f"{meta['load_after']}; the machine is shared, so latencies are from a busy machine",
        f"- duration: {meta['duration']}",
        "- set-up: a throwaway PostgreSQL cluster (pg_createcluster, dropped at the end), "
        "gunicorn with 2 sync workers and production settings (DEBUG off, CONN_MAX_AGE=60, "
        "WhiteNoise, database caches, django-mailer queue, DJANGO_BEHIND_PROXY=true with "
        "X-Forwarded-For per client), a local aiosmtpd sink; load for the worker kills and "
        "reloads from wrk (2 threads, 4 connections, 5 pages in turn), for the database "
        "scenarios from a Python client with 2 threads that times each request; the Redis "
        "scenario on a second gunicorn with REDIS_URL (a private redis-server, as in "
        "production), anonymous readers of three pages with the page cache on",
        "",
        markdown_table(results),
        "",
    ]  # fmt: skip
    lines += [
        "Reading the figures:",
        "",
        "- Worker kills: a sync worker killed with SIGKILL loses the one request it was "
        "answering (a socket error for that client), so the error rate is kills divided by the "
        "requests the machine managed in 30 s; a proxy that retries idempotent requests on a "
        "connection error (nginx `proxy_next_upstream error`) hides even those.",
        "- Lockout: after 5 failed logins for one account (allauth `5/5m/key`) even the right "
        "password is refused for a few minutes, from every address; the refusal offers the "
        "password reset, which lifts the block. Another account from another client (read from "
        "`X-Forwarded-For` behind the proxy) is never affected.",
        "- Database frozen: a worker with a kept connection gives up after the query deadline "
        "(statement timeout 7 s + 1 s, `hagen_isek/query_deadline.py`), a worker connecting "
        "after the connect timeout (5 s); gunicorn's worker timeout (30 s) is never reached.",
        "- Redis frozen or stopped: the first call in each worker gives up after 0.5 s, then the "
        "worker does not try Redis for 5 s (`hagen_isek/shared_cache.py`); pages are rendered "
        "for each request (`X-Page-Cache: bypass`) and cached again once Redis answers.",
        "- Recovery times are counted from the moment `pg_ctlcluster start` returned (or "
        "SIGCONT was sent) to the first request after which every answer was a success.",
        "",
    ]
    details = [f"- {SCENARIOS[r.name]}: {d}" for r in results for d in r.details]
    if details:
        lines += ["Details:", "", *details, ""]
    if errors:
        lines += ["Scenarios that could not run:", "", *[f"- {e}" for e in errors], ""]
    return "\n".join(lines)


# --- In-process set-up (Django) ---------------------------------------------------------------


def prepare() -> None:
    """Accounts with sessions, an open round with one contribution to support; prints JSON."""
    import contextlib
    import io

    import tasks  # sets Django up with the same environment as the gunicorn under test
    from django.utils import timezone

    from goals.models import Goal
    from participation.models import Comment, CommentRound
    from participation.services.rules import RATE_LIMIT_COUNT

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        tasks.cmd_accounts(5)
    prepared = json.loads(output.getvalue())
    now = timezone.now()
    if not CommentRound.objects.open().exists():
        CommentRound.objects.create(
            title="Fehlertest-Runde", slug="fehlertest", is_published=True,
            starts_at=now - timezone.timedelta(days=1), ends_at=now + timezone.timedelta(days=30),
        )  # fmt: skip
    goal = Goal.objects.published().order_by("number", "pk").first()
    open_round = CommentRound.objects.open().first()
    comment = Comment.objects.create(
        goal=goal, round=open_round, author=tasks.bench_user(3),
        text="Ein Beitrag, den alle unterstützen können.", status=Comment.Status.PUBLISHED,
    )  # fmt: skip
    prepared.update(
        goal_url=goal.get_absolute_url(),
        comment_pk=comment.pk,
        contribution_limit=RATE_LIMIT_COUNT,
    )
    json.dump(prepared, sys.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="bench/faults", description=__doc__.split("\n\n")[0].strip()
    )
    parser.add_argument("command", nargs="?", choices=["run", "prepare"], default="run",
                        help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--results", default=str(ROOT / "bench" / "FAULTS.md"),
                        help="report file (default bench/FAULTS.md; - = print only)")  # fmt: skip
    parser.add_argument("--only", default="", help="comma-separated scenarios (see --list)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare()
        return 0
    if args.list:
        for name, text in SCENARIOS.items():
            print(f"{name:12} {text}; target: {TARGETS[name]}")
        return 0
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or list(SCENARIOS)
    unknown = [n for n in chosen if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}; see --list")
    if shutil.which("wrk") is None and os.geteuid() == 0:  # like bench/run
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False,
                       capture_output=True, env=quiet)  # fmt: skip
    for tool in ("pg_createcluster", "pg_dump", "pg_restore", "pgrep", "wrk"):
        if not any((Path(d) / tool).exists() for d in os.environ.get("PATH", "").split(":")):
            sys.exit(f"bench/faults: {tool} is missing (Debian packages postgresql, procps, wrk)")
    if not Path(GUNICORN).exists():
        sys.exit("bench/faults: .venv is missing; run 'make setup' first")

    folder = ROOT / "var" / "faults" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True, exist_ok=True)
    log(f"logs in {folder}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in background
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    began = time.monotonic()
    run = Run(folder)
    results: list[Result] = []
    errors: list[str] = []
    try:
        run.set_up()
        for name in chosen:
            if name == "backup":
                run.gunicorn.stop()  # nothing writes while the dump runs
            log(f"{SCENARIOS[name]} ...")
            try:
                result = getattr(run, name)()
            except Exception as error:  # noqa: BLE001 – one broken scenario must not hide the rest
                errors.append(f"{SCENARIOS[name]}: {type(error).__name__}: {error}")
                log(f"  could not run: {error}")
                if run.frozen:
                    run.cluster.signal(run.frozen, signal.SIGCONT)
                    run.frozen = []
                continue
            results.append(result)
            log(f"  {'met' if result.met else 'MISSED'}: {result.measured}")
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        return 130
    finally:
        run.clean_up()
    meta = {
        **machine(),
        "load_before": load_before,
        "load_after": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "duration": f"{(time.monotonic() - began) / 60:.1f} minutes",
    }
    text = report(results, meta, errors)
    print()
    print(text)
    if args.results != "-":
        Path(args.results).write_text(text)
        log(f"wrote {args.results}")
    return 0 if results and all(r.met for r in results) and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
