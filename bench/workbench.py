#!/usr/bin/env python
"""Figures of the evaluation workbench (issue 13); prints them, writes nothing.

1. Accuracy on bench/workbench_labelled.jsonl (182 German civic comments written by hand for
   this, not from generate_bench_data's templates, each labelled with its goal; 31 of them in
   six near-copy groups): top-1 and top-2 of the goal suggestion with the goals' own texts
   from goals/seed/isek_2018.json, then with the keyword lists of bench/workbench_keywords.json,
   then with a share of the labelled comments confirmed (5-fold, the rest is tested); pairwise
   precision and recall of the near-identical groups.
2. A full run (`manage.py run_workbench`) on the database of DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/isek_bench_workbench; fill it first with
   `manage.py generate_bench_data --yes-benchmark-database`): wall time and peak memory.

    .venv/bin/python bench/workbench.py [--skip-run]
"""

import importlib
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def labelled_figures() -> None:
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


def full_run() -> None:
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
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", "run_workbench"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"Full run on {env['DATABASE_URL'].rsplit('/', 1)[-1]}: {done.stdout.strip()}")
    print(f"  wall time {wall:.1f} s (process, Django start included), peak memory {peak:.0f} MB")
    print(f"  load average before {load}, after {after}; {os.cpu_count()} cores")


if __name__ == "__main__":
    labelled_figures()
    if "--skip-run" not in sys.argv:
        full_run()
