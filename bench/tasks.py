"""The in-process half of bench/run: find the pages, count SQL queries and bytes, make accounts.

    python bench/tasks.py counts                   # rows per content model, one line
    python bench/tasks.py pages   > pages.json     # name, url, status, queries, bytes per page
    python bench/tasks.py searches > searches.json # the same for the searches
    python bench/tasks.py accounts N > accounts.json

Runs with the same environment (DATABASE_URL, ...) as the gunicorn under test. Page URLs can be
forced with BENCH_URL_<NAME> (e.g. BENCH_URL_GOAL=/ziele/hagener-kieze/).
"""

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagen_isek.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

HOST = "127.0.0.1"
BACKEND = "django.contrib.auth.backends.ModelBackend"
ACCOUNT_EMAIL = "bench-poster-{}@example.org"


def _reverse_first(*names: str) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _probe(*paths: str) -> str | None:
    client = Client(HTTP_HOST=HOST)
    for path in paths:
        if client.get(path).status_code == 200:
            return path
    return None


def busiest_goal():
    """The published goal with the most contributions, else the first published goal."""
    goals = goals_by_contributions()
    return goals.first() if goals is not None else None


def goals_by_contributions():
    """Published goals, most contributions (any reverse relation from a model called Comment or
    Contribution) first; None without a goals app."""
    try:
        from goals.models import Goal
    except ImportError:
        return None
    goals = Goal.objects.published()
    relations = [
        rel
        for rel in Goal._meta.related_objects
        if rel.related_model._meta.model_name in {"comment", "contribution"}
        and not rel.many_to_many
    ]
    if relations:
        goals = goals.annotate(bench_count=Count(relations[0].name)).order_by("-bench_count", "pk")
    return goals


def find_pages() -> list[tuple[str, str | None]]:
    goal = busiest_goal()
    measure = None
    if goal is not None:
        try:
            from goals.models import Measure

            measure = Measure.objects.public().filter(goals=goal).first() or (
                Measure.objects.public().first()
            )
        except Exception:  # noqa: BLE001 – a goals app without measures is reported as missing
            measure = None
    pages = [
        ("healthz", reverse("healthz")),
        ("home", reverse("home")),
        ("goals", _reverse_first("goals:list")),
        ("goal", goal.get_absolute_url() if goal else None),
        ("measure", measure.get_absolute_url() if measure else None),
        ("calendar", _reverse_first("events:calendar", "events:list")),
        (
            "ics",
            _reverse_first("events:feed", "events:ical", "events:ics", "events:calendar-feed")
            or _probe("/termine/feed.ics", "/termine/kalender.ics"),
        ),
        (
            "statistics",
            _reverse_first(
                "participation:statistics",
                "participation:stats",
                "goals:statistics",
                "statistics",
            )
            or _probe("/statistik/", "/beteiligung/statistik/", "/auswertung/"),
        ),
    ]
    return [(name, os.environ.get(f"BENCH_URL_{name.upper()}") or url) for name, url in pages]


# The searches bench/run measures (its Search block): over all kinds or the contributions
# alone, chosen for the different ways the database finds the matches among the 100,000
# contributions (a fifth of them, none, two words together, page 2 of the ranking).
SEARCHES = [
    ("search", "Quartier", {}),  # frequent word, stemmed (finds „Quartieren“)
    ("search_rare", "Hohenlimburg", {}),  # a few dates, no contribution
    ("search_two_words", "Radweg Beleuchtung", {}),  # each word frequent, both in 1.5 %
    ("search_no_hits", "Xylophonwerkstatt", {}),
    ("search_contributions", "Bahnhofsvorplatz", {"art": "beitraege"}),
    ("search_contributions_page_2", "Quartier", {"art": "beitraege", "seite": "2"}),
]


def find_searches() -> list[tuple[str, str | None]]:
    from urllib.parse import urlencode

    base = _reverse_first("search:results")
    searches = [
        (name, f"{base}?{urlencode({'q': query, **params})}" if base else None)
        for name, query, params in SEARCHES
    ]
    return [(name, os.environ.get(f"BENCH_URL_{name.upper()}") or url) for name, url in searches]


def measure(client: Client, url: str) -> dict:
    client.get(url)  # first request fills per-process caches (content types, site, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {"status": response.status_code, "queries": len(queries), "bytes": len(response.content)}


def cmd_searches() -> None:
    """Like `pages`, for the searches (never cached: each query string is a page of its own)."""
    rows = []
    with override_settings(PAGE_CACHE_ENABLED=False):
        client = Client(HTTP_HOST=HOST)
        for name, url in find_searches():
            row = {"name": name, "url": url}
            if url:
                row.update(measure(client, url))
            rows.append(row)
    json.dump(rows, sys.stdout, indent=1)


def bench_user(index: int = 0):
    return get_user_model().objects.get(email=ACCOUNT_EMAIL.format(index))


def cmd_pages() -> None:
    rows = []
    with override_settings(PAGE_CACHE_ENABLED=False):
        anonymous = Client(HTTP_HOST=HOST)
        signed_in = Client(HTTP_HOST=HOST)
        signed_in.force_login(bench_user(), backend=BACKEND)
        for name, url in find_pages():
            row = {"name": name, "url": url}
            if url:
                row.update(measure(anonymous, url))
                if name == "goal":
                    row["signed_in"] = measure(signed_in, url)
            rows.append(row)
    with override_settings(PAGE_CACHE_ENABLED=True):
        for row in rows:
            if row["url"] and row["name"] != "healthz":
                row["cached"] = measure(Client(HTTP_HOST=HOST), row["url"])
    json.dump(rows, sys.stdout, indent=1)


def cmd_accounts(count: int) -> None:
    json.dump(make_accounts(count), sys.stdout)


def make_accounts(count: int) -> dict:
    """Verified accounts ready to contribute, each with a password and a fresh session."""
    from allauth.account.models import EmailAddress
    from django.contrib.sessions.backends.db import SessionStore

    # Contribution rate limits live in the cache; a new run starts with a clean one.
    caches["default"].clear()
    user_model = get_user_model()
    password = secrets.token_urlsafe(16)
    encoded = make_password(password)  # hashed once: hashing per account would take seconds
    now = timezone.now()
    consent_fields = [f.name for f in user_model._meta.fields if f.name.endswith("_accepted_at")]
    accounts = []
    for index in range(count):
        email = ACCOUNT_EMAIL.format(index)
        user, _ = user_model.objects.update_or_create(
            email=email,
            defaults={
                "display_name": f"Benchmark {index}",
                "password": encoded,
                "is_active": True,
                **dict.fromkeys(consent_fields, now),
            },
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        accounts.append({"email": email, "password": password, "session": session.session_key})
    return {"session_cookie": settings.SESSION_COOKIE_NAME, "accounts": accounts}


def cmd_counts() -> None:
    """One line: how many rows the content models hold (the data the figures are for)."""
    from hagen_isek.page_cache import content_models

    counts = [
        (model._meta.label, model.objects.count())
        for model in content_models()
        if not model._meta.auto_created
    ]
    print(", ".join(f"{count:,} {name}" for name, count in counts if count))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "counts":
        cmd_counts()
    elif command == "pages":
        cmd_pages()
    elif command == "searches":
        cmd_searches()
    elif command == "accounts":
        cmd_accounts(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
