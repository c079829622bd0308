#!/usr/bin/env python
"""Figures of the evaluation workbench (issue 13); prints them, writes nothing.

1. Accuracy on bench/workbench_labelled.jsonl (182 German civic comments written by hand for
   this, not from generate_bench_data's templates, each labelled with its goal; 31 of them in
   six near-copy groups): top-1 and top-2 of the goal suggestion with the goals' own texts
   from goals/seed/isek_2018.json, then with the keyword lists of bench/workbench_keywords.json,
   then with a share of the labelled comments confirmed (5-fold, the rest is tested); pairwise
   precision and recall of the near-identical groups.
2. A full run of the workbench (services.run_workbench, what `manage.py run_workbench` calls)
   in a fresh process on the database of DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/isek_bench_workbench; fill it first with
   `manage.py generate_bench_data --yes-benchmark-database`): wall time and peak memory of the
   process, and per phase (read, suggest, duplicates, themes, write) its wall time, its own
   peak memory (the kernel's high-water mark, reset as each phase begins) and the memory
   still held when it ends.

    .venv/bin/python bench/workbench.py              # both
    .venv/bin/python bench/workbench.py --skip-run   # the labelled set only
    .venv/bin/python bench/workbench.py --phases     # the full run only
    .venv/bin/python bench/workbench.py --dump DIR   # also write what was suggested, to compare

`--dump DIR` writes DIR/labelled.json (every suggestion, group and theme on the labelled set)
and, after a full run, DIR/results.jsonl (the stored result of every contribution, with its
theme and group by content, not by id): two dumps of the same data are equal byte for byte
when a change kept the outputs (`cmp before/results.jsonl after/results.jsonl`).
"""

import argparse
import importlib
import itertools
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Started as a child of itself for the full run, with the benchmark database in DATABASE_URL.
START = time.monotonic()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagen_isek.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", (ROOT / "var/secret_key").read_text().strip())
import django  # noqa: E402

django.setup()  # the stop words below live in a migration, which imports models

from workbench import engine  # noqa: E402

# The domain stop words the migration seeds.
STOP = importlib.import_module("workbench.migrations.0001_workbench").DOMAIN_STOP_WORDS


def profiles(keywords: dict[str, str] | None = None) -> tuple[list, list[str]]:
    seed = json.loads((ROOT / "goals/seed/isek_2018.json").read_text())
    measures = {m["slug"]: m["text"] for m in seed["measures"]}
    found, slugs = [], []
    for index, goal in enumerate(seed["goals"]):
        texts = [goal["title"], goal.get("claim", ""), *goal["key_messages"]]
        texts += [measures[slug] for slug in goal["measures"]]
        found.append(
            engine.GoalProfile(
                key=index,
                text="\n".join(texts),
                keywords=(keywords or {}).get(goal["slug"], ""),
                key_messages=[
                    engine.KeyMessageProfile(key=i, text=text)
                    for i, text in enumerate(goal["key_messages"])
                ],
            )
        )
        slugs.append(goal["slug"])
    return found, slugs


def accuracy(suggestions, goals: list[str], slugs: list[str]) -> tuple[float, float]:
    top1 = sum(slugs[s.goal] == goal for s, goal in zip(suggestions, goals, strict=True))
    top2 = sum(
        goal in [slugs[key] for key, _score in s.ranking[:2]]
        for s, goal in zip(suggestions, goals, strict=True)
    )
    return top1 / len(goals), top2 / len(goals)


def labelled_figures(dump: Path | None = None) -> None:
    rows = [json.loads(line) for line in (ROOT / "bench/workbench_labelled.jsonl").open()]
    texts, goals = [r["text"] for r in rows], [r["goal"] for r in rows]
    words = engine.Words(STOP)
    print(f"Labelled set: {len(rows)} comments, {len(set(goals))} goals")
    plain, slugs = profiles()
    top1, top2 = accuracy(engine.suggest(plain, texts, words), goals, slugs)
    print(f"  goal suggestion, goals' own texts only:     top-1 {top1:.1%}  top-2 {top2:.1%}")
    keywords = json.loads((ROOT / "bench/workbench_keywords.json").read_text())
    with_keywords, slugs = profiles(keywords)
    top1, top2 = accuracy(engine.suggest(with_keywords, texts, words), goals, slugs)
    print(f"  goal suggestion, with editors' keywords:    top-1 {top1:.1%}  top-2 {top2:.1%}")
    order = list(range(len(rows)))
    random.Random(2035).shuffle(order)
    for share in (0.2, 0.5):
        hits1 = hits2 = tested = 0
        for fold in range(5):
            start = fold * len(order) // 5
            confirmed = {order[(start + j) % len(order)] for j in range(int(len(order) * share))}
            for profile, slug in zip(with_keywords, slugs, strict=True):
                profile.examples = [texts[i] for i in confirmed if goals[i] == slug]
            test = [i for i in range(len(rows)) if i not in confirmed]
            found = engine.suggest(with_keywords, [texts[i] for i in test], words)
            top1, top2 = accuracy(found, [goals[i] for i in test], slugs)
            hits1, hits2, tested = (
                hits1 + top1 * len(test),
                hits2 + top2 * len(test),
                tested + len(test),
            )
        print(
            f"  goal suggestion, keywords + {share:.0%} confirmed: top-1 {hits1 / tested:.1%}  "
            f"top-2 {hits2 / tested:.1%}  (5 folds, tested on the unconfirmed rest)"
        )
    groups = engine.duplicate_groups(texts)
    predicted, labelled = set(), set()
    for a, b in itertools.combinations(range(len(rows)), 2):
        if groups[a] != -1 and groups[a] == groups[b]:
            predicted.add((a, b))
        if rows[a]["duplicate_group"] and rows[a]["duplicate_group"] == rows[b]["duplicate_group"]:
            labelled.add((a, b))
    right = len(predicted & labelled)
    print(
        f"  near-identical groups (pairs): precision {right / max(1, len(predicted)):.1%}  "
        f"recall {right / len(labelled):.1%}  ({len(predicted)} predicted, "
        f"{len(labelled)} labelled pairs)"
    )
    if dump is not None:
        dump_labelled(dump, texts, goals, words)


