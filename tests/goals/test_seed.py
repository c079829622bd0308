"""The ISEK 2018 seed: verbatim on the public pages, shared measures once, idempotent."""

import json
from html import unescape

import pytest
from django.core.management import call_command

from goals.models import Goal, KeyMessage, Measure, MeasureGoal
from goals.services import SEED_FILE

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))
DECK_GOALS = [goal for goal in SEED["goals"] if goal["status"] == "published"]
SHARED = [
    "Förderung der Migrantenökonomie",
    "Erstellung von stadtteil- und quartiersbezogenen Konzepten (bspw. IHK) zwecks Aufnahme in "
    "die Städtebauförderung",
]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def test_seed_file_holds_the_six_deck_goals_verbatim():
    assert [g["title"] for g in DECK_GOALS] == [
        "Hagener Kieze",
        "Hagener Zentren",
        "Sozial gerechtes Hagen",
        "Wohnzimmer und Portale",
        "Wohnen in Hagen",
        "Hagen schmiedet Bildungsketten",
    ]
    by_slug = {g["slug"]: g for g in DECK_GOALS}
    assert len(by_slug["hagener-zentren"]["measures"]) == 10  # slide (1) and (2)
    assert len(by_slug["wohnen-in-hagen"]["measures"]) == 8  # incl. the plain bullets of (2)
    assert len(SEED["measures"]) == 39 and sum(len(g["measures"]) for g in DECK_GOALS) == 41
    texts = {m["text"] for m in SEED["measures"]}
    assert any("wohnortnahmen" in text for text in texts)  # the deck's typo stays


@pytest.mark.django_db
def test_every_title_key_message_and_measure_appears_verbatim(client, seeded):
    texts = {m["slug"]: m["text"] for m in SEED["measures"]}
    for goal in DECK_GOALS:
        html = page(client, f"/ziele/{goal['slug']}/")
        assert goal["title"] in html and goal["claim"] in html
        for message in goal["key_messages"]:
            assert message in html
        for slug in goal["measures"]:
            assert texts[slug] in html
        assert goal["title"] in page(client, "/ziele/")


@pytest.mark.django_db
def test_shared_measures_appear_once_in_list_and_on_each_goal(client, seeded):
    html = page(client, "/massnahmen/")
    for text in SHARED:
        assert html.count(f">{text}</a>") == 1
        measure = Measure.objects.get(text=text)
        assert measure.goals.count() == 2
        for goal in measure.goals.all():
            assert text in page(client, goal.get_absolute_url())
    kieze = page(client, "/ziele/hagener-kieze/")
    assert "auch Teil von" in kieze and 'href="/ziele/sozial-gerechtes-hagen/"' in kieze


@pytest.mark.django_db
def test_differently_worded_measures_stay_separate(seeded):
    assert Measure.objects.filter(text__startswith="Initiative „Neue Gründerzeit“").count() == 2
    assert Measure.objects.filter(text__startswith="Identifizierung pote").count() == 2


@pytest.mark.django_db
def test_loading_twice_changes_nothing(seeded):
    models = [Goal, KeyMessage, Measure, MeasureGoal, Goal.history.model, Measure.history.model]
    before = [model.objects.count() for model in models]
    call_command("load_goals", stdout=None)
    assert [model.objects.count() for model in models] == before
    assert before[:4] == [8, 19, 39, 41]


@pytest.mark.django_db
def test_public_source_titles_are_drafts_with_source(client, seeded):
    first = Goal.objects.get(number=1)
    assert first.title == "Kompakte Siedlungsstruktur in den Flusstälern und an den Hängen"
    assert first.status == Goal.Status.DRAFT and "Siedlungsstrukturen" in first.source
    tenth = Goal.objects.get(number=10)
    assert tenth.title == "Mobilität neu denken!" and "fn-hagen.de" in tenth.source
    assert client.get(first.get_absolute_url()).status_code == 404
    assert "Mobilität neu denken!" not in page(client, "/ziele/")


@pytest.mark.django_db
def test_overview_says_how_many_of_16_goals_are_published(client, seeded):
    html = page(client, "/ziele/")
    assert "6 von 16 strategischen Zielen sind hier veröffentlicht." in html
    assert "Titel von 8 Zielen" in html


@pytest.mark.django_db
def test_reseeding_keeps_an_editors_change(seeded, editor):
    goal = Goal.objects.get(slug="hagener-kieze")
    goal._history_user = editor
    goal.claim = "urbane Quartiere gemeinsam entwickeln!"
    goal.save()
    call_command("load_goals", stdout=None)
    goal.refresh_from_db()
    assert goal.claim == "urbane Quartiere gemeinsam entwickeln!"


@pytest.mark.django_db
def test_reseeding_keeps_an_editors_key_message_and_measure(seeded, editor):
    message = KeyMessage.objects.get(text="positive Imagebildung")
    message._history_user = editor
    message.text = "Positive Imagebildung"
    message.save()
    measure = Measure.objects.get(text__startswith="Fortschreibung des Schulentwicklungsplans")
    measure._history_user = editor
    measure.text = measure.text.replace("wohnortnahmen", "wohnortnahen")
    measure.save()
    measure.goal_links.all().delete()
    call_command("load_goals", stdout=None)
    assert KeyMessage.objects.filter(text="Positive Imagebildung").exists()
    measure.refresh_from_db()
    assert "wohnortnahen Versorgung" in measure.text and not measure.goals.exists()
