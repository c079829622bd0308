"""The public sources (S1, S2, …) that seed texts cite as „Quelle: S1; S16“.

They are the research notes of ../shared/seeds/isek-hagen-facts.md, section 5, kept as data in
hagen_isek/seed/sources.json: fixed facts about published documents, so they live in a file under
version control rather than in the database, and reading them costs no query.
"""

import datetime
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

SOURCES_FILE = Path(__file__).resolve().parent / "seed" / "sources.json"
# "S16", not "S16a" or "GS16": a source id stands alone.
REFERENCE = re.compile(r"(?<![\w-])S(\d{1,3})(?![\w-])")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    date: str  # ISO: a day (2018-02-20), a month (2018-03), a year (2019), or "" when not known
    links: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return self.id.lower()

    @property
    def day(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.date) if len(self.date) == 10 else None

    @property
    def month(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.date + "-01") if len(self.date) == 7 else None

    @property
    def year(self) -> str:
        return self.date if len(self.date) == 4 else ""


@cache
def all_sources() -> dict[str, Source]:
    rows = json.loads(SOURCES_FILE.read_text(encoding="utf-8"))
    return {
        row["id"]: Source(row["id"], row["title"], row["date"], tuple(row["links"])) for row in rows
    }


def referenced_ids(text: str) -> list[str]:
    return [f"S{number}" for number in REFERENCE.findall(text)]


def link_references(text: str) -> SafeString:
    """The text, escaped, with every known source id linked to its entry on the sources page."""
    sources = all_sources()
    page = reverse("sources")
    parts = []
    position = 0
    for match in REFERENCE.finditer(text):
        source = sources.get(match.group(0))
        if source is None:
            continue
        parts.append(conditional_escape(text[position : match.start()]))
        parts.append(format_html('<a href="{}#{}">{}</a>', page, source.anchor, source.id))
        position = match.end()
    parts.append(conditional_escape(text[position:]))
    return mark_safe("".join(parts))
