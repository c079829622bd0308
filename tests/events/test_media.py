"""Uploaded event documentation is served under /media/ in every run, DEBUG off included, and
the README says how a proxy serves it instead."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches

from events.models import EventDocument

from .conftest import local, make_event

PDF = b"%PDF-1.4\n% Werkstattprotokoll\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def protocol(media_root, db) -> EventDocument:
    event = make_event("werkstatt", starts_at=local(2018, 6, 5, 18))
    return event.documents.create(
        title="Protokoll", file=SimpleUploadedFile("protokoll-2018.pdf", PDF)
    )


def test_uploaded_document_is_served_with_debug_off(client, settings, protocol):
    assert settings.DEBUG is False
    html = client.get(protocol.event.get_absolute_url()).content.decode()
    assert protocol.file.url in html
    response = client.get(protocol.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="protokoll-2018.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_missing_file_and_paths_outside_media_answer_404(client, media_root, protocol):
    (media_root.parent / "secret.txt").write_text("geheim")
    assert client.get("/media/events/werkstatt/fehlt.pdf").status_code == 404
    assert client.get("/media/../secret.txt").status_code == 404
    assert client.get("/media/%2e%2e/secret.txt").status_code == 404


def test_conditional_request_answers_304(client, protocol):
    first = client.get(protocol.file.url)
    again = client.get(protocol.file.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_proxy_can_take_over_media(client, protocol):
    with override_settings(SERVE_MEDIA=False, ROOT_URLCONF="hagen_isek.urls"):
        import importlib

        import hagen_isek.urls

        clear_url_caches()
        importlib.reload(hagen_isek.urls)
        try:
            assert client.get(protocol.file.url).status_code == 404
        finally:
            clear_url_caches()
    importlib.reload(hagen_isek.urls)
    clear_url_caches()
    assert client.get(protocol.file.url).status_code == 200


def test_readme_documents_production_media_serving():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Uploaded files", 1)[1].split("\n## ", 1)[0]
    assert "DJANGO_SERVE_MEDIA" in section
    assert re.search(r"location /media/", section)
