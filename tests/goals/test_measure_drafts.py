"""Measures have a draft state: only published ones reach the public; editors preview drafts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from goals.models import Goal, Measure, MeasureGoal

DRAFT_TEXT = "Entwurf: Seilbahn zum Tücking"


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def draft_measure(seeded) -> Measure:
    measure = Measure.objects.create(slug="seilbahn-tuecking", text=DRAFT_TEXT)
    MeasureGoal.objects.create(measure=measure, goal=Goal.objects.get(slug="hagener-kieze"))
    return measure


@pytest.mark.django_db
def test_a_new_measure_is_a_draft(db):
    assert Measure.objects.create(slug="neu", text="Neu").is_published is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/massnahmen/",
        "/massnahmen/?ziel=hagener-kieze",
        "/ziele/hagener-kieze/",
        "/ziele/matrix/",
        "/ziele/dossier/",
        "/sitemap.xml",
        "/suche/?q=Seilbahn",
        "/offene-daten/massnahmen.json",
        "/offene-daten/massnahmen.csv",
        "/offene-daten/ziele.json",
    ],
)
def test_draft_measure_is_not_public(client, draft_measure, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = body(response)
    assert DRAFT_TEXT not in text and "seilbahn-tuecking" not in text


@pytest.mark.django_db
def test_draft_measure_page_is_404_and_published_one_shows(client, draft_measure):
    assert client.get("/massnahmen/seilbahn-tuecking/").status_code == 404
    draft_measure.is_published = True
    draft_measure.save()
    assert DRAFT_TEXT in client.get("/massnahmen/seilbahn-tuecking/").content.decode()
    assert DRAFT_TEXT in client.get("/ziele/hagener-kieze/").content.decode()


@pytest.mark.django_db
def test_goal_list_counts_only_published_measures(client, draft_measure):
    goal = Goal.objects.with_counts().get(slug="hagener-kieze")
    assert goal.measure_count == 4


@pytest.mark.django_db
def test_editor_previews_a_draft_measure_nobody_else_can(
    client, citizen_client, editor_client, draft_measure
):
    url = "/massnahmen/seilbahn-tuecking/vorschau/"
    assert client.get(url).status_code == 404
    assert citizen_client.get(url).status_code == 404
    response = editor_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    assert DRAFT_TEXT in html and "Entwurf" in html


@pytest.mark.django_db
def test_measure_admin_links_a_draft_to_its_preview(editor_client, draft_measure):
    html = editor_client.get(f"/admin/goals/measure/{draft_measure.pk}/change/").content.decode()
    assert "/massnahmen/seilbahn-tuecking/vorschau/" in html


@pytest.mark.django_db(transaction=True)
def test_migration_publishes_the_measures_that_existed():
    executor = MigrationExecutor(connection)
    executor.migrate([("goals", "0007_goal_easy_text")])
    old_apps = executor.loader.project_state([("goals", "0007_goal_easy_text")]).apps
    old_apps.get_model("goals", "Measure").objects.create(slug="alt", text="Schon öffentlich")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Measure.objects.get(slug="alt").is_published is True
