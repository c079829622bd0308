"""Goal pictograms: drawn for the portal (no third-party asset), one per known goal, decorative."""

from pathlib import Path

from django.test import Client

from goals.models import Goal

PICTOGRAMS = Path(__file__).resolve().parents[2] / "templates" / "goals" / "pictograms"


def test_every_seeded_goal_has_its_own_pictogram(seeded):
    for goal in Goal.objects.all():
        assert (PICTOGRAMS / f"{goal.slug}.svg").exists(), goal.slug


def test_pictograms_are_decorative_inline_svg_without_outside_references():
    for svg in PICTOGRAMS.glob("*.svg"):
        text = svg.read_text()
        assert text.startswith('<svg class="goal-pictogram"') and 'aria-hidden="true"' in text
        assert "href" not in text and "http" not in text.replace("http://www.w3.org", "")


def test_goal_cards_home_and_goal_page_show_the_pictogram(seeded):
    goal = Goal.objects.published().get(slug="hagener-zentren")
    own = (PICTOGRAMS / "hagener-zentren.svg").read_text().strip()
    for url in ["/ziele/", "/", goal.get_absolute_url(), "/en/ziele/"]:
        assert own in Client().get(url).content.decode(), url


def test_a_goal_without_its_own_drawing_gets_the_generic_one(db):
    goal = Goal.objects.create(slug="neues-ziel", title="Neues Ziel", status="published")
    html = Client().get(goal.get_absolute_url()).content.decode()
    assert (PICTOGRAMS / "default.svg").read_text().strip() in html
