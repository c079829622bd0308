"""Query cleaning, the SQLite whole-word match and safe highlighting (no database types here).

PostgreSQL searches the stored German vectors (search/queries.py); SQLite, the embedded default,
has no stemming, so there a query word matches the same whole word in any letter case
(casefolded, so „STRASSE“ finds „Straße“ and „ÜBER“ finds „über“).
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
# Markers PostgreSQL's ts_headline puts around a match; private-use characters, so they never
# collide with markup. The text between them is escaped like the rest (see `highlighted`).
START, STOP = "\ue000", "\ue001"
SQLITE_FUNCTION = "isek_has_words"

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CleanQuery:
    text: str  # what is searched and shown in the box again
    words: tuple[str, ...]  # casefolded words, for the SQLite match and highlighting
    was_truncated: bool


def clean_query(raw: str | None) -> CleanQuery:
    """Control characters (NUL included) become spaces, whitespace collapses, the length is
    capped at MAX_QUERY_LENGTH characters and the words at MAX_WORDS."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw or "")
    text = " ".join(text.split())
    was_truncated = len(text) > MAX_QUERY_LENGTH
    if was_truncated:
        text = text[:MAX_QUERY_LENGTH]
        if " " in text:  # don't search for half a word
            text = text.rsplit(" ", 1)[0]
    words = tuple(dict.fromkeys(_WORD.findall(text.casefold())))[:MAX_WORDS]
    return CleanQuery(text=text, words=words, was_truncated=was_truncated)


@lru_cache(maxsize=256)
def _pattern(words_json: str) -> list[re.Pattern]:
    return [re.compile(rf"(?<!\w){re.escape(word)}(?!\w)") for word in json.loads(words_json)]


def has_words(text: str | None, words_json: str) -> bool:
    """SQLite: does `text` contain every word as a whole word, in any letter case?"""
    if not text:
        return False
    folded = text.casefold()
    return all(pattern.search(folded) for pattern in _pattern(words_json))


def register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 2, has_words, deterministic=True)


def highlighted(headline: str) -> SafeString:
    """PostgreSQL's headline with START/STOP markers as HTML: everything escaped, only the
    <mark> tags this function writes are markup (balanced whatever the text contains)."""
    parts = headline.split(START)
    html = [escape(parts[0].replace(STOP, ""))]
    for part in parts[1:]:
        inner, _sep, rest = part.partition(STOP)
        html.append(f"<mark>{escape(inner)}</mark>{escape(rest.replace(STOP, ''))}")
    return mark_safe("".join(html))  # noqa: S308 – every piece of text is escaped above


def snippet(text: str, words: tuple[str, ...], *, length: int = 240) -> SafeString:
    """SQLite: a part of `text` around the first match, the whole-word matches in <mark>."""
    text = " ".join((text or "").split())
    # Casefolding can change the length („ß“ → „ss“): map folded positions back to the text.
    folded, origin = [], []
    for index, char in enumerate(text):
        for folded_char in char.casefold():
            folded.append(folded_char)
            origin.append(index)
    folded_text = "".join(folded)
    origin.append(len(text))
    spans = []
    for word in words:
        for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", folded_text):
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    spans.sort()
    start = 0
    if spans and spans[0][0] > length // 3:
        start = text.rfind(" ", 0, spans[0][0] - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + length // 2)
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        pieces += [text[position:span_start], START, text[span_start:span_end], STOP]
        position = span_end
    pieces.append(text[position:end])
    marked = "".join(pieces)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(escape(prefix) + highlighted(marked) + escape(suffix))  # noqa: S308
