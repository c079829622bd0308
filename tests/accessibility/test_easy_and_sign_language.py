"""Leichte Sprache and Gebärdensprache (BITV 2.0 § 4): header links, four topics, videos."""

import struct
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from goals.models import Goal
from hagen_isek import easy_language
from hagen_isek.models import EasyLanguageSection, SignLanguageVideo, Topic

pytestmark = pytest.mark.django_db


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def tiny_mp4(seconds: float) -> bytes:
    """A minimal valid MP4: ftyp and a movie header stating the duration (timescale 1000)."""
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = (
        struct.pack(">B3xIIII", 0, 0, 0, 1000, int(seconds * 1000))
        + struct.pack(">IH", 0x10000, 0x100)
        + b"\0" * 10
        + matrix
        + b"\0" * 24
        + struct.pack(">I", 2)
    )
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    return ftyp + _box(b"moov", _box(b"mvhd", mvhd)) + _box(b"mdat", b"\0" * 2000)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n"


def test_header_links_easy_and_sign_language_on_every_page(client, seeded):
    for url in ["/", "/ziele/", "/en/ziele/", "/konto/login/"]:
        html = client.get(url).content.decode()
        assert 'href="/leichte-sprache/"' in html or 'href="/en/leichte-sprache/"' in html
        assert "Leichte Sprache</a>" in html and "Gebärdensprache</a>" in html
        assert 'class="pictogram"' in html


def test_easy_language_page_covers_the_four_topics_as_editorial_summary(client, seeded):
    html = client.get("/leichte-sprache/").content.decode()
    for topic in Topic:
        assert f'id="{topic.value}"' in html
    assert html.count("Redaktionelle Zusammenfassung") == len(Topic)
    assert "Barriere-Freiheit" in html and "Gebärden-Sprache" in html


def test_seeded_easy_language_texts_keep_the_rules(seeded):
    for section in EasyLanguageSection.objects.all():
        hints = easy_language.check(f"{section.heading}\n{section.body}")
        assert [hint for hint in hints if hint.kind != "negation"] == [], section.topic


def test_reseeding_keeps_an_editors_change(editor_client, seeded):
    from django.core.management import call_command

    section = EasyLanguageSection.objects.get(topic=Topic.CONTENTS)
    response = editor_client.post(
        f"/admin/hagen_isek/easylanguagesection/{section.pk}/change/",
        {
            "topic": section.topic,
            "heading": "Neue Überschrift",
            "body": section.body,
            "is_editorial_summary": "on",
        },
    )
    assert response.status_code == 302
    call_command("seed_portal", stdout=StringIO())
    assert EasyLanguageSection.objects.get(pk=section.pk).heading == "Neue Überschrift"


def test_sign_language_page_without_videos_says_so_and_links_easy_language(client, seeded):
    html = client.get("/gebaerdensprache/").content.decode()
    assert "Es gibt hier noch keine Videos in Gebärden-Sprache." in html
    assert 'href="/leichte-sprache/"' in html
    assert "<video" not in html


def test_uploaded_video_shows_player_captions_transcript_size_and_duration(
    editor_client, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = editor_client.post(
        "/admin/hagen_isek/signlanguagevideo/add/",
        {
            "topic": Topic.CONTENTS,
            "video": SimpleUploadedFile("inhalt.mp4", tiny_mp4(125.4), "video/mp4"),
            "poster": SimpleUploadedFile("inhalt.png", PNG, "image/png"),
            "captions": SimpleUploadedFile("inhalt.vtt", VTT, "text/vtt"),
            "transcript": "Hallo. Hier erklären wir die Seite.",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    video = SignLanguageVideo.objects.get()
    assert video.duration_seconds == 125.4
    assert video.size_bytes == video.video.size
    html = client.get("/gebaerdensprache/").content.decode()
    assert f'<video controls preload="none" poster="{video.poster.url}"' in html
    assert '<track kind="captions" srclang="de"' in html
    assert "Hier erklären wir die Seite." in html
    assert "Dauer 2:05 Minuten" in html and "MP4, 2,1" in html


def test_upload_that_is_no_mp4_is_refused(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = editor_client.post(
        "/admin/hagen_isek/signlanguagevideo/add/",
        {
            "topic": Topic.CONTENTS,
            "video": SimpleUploadedFile("inhalt.mp4", b"not a video at all", "video/mp4"),
            "poster": SimpleUploadedFile("inhalt.png", b"GIF89a", "image/png"),
            "captions": SimpleUploadedFile("inhalt.vtt", b"1\n00:00", "text/vtt"),
            "transcript": "Text",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Das Video muss eine MP4-Datei sein." in html
    assert "Das Vorschaubild muss ein JPEG-, PNG- oder WebP-Bild sein." in html
    assert "WebVTT" in html
    assert not SignLanguageVideo.objects.exists()


def test_goal_easy_text_on_goal_page_and_in_dossier(client, seeded):
    goal = Goal.objects.published().first()
    goal.easy_text = "Das Ziel ist gut für Hagen.\nAlle können mitmachen."
    goal.save()
    page = client.get(goal.get_absolute_url()).content.decode()
    assert 'id="leicht-erklaert"' in page and "Alle können mitmachen." in page
    assert "Redaktionelle Zusammenfassung in Leichter Sprache" in page
    dossier = client.get("/ziele/dossier/").content.decode()
    assert f'id="leicht-erklaert-{goal.slug}"' in dossier


def test_goal_admin_shows_easy_language_hints(editor_client, seeded):
    goal = Goal.objects.published().first()
    goal.easy_text = "Der Plan wird von der Stadt beschlossen."
    goal.save()
    html = editor_client.get(f"/admin/goals/goal/{goal.pk}/change/").content.decode()
    assert "Vielleicht Passiv" in html


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
            "fünfzehn sechzehn.",
            "sentence-length",
        ),
        ("Die Stadtentwicklungsplanung ist wichtig.", "long-word"),
        ("Der Park wird gebaut.", "passive"),
        ("Das Amt könnte helfen.", "subjunctive"),
        ("Das ist nicht schwer.", "negation"),
    ],
)
def test_easy_language_check_finds(text, kind):
    assert [hint.kind for hint in easy_language.check(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt-Entwicklungs-Planung ist wichtig.",
        "Die Stadt·entwicklungs·planung ist wichtig.",
        "Die Stadt baut den Park.",
        "Mehr auf www.hagen.de/sehr-lange-adresse-ohne-ende",
    ],
)
def test_easy_language_check_accepts(text):
    assert easy_language.check(text) == []
