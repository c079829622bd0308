"""The benchmark harness reads the comment form like a browser and finds the pages to load."""

import importlib.util
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
        "search",
        "search_contributions",
    }
    assert pages["search"] == "/suche/?q=Quartier"
    assert pages["search_contributions"] == "/suche/?q=Bahnhofsvorplatz&art=beitraege"
