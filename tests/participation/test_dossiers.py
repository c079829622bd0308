"""The committee dossiers (per goal and per district), the round results page „Was aus den
Beiträgen wurde“ and the measure page say what the public said, with the one counting
definition (CommentQuerySet.counted)."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import District, Event
from goals.models import Measure
from participation import services
from participation.models import Comment, OfficialAnswer

from .conftest import make_comment
from .moderation_fixtures import BERLIN, haspe, haspe_workshop


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",").replace(" :", ":")


@pytest.fixture
def evaluated(goal, open_round, measure, key_message, citizen, other_citizen, editor, moderator):
    """From Haspe (both citizens live there): two adopted (one changed the measure, one the
    key message), one rejected with an answer, one hidden as spam, one workshop card."""
    for person in (citizen, other_citizen):
        person.district = haspe()
        person.save()
    adopted = make_comment(
        goal=goal,
        comment_round=open_round,
        author=citizen,
        text="Mehr Fahrradstraßen in der Innenstadt",
        outcome="adopted",
        outcome_measure=measure,
        measure=measure,
    )
    make_comment(
        goal=goal,
        comment_round=open_round,
        author=other_citizen,
        text="Kernbotschaft schärfen",
        outcome="adopted",
        outcome_key_message=key_message,
    )
    rejected = make_comment(
        goal=goal,
        comment_round=open_round,
        author=other_citizen,
        text="Autobahn durch den Stadtpark",
        outcome="rejected",
        outcome_note="Widerspricht dem Ziel.",
    )
    services.answer_create(comment=rejected, author=editor, text="Danke, wir prüfen Alternativen.")
    hidden = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Werbung!")
    services.comment_hide(comment=hidden, moderator=moderator, reason="spam", note="Werbung")
    card = services.workshop_contribution_create(
        editor=editor,
        round=open_round,
        goal=goal,
        event=haspe_workshop(),
        text="Busse am Abend öfter fahren lassen",
    )
    return {"adopted": adopted, "rejected": rejected, "hidden": hidden, "card": card}


def test_goal_dossier_states_counts_outcomes_changed_measures_and_answers(client, goal, evaluated):
    html = client.get("/ziele/dossier/").content.decode()
    section = html[html.index('id="oeffentlichkeit-mobilitaet-neu-denken"') :]
    text = text_of(section)
    assert "Beiträge und Antworten: 5, davon ausgeblendet: 1" in text
    assert "Online: 4 · Veranstaltung: 1" in text
    assert "Testrunde 5 1" in text  # per round: total, hidden
    assert (
        "Übernommen Kernbotschaft: Verkehrsbelastungen verringern (1) "
        "Maßnahme: Radverkehr stärken (1) 2"
    ) in text
    assert "Geprüft – nicht übernommen 1" in text
    assert "Noch nicht ausgewertet 2" in text  # the hidden one and the workshop card
    assert "1 Beitrag hat eine offizielle Antwort." in text
    assert "Danke, wir prüfen Alternativen." in text and "Autobahn durch den Stadtpark" in text
    assert "Ziel 10: Mobilität neu denken!" in text_of(html)  # contents with the goal number
    assert 'id="leicht-erklaert-' not in html or "Leicht erklärt" in html


def test_goal_dossier_never_quotes_a_hidden_contribution_with_its_answer(
    client, goal, evaluated, editor
):
    services.answer_create(comment=evaluated["hidden"], author=editor, text="Nicht zulässig.")
    html = client.get("/ziele/dossier/").content.decode()
    assert "Werbung!" not in html and "Nicht zulässig." not in html


def test_themes_placeholder_renders_nothing_without_themes(goal, evaluated):
    from django.template.loader import render_to_string

    assert render_to_string("goals/_dossier_themes.html", {}).strip() == ""
    assert render_to_string("goals/_dossier_themes.html", {"goal": goal}).strip() == ""


def test_district_dossier_counts_residents_but_never_names_them(client, goal, evaluated, citizen):
    citizen.display_name = "Radlerin Haspe"
    citizen.save()
    html = client.get("/bezirke/haspe/dossier/").content.decode()
    text = text_of(html)
    assert "Dossier für den Stadtbezirk Haspe" in text
    assert "Beiträge und Antworten: 5, davon ausgeblendet: 1" in text  # the one definition
    assert "Radlerin Haspe" not in html and "Mehr Fahrradstraßen" not in html
    # Residents' four contributions to the goal are too few to state exactly.
    assert "weniger als 5" in text
    assert "Busse am Abend öfter fahren lassen" in text  # workshop input belongs to the district
    assert "Stadtbezirkswerkstatt Haspe" in text
    # Outcomes only of the district's own input: the residents' two adopted ones are not in it.
    assert "Übernommen 0" in text and "Noch nicht ausgewertet 1" in text


def test_district_dossier_names_a_measure_its_input_changed_only_when_published(
    client, goal, evaluated, measure
):
    card = evaluated["card"]
    card.outcome = "adopted"
    card.outcome_measure = measure
    card.save()
    assert "Radverkehr stärken" in client.get("/bezirke/haspe/dossier/").content.decode()
    measure.is_published = False
    measure.save()
    html = client.get("/bezirke/haspe/dossier/").content.decode()
    assert "Busse am Abend öfter fahren lassen" in html and "Radverkehr stärken" not in html


def test_district_dossier_states_residents_per_goal_from_five_on(client, goal, open_round, citizen):
    citizen.district = haspe()
    citizen.save()
    for i in range(5):
        make_comment(goal=goal, comment_round=open_round, author=citizen, text=f"Nr. {i}")
    html = client.get("/bezirke/haspe/dossier/").content.decode()
    row = re.search(r"Mobilität neu denken!</a></th>\s*<td class=\"num\">(\w+)</td>", html)
    assert row and row[1] == "5"


def test_district_dossier_of_another_district_counts_nothing_from_haspe(client, goal, evaluated):
    District.objects.create(slug="hohenlimburg", name="Hohenlimburg")
    text = text_of(client.get("/bezirke/hohenlimburg/dossier/").content.decode())
    assert "Beiträge und Antworten: 0, davon ausgeblendet: 0" in text
    assert "Busse am Abend" not in text


def test_district_page_links_its_dossier(client, goal):
    haspe()
    html = client.get("/bezirke/haspe/").content.decode()
    assert 'href="/bezirke/haspe/dossier/"' in html


def test_round_results_page_shows_outcomes_changed_measures_and_moderation_ledger(
    client, goal, open_round, evaluated, citizen, moderator
):
    insult = make_comment(goal=goal, comment_round=open_round, author=citizen, text="Beleidigung")
    services.comment_hide(comment=insult, moderator=moderator, reason="insult", note="Beleidigt")
    html = client.get(f"/beteiligung/runden/{open_round.slug}/ergebnisse/").content.decode()
    text = text_of(html)
    assert "Was aus den Beiträgen wurde" in text
    assert "Beiträge und Antworten: 6, davon ausgeblendet: 2" in text
    assert "2 Beiträge haben eine Maßnahme oder Kernbotschaft verändert." in text
    assert "Maßnahme: Radverkehr stärken (1)" in text
    assert "Spam 1" in text and "Beleidigung 1" in text
    assert "Beleidigung" in text and "Werbung!" not in html  # reasons, never hidden texts


def test_round_results_are_linked_from_the_participation_page(client, open_round, goal):
    html = client.get("/beteiligung/").content.decode()
    assert f'href="/beteiligung/runden/{open_round.slug}/ergebnisse/"' in html


def test_round_results_of_an_unpublished_round_are_not_found(client, open_round):
    open_round.is_published = False
    open_round.save()
    assert client.get(f"/beteiligung/runden/{open_round.slug}/ergebnisse/").status_code == 404


def test_measure_page_says_how_many_contributions_changed_it(client, measure, evaluated, goal):
    Comment.objects.filter(pk=evaluated["rejected"].pk).update(measure=measure)
    text = text_of(client.get(measure.get_absolute_url()).content.decode())
    assert "1 Beitrag hat diese Maßnahme verändert." in text
    assert "Mehr Fahrradstraßen in der Innenstadt" in text
    assert "Beiträge, die zu dieser Maßnahme geführt haben" in text
    assert "Beiträge, die sich auf diese Maßnahme beziehen" in text
    assert "Autobahn durch den Stadtpark" in text  # refers to it


def test_measure_page_shows_description_and_status_history(client, measure):
    measure.description = "Damit mehr Menschen sicher Rad fahren."
    measure.save()
    measure.status = Measure.Status.DECIDED
    measure.save()
    text = text_of(client.get(measure.get_absolute_url()).content.decode())
    assert "Wozu die Maßnahme dient Damit mehr Menschen sicher Rad fahren." in text
    day = r"\d+\. \w+ \d{4}"
    assert re.search(rf"Statusverlauf {day}: Vorgeschlagen {day}: Beschlossen", text)


def test_print_stamp_states_the_date_and_page_numbers_in_german(client):
    response = client.get("/druck/stand-2026-12-03.css")
    css = response.content.decode()
    assert response["Content-Type"].startswith("text/css")
    assert '@bottom-left { content: "Stand: 3. Dezember 2026"; }' in css
    assert '"Seite " counter(page) " von " counter(pages) ""' in css
    assert client.get("/druck/stand-2026-13-40.css").status_code == 404
    assert client.get("/druck/stand-x.css").status_code == 404


def test_dossiers_link_the_print_stamp_of_the_day(client, goal, open_round):
    haspe()
    results = f"/beteiligung/runden/{open_round.slug}/ergebnisse/"
    for url in ("/ziele/dossier/", "/bezirke/haspe/dossier/", results):
        html = client.get(url).content.decode()
        assert re.search(r'href="/druck/stand-\d{4}-\d\d-\d\d\.css" media="print"', html), url


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def add_more(goal, open_round, measure, editor) -> None:
    district = haspe()
    for i in range(6):
        event = Event.objects.create(
            title=f"Werkstatt {i}",
            slug=f"werkstatt-{i}",
            kind=Event.Kind.DISTRICT_WORKSHOP,
            audience=Event.Audience.PUBLIC,
            district=district,
            status=Event.Status.HELD,
            starts_at=datetime(2018, 7, 3 + i, 18, 0, tzinfo=BERLIN),
        )
        event.goals.add(goal)
        card = services.workshop_contribution_create(
            editor=editor, round=open_round, goal=goal, event=event, text=f"Karte {i}"
        )
        Comment.objects.filter(pk=card.pk).update(outcome="adopted", outcome_measure=measure)
        OfficialAnswer.objects.create(comment=card, text=f"Antwort {i}")
    other = Measure.objects.create(slug="busse", text="Busse")
    other.goals.add(goal)
    Comment.objects.filter(text="Karte 5").update(outcome_measure=other, measure=other)


@pytest.mark.parametrize(
    "url",
    [
        "/ziele/dossier/",
        "/bezirke/haspe/dossier/",
        "/beteiligung/runden/offen/ergebnisse/",
        "/massnahmen/radverkehr/",
    ],
)
def test_dossier_pages_run_the_same_queries_whatever_the_data(
    client, url, goal, open_round, measure, evaluated, editor, django_assert_num_queries
):
    small = count_queries(client, url)
    add_more(goal, open_round, measure, editor)
    with django_assert_num_queries(small):
        client.get(url)
