"""Ordering without typing numbers: an editor moves key messages, measures and goals with the
keyboard ("Nach oben"/"Nach unten"), saves, and the public pages show the new order."""

import pytest

from goals.models import Goal, KeyMessage, Measure, MeasureGoal
from tests.conftest import make_user
from tests.e2e.test_staff_workspace import assert_accessible, log_in


@pytest.fixture
def goal(db):
    goal = Goal.objects.create(
        slug="hagener-kieze", title="Hagener Kieze", number=4, position=1, status="published"
    )
    for position, text in enumerate(["Quartiere stärken", "Plätze beleben", "Wege verbinden"], 1):
        KeyMessage.objects.create(goal=goal, text=text, position=position)
    for position, text in enumerate(["Quartiersbüro Wehringhausen", "Spielplatz Altenhagen"], 1):
        measure = Measure.objects.create(slug=f"massnahme-{position}", text=text, is_published=True)
        MeasureGoal.objects.create(goal=goal, measure=measure, position=position)
    return goal


def press(button) -> None:
    """Activate a button the way a keyboard user does: focus it, then Enter."""
    button.focus()
    button.press("Enter")


def texts(page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


@pytest.mark.django_db(transaction=True)
def test_editor_reorders_key_messages_and_measures_by_keyboard(live_server, page, goal, settings):
    settings.STAFF_MFA_REQUIRED = False
    editor = make_user("redaktion@example.org", "Redaktion", staff=True, groups=("Redaktion",))
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, editor.email)
    page.goto(base + f"/admin/goals/goal/{goal.pk}/change/")

    key_messages = page.locator("#key_messages-group")
    assert (
        key_messages.locator(
            "tr:not(.empty-form) input[name$='-position']:not([type=hidden])"
        ).count()
        == 0
    )
    press(key_messages.get_by_role("button", name="Nach unten").first)
    assert (
        page.get_by_role("status").inner_text()
        == "„Quartiere stärken“ steht jetzt an Stelle 2 von 3."
    )
    # The moved message keeps the focus: pressing again moves it on to the end.
    page.keyboard.press("Enter")
    first_measure = page.locator("#measure_links-group tbody tr.has_original").nth(1)
    press(first_measure.get_by_role("button", name="Nach oben"))
    key_messages.locator("tr.form-row:not(.has_original):not(.empty-form) textarea").fill(
        "Ufer öffnen"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.locator(".messagelist .success").wait_for()

    assert list(goal.key_messages.values_list("text", flat=True)) == [
        "Plätze beleben",
        "Wege verbinden",
        "Quartiere stärken",
        "Ufer öffnen",  # a new row goes to the end
    ]
    page.goto(base + goal.get_absolute_url())
    assert texts(page, ".key-messages li") == [
        "Plätze beleben",
        "Wege verbinden",
        "Quartiere stärken",
        "Ufer öffnen",
    ]
    measures = [t.split("\n")[0] for t in texts(page, ".measure-items > li")]
    assert measures == ["Spielplatz Altenhagen", "Quartiersbüro Wehringhausen"]


@pytest.mark.django_db(transaction=True)
def test_editor_reorders_goals_in_the_list_by_keyboard(live_server, page, goal, settings):
    settings.STAFF_MFA_REQUIRED = False
    Goal.objects.create(
        slug="gruenes-hagen", title="Grünes Hagen", number=7, position=2, status="published"
    )
    editor = make_user("redaktion@example.org", "Redaktion", staff=True, groups=("Redaktion",))
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, editor.email)
    page.goto(base + "/admin/goals/goal/")

    press(page.locator("#result_list tbody tr").nth(1).get_by_role("button", name="Nach oben"))
    assert "Speichern" in page.get_by_role("status").inner_text()
    assert_accessible(page)
    page.locator("#changelist-form").get_by_role("button", name="Speichern").click()
    page.locator(".messagelist .success").wait_for()

    assert list(Goal.objects.values_list("title", flat=True)) == ["Grünes Hagen", "Hagener Kieze"]
    page.goto(base + "/ziele/")
    assert texts(page, ".goal-card h2") == ["Ziel 7 Grünes Hagen", "Ziel 4 Hagener Kieze"]
