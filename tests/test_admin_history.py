"""History pages a planner can read: who, when, and what changed, in German."""

import html
import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

from goals.models import Goal, KeyMessage


def text_of(response) -> str:
    """The page's text with tags removed and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def goal(db) -> Goal:
    goal = Goal.objects.create(slug="klima", title="Klimaschutz in Hagen", number=3)
    KeyMessage.objects.create(goal=goal, text="Hagen wird klimaneutral", position=1)
    return goal


@pytest.mark.django_db
def test_goal_history_shows_who_changed_status_with_german_values(editor_client, goal):
    editor_client.post(
        reverse("admin:goals_goal_changelist"),
        {"action": "publish", "_selected_action": [goal.pk]},
    )
    page = text_of(editor_client.get(reverse("admin:goals_goal_history", args=[goal.pk])))
    assert "Redaktion" in page
    assert "Status vorher: Entwurf → nachher: Veröffentlicht" in page
    assert "draft" not in page and "None" not in page


@pytest.mark.django_db
def test_goal_history_shows_the_changed_text_of_a_key_message(editor_client, goal):
    key_message = goal.key_messages.get()
    response = editor_client.post(
        reverse("admin:goals_keymessage_change", args=[key_message.pk]),
        {"goal": goal.pk, "text": "Hagen wird bis 2035 klimaneutral", "position": 1},
    )
    assert response.status_code == 302
    page = text_of(editor_client.get(reverse("admin:goals_goal_history", args=[goal.pk])))
    assert "Kernbotschaft: Hagen wird bis 2035 klimaneutral" in page
    assert "vorher: Hagen wird klimaneutral → nachher: Hagen wird bis 2035 klimaneutral" in page
    assert "chars" not in page


@pytest.mark.django_db
def test_restoring_an_old_version_shows_what_comes_back(editor_client, goal):
    first = goal.history.earliest("history_date")
    goal.title = "Klimaschutz und Klimaanpassung"
    goal.save()
    page = text_of(
        editor_client.get(
            reverse("admin:goals_goal_simple_history", args=[goal.pk, first.history_id])
        )
    )
    assert "Das Wiederherstellen dieser Fassung ändert" in page
    assert "Titel vorher: Klimaschutz und Klimaanpassung → nachher: Klimaschutz in Hagen" in page
    assert "Diese Fassung wiederherstellen" in page


@pytest.mark.django_db
def test_legal_pages_keep_a_history(editor_client, seeded):
    page = FlatPage.objects.get(url="/impressum/")
    response = editor_client.post(
        reverse("admin:flatpages_flatpage_change", args=[page.pk]),
        {"title": "Impressum der Stadt Hagen", "content": page.content},
    )
    assert response.status_code == 302
    history = text_of(
        editor_client.get(reverse("admin:flatpages_flatpage_history", args=[page.pk]))
    )
    assert "vorher: Impressum → nachher: Impressum der Stadt Hagen" in history
    assert "Redaktion" in history


@pytest.mark.django_db
def test_goal_history_shows_inline_key_message_and_measure_link_changes(editor_client, goal):
    from goals.models import Measure, MeasureGoal
    from tests.html import form_values

    first = Measure.objects.create(slug="quartiersbuero", text="Quartiersbüro Wehringhausen")
    MeasureGoal.objects.create(goal=goal, measure=first, position=1)
    first.save()  # the measure's first version, with its link to the goal
    second = Measure.objects.create(slug="spielplatz", text="Spielplatz Altenhagen")
    url = reverse("admin:goals_goal_change", args=[goal.pk])
    data = form_values(editor_client.get(url).content.decode(), "goal_form")
    data["key_messages-0-text"] = ["Hagen wird bis 2035 klimaneutral"]
    data["measure_links-0-position"] = ["2"]
    data["measure_links-1-measure"] = [str(second.pk)]
    data["measure_links-1-position"] = ["1"]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    page = text_of(editor_client.get(reverse("admin:goals_goal_history", args=[goal.pk])))
    assert "Kernbotschaft: Hagen wird bis 2035 klimaneutral" in page
    assert "vorher: Hagen wird klimaneutral → nachher: Hagen wird bis 2035 klimaneutral" in page
    assert "Maßnahme: Spielplatz Altenhagen Verknüpft" in page
    assert (
        "Maßnahme: Quartiersbüro Wehringhausen Verschoben Reihenfolge vorher: 1 → nachher: 2"
        in (page)
    )
    assert page.count("Redaktion") >= 3  # who made each of the three changes
