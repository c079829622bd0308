"""Legal pages: editors write Markdown, the page shows sanitised HTML."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

XSS = (
    "## Kontakt\n\n"
    "<script>alert('xss')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[Klick](javascript:alert(2)) und [Stadt Hagen](https://www.hagen.de)\n"
)


@pytest.mark.django_db
def test_legal_page_is_written_in_markdown_and_shown_as_html(client, seeded):
    html = client.get("/impressum/").content.decode()
    assert "<h2>Herausgeberin</h2>" in html
    assert "Rathausstraße 11<br" in html
    assert "##" not in html


@pytest.mark.django_db
def test_script_in_a_legal_page_never_reaches_the_page(client, editor_client, seeded):
    page = FlatPage.objects.get(url="/kontakt/")
    response = editor_client.post(
        reverse("admin:flatpages_flatpage_change", args=[page.pk]),
        {"title": "Kontakt", "content": XSS},
    )
    assert response.status_code == 302
    html = client.get("/kontakt/").content.decode()
    assert "<h2>Kontakt</h2>" in html
    assert '<a href="https://www.hagen.de" rel="noopener noreferrer">Stadt Hagen</a>' in html
    assert "alert" not in html.split('<div class="prose"')[1].split("</div>")[0]
    assert "onerror" not in html and "javascript:" not in html


@pytest.mark.django_db
def test_editor_sees_no_address_site_or_template_fields(editor_client, seeded):
    page = FlatPage.objects.get(url="/impressum/")
    html = editor_client.get(reverse("admin:flatpages_flatpage_change", args=[page.pk])).content
    html = html.decode()
    assert 'name="content"' in html and "kein HTML" in html
    for technical in ("url", "sites", "template_name", "registration_required"):
        assert f'name="{technical}"' not in html
    assert "Vorschau (gespeicherte Fassung)" in html
