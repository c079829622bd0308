"""Does the sign-up's answer time tell whether an address is registered? Prints the medians.

    .venv/bin/python bench/signup_timing.py [--tries 50]

Through Django's test client against a throwaway test database (SQLite in memory, or
test_<name> of DATABASE_URL), with the production password hasher and the production mail path
(django-mailer's queue in the database). Each try signs up once with a registered address and
once with a new one, alternating which goes first, each from its own client address (the
sign-up rate limit counts per address). Target: medians differ by at most 20 ms.
Prints a table and one `BENCH {...}` JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagen_isek.settings")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef"
)
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_PAGE_CACHE", "false")

TARGET_MS = 20


def signup_data(email: str, display_name: str) -> dict:
    return {
        "email": email,
        "display_name": display_name,
        "password1": "Volmetal-Brücke-2035",
        "password2": "Volmetal-Brücke-2035",
        "district": "",
        "accept_netiquette": "on",
        "accept_privacy": "on",
        "website": "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tries", type=int, default=50)
    tries = parser.parse_args().tries

    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher, make_password
    from django.db import connection
    from django.test import Client
    from mailer.models import Message

    from participation.models import User

    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        # Registered accounts, one per try (each address gets one "account exists" mail; the
        # per-address mail limit would skip a second one within minutes).
        password = make_password("Ein-anderes-Passwort-2035")
        for number in range(tries + 2):
            user = User.objects.create(
                email=f"bekannt{number}@example.org", display_name=f"Bekannt {number}"
            )
            User.objects.filter(pk=user.pk).update(password=password)
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

        def post(path: str, number: int) -> tuple[float, float]:
            email = f"{path}{number}@example.org"
            client = Client(
                REMOTE_ADDR=f"10.{number // 250}.{number % 250}.{1 if path == 'neu' else 2}"
            )
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post("/konto/signup/", signup_data(email, f"Person {path} {number}"))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            assert response.status_code == 302, (path, response.status_code)
            return elapsed * 1000, cpu * 1000

        for number in (tries, tries + 1):  # warm-up: templates, connections, imports
            post("bekannt", number), post("neu", number)
        timings = {"bekannt": [], "neu": []}
        cpu_times = {"bekannt": [], "neu": []}
        for number in range(tries):
            order = ("bekannt", "neu") if number % 2 else ("neu", "bekannt")
            for path in order:
                elapsed, cpu = post(path, number)
                timings[path].append(elapsed)
                cpu_times[path].append(cpu)
        queued = Message.objects.count()
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)

    known, unknown = (statistics.median(timings[path]) for path in ("bekannt", "neu"))
    difference = abs(known - unknown)
    # Each try's two sign-ups ran back to back: their difference cancels the machine's load.
    paired = statistics.median(
        a - b for a, b in zip(timings["bekannt"], timings["neu"], strict=True)
    )
    cpu_known, cpu_unknown = (statistics.median(cpu_times[path]) for path in ("bekannt", "neu"))
    print(f"Sign-up timing, {tries} tries per path ({connection.vendor}, hasher "
          f"{get_hasher().algorithm}, mail backend {settings.EMAIL_BACKEND})")  # fmt: skip
    print(f"{'path':<22}{'median ms':>10}{'p10 ms':>9}{'p90 ms':>9}")
    for label, path in [("registered address", "bekannt"), ("new address", "neu")]:
        deciles = statistics.quantiles(timings[path], n=10)
        print(f"{label:<22}{statistics.median(timings[path]):>10.1f}"
              f"{deciles[0]:>9.1f}{deciles[-1]:>9.1f}")  # fmt: skip
    verdict = "ok" if difference <= TARGET_MS else "TOO DIFFERENT"
    print(f"median difference     {difference:>10.1f}   target <= {TARGET_MS} ms: {verdict}")
    print(f"median of the paired differences (registered - new): {paired:.1f} ms")
    print(f"CPU time medians: registered {cpu_known:.1f} ms, new {cpu_unknown:.1f} ms")
    print(f"mails queued: {queued} (one per sign-up)")
    print("BENCH " + json.dumps({
        "tries": tries,
        "median_registered_ms": round(known, 1),
        "median_new_ms": round(unknown, 1),
        "median_difference_ms": round(difference, 1),
        "median_paired_difference_ms": round(paired, 1),
        "median_cpu_registered_ms": round(cpu_known, 1),
        "median_cpu_new_ms": round(cpu_unknown, 1),
        "target_ms": TARGET_MS,
        "mails_queued": queued,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
