from django.core.management import call_command
from django.utils import timezone

from events.models import District, Event, Milestone


def test_seed_loads_districts_with_population(seeded):
    names = list(District.objects.values_list("name", flat=True))
    assert names == ["Hagen-Mitte", "Hagen-Nord", "Haspe", "Eilpe/Dahl", "Hohenlimburg"]
    haspe = District.objects.get(slug="haspe")
    assert haspe.official_name == "Bezirksvertretung Haspe"
    assert haspe.population == 31000
    assert "S43" in haspe.population_source


def test_seed_has_local_dates_and_times(seeded):
    workshop = Event.objects.get(slug="stadtbezirkswerkstatt-nord-2018")
    start = timezone.localtime(workshop.starts_at)
    assert (start.date().isoformat(), start.hour, timezone.localtime(workshop.ends_at).hour) == (
        "2018-06-19",
        19,
        22,
    )
    konferenz = Event.objects.get(slug="hagenkonferenz-2020")
    assert timezone.localtime(konferenz.starts_at).strftime("%d.%m.%Y %H:%M") == "25.03.2020 18:30"
    assert "nicht bekannt" in konferenz.description
    assert konferenz.status == Event.Status.PLANNED


def test_seed_keeps_unknown_times_unknown(seeded):
    council = Event.objects.get(slug="rat-2018-12-13")
    assert council.has_time is False
    assert council.ends_at is None
    assert timezone.localdate(council.starts_at).isoformat() == "2018-12-13"


def test_seed_keeps_deck_hagenkonferenz_tentative(seeded):
    tentative = Event.objects.get(slug="hagenkonferenz-mitte-2019")
    assert tentative.starts_at is None
    assert tentative.tentative_period == "voraussichtlich Mitte 2019"


def test_every_seed_entry_has_a_source(seeded):
    assert not Event.objects.filter(source="").exists()
    assert not Milestone.objects.filter(source="").exists()


def test_council_milestone_shows_planned_and_actual(seeded):
    milestone = Milestone.objects.get(title="Ratsbeschluss über die 16 strategischen Ziele")
    assert milestone.planned_date.isoformat() == "2018-11-14"
    assert milestone.actual_date.isoformat() == "2018-12-13"
    assert milestone.differs_from_plan


def test_seed_twice_leaves_counts_unchanged(seeded):
    counts = (District.objects.count(), Event.objects.count(), Milestone.objects.count())
    call_command("load_events", stdout=None)
    assert (District.objects.count(), Event.objects.count(), Milestone.objects.count()) == counts
    assert counts == (5, 33, 5)


def test_milestone_with_same_plan_and_outcome_is_not_marked_as_differing(seeded):
    milestone = Milestone.objects.get(title="Informationsvorlage zu den 16 strategischen Zielen")
    assert not milestone.differs_from_plan


def test_all_five_district_workshops_are_recorded_as_held(seeded):
    """S10 and S61 look back on "den fünf Bezirkswerkstätten": none stays "unknown"."""
    workshops = Event.objects.filter(
        slug__startswith="stadtbezirkswerkstatt-", slug__endswith="-2018"
    )
    assert workshops.count() == 5
    assert set(workshops.values_list("status", flat=True)) == {Event.Status.HELD}
    for slug in ["stadtbezirkswerkstatt-haspe-2018", "stadtbezirkswerkstatt-eilpe-dahl-2018"]:
        assert "S10" in Event.objects.get(slug=slug).source


def test_housing_forum_took_place_on_an_unknown_day(seeded):
    forum = Event.objects.get(slug="fachforum-wohnen-staedtebau-2018")
    assert forum.status == Event.Status.HELD
    assert forum.starts_at is None
    assert "genauer Tag nicht bekannt" in forum.tentative_period
    assert "S61" in forum.source


def test_events_without_evidence_stay_unknown(seeded):
    """Only what a source confirms is marked held; a past committee date without minutes is not."""
    committee = Event.objects.get(slug="jugendhilfeausschuss-2018-06-20")
    assert committee.status == Event.Status.PLANNED
    assert committee.is_past
