"""The 95/5 read/write mix of bench/run: readers and contribution posts at once, page cache on.

    python bench/mix.py BASE_URL ACCOUNTS_JSON RUN_DIR

Anonymous and signed-in readers over several goal pages (the busiest among them), the calendar
and the home page; 5 % of the requests are contribution posts by signed-in accounts into the
open comment round, with real sessions (bench/tasks.py accounts) and the CSRF token each account
got from a page it read, as a browser would. After the run every acknowledged post is looked up:
the texts carry a marker of this run, so `acknowledged N, stored N` counts rows, not answers.
Prints that line, a `NOTE` summary and one `BENCH {...}` JSON line, or `SKIP reason`.

The client is wrk with bench/mix.lua, not Python: the sessions and tokens are prepared here
beforehand, and wrk's C event loop then drives 16 connections at thousands of requests per second
from one core's fraction, so the portal's two workers, not the client, set the figures. A Python
client needs about as much CPU per request as a cached page costs the server.

Environment: BENCH_MIX_SECONDS (60), BENCH_MIX_CONNECTIONS (16), BENCH_MIX_THREADS (2),
BENCH_MIX_TIMEOUT (2 s, wrk's default), BENCH_WARMUP (2, reads only), BENCH_MIX_POST_SHARE (0.05),
BENCH_MIX_SIGNED_IN (0.15: the share of reads that are signed in; a citizen who posts reads a few
pages around it).
"""

import json
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote_plus, urlencode, urljoin, urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from post_load import Browser, comment_form  # noqa: E402

TEXT = ": Mehr Bäume und sichere Radwege in der Innenstadt würden das Quartier lebenswerter machen."
NOT_PREFILLED = {"csrfmiddlewaretoken", "submission_token"}


