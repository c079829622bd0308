"""Issue 13 in a real browser, as the editor works: the evaluation workbench run from its admin
page and its results, the bulk evaluation (filters, action form), the import upload with its
dry run and the Abwägungstabelle; every page axe-clean (WCAG 2.1 AA) and without sideways
scrolling at 1280 and 375 px.

Screenshots land in var/screenshots/workbench-*.png to be looked at."""

import json
from pathlib import Path

import pytest

from goals.models import Goal
from participation.models import Comment
from tests.e2e.conftest import axe_violations, has_horizontal_scroll, log_in_staff
from workbench.models import Keyword, Result, Theme

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 800}}
IMPORT_CSV = (
    "Text;Ziel;Stadtbezirk;Datum\r\n"
    "Am Volmeufer fehlen Bänke und Schatten für ältere Menschen.;wohnen-in-hagen;Haspe;"
    "03.07.2018\r\n"
    ";wohnen-in-hagen;;\r\n"
    "Ein Ziel, das es nicht gibt.;99;;\r\n"
).encode("utf-8-sig")


@pytest.fixture
def evaluation(seeded, open_round):
    """The seed's goals with the labelled civic comments of bench/ written on them and the
    editors' keyword lists, as a planner finds them before the first run."""
    goals = {goal.slug: goal for goal in Goal.objects.all()}
    keywords = json.loads((ROOT / "bench/workbench_keywords.json").read_text())
    for slug, words in keywords.items():
        if slug in goals:
            Keyword.objects.create(goal=goals[slug], words=words)
    rows = [json.loads(line) for line in (ROOT / "bench/workbench_labelled.jsonl").open()]
    Comment.objects.bulk_create(
        Comment(goal=goals[row["goal"]], round=open_round, text=row["text"]) for row in rows
    )
    return {"goals": goals, "round": open_round}


