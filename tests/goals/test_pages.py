"""Public goal pages: draft 404, preview, filters, matrix, dossier, print."""

from html import unescape
from pathlib import Path

import pytest

from goals.models import Goal, Measure
from tests.html import parse, tag_count


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return unescape(response.content.decode())


@pytest.mark.django_db
def test_draft_goal_is_404_for_public_and_citizens(client, citizen_client, seeded):
    draft = Goal.objects.get(number=10)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/ziele/{draft.slug}/vorschau/").status_code == 404
    assert citizen_client.get(f"/ziele/{draft.slug}/vorschau/").status_code == 404


@pytest.mark.django_db
def test_editor_previews_a_draft(editor_client, seeded):
    html = html_of(editor_client, "/ziele/mobilitaet-neu-denken/vorschau/")
    assert "Mobilität neu denken!" in html and "Entwurf" in html and "fn-hagen.de" in html


@pytest.mark.django_db
def test_goal_page_links_previous_and_next_goal(client, seeded):
    html = html_of(client, "/ziele/hagener-zentren/")
    assert 'rel="prev"' in html and 'href="/ziele/hagener-kieze/"' in html
    assert 'rel="next"' in html and 'href="/ziele/sozial-gerechtes-hagen/"' in html
    assert tag_count(html, "h1") == 1


@pytest.mark.django_db
def test_measure_list_filters_by_goal_and_status_in_the_url(client, seeded):
    html = html_of(client, "/massnahmen/?ziel=hagener-kieze")
    assert "4 Maßnahmen" in html and "Förderung der Migrantenökonomie" in html
    assert "Fortschreibung des Pflegebedarfsplans" not in html
    assert '<option value="hagener-kieze" lang="de" selected>' in html
    assert "0 Maßnahmen" in html_of(client, "/massnahmen/?status=done")
    assert '<option value="done" selected>' in html_of(client, "/massnahmen/?status=done")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?ziel=gibt-es-nicht", "?status=unsinn", "?ziel=%00&status=%ff", "?ziel=a&ziel=b"]
)
def test_bad_filter_values_are_ignored(client, seeded, query):
    html = html_of(client, f"/massnahmen/{query}")
    assert "39 Maßnahmen" in html


@pytest.mark.django_db
def test_measure_page_lists_its_goals(client, seeded):
    measure = Measure.objects.get(text="Förderung der Migrantenökonomie")
    html = html_of(client, measure.get_absolute_url())
    assert "Dient diesen 2 Zielen" in html
    assert "Hagener Kieze" in html and "Sozial gerechtes Hagen" in html


@pytest.mark.django_db
def test_measure_of_draft_goals_only_is_404(client, seeded):
    measure = Measure.objects.create(is_published=True, slug="nur-entwurf", text="Nur im Entwurf")
    measure.goals.add(Goal.objects.get(number=1))
    assert client.get("/massnahmen/nur-entwurf/").status_code == 404


@pytest.mark.django_db
def test_matrix_is_an_accessible_data_table(client, seeded):
    html = html_of(client, "/ziele/matrix/")
    parsed = parse(html)
    assert tag_count(html, "caption") == 1
    col_headers = [a for tag, a in parsed.tags if tag == "th" and a.get("scope") == "col"]
    row_headers = [a for tag, a in parsed.tags if tag == "th" and a.get("scope") == "row"]
    assert len(col_headers) == 1 + 6 + 1 and len(row_headers) == 39
    assert html.count('class="visually-hidden">ja<') == 41
    assert html.count('class="visually-hidden">nein<') == 39 * 6 - 41


@pytest.mark.django_db
def test_dossier_has_one_print_page_per_published_goal(client, seeded):
    html = html_of(client, "/ziele/dossier/")
    assert html.count('class="print-page') == 6
    assert "Mobilität neu denken!" not in html
    assert "Fortschreibung des Pflegebedarfsplans" in html and "positive Imagebildung" in html
    assert "http://testserver/ziele/hagener-kieze/" in html
    assert tag_count(html, "h1") == 1


@pytest.mark.django_db
def test_print_stylesheet_hides_navigation_and_prints_no_link_targets(client, seeded):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    assert ".site-header nav" in css and ".goal-pager" in css
    assert "attr(href)" not in css  # raw URLs after links cut tables apart on paper
    assert "size: A4 portrait" in css and "margin: 1.5cm" in css and "counter(page)" in css
    assert ".print-page" in css
    html = html_of(client, "/ziele/hagener-kieze/")
    assert 'media="print"' in html and "goal-pager no-print" in html


@pytest.mark.django_db
def test_home_links_published_goals(client, seeded):
    html = html_of(client, "/")
    assert 'href="/ziele/hagener-kieze/"' in html and "6 von 16" in html
