"""axe and reflow on the Leichte-Sprache, Gebärdensprache and English pages; screenshots."""

from pathlib import Path

import pytest

from goals.models import Goal
from tests.e2e.test_accessibility import PageChecks

SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "languages"


@pytest.mark.django_db(transaction=True)
def test_new_pages_pass_axe_in_both_languages(live_server, page, seeded):
    goal = Goal.objects.published().first()
    goal.easy_text = "Das Ziel ist gut für Hagen.\nAlle können mitmachen."
    goal.save()
    checks = PageChecks(page)
    urls = ["/leichte-sprache/", "/gebaerdensprache/", goal.get_absolute_url(), "/ziele/", "/"]
    for url in urls + [f"/en{url}" for url in urls] + ["/en/ziele/dossier/", "/en/konto/login/"]:
        checks.visit(live_server.url, url)
    assert checks.problems == {}

    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in [
            ("ls", "/leichte-sprache/"),
            ("dgs", "/gebaerdensprache/"),
            ("goal-en", f"/en{goal.get_absolute_url()}"),
        ]:
            page.goto(live_server.url + url)
            page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
        page.goto(live_server.url + "/")
        page.locator(".site-header").screenshot(path=SHOTS / f"header-{width}.png")
