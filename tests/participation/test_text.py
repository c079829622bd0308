"""Contribution text: escaped, line breaks kept, only http(s) links clickable and marked ugc."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participation.text import render_comment_text
from tests.html import parse

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">klick</a>',
    'http://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>alert(1)</script>",
    "http://example.org/'><img src=x onerror=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<body onload=alert(1)>",
    'https://example.org/?q=<b>fett</b>&x="y"',
]


def tags_and_attributes(html: str) -> list[tuple[str, dict]]:
    return parse(html).tags


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_comes_out_inert(payload):
    html = render_comment_text(payload)
    for tag, attrs in tags_and_attributes(html):
        assert tag in {"a", "br"}, html
        if tag == "a":
            assert set(attrs) == {"href", "rel"}, html
            assert attrs["href"].startswith(("http://", "https://"))
            assert attrs["rel"] == "nofollow ugc noopener"


@given(st.text(max_size=300))
def test_any_text_produces_only_links_and_line_breaks(text):
    for tag, attrs in tags_and_attributes(render_comment_text(text)):
        assert tag in {"a", "br"}
        if tag == "a":
            assert attrs["href"].lower().startswith(("http://", "https://"))


def test_line_breaks_are_kept():
    assert render_comment_text("Erste Zeile\r\nZweite Zeile") == "Erste Zeile<br>\nZweite Zeile"


def test_links_are_clickable_without_trailing_punctuation():
    html = render_comment_text("Siehe https://www.hagen.de/isek. Danke!")
    assert (
        '<a href="https://www.hagen.de/isek" rel="nofollow ugc noopener">'
        "https://www.hagen.de/isek</a>. Danke!"
    ) in html


def test_ampersands_in_links_are_escaped_once():
    html = render_comment_text("https://example.org/?a=1&b=2")
    assert 'href="https://example.org/?a=1&amp;b=2"' in html
