"""Re-seeding before a release keeps what editors changed in the admin and writes no history."""

import pytest
from django.apps import apps
from django.contrib.admin.utils import quote
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from events.models import District, Event, Milestone
from goals.models import Goal, KeyMessage, Measure
from participation.models import CommentRound
from tests.html import form_values


def admin_edit(client: Client, obj: models.Model, **changes: str) -> None:
    """Change fields of `obj` on its admin change page, submitting the rest as it is shown."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    page = client.get(url)
    assert page.status_code == 200
    data = form_values(page.content.decode(), f"{opts.model_name}_form")
    assert all(name in data for name in changes), sorted(data)
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context and admin_errors(response.context)


def admin_errors(context) -> list:
    return [context["adminform"].form.errors] + [
        formset.formset.errors for formset in context["inline_admin_formsets"]
    ]


def reseed() -> None:
    call_command("seed_portal", stdout=None)


def history_row_count() -> int:
    historical = [
        model
        for model in apps.get_models()
        if model._meta.model_name.startswith("historical") and hasattr(model, "history_id")
    ]
    assert len(historical) >= 7  # goals, key messages, measures, districts, events, ...
    return sum(model.objects.count() for model in historical)


@pytest.fixture
def seeded_admin(admin_client: Client, seeded) -> Client:
    return admin_client


EDITS = [
    (Goal, {"slug": "hagener-kieze"}, "claim", "urbane Quartiere gemeinsam entwickeln!"),
    (KeyMessage, {"text": "positive Imagebildung"}, "text", "Positive Imagebildung"),
    (
        Measure,
        {"text__startswith": "Fortschreibung des Schulentwicklungsplans"},
        "text",
        "Fortschreibung des Schulentwicklungsplans (wohnortnahe Versorgung)",
    ),
    (Event, {"slug": "stadtbezirkswerkstatt-nord-2018"}, "venue", "Aula der Gesamtschule"),
    (District, {"slug": "haspe"}, "official_name", "BV Haspe"),
    (
        Milestone,
        {"title": "Ratsbeschluss über die 16 strategischen Ziele"},
        "description",
        "Der Rat hat die Ziele einstimmig beschlossen.",
    ),
    (CommentRound, {"slug": "phase-2-2019"}, "title", "Zweite Onlinephase (Ideenkarte)"),
    (FlatPage, {"url": "/impressum/"}, "title", "Impressum der Stadt Hagen"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "lookup", "name", "value"), EDITS, ids=[edit[0].__name__ for edit in EDITS]
)
def test_reseeding_keeps_what_an_editor_changed_in_the_admin(
    seeded_admin, model, lookup, name, value
):
    obj = model.objects.get(**lookup)
    admin_edit(seeded_admin, obj, **{name: value})
    assert getattr(model.objects.get(pk=obj.pk), name) == value
    reseed()
    assert getattr(model.objects.get(pk=obj.pk), name) == value


@pytest.mark.django_db
def test_reseeding_keeps_the_goals_an_editor_gave_an_event(seeded_admin):
    event = Event.objects.get(slug="stadtbezirkswerkstatt-nord-2018")
    goal = Goal.objects.get(slug="wohnen-in-hagen")
    assert goal not in event.goals.all()
    chosen = [str(pk) for pk in event.goals.values_list("pk", flat=True)] + [str(goal.pk)]
    opts = event._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[event.pk])
    data = form_values(seeded_admin.get(url).content.decode(), "event_form")
    data["goals"] = chosen
    assert seeded_admin.post(url, data).status_code == 302
    reseed()
    assert goal in event.goals.all()


@pytest.mark.django_db
def test_reseeding_still_corrects_rows_no_person_changed(seeded):
    District.objects.filter(slug="haspe").update(official_name="veraltet")
    Milestone.objects.filter(position=1).update(source="")
    reseed()
    assert District.objects.get(slug="haspe").official_name == "Bezirksvertretung Haspe"
    assert Milestone.objects.get(position=1).source


@pytest.mark.django_db
def test_reseeding_keeps_a_legal_page_an_editor_changed(seeded, editor):
    page = FlatPage.objects.get(url="/impressum/")
    page.title = "Eigene Fassung"
    page._history_user = editor  # as the admin records it
    page.save()
    reseed()
    assert FlatPage.objects.get(url="/impressum/").title == "Eigene Fassung"


@pytest.mark.django_db
def test_reseeding_corrects_a_legal_page_no_person_changed(seeded):
    """Legal pages keep a history now: one only the seed wrote is brought back to the seed."""
    page = FlatPage.objects.get(url="/impressum/")
    page.title = "Falsch"
    page.save()
    reseed()
    assert FlatPage.objects.get(url="/impressum/").title == "Impressum"


def test_reseeding_corrects_a_round_no_person_changed(seeded):
    """Rounds keep a history now: one only the seed wrote is brought back to the seed data."""
    CommentRound.objects.filter(slug="phase-1-2018").update(intro="Veraltet")
    reseed()
    assert CommentRound.objects.get(slug="phase-1-2018").intro != "Veraltet"


@pytest.mark.django_db
def test_reseeding_an_unchanged_portal_adds_no_history_rows(seeded):
    before = history_row_count()
    reseed()
    assert history_row_count() == before


@pytest.mark.django_db
def test_reseeding_after_an_edit_adds_no_history_rows(seeded_admin):
    admin_edit(seeded_admin, District.objects.get(slug="haspe"), official_name="BV Haspe")
    before = history_row_count()
    reseed()
    assert history_row_count() == before
