"""The staff workspace in a real browser, as the editor and the moderator use it: axe-clean,
the moderation list's first five columns on screen at 1280 px, the queue usable at 375 px.

The screenshots land in var/screenshots/ to be looked at (dashboard, contribution list, history,
legal page editor at 1280; moderation list and a contribution at 375)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from goals.models import Goal, KeyMessage
from participation import services
from participation.models import Comment, CommentRound, Report
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import axe_violations, has_horizontal_scroll

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
FIRST_COLUMNS = ["Status", "Offene Meldungen", "Verfasser/in", "Ziel", "Datum"]


@pytest.fixture
def workspace(db):
    goal = Goal.objects.create(
        slug="hagener-kieze", title="Hagener Kieze", number=4, status="published"
    )
    KeyMessage.objects.create(goal=goal, text="Quartiere stärken", position=1)
    now = timezone.now()
    comment_round = CommentRound.objects.create(
        title="Frühjahrsrunde",
        slug="fruehjahr",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=5),
        is_published=True,
    )
    for n in range(6):
        author = make_user(f"buerger{n}@example.org", f"Bürgerin {n}")
        comment = Comment.objects.create(
            goal=goal,
            round=comment_round,
            author=author,
            text=f"Mehr Grün im Quartier, Vorschlag {n}: Bäume an der Volme pflanzen und Bänke "
            "aufstellen, damit ältere Menschen unterwegs ausruhen können.",
            status="pending" if n % 2 else "published",
        )
        if n == 0:
            reporter = make_user("melder@example.org", "Melder")
            services.comment_report(comment=comment, reporter=reporter, reason=Report.Reason.SPAM)
    return goal


def log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/konto/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(base_url + "/")


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def look(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def header_boxes(page) -> dict[str, dict]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#result_list thead th')]
            .map(th => [th.textContent.trim(), th.getBoundingClientRect().toJSON()]))"""
    )


@pytest.mark.django_db(transaction=True)
def test_moderator_workspace_fits_and_is_accessible(live_server, page, workspace, settings):
    settings.STAFF_MFA_REQUIRED = False
    moderator = make_user(
        "moderation@example.org", "Moderation", staff=True, groups=("Moderation",)
    )
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, moderator.email)

    page.goto(base + "/admin/")
    page.get_by_text("Beiträge warten auf Freigabe").wait_for()
    assert_accessible(page)

    page.goto(base + "/admin/participation/comment/")
    boxes = header_boxes(page)
    width = page.evaluate("() => document.documentElement.clientWidth")
    for column in FIRST_COLUMNS:
        assert column in boxes, boxes.keys()
        assert boxes[column]["right"] <= width, (column, boxes[column], width)
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    look(page, "moderation-list-1280")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(base + "/admin/participation/comment/?queue=1")
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    look(page, "moderation-list-375")
    page.locator("#result_list tbody tr a").first.click()
    page.get_by_role("link", name="Freigeben").first.wait_for()
    assert not has_horizontal_scroll(page)
    assert_accessible(page)
    look(page, "contribution-375")


@pytest.mark.django_db(transaction=True)
def test_editor_workspace_is_accessible(live_server, page, workspace, settings):
    settings.STAFF_MFA_REQUIRED = False
    editor = make_user("redaktion@example.org", "Redaktion", staff=True, groups=("Redaktion",))
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    legal = FlatPage.objects.create(url="/impressum/", title="Impressum", content="Stadt Hagen")
    legal.sites.add(Site.objects.get_current())
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, editor.email)

    Goal.objects.create(slug="hagener-zentren", title="Hagener Zentren", number=5)
    page.goto(base + "/admin/goals/goal/?status__exact=draft")
    page.get_by_role("checkbox").nth(1).check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Ausführen").click()
    page.get_by_text("1 Ziel wurde veröffentlicht.").wait_for()

    page.goto(base + "/admin/")
    page.get_by_text("Redaktion hat das Ziel ‚Hagener Zentren‘ veröffentlicht.").wait_for()
    assert_accessible(page)
    look(page, "dashboard-1280")

    page.goto(base + f"/admin/goals/goal/{workspace.pk}/history/")
    assert_accessible(page)
    look(page, "goal-history-1280")

    page.goto(base + f"/admin/flatpages/flatpage/{legal.pk}/change/")
    assert page.locator("#id_url").count() == 0  # address, site and template are set up once
    assert_accessible(page)
    look(page, "legal-page-editor-1280")

    # An XSS payload typed into the legal page does not run on the public page.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator("#id_content").fill(
        "## Kontakt\n\n<script>alert('xss')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[Klick](javascript:alert(2))"
    )
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.goto(base + "/impressum/")
    page.locator(".prose").get_by_role("heading", name="Kontakt").wait_for()
    page.wait_for_load_state("load")  # an injected script or onerror would have run by now
    assert dialogs == []
    assert page.locator("main a[href^='javascript']").count() == 0
