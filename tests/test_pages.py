"""Every public page: German, in the layout with landmarks, nothing loaded from another host."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from hagen_isek import urls as project_urls
from tests.html import foreign_resources, parse, tag_count

PUBLIC_PAGES = [
    "/",
    "/ueber-das-isek/",
    "/ziele/",
    "/ziele/hagener-kieze/",
    "/ziele/matrix/",
    "/ziele/dossier/",
    "/massnahmen/",
    "/termine/",
    "/beteiligung/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/netiquette/",
    "/kontakt/",
]


@pytest.fixture
def public_urls(seeded):
    return PUBLIC_PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_renders_german_layout_with_landmarks(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    for landmark in ("header", "nav", "main", "footer"):
        assert tag_count(html, landmark) >= 1, landmark
    assert tag_count(html, "h1") == 1
    assert 'href="#main"' in html and "Zum Inhalt springen" in html
    assert "Hauptnavigation" in html and "Über das ISEK" in html
    assert "Rathausstraße 11" in html and "58095 Hagen" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_loads_nothing_from_another_host(client, seeded, url):
    html = client.get(url).content.decode()
    assert foreign_resources(html) == []


MAIN_SECTIONS = ["Ziele", "Maßnahmen", "Termine", "Stadtbezirke", "Beteiligung", "Über das ISEK"]


def main_navigation(html: str) -> str:
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/ziele/", "Ziele"),
        ("/ziele/matrix/", "Ziele"),
        ("/massnahmen/", "Maßnahmen"),
        ("/termine/", "Termine"),
        ("/termine/ablauf/", "Termine"),
        ("/bezirke/", "Stadtbezirke"),
        ("/bezirke/haspe/", "Stadtbezirke"),
        ("/beteiligung/", "Beteiligung"),
        ("/ueber-das-isek/", "Über das ISEK"),
    ],
)
def test_navigation_lists_every_section_and_marks_the_current_one(client, seeded, url, current):
    nav = main_navigation(client.get(url).content.decode())
    links = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    assert links == MAIN_SECTIONS
    assert re.findall(r'aria-current="page">([^<]+)<', nav) == [current]


@pytest.mark.django_db
def test_home_explains_process_and_links_entry_points(client, seeded):
    html = client.get("/").content.decode()
    assert "HAGENplant 2035" in html
    assert "13. Dezember 2018" in html
    for name in ("goals:list", "events:list", "participation:index"):
        assert f'href="{reverse(name)}"' in html


@pytest.mark.django_db
def test_legal_pages_are_editable_flatpages(client, seeded):
    from django.contrib.flatpages.models import FlatPage

    page = FlatPage.objects.get(url="/impressum/")
    page.content = "<p>Geändert durch die Redaktion</p>"
    page.save()
    assert "Geändert durch die Redaktion" in client.get("/impressum/").content.decode()


@pytest.mark.django_db
def test_reseeding_keeps_editor_changes_to_legal_pages(seeded, editor):
    from django.contrib.flatpages.models import FlatPage
    from django.core.management import call_command

    page = FlatPage.objects.get(url="/netiquette/")
    page.content = "Eigene Fassung"
    page._history_user = editor  # as the admin records it
    page.save()
    call_command("seed_portal", verbosity=0)
    assert FlatPage.objects.get(url="/netiquette/").content == "Eigene Fassung"
    assert FlatPage.objects.count() == 5


@pytest.mark.django_db
def test_unknown_page_gets_german_404_in_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html and "<main" in html and '<html lang="de">' in html


@pytest.mark.django_db
def test_server_error_gets_german_500_in_layout(client):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Serverfehler" in html and "<main" in html and "Zum Inhalt springen" in html


def crashing_view(request):
    raise RuntimeError("kaputt")


urlpatterns = [path("kaputt/", crashing_view), *project_urls.urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.test_pages")
def test_crashing_view_answers_german_500():
    response = Client(raise_request_exception=False).get("/kaputt/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Serverfehler" in html and "kaputt" not in html


@pytest.mark.django_db
def test_admin_login_goes_through_site_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_admin_is_closed_to_citizens_with_a_clear_page_not_a_loop(citizen_client):
    response = citizen_client.get("/admin/", follow=True)
    assert len(response.redirect_chain) == 1
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()


@pytest.mark.django_db
def test_page_titles_name_the_site(client, seeded):
    html = client.get("/ziele/").content.decode()
    title = "".join(parse(html).text)
    assert "Strategische Ziele – HAGENplant 2035" in title
