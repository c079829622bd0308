"""Issue 13, bulk evaluation: filters of the contribution admin and the one-step evaluation
of many contributions (outcome, changed measure or key message, department, tags), logged."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry

from goals.models import KeyMessage, Measure
from participation import services
from participation.models import Comment, Department, EvaluationTag, OfficialAnswer, Report

from .conftest import make_comment
from .moderation_fixtures import haspe, haspe_workshop

CHANGELIST = "/admin/participation/comment/"


def listed(client, query: str) -> set[int]:
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.fixture
def three(goal, open_round, citizen, other_citizen):
    online = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Radweg A")
    answered = make_comment(
        goal=goal, comment_round=open_round, author=other_citizen, text="Radweg B"
    )
    OfficialAnswer.objects.create(comment=answered, text="Danke")
    workshop = Comment.objects.create(
        goal=goal,
        round=open_round,
        text="Karte: Ampel am Markt",
        source=Comment.Source.EVENT,
        event=haspe_workshop(),
    )
    return online, answered, workshop


def test_filters_for_source_answer_outcome_district_and_report(editor_client, three, citizen):
    online, answered, workshop = three
    Report.objects.create(comment=online, reason=Report.Reason.SPAM)
    answered.outcome = Comment.Outcome.FORWARDED
    answered.save()
    assert listed(editor_client, "?source__exact=event") == {workshop.pk}
    assert listed(editor_client, "?beantwortet=ja") == {answered.pk}
    assert listed(editor_client, "?beantwortet=nein") == {online.pk, workshop.pk}
    assert listed(editor_client, "?ergebnis=keines") == {online.pk, workshop.pk}
    assert listed(editor_client, "?ergebnis=forwarded") == {answered.pk}
    assert listed(editor_client, "?gemeldet=ja") == {online.pk}
    # Haspe: the workshop's district; residents count by the district of their account.
    assert listed(editor_client, "?bezirk=haspe") == {workshop.pk}
    citizen.district = haspe()
    citizen.save()
    assert listed(editor_client, "?bezirk=haspe") == {workshop.pk, online.pk}


def test_key_message_and_measure_filters_offer_only_the_goals_own(
    editor_client, three, goal, other_goal, measure, key_message
):
    foreign = Measure.objects.create(is_published=True, slug="fremd", text="Fremde Maßnahme")
    foreign.goals.add(other_goal)
    KeyMessage.objects.create(goal=other_goal, text="Fremde Kernaussage")
    online = three[0]
    online.measure = measure
    online.save()
    html = editor_client.get(CHANGELIST + f"?goal__id__exact={goal.pk}").content.decode()
    assert "Radverkehr stärken" in html and "Verkehrsbelastungen verringern" in html
    assert "Fremde Maßnahme" not in html and "Fremde Kernaussage" not in html
    assert listed(editor_client, f"?measure__id__exact={measure.pk}") == {online.pk}


def evaluate(client, comments, **data):
    payload = {
        "action": "evaluate_selected",
        ACTION_CHECKBOX_NAME: [c.pk for c in comments],
        "apply": "1",
        **data,
    }
    return client.post(CHANGELIST, payload, follow=True)


def test_form_offers_only_the_goals_measures_when_one_goal_is_selected(
    editor_client, three, measure, other_goal
):
    foreign = Measure.objects.create(is_published=True, slug="fremd", text="Fremde Maßnahme")
    foreign.goals.add(other_goal)
    response = editor_client.post(
        CHANGELIST,
        {"action": "evaluate_selected", ACTION_CHECKBOX_NAME: [c.pk for c in three]},
    )
    html = response.content.decode()
    assert "Ausgewählte Beiträge auswerten" in html
    assert "Radverkehr stärken" in html and "Fremde Maßnahme" not in html


def test_mixed_goals_offer_no_measure_and_say_why(editor_client, three, other_goal, open_round):
    other = make_comment(goal=other_goal, comment_round=open_round, author=None, text="Zentrum")
    response = editor_client.post(
        CHANGELIST,
        {"action": "evaluate_selected", ACTION_CHECKBOX_NAME: [three[0].pk, other.pk]},
    )
    html = response.content.decode()
    assert "gehören zu verschiedenen Zielen" in html
    assert 'name="outcome_measure"' not in html


def test_bulk_evaluation_sets_everything_in_one_step_and_logs_it(
    editor_client, editor, three, measure
):
    department = Department.objects.create(name="FB 61 – Stadtentwicklung")
    tag = EvaluationTag.objects.create(name="Radverkehr")
    response = evaluate(
        editor_client,
        three,
        outcome="adopted",
        outcome_note="Aufgenommen in die Maßnahme.",
        outcome_measure=measure.pk,
        department=department.pk,
        add_tags=[tag.pk],
    )
    assert "3 Beiträge ausgewertet." in response.content.decode()
    for comment in Comment.objects.filter(pk__in=[c.pk for c in three]):
        assert (comment.outcome, comment.outcome_measure, comment.department) == (
            "adopted",
            measure,
            department,
        )
        assert comment.outcome_at is not None and list(comment.tags.all()) == [tag]
        assert comment.moderation_log.get().action == "outcome"
        entry = LogEntry.objects.get(object_id=str(comment.pk))
        assert entry.action_flag == CHANGE and entry.user == editor
        assert "Ergebnis" in entry.get_change_message()


def test_bulk_evaluation_refuses_what_breaks_a_rule_and_changes_nothing_for_it(
    editor_client, three
):
    response = evaluate(editor_client, three[:2], outcome="rejected")
    html = response.content.decode()
    assert "Bitte begründen Sie, warum der Beitrag nicht übernommen wurde." in html
    assert not Comment.objects.exclude(outcome="").exists()
    assert not LogEntry.objects.exists()


def test_bulk_evaluation_refuses_a_measure_of_another_goal(editor_client, three, other_goal):
    foreign = Measure.objects.create(is_published=True, slug="fremd", text="Fremde Maßnahme")
    foreign.goals.add(other_goal)
    evaluate(editor_client, three, outcome="adopted", outcome_measure=foreign.pk)
    assert not Comment.objects.exclude(outcome="").exists()


def test_the_change_form_offers_only_the_goals_measures(editor_client, three, other_goal, measure):
    foreign = Measure.objects.create(is_published=True, slug="fremd", text="Fremde Maßnahme")
    foreign.goals.add(other_goal)
    html = editor_client.get(CHANGELIST + f"{three[0].pk}/change/").content.decode()
    assert "Radverkehr stärken" in html and "Fremde Maßnahme" not in html


def test_empty_evaluation_form_asks_for_a_change(editor_client, three):
    response = evaluate(editor_client, three)
    assert "Wählen Sie mindestens eine Änderung." in response.content.decode()


def test_moderators_cannot_evaluate(moderator_client, three):
    response = evaluate(moderator_client, three, outcome="forwarded")
    assert response.status_code == 200
    assert not Comment.objects.exclude(outcome="").exists()


def test_service_leaves_unchanged_contributions_unlogged(three, editor):
    changed = services.comment_evaluate(
        comment=three[0], editor=editor, changes={"outcome": "forwarded"}
    )
    again = services.comment_evaluate(
        comment=three[0], editor=editor, changes={"outcome": "forwarded"}
    )
    assert (changed, again) == (["outcome"], [])
    assert three[0].moderation_log.count() == 1