class Looks:
    """axe and sideways scrolling per page and width, collected to report them all at once;
    a full-page screenshot of each."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: dict[str, list[str]] = {}

    def check(self, name: str, *, shoot: bool = True) -> None:
        for width, size in WIDTHS.items():
            self.page.set_viewport_size(size)
            found = axe_violations(self.page)
            if has_horizontal_scroll(self.page):
                found.append(f"horizontal scrolling at {width} px")
            if found:
                self.problems[f"{name} ({width} px)"] = found
            if shoot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                path = SCREENSHOTS / f"workbench-{name}-{width}.png"
                self.page.screenshot(path=str(path), full_page=True)
                top = SCREENSHOTS / f"workbench-{name}-{width}-top.png"  # what one sees first
                self.page.screenshot(path=str(top))
        self.page.set_viewport_size(WIDTHS["1280"])


@pytest.mark.django_db(transaction=True)
def test_editor_runs_the_workbench_from_the_admin_and_sees_its_results(
    live_server, page, evaluation, editor
):
    base = live_server.url
    looks = Looks(page)
    page.set_viewport_size(WIDTHS["1280"])
    log_in_staff(page, base, editor)

    page.goto(base + "/admin/workbench/run/add/")
    page.get_by_text("182 gezählten Beiträge").wait_for()
    looks.check("run")
    page.get_by_role("button", name="Auswertung starten").click()
    page.get_by_text("Die Auswertungswerkstatt hat 182 Beiträge gelesen").wait_for()
    assert page.url.endswith("/admin/workbench/result/")
    assert Result.objects.count() == 182 and not Result.objects.exclude(confirmed_goal=None)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() > 0
    housing = evaluation["goals"]["wohnen-in-hagen"].title
    assert page.locator("#result_list tbody").get_by_text(housing).count() > 0
    looks.check("results")

    theme = Theme.objects.filter(goal__slug="wohnen-in-hagen").order_by("number").first()
    for name, url in [
        ("themes", "/admin/workbench/theme/"),
        ("theme", f"/admin/workbench/theme/{theme.pk}/change/"),
        ("groups", "/admin/workbench/duplicategroup/"),
        ("result", f"/admin/workbench/result/{Result.objects.order_by('pk').first().pk}/change/"),
        ("keywords", "/admin/workbench/keyword/"),
        ("keyword", "/admin/workbench/keyword/add/"),
        ("runs", "/admin/workbench/run/"),
    ]:
        page.goto(base + url)
        looks.check(name, shoot=name in ("themes", "theme", "groups"))
    assert looks.problems == {}, looks.problems

    # A group of near-identical contributions opens as its members in the contribution list.
    page.goto(base + "/admin/workbench/duplicategroup/")
    page.locator("#result_list tbody tr").first.get_by_role("link", name="anzeigen").click()
    page.wait_for_url("**/admin/participation/comment/?dubletten=*")
    assert page.locator("#result_list tbody tr").count() >= 2


@pytest.mark.django_db(transaction=True)
def test_bulk_evaluation_list_filters_and_action_form(live_server, page, evaluation, editor):
    base = live_server.url
    looks = Looks(page)
    page.set_viewport_size(WIDTHS["1280"])
    log_in_staff(page, base, editor)
    goal = evaluation["goals"]["wohnen-in-hagen"]

    page.goto(base + f"/admin/participation/comment/?goal__id__exact={goal.pk}&ergebnis=keines")
    filters = page.locator("#changelist-filter")
    for title in ("Ergebnis", "Antwort der Stadt Hagen", "Stadtbezirk", "Gemeldet"):
        assert filters.get_by_text(title, exact=False).count() > 0, title
    written_on_goal = Comment.objects.filter(goal=goal).count()
    assert page.locator("#result_list tbody tr").count() == written_on_goal
    looks.check("bulk-list")
    assert looks.problems == {}, looks.problems

    page.locator("#result_list tbody tr input.action-select").nth(0).check()
    page.locator("#result_list tbody tr input.action-select").nth(1).check()
    page.locator("select[name=action]").select_option("evaluate_selected")
    page.get_by_role("button", name="Ausführen").click()
    page.get_by_role("button", name="Auswertung übernehmen").wait_for()
    measures = page.locator("#id_outcome_measure option")
    # Only the goal's own measures are offered, not all of them.
    assert 1 < measures.count() <= goal.measures.count() + 1
    looks.check("bulk-form")
    assert looks.problems == {}, looks.problems

    page.locator("#id_outcome").select_option("adopted")
    page.locator("#id_outcome_measure").select_option(index=1)
    page.get_by_role("button", name="Auswertung übernehmen").click()
    page.get_by_text("2 Beiträge ausgewertet.").wait_for()
    assert Comment.objects.filter(goal=goal, outcome="adopted").count() == 2


@pytest.mark.django_db(transaction=True)
def test_import_upload_shows_the_dry_run_then_imports(live_server, page, evaluation, editor):
    base = live_server.url
    looks = Looks(page)
    page.set_viewport_size(WIDTHS["1280"])
    log_in_staff(page, base, editor)
    before = Comment.objects.count()

    page.goto(base + "/admin/participation/comment/import/")
    looks.check("import", shoot=False)
    page.locator("#id_file").set_input_files(
        {"name": "karten.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV}
    )
    page.locator("#id_round").select_option(str(evaluation["round"].pk))
    page.locator("#id_source").select_option("imported")
    page.locator("#id_origin").fill("Plan-Portal 2018/19, Phase 2")
    page.get_by_role("button", name="Datei prüfen (Probelauf)").click()
    page.get_by_text("Probelauf: 1 Beitrag würde angelegt,").wait_for()
    assert page.get_by_text("Kein Text.").count() == 1
    assert Comment.objects.count() == before  # a dry run saves nothing
    looks.check("import-dry-run")

    page.get_by_role("button", name="1 Beitrag jetzt importieren").click()
    page.get_by_text("1 angelegt").wait_for()
    assert Comment.objects.count() == before + 1
    assert looks.problems == {}, looks.problems


@pytest.mark.django_db(transaction=True)
def test_deliberation_table_pages_are_accessible(live_server, page, evaluation, editor):
    base = live_server.url
    looks = Looks(page)
    page.set_viewport_size(WIDTHS["1280"])
    log_in_staff(page, base, editor)

    page.goto(base + "/admin/participation/comment/abwaegung/")
    looks.check("deliberation-choice", shoot=False)
    page.locator("#id_runde").select_option(str(evaluation["round"].pk))
    page.locator("#id_ziel").select_option(str(evaluation["goals"]["wohnen-in-hagen"].pk))
    page.get_by_role("button", name="Anzeigen").click()
    page.get_by_role("heading", name="Abwägungstabelle").first.wait_for()
    assert page.locator("table tbody tr").count() >= 20
    looks.check("deliberation-page")
    assert looks.problems == {}, looks.problems
