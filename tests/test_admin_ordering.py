"""New rows are placed at the end, also when a form is saved without JavaScript (the position
left at its default): a goal's new key message and measure, a new goal, a new key message."""

import pytest
from django.urls import reverse

from goals.models import Goal, KeyMessage, Measure, MeasureGoal
from tests.html import form_values


@pytest.fixture
def goal(db):
    goal = Goal.objects.create(slug="hagener-kieze", title="Hagener Kieze", position=3)
    KeyMessage.objects.create(goal=goal, text="Quartiere stärken", position=4)
    KeyMessage.objects.create(goal=goal, text="Plätze beleben", position=7)
    measure = Measure.objects.create(slug="quartiersbuero", text="Quartiersbüro")
    MeasureGoal.objects.create(goal=goal, measure=measure, position=2)
    return goal


@pytest.mark.django_db
def test_new_inline_rows_of_a_goal_go_to_the_end(editor_client, goal):
    url = reverse("admin:goals_goal_change", args=[goal.pk])
    data = form_values(editor_client.get(url).content.decode(), "goal_form")
    new_measure = Measure.objects.create(slug="spielplatz", text="Spielplatz")
    data["key_messages-2-text"] = ["Ufer öffnen"]  # the position stays at its default
    data["measure_links-1-measure"] = [str(new_measure.pk)]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(goal.key_messages.values_list("text", "position")) == [
        ("Quartiere stärken", 4),
        ("Plätze beleben", 7),
        ("Ufer öffnen", 8),
    ]
    assert list(goal.measure_links.values_list("measure__text", "position")) == [
        ("Quartiersbüro", 2),
        ("Spielplatz", 3),
    ]


@pytest.mark.django_db
def test_a_new_goal_and_a_new_key_message_go_to_the_end(editor_client, goal):
    add_goal = editor_client.get(reverse("admin:goals_goal_add")).content.decode()
    assert form_values(add_goal, "goal_form")["position"] == ["4"]
    response = editor_client.post(
        reverse("admin:goals_goal_add"),
        {
            **form_values(add_goal, "goal_form"),
            "title": "Grünes Hagen",
            "slug": "gruenes-hagen",
            "status": "draft",
        },
    )
    assert response.status_code == 302
    assert list(Goal.objects.values_list("title", flat=True)) == ["Hagener Kieze", "Grünes Hagen"]

    add_message = reverse("admin:goals_keymessage_add")
    data = form_values(editor_client.get(add_message).content.decode(), "keymessage_form")
    data.update(goal=[str(goal.pk)], text=["Wege verbinden"])
    assert editor_client.post(add_message, data).status_code == 302
    assert goal.key_messages.last().text == "Wege verbinden"
    assert goal.key_messages.last().position == 8