def env_number(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def read_plan() -> tuple[dict[str, int], list[str]]:
    """Read weights per path (of 20) and the goal paths: the busiest goal gets a quarter of the
    reads, three others (the next busiest, a middling and the quietest) a third between them,
    the home page and the calendar a fifth each."""
    import tasks
    from django.urls import reverse

    goals = list(tasks.goals_by_contributions() or [])
    picked = []
    for index in (0, 1, len(goals) // 2, len(goals) - 1):
        if goals and goals[index] not in picked:
            picked.append(goals[index])
    goal_paths = [goal.get_absolute_url() for goal in picked]
    weights: dict[str, int] = {}
    if goal_paths:
        weights[goal_paths[0]] = 5
        others = goal_paths[1:]
        for number, path in enumerate(others):
            weights[path] = 7 // len(others) + (number < 7 % len(others))
    weights[reverse("home")] = 4
    weights[reverse("events:list")] = 4
    return weights, goal_paths


def signed_in_browser(base: str, session_cookie: str, account: dict) -> dict:
    """The account's cookies and CSRF token after reading the home page signed in."""
    browser = Browser(base)
    browser.cookies[session_cookie] = account["session"]
    status, _, html = browser.request("GET", "/")
    token = browser.csrf_token(html)
    if status != 200 or not token:
        raise RuntimeError(f"signed-in home page answered {status} without a CSRF token")
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    return {"cookie": cookie, "token": token}


def comment_forms(goal_paths: list[str], reader: Browser) -> list[dict]:
    """The comment form of each goal page that shows one (an open round), ready to fill."""
    forms = []
    for path in goal_paths:
        status, _, html = reader.request("GET", path)
        form = comment_form(html) if status == 200 else None
        if form is None or not form["texts"]:
            continue
        fields = {
            name: value
            for name, value in form["fields"].items()
            if name not in NOT_PREFILLED and name not in form["texts"]
        }
        forms.append(
            {
                "action": urljoin(path, form["action"] or path),
                "fields": urlencode(fields),
                "text_field": form["texts"][0],
            }
        )
    return forms


def lua(value) -> str:
    """A Lua literal for JSON-like data (strings escaped byte by byte as \\ddd)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        safe = (
            chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\{b:03d}"
            for b in value.encode()
        )
        return '"' + "".join(safe) + '"'
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    return "{" + ", ".join(f"[{lua(str(k))}] = {lua(v)}" for k, v in value.items()) + "}"


def prepare(base: str, prepared: dict, marker: str, threads: int, parallel: int) -> dict | str:
    """Everything wrk needs, or the reason why the mix cannot run."""
    from participation.services.rules import RATE_LIMIT_COUNT

    weights, goal_paths = read_plan()
    session_cookie = prepared["session_cookie"]
    accounts = prepared["accounts"]
    reader = Browser(base)
    reader.cookies[session_cookie] = accounts[0]["session"]
    forms = comment_forms(goal_paths, reader)
    if not forms:
        return f"none of the goal pages {goal_paths} shows a comment form (no open round?)"
    with ThreadPoolExecutor(parallel) as pool:
        signed_in = list(pool.map(lambda a: signed_in_browser(base, session_cookie, a), accounts))
    return {
        "host": urlsplit(base).netloc,
        "threads": threads,
        "reads": [path for path, weight in weights.items() for _ in range(weight)],
        "post_share": env_number("BENCH_MIX_POST_SHARE", 0.05),
        "signed_in_share": env_number("BENCH_MIX_SIGNED_IN", 0.15),
        "posts_per_account": RATE_LIMIT_COUNT,  # more would be refused
        "accounts": signed_in,
        "forms": forms,
        "text_prefix": quote_plus(f"Benchmark-Mischlast {marker} "),
        "text_suffix": quote_plus(TEXT),
    }


def wrk(base: str, data_file: Path, *, seconds: float, post_seconds: float, **options) -> str:
    command = ["wrk", f"-t{options['threads']}", f"-c{options['connections']}"]
    # wrk takes whole seconds only.
    command += [f"-d{round(seconds)}s", f"--timeout={max(round(options['timeout']), 1)}s"]
    command += ["-s", str(BENCH / "mix.lua")]
    command += [base, "--", str(data_file), str(post_seconds)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The client's own CPU, to show it is not what limits the figures.
    return done.stdout + f"CLIENT_CPU_PERCENT {100 * cpu / max(seconds, 1):.1f}\n"


def stored_posts(marker: str, acknowledged_ids: list[int]) -> tuple[int, list[int]]:
    """How many contributions carry the run's marker, and which acknowledged ones are not
    stored with it."""
    from participation.models import Comment

    rows = Comment._base_manager.filter(text__contains=marker)
    found = set(rows.filter(pk__in=acknowledged_ids).values_list("pk", flat=True))
    return rows.count(), sorted(set(acknowledged_ids) - found)


def verify(result: dict, marker: str, acknowledged_ids: list[int]) -> dict:
    """Adds the stored count; a post acknowledged but not stored, or stored without being
    acknowledged, is an error."""
    stored, missing = stored_posts(marker, acknowledged_ids)
    lost = len(missing)
    unacknowledged = max(stored - (len(acknowledged_ids) - lost), 0)
    result.update(
        stored=stored,
        lost=lost,
        lost_ids=missing[:20],
        stored_unacknowledged=unacknowledged,
        errors=result["wrk_errors"] + result["rejected"] + lost + unacknowledged,
    )
    return result


def run_mix(base: str, prepared: dict, run_dir: Path, **overrides) -> dict | str:
    options = {
        "seconds": env_number("BENCH_MIX_SECONDS", 60),
        "connections": int(env_number("BENCH_MIX_CONNECTIONS", 16)),
        "threads": int(env_number("BENCH_MIX_THREADS", 2)),
        "timeout": env_number("BENCH_MIX_TIMEOUT", 2),
        "warmup": env_number("BENCH_WARMUP", 2),
        **overrides,
    }
    if not shutil.which("wrk"):
        return "wrk is missing (Debian package wrk)"
    marker = f"mix-{run_dir.name}-{secrets.token_hex(4)}"
    data = prepare(base, prepared, marker, options["threads"], min(options["connections"], 4))
    if isinstance(data, str):
        return data
    data_file = run_dir / "mix-data.lua"
    data_file.write_text("return " + lua(data) + "\n")
    wrk_options = {k: options[k] for k in ("threads", "connections", "timeout")}
    if options["warmup"] > 0:
        wrk(base, data_file, seconds=options["warmup"], post_seconds=0, **wrk_options)
    seconds = options["seconds"]
    # No post may still be on its way when wrk stops: stop posting a timeout (and some) earlier.
    post_seconds = seconds - min(options["timeout"] + 0.5, seconds / 2)
    output = wrk(base, data_file, seconds=seconds, post_seconds=post_seconds, **wrk_options)
    (run_dir / "mix-wrk.txt").write_text(output)
    bench = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    ids = re.search(r"^ACKNOWLEDGED ?(.*)$", output, re.MULTILINE)
    if not bench or not ids:
        raise RuntimeError(f"wrk printed no result: {output[-500:]}")
    result = json.loads(bench.group(1))
    acknowledged_ids = [int(pk) for pk in ids.group(1).split()]
    cpu = re.search(r"^CLIENT_CPU_PERCENT (\S+)$", output, re.MULTILINE)
    result.update(
        url=f"{len(set(data['reads'])) - 2} goal pages, home, calendar; posts on "
        f"{len(data['forms'])}",
        wrk_errors=result["errors"],
        client_cpu_percent=float(cpu.group(1)),
        marker=marker,
        connections=options["connections"],
        seconds=seconds,
        accounts=len(data["accounts"]),
        forms=[form["action"] for form in data["forms"]],
        reads={path: data["reads"].count(path) / len(data["reads"]) for path in set(data["reads"])},
        signed_in_share=data["signed_in_share"],
        post_share_of_requests=round(result["posts_sent"] / max(result["requests"], 1), 4),
    )
    result["acknowledged_ids"] = acknowledged_ids
    drain(base, options["connections"], marker)
    return verify(result, marker, acknowledged_ids)


def drain(base: str, connections: int, marker: str) -> None:
    """Wait until the server has worked off what wrk left queued when it stopped (a post among
    it is stored although nobody reads the answer): one request per wrk connection, queued
    behind the rest, then until the count of the run's posts holds still for a second."""
    from participation.models import Comment

    def healthz(_) -> None:
        Browser(base).request("GET", "/healthz/")

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(healthz, range(connections)))
    rows = Comment._base_manager.filter(text__contains=marker)
    count, still_since, give_up = rows.count(), time.monotonic(), time.monotonic() + 15
    while time.monotonic() - still_since < 1 and time.monotonic() < give_up:
        time.sleep(0.2)
        if (now := rows.count()) != count:
            count, still_since = now, time.monotonic()


def main(base: str, accounts_file: str, run_dir: str) -> None:
    import tasks  # noqa: F401 – sets Django up for the plan and the look-up

    prepared = json.loads(Path(accounts_file).read_text())
    result = run_mix(base, prepared, Path(run_dir))
    if isinstance(result, str):
        print(f"SKIP {result}")
        return
    del result["acknowledged_ids"]  # in mix-wrk.txt
    print(f"acknowledged {result['acknowledged']}, stored {result['stored']}")
    print("NOTE " + summary(result))
    print("BENCH " + json.dumps(result))


def summary(result: dict) -> str:
    socket = sum(result["socket_errors"].values()) - result["socket_errors"]["timeout"]
    met = result["rps"] >= 500 and result["p99_ms"] < 250 and result["errors"] == 0
    skipped = result["posts_skipped"]
    return (
        f"95/5 mix ({result['connections']} connections, {result['seconds']:.0f} s, cache on): "
        f"{result['posts_sent']:,} posts sent ({result['post_share_of_requests']:.1%} of "
        f"{result['requests']:,} requests), acknowledged {result['acknowledged']:,}, "
        f"stored {result['stored']:,}; {result['signed_in_share']:.0%} of the reads signed in; "
        f"wrk used {result['client_cpu_percent']:.0f} % of one core; "
        f"errors {result['errors']} (non-2xx/3xx {result['status_errors']}, timeouts "
        f"{result['socket_errors']['timeout']}, socket {socket}, rejected posts "
        f"{result['rejected']}, acknowledged but not stored {result['lost']}, stored but not "
        f"acknowledged {result['stored_unacknowledged']})"
        + (
            f"; {skipped} posts not sent: accounts used up, raise BENCH_MIX_ACCOUNTS"
            if skipped
            else ""
        )
        + f"; targets ≥ 500 req/s, p99 < 250 ms, 0 errors: {'met' if met else 'missed'}"
    )


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(*sys.argv[1:4])