def dump_labelled(dump: Path, texts: list[str], goals: list[str], words) -> None:
    """Every output of the engine on the labelled set, for `cmp` before and after a change."""
    keywords = json.loads((ROOT / "bench/workbench_keywords.json").read_text())
    with_keywords, _slugs = profiles(keywords)
    groups = engine.duplicate_groups(texts)
    per_goal = {}
    for slug in sorted(set(goals)):
        indexes = [i for i, goal in enumerate(goals) if goal == slug]
        found, assignment = engine.themes(
            [texts[i] for i in indexes], words, groups=[groups[i] for i in indexes]
        )
        per_goal[slug] = {
            "themes": [[t.label, t.top_terms, t.members, t.quotes] for t in found],
            "assignment": assignment,
        }
    outputs = {
        "suggestions": [
            [s.ranking, s.key_message, s.key_message_score]
            for s in engine.suggest(with_keywords, texts, words)
        ],
        "duplicate_groups": groups,
        "themes": per_goal,
    }
    dump.mkdir(parents=True, exist_ok=True)
    (dump / "labelled.json").write_text(json.dumps(outputs, ensure_ascii=False, indent=1))
    print(f"  wrote {dump / 'labelled.json'}")


def memory_mb(field: str) -> float:
    """VmHWM (peak since the last reset) or VmRSS (now) of this process, in MB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1)) / 1024


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from VmRSS


def child_run(dump: Path | None) -> None:
    """The full run, in this (fresh) process; prints one JSON line per phase."""
    from workbench import services

    phases = []

    def begin(name: str) -> None:
        now = time.monotonic()
        if phases:
            phases[-1].update(seconds=now - phases[-1]["start"], peak_mb=memory_mb("VmHWM"),
                              end_mb=memory_mb("VmRSS"))  # fmt: skip
        reset_peak()
        phases.append({"phase": name, "start": now})

    begin("start (imports, Django)")
    phases[0]["start"] = START
    run = services.run_workbench(on_phase=begin)
    begin("end")
    phases.pop()
    for phase in phases:
        print(json.dumps({key: value for key, value in phase.items() if key != "start"}))
    print(json.dumps({
        "summary": f"{run.contribution_count} contributions, {run.theme_count} themes, "
                   f"{run.duplicate_group_count} groups of near-identical contributions "
                   f"({run.method_version})",
    }))  # fmt: skip
    if dump is not None:
        dump_results(dump)


def dump_results(dump: Path) -> None:
    """The stored result of every counted contribution, themes and groups by their content."""
    from workbench.models import Result
    from workbench.services import scope

    results = (
        Result.objects.filter(comment__in=scope())
        .select_related("theme", "duplicate_group")
        .order_by("comment_id")
    )
    dump.mkdir(parents=True, exist_ok=True)
    with (dump / "results.jsonl").open("w") as out:
        for result in results.iterator(chunk_size=5000):
            theme, group = result.theme, result.duplicate_group
            out.write(json.dumps([
                result.comment_id, result.method_version, result.suggested_goal_id,
                result.score, result.suggested_key_message_id,
                theme and [theme.goal_id, theme.number, theme.label, theme.top_terms,
                           theme.size, theme.quote_ids],
                group and [group.size, group.representative_id],
            ], ensure_ascii=False) + "\n")  # fmt: skip


def full_run(dump: Path | None) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/isek_bench_workbench"
        ),
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
    }
    env.setdefault("DJANGO_SECRET_KEY", (ROOT / "var/secret_key").read_text().strip())
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    child = [sys.executable, __file__, "--child", *(["--dump", str(dump)] if dump else [])]
    done = subprocess.run(child, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True)
    after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    # The child resets the high-water mark per phase, so the process's peak is their maximum.
    wall = sum(phase["seconds"] for phase in lines[:-1])
    peak = max(phase["peak_mb"] for phase in lines[:-1])
    print(f"Full run on {env['DATABASE_URL'].rsplit('/', 1)[-1]}: {lines[-1]['summary']}")
    print(
        f"  wall time {wall:.1f} s (process start to stored results, Django start included), "
        f"peak memory {peak:.0f} MB"
    )
    print(f"  {'phase':<25} {'wall':>7} {'peak':>8} {'held after':>11}")
    for phase in lines[:-1]:
        print(
            f"  {phase['phase']:<25} {phase['seconds']:>5.1f} s {phase['peak_mb']:>5.0f} MB "
            f"{phase['end_mb']:>8.0f} MB"
        )
    print(f"  load average before {load}, after {after}; {os.cpu_count()} cores")
    if dump:
        print(f"  wrote {dump / 'results.jsonl'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-run", action="store_true", help="the labelled set only")
    parser.add_argument("--phases", action="store_true", help="the full run only")
    parser.add_argument("--dump", type=Path, help="write the outputs into this folder")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child_run(arguments.dump)
    else:
        if not arguments.phases:
            labelled_figures(arguments.dump)
        if not arguments.skip_run:
            full_run(arguments.dump)
