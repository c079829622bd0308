"""Turns the raw figures of one bench/run into the table it prints and bench/RESULTS.md.

python bench/report.py RUN_DIR [RESULTS_MD]
"""

import json
import sys
from pathlib import Path

LABELS = {
    "healthz": "minimal Django view /healthz/ (baseline)",
    "home": "home",
    "goals": "goal overview",
    "goal": "busiest goal page (first page)",
    "measure": "measure page",
    "calendar": "calendar",
    "ics": "iCal feed",
    "statistics": "statistics page",
    "search": "search: frequent stemmed word, all kinds",
    "search_rare": "search: rare word, all kinds",
    "search_two_words": "search: two words, all kinds",
    "search_no_hits": "search: no hits",
    "search_contributions": "search: contributions only",
    "search_contributions_page_2": "search: contributions only, page 2",
    "post": "contribution post (signed in)",
    "mix": "95/5 read/write mix, 16 connections",
}
COLUMNS = [
    "page",
    "URL",
    "mode",
    "req/s",
    "× healthz",
    "p50 ms",
    "p99 ms",
    "errors",
    "SQL/req",
    "bytes",
]


def rows(run: Path) -> tuple[list[list[str]], list[str]]:
    pages = {row["name"]: row for row in json.loads((run / "pages.json").read_text())}
    if (run / "searches.json").exists():
        pages.update((row["name"], row) for row in json.loads((run / "searches.json").read_text()))
    results = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines()]
    notes = [r["note"] for r in results if r.get("note")]
    # Each gunicorn phase has its own baseline run, so a ratio compares under the same load.
    baselines = {phase(r): r["rps"] for r in results if r["name"] == "healthz" and "rps" in r}
    table = []
    for r in results:
        if "rps" not in r:
            continue
        page = pages.get(r["name"], {})
        measured = page
        if r["mode"] == "cache on":
            measured = page.get("cached") or page
        elif r["mode"] == "signed in":
            measured = page.get("signed_in", {})
        baseline = baselines.get("cache on" if r["name"] == "post" else phase(r))
        baseline = baseline or baselines.get("cache off")
        ratio = f"{r['rps'] / baseline:.3f}" if baseline else "–"
        table.append(
            [
                LABELS.get(r["name"], r["name"])
                + (f" ({r['phase']})" if r.get("phase") and r["name"] == "healthz" else ""),
                r.get("url", ""),
                r["mode"],
                f"{r['rps']:.0f}",
                ratio,
                f"{r['p50_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                str(r["errors"]),
                str(measured.get("queries", "–")),
                str(measured.get("bytes", "–")),
            ]
        )
    return table, notes


def phase(result: dict) -> str:
    """The gunicorn phase a figure is from: its mode, or the block that ran its own phase."""
    return result.get("phase") or result["mode"]


def markdown(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join(lines)


def plain(table: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(COLUMNS, *table, strict=False)]
    out = []
    for row in [COLUMNS, *table]:
        out.append("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
    return "\n".join(out)


READING_HEADING = "## Reading"


def main(run_dir: str, results_md: str | None = None) -> None:
    run = Path(run_dir)
    meta = json.loads((run / "meta.json").read_text())
    table, notes = rows(run)
    print(plain(table))
    for note in notes:
        print("note:", note)
    if not results_md:
        return
    header = [
        "# Benchmark results",
        "",
        f"{meta['status']}",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['nproc']} cores ({meta['cpu']}), {meta['memory']}",
        f"- commit: `{meta['commit']}`",
        f"- load average (1, 5, 15 min) {meta.get('load', '')}; figures from a busy machine "
        "are low and noisy, the `× healthz` ratios less so",
        f"- data: {meta['data']}",
        f"- set-up: gunicorn, 2 sync workers, 127.0.0.1, PostgreSQL with CONN_MAX_AGE=60, "
        f"shared cache: {meta.get('cache', 'database cache')}, "
        f"WhiteNoise, DEBUG off; wrk 2 threads, 4 connections, {meta['seconds']} s per page after "
        "a warm-up; contribution posts by a Python client with 4 threads; the 95/5 mix "
        "(bench/mix.py) with wrk at 16 connections, posts verified against the stored rows (notes)",
        "- `× healthz`: throughput as a ratio to the minimal Django view on the same set-up "
        "(measured again in each gunicorn phase), so figures compare across machines",
        "- `mode`: `cache off` = every request renders the page (gunicorn with "
        "DJANGO_PAGE_CACHE=false); `cache on` = anonymous full-page cache; `signed in` = with a "
        "session cookie (never cached)",
        "- `SQL/req` and `bytes` (body) are measured in-process with Django's test client; "
        "a cache hit costs one round trip to the shared cache (`SQL/req` 1 with the database "
        "cache, 0 with Redis)",
        "",
        markdown(table),
        "",
    ]
    if notes:
        header += ["## Notes", ""] + [f"- {note}" for note in notes] + [""]
    if meta.get("export"):
        header += ["## Export of contributions", "", meta["export"], ""]
    # A hand-written reading below the generated part survives the rewrite.
    path = Path(results_md)
    kept = path.read_text().split(READING_HEADING, 1) if path.exists() else []
    if len(kept) == 2:
        header += [READING_HEADING + kept[1].rstrip("\n"), ""]
    path.write_text("\n".join(header))
    print(f"written: {results_md}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(*sys.argv[1:])
