"""The benchmark harness reads the comment form like a browser and finds the pages to load."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOAL_PAGE = """
<form method="post" action="/konto/logout/"><input type="hidden" name="csrfmiddlewaretoken"
 value="abc"><button>Abmelden</button></form>
<form method="post" action="/ziele/kieze/beitraege/neu/" class="comment-form" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input type="hidden" name="next" value="/ziele/kieze/">
  <textarea name="text" rows="5"></textarea>
  <select name="key_message"><option value="">–</option><option value="3">K</option></select>
  <input type="hidden" name="submission_token" value="484f917d-40fa-4391-8be1-a5af6e204c83">
  <button type="submit">Senden</button>
</form>
"""


def test_post_client_finds_comment_form_and_its_fields():
    form = load("post_load").comment_form(GOAL_PAGE)
    assert form["action"] == "/ziele/kieze/beitraege/neu/"
    assert form["texts"] == ["text"]
    assert form["fields"]["key_message"] == ""
    assert form["fields"]["next"] == "/ziele/kieze/"
    assert set(form["fields"]) == {
        "csrfmiddlewaretoken",
        "next",
        "text",
        "key_message",
        "submission_token",
    }


def test_post_client_skips_pages_without_comment_form():
    assert load("post_load").comment_form('<form method="get" action="/suche/"></form>') is None


@pytest.mark.django_db
def test_bench_finds_baseline_and_home_and_marks_missing_pages(seeded):
    pages = dict(load("tasks").find_pages())
    assert pages["healthz"] == "/healthz/"
    assert pages["home"] == "/"
    assert set(pages) == {
        "healthz",
        "home",
        "goals",
        "goal",
        "measure",
        "calendar",
        "ics",
        "statistics",
    }


@pytest.mark.django_db
def test_bench_searches_cover_frequent_rare_two_words_no_hits_and_page_2(seeded):
    searches = dict(load("tasks").find_searches())
    assert searches["search"] == "/suche/?q=Quartier"
    assert searches["search_rare"] == "/suche/?q=Hohenlimburg"
    assert searches["search_two_words"] == "/suche/?q=Radweg+Beleuchtung"
    assert searches["search_no_hits"] == "/suche/?q=Xylophonwerkstatt"
    assert searches["search_contributions"] == "/suche/?q=Bahnhofsvorplatz&art=beitraege"
    assert searches["search_contributions_page_2"] == "/suche/?q=Quartier&art=beitraege&seite=2"


# --- bench/faults: options and the report, without creating a cluster.


def run_faults(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BENCH / "faults"), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_faults_script_is_valid_bash_and_lists_every_scenario_with_its_target():
    assert subprocess.run(["bash", "-n", str(BENCH / "faults")], check=False).returncode == 0
    listed = run_faults("--list")
    assert listed.returncode == 0, listed.stderr
    faults = load("faults")
    assert set(faults.SCENARIOS) == set(faults.TARGETS)
    for name in faults.SCENARIOS:
        assert name in listed.stdout
    assert "≤ 0.1 % errors" in listed.stdout and "no worker killed" in listed.stdout


def test_faults_refuses_an_unknown_scenario_before_starting_anything():
    refused = run_faults("--only", "kill9,meteor")
    assert refused.returncode == 2
    assert "unknown scenario(s): meteor" in refused.stderr
    assert "throwaway cluster" not in refused.stdout


def test_faults_report_marks_missed_targets_and_names_the_machine():
    faults = load("faults")
    results = [
        faults.Result("hup", "300 requests, 0 failed", True),
        faults.Result("kill9", "1000 requests, 5 failed (0.500 %)", False),
    ]
    meta = {
        "date": "2026-12-03 14:00 UTC",
        "machine": "2 cores",
        "commit": "abc1234",
        "load_before": "1.0 1.0 1.0",
        "load_after": "2.0 2.0 2.0",
        "duration": "5 minutes",
    }
    text = faults.report(results, meta, ["backup and restore: boom"])
    assert "1 of 2 targets met, 1 scenarios could not run" in text
    assert "| worker kill -9 every 10 s under load | 1000 requests, 5 failed (0.500 %) |" in text
    assert "**missed**" in text and "| met |" in text
    assert "- commit: `abc1234`" in text and "load average" in text and "2 cores" in text


def test_faults_recovery_is_counted_from_the_database_start_to_the_first_lasting_success():
    faults = load("faults")
    answer = faults.Answer
    answers = [
        answer(503, started=9.0, seconds=0.5),  # still down
        answer(503, started=10.2, seconds=0.1),  # a broken kept connection after the start
        answer(200, started=10.4, seconds=0.1),
        answer(200, started=10.6, seconds=0.1),
    ]
    seconds, late = faults.Run.recovery(answers, back_at=10.0)
    assert round(seconds, 2) == 0.4
    assert [a.status for a in late] == [503]
    assert faults.Run.recovery([answer(503, started=10.5, seconds=0.1)], back_at=10.0)[0] is None


# --- bench/mix: the 95/5 read/write mix, briefly against the live server.


@pytest.fixture
def open_round_for_all_goals(seeded):
    from datetime import timedelta

    from django.utils import timezone

    from participation.models import CommentRound

    now = timezone.now()
    return CommentRound.objects.create(
        title="Offene Runde",
        slug="offene-runde",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        is_published=True,
    )


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is missing (Debian package wrk)")
def test_mix_counts_each_acknowledged_post_as_a_stored_row(
    live_server, open_round_for_all_goals, settings, monkeypatch, tmp_path
):
    from participation.models import Comment

    settings.PAGE_CACHE_ENABLED = True  # as in production and in bench/run
    monkeypatch.setenv("BENCH_MIX_POST_SHARE", "0.8")  # posts in a 3 s run
    prepared = load("tasks").make_accounts(6)
    mix = load("mix")
    base = live_server.url.replace("localhost", "127.0.0.1")
    # One connection: the live server shares one SQLite connection between its threads.
    result = mix.run_mix(
        base, prepared, tmp_path, seconds=3, connections=1, threads=1, timeout=5, warmup=0
    )

    assert result["acknowledged"] > 0
    assert result["rejected"] == result["lost"] == result["stored_unacknowledged"] == 0
    assert result["stored"] == result["acknowledged"] == len(result["acknowledged_ids"])
    stored = Comment._base_manager.filter(text__contains=result["marker"])
    assert sorted(stored.values_list("pk", flat=True)) == sorted(result["acknowledged_ids"])
    assert set(stored.values_list("author__email", flat=True)) <= {
        account["email"] for account in prepared["accounts"]
    }
    assert set(stored.values_list("round", flat=True)) == {open_round_for_all_goals.pk}
    assert 0 < result["post_share_of_requests"] <= 1

    # A lost post and one stored without an acknowledgement are both errors.
    lost, *_ = result["acknowledged_ids"]
    Comment._base_manager.filter(pk=lost).update(text="geändert")
    after_loss = mix.verify(dict(result), result["marker"], result["acknowledged_ids"])
    assert (after_loss["lost"], after_loss["lost_ids"]) == (1, [lost])
    assert after_loss["stored"] == result["stored"] - 1
    assert after_loss["errors"] == result["errors"] + 1
    extra = stored.first()
    extra.pk = None
    extra.submission_token = None
    extra.save()
    after_extra = mix.verify(dict(result), result["marker"], result["acknowledged_ids"])
    assert after_extra["stored_unacknowledged"] == 1
    assert after_extra["errors"] == result["errors"] + 2


def test_report_rewrites_the_figures_and_keeps_the_hand_written_reading(tmp_path):
    import json

    report = load("report")
    run = tmp_path / "run"
    run.mkdir()
    (run / "pages.json").write_text(json.dumps([{"name": "healthz", "sql": 0, "bytes": 2}]))
    (run / "results.jsonl").write_text(
        json.dumps(
            {
                "name": "healthz",
                "url": "/healthz/",
                "mode": "cache off",
                "rps": 1000.0,
                "p50_ms": 1.0,
                "p99_ms": 2.0,
                "errors": 0,
            }
        )
        + "\n"
    )
    meta = {
        "status": "Test run.", "date": "2026-12-04", "nproc": "2", "cpu": "CPU", "memory": "1 MB",
        "commit": "abc", "load": "0", "data": "none", "seconds": "1", "cache": "Redis",
    }  # fmt: skip
    (run / "meta.json").write_text(json.dumps(meta))
    results = tmp_path / "RESULTS.md"
    results.write_text("# old figures\n\n| old | table |\n\n## Reading\n\nWhat the figures mean.\n")
    report.main(str(run), str(results))
    text = results.read_text()
    assert "old figures" not in text and "Test run." in text and "shared cache: Redis" in text
    assert text.endswith("## Reading\n\nWhat the figures mean.\n")
    report.main(str(run), str(results))  # a second rewrite keeps it once
    assert results.read_text().count("## Reading") == 1
