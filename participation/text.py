"""Render a contribution's plain text as safe HTML: escaped, line breaks kept, links clickable."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Only http(s) URLs become links; quotes and angle brackets end a URL, so nothing can break out
# of the attribute even before escaping.
URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}»“”’"


def _link(url: str) -> tuple[str, str]:
    trailing = ""
    while url and url[-1] in TRAILING_PUNCTUATION:
        # Keep a closing bracket that belongs to the URL, e.g. Wikipedia's "..._(Begriff)".
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        trailing = url[-1] + trailing
        url = url[:-1]
    href = escape(url)
    return f'<a href="{href}" rel="nofollow ugc noopener">{href}</a>', escape(trailing)


def render_comment_text(text: str) -> SafeString:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts: list[str] = []
    position = 0
    for match in URL_RE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        link, trailing = _link(match.group(0))
        parts.append(link + trailing)
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts).replace("\n", "<br>\n"))  # noqa: S308 (every part is escaped)
