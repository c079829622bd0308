"""Editors curate goals in the admin; citizens never get in."""

import re

import pytest
from django.contrib.auth.models import Group

from goals.models import Goal, Measure

INLINES = {
    "key_messages-TOTAL_FORMS": "2",
    "key_messages-INITIAL_FORMS": "0",
    "key_messages-MIN_NUM_FORMS": "0",
    "key_messages-MAX_NUM_FORMS": "1000",
    "measure_links-TOTAL_FORMS": "1",
    "measure_links-INITIAL_FORMS": "0",
    "measure_links-MIN_NUM_FORMS": "0",
    "measure_links-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def editor_with_group(editor, db):
    return editor  # migrate gave the group its permissions (hagen_isek.roles)


@pytest.mark.django_db
def test_editor_group_has_exactly_the_editor_permissions(editor_with_group):
    group = Group.objects.get(name="Redaktion")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("goals", "add_goal") in codenames and ("goals", "change_measure") in codenames
    assert ("flatpages", "change_flatpage") in codenames
    assert not {c for c in codenames if c[0] in {"auth", "sessions", "admin"}}
    assert ("participation", "change_user") not in codenames


@pytest.mark.django_db
def test_editor_creates_publishes_and_sees_a_goal(client, editor_with_group):
    from tests.conftest import logged_in

    editor_client = logged_in(editor_with_group)
    measure = Measure.objects.create(
        is_published=True, slug="vorhandene-massnahme", text="Vorhandene Maßnahme"
    )
    response = editor_client.post(
        "/admin/goals/goal/add/",
        {
            "title": "Grüne Flüsse",
            "claim": "Ruhr, Lenne, Volme und Ennepe erlebbar machen",
            "slug": "gruene-fluesse",
            "position": "200",
            "status": "draft",
            "intro": "",
            "source": "Test",
            "key_messages-0-position": "1",
            "key_messages-0-text": "Erste Botschaft",
            "key_messages-1-position": "2",
            "key_messages-1-text": "Zweite Botschaft",
            "measure_links-0-position": "1",
            "measure_links-0-measure": str(measure.pk),
            **INLINES,
        },
    )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode()
    )
    goal = Goal.objects.get(slug="gruene-fluesse")
    assert goal.key_messages.count() == 2 and list(goal.measures.all()) == [measure]
    assert client.get("/ziele/gruene-fluesse/").status_code == 404

    response = editor_client.post(
        "/admin/goals/goal/",
        {"action": "publish", "_selected_action": [str(goal.pk)]},
    )
    assert response.status_code == 302
    html = client.get("/ziele/gruene-fluesse/").content.decode()
    assert "Grüne Flüsse" in html and "Zweite Botschaft" in html and "Vorhandene Maßnahme" in html
    assert "Grüne Flüsse" in client.get("/ziele/").content.decode()
    assert "Vorhandene Maßnahme" in client.get("/massnahmen/").content.decode()
    history = goal.history.order_by("history_date")
    assert history.last().history_user == editor_with_group
    assert history.last().status == "published"


@pytest.mark.django_db
def test_editor_sees_change_history(editor_with_group, seeded):
    from tests.conftest import logged_in

    goal = Goal.objects.get(slug="hagener-kieze")
    html = logged_in(editor_with_group).get(f"/admin/goals/goal/{goal.pk}/history/")
    assert html.status_code == 200


@pytest.mark.django_db
def test_measure_admin_lists_goals_without_n_plus_one(
    editor_with_group, seeded, django_assert_max_num_queries
):
    from tests.conftest import logged_in

    client = logged_in(editor_with_group)
    with django_assert_max_num_queries(12):
        html = client.get("/admin/goals/measure/").content.decode()
    assert "Hagener Kieze; Sozial gerechtes Hagen" in html


@pytest.mark.django_db
def test_measure_autocomplete_answers_editors(editor_with_group, seeded):
    from tests.conftest import logged_in

    response = logged_in(editor_with_group).get(
        "/admin/autocomplete/",
        {
            "term": "Migranten",
            "app_label": "goals",
            "model_name": "measuregoal",
            "field_name": "measure",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Förderung der Migrantenökonomie"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/", "/admin/goals/goal/", "/admin/goals/goal/add/"])
def test_citizen_never_reaches_the_admin(citizen_client, client, url):
    for visitor in (citizen_client, client):
        response = visitor.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_citizen_cannot_post_to_the_admin(citizen_client):
    citizen_client.post("/admin/goals/goal/add/", {"title": "Böse", "slug": "boese"})
    assert not Goal.objects.filter(slug="boese").exists()


@pytest.mark.django_db
def test_migration_created_the_editor_group():
    group = Group.objects.get(name="Redaktion")
    assert group.permissions.filter(content_type__app_label="goals", codename="add_goal").exists()


@pytest.mark.django_db
def test_role_sync_is_idempotent_and_resets_hand_made_changes(editor_with_group):
    from django.contrib.auth.models import Permission

    from hagen_isek.roles import sync_roles

    group = Group.objects.get(name="Redaktion")
    before = set(group.permissions.values_list("pk", flat=True))
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    sync_roles()
    sync_roles()
    assert set(group.permissions.values_list("pk", flat=True)) == before


@pytest.mark.django_db
def test_editor_unpublishes_a_goal(editor_with_group, seeded, client):
    from tests.conftest import logged_in

    goal = Goal.objects.get(slug="wohnen-in-hagen")
    logged_in(editor_with_group).post(
        "/admin/goals/goal/", {"action": "unpublish", "_selected_action": [str(goal.pk)]}
    )
    assert client.get("/ziele/wohnen-in-hagen/").status_code == 404
    assert "5 von 16" in client.get("/ziele/").content.decode()


@pytest.mark.django_db
def test_measure_history_records_who_linked_it_to_a_goal(editor_with_group, seeded):
    from tests.conftest import logged_in

    goal = Goal.objects.get(slug="hagen-schmiedet-bildungsketten")
    measure = Measure.objects.get(text="Förderung der Migrantenökonomie")
    data = {
        "title": goal.title,
        "claim": goal.claim,
        "slug": goal.slug,
        "position": goal.position,
        "status": goal.status,
        "intro": "",
        "source": goal.source,
        "key_messages-TOTAL_FORMS": "0",
        "key_messages-INITIAL_FORMS": "0",
        "measure_links-TOTAL_FORMS": "1",
        "measure_links-INITIAL_FORMS": "0",
        "measure_links-0-position": "7",
        "measure_links-0-measure": str(measure.pk),
    }
    response = logged_in(editor_with_group).post(f"/admin/goals/goal/{goal.pk}/change/", data)
    assert response.status_code == 302
    assert measure.goals.filter(pk=goal.pk).exists()
    latest = measure.history.latest()
    assert latest.history_user == editor_with_group
    assert latest.goals.filter(goal=goal).exists()


@pytest.mark.django_db
def test_measure_admin_filters_by_goal(editor_with_group, seeded):
    from tests.conftest import logged_in

    goal = Goal.objects.get(slug="hagener-kieze")
    html = logged_in(editor_with_group).get(f"/admin/goals/measure/?goals__id__exact={goal.pk}")
    assert "4 Maßnahmen" in html.content.decode()
