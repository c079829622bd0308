"""Contribution posts by signed-in accounts against a running portal on 127.0.0.1 (stdlib only).

    python bench/post_load.py BASE_URL GOAL_PATH ACCOUNTS_JSON

Reads the comment form from the rendered goal page (id="comment-form", or the first form posting
to a URL containing "beitr" (Beitrag, Beiträge), "comment" or "kommentar"), takes its field names
from the HTML and posts new texts with the CSRF token, like a browser. The first accounts log in
through the login form; the rest use sessions prepared by bench/tasks.py (the login rate limit
allows about 30 per minute).
Prints one `BENCH {...}` JSON line, or `SKIP reason`.
"""

import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

THREADS = 4
HTTP_LOGINS = 4
POSTS_PER_ACCOUNT = int(os.environ.get("BENCH_POSTS_PER_ACCOUNT", "4"))
TIME_LIMIT = float(os.environ.get("BENCH_SECONDS", "10"))
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class FormParser(HTMLParser):
    """Collects every form with its action and fields (first option of each select)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"id": a.get("id", ""), "action": a.get("action", ""), "fields": {}, "texts": []}
            )
            self.forms[-1]["method"] = a.get("method", "get").lower()
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a or (kind == "checkbox" and name not in fields):
                    fields[name] = a.get("value", "on")
            elif kind not in {"submit", "button", "file", "image"}:
                fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            fields[name] = ""
            self.forms[-1]["texts"].append(name)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and self._select not in fields:
            fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def comment_form(html: str) -> dict | None:
    parser = FormParser()
    parser.feed(html)
    forms = [f for f in parser.forms if f["method"] == "post"]
    for form in forms:
        if form["id"] == "comment-form":
            return form
    for form in forms:
        if any(word in form["action"] for word in ("beitr", "comment", "kommentar")):
            return form
    return None


class Browser:
    """One visitor: a keep-alive connection and a cookie jar."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        assert self.host == "127.0.0.1", "the load client only talks to the loopback"
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise
        content = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, response.getheader("Location", ""), content

    def csrf_token(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""

    def login(self, login_path: str, email: str, password: str) -> bool:
        _, _, html = self.request("GET", login_path)
        status, _, _ = self.request(
            "POST",
            login_path,
            {"login": email, "password": password, "csrfmiddlewaretoken": self.csrf_token(html)},
        )
        return status in (301, 302, 303)


def main(base: str, goal_path: str, accounts_file: str, login_path: str = "/konto/login/") -> None:
    with open(accounts_file) as f:
        prepared = json.load(f)
    accounts = prepared["accounts"]
    browsers: list[Browser] = []
    http_logins = 0
    for index, account in enumerate(accounts):
        browser = Browser(base)
        if index < HTTP_LOGINS and browser.login(login_path, account["email"], account["password"]):
            http_logins += 1
        else:
            browser.cookies[prepared["session_cookie"]] = account["session"]
        browsers.append(browser)

    status, _, html = browsers[0].request("GET", goal_path)
    form = comment_form(html) if status == 200 else None
    if form is None:
        print(f"SKIP the goal page {goal_path} (status {status}) shows no comment form")
        return
    action = urljoin(goal_path, form["action"] or goal_path)
    if not form["texts"]:
        print(f"SKIP the comment form on {goal_path} has no text area")
        return

    # Each browser reads the page once for its own CSRF token, as a person would.
    tokens = []
    for browser in browsers:
        _, _, page = browser.request("GET", goal_path)
        tokens.append(browser.csrf_token(page))

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT
    started = time.monotonic()

    def worker(slot: int) -> None:
        for index in range(slot, len(browsers), THREADS):
            browser = browsers[index]
            for number in range(POSTS_PER_ACCOUNT):
                if time.monotonic() > deadline:
                    return
                data = dict(form["fields"])
                for name, value in data.items():
                    if UUID_RE.match(value):
                        data[name] = str(uuid.uuid4())  # a new submission, not a resubmission
                for name in form["texts"]:
                    data[name] = (
                        f"Benchmark-Beitrag {index}-{number}: Mehr Bäume und sichere Radwege "
                        "in der Innenstadt würden das Quartier lebenswerter machen."
                    )
                data["csrfmiddlewaretoken"] = tokens[index]
                begin = time.perf_counter()
                try:
                    status, _, body = browser.request("POST", action, data)
                    outcome = str(status)
                    if status == 200 and ("is-invalid" in body or "errorlist" in body):
                        outcome = "200-form-error"
                except (http.client.HTTPException, OSError) as error:
                    outcome = type(error).__name__
                elapsed = (time.perf_counter() - begin) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[outcome] = statuses.get(outcome, 0) + 1

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    ok = sum(n for s, n in statuses.items() if s.isdigit() and 200 <= int(s) < 400)
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    result = {
        "requests": len(latencies),
        "rps": round(len(latencies) / duration, 1) if duration else 0,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else 0,
        "p99_ms": round(quantiles[98], 2) if quantiles else 0,
        "errors": len(latencies) - ok,
        "statuses": statuses,
        "action": action,
        "fields": sorted(form["fields"]),
        "http_logins": http_logins,
        "accounts": len(browsers),
    }
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
