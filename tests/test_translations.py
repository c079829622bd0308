"""Both catalogs are complete: no English reaches German readers, no gap the English ones.

The msgids are English, so `make messages` fills the English catalog with msgstr = msgid; a
missing or fuzzy English entry means that step was skipped."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["de", "en"]
CATALOG_PATH = Path("hagen_isek") / "locale" / "de" / "LC_MESSAGES" / "django.po"


def catalog_path(language: str) -> Path:
    return Path("hagen_isek") / "locale" / language / "LC_MESSAGES" / "django.po"


NOT_SCANNED = [".venv", "var", ".git", "static", "bench", "tests", "node_modules"]


def catalog_entries(path: Path) -> list[dict]:
    """Parse a .po file into entries with msgid, flags and the list of msgstr values."""
    entries: list[dict] = []
    flags, current, field = "", None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            flags = line
            continue
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            field, value = match.groups()
            if field == "msgid":
                current = {"flags": flags, "msgid": value, "msgstr": []}
                entries.append(current)
                flags = ""
            elif field.startswith("msgstr"):
                current["msgstr"].append(value)
        elif line.startswith('"') and current is not None:
            if field == "msgid":
                current["msgid"] += line[1:-1]
            elif field and field.startswith("msgstr"):
                current["msgstr"][-1] += line[1:-1]
    return [entry for entry in entries if entry["msgid"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_missing_or_fuzzy_entries(language):
    entries = catalog_entries(ROOT / catalog_path(language))
    assert len(entries) > 50
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    missing = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"])]
    assert fuzzy == [], f"fuzzy: {fuzzy}"
    assert missing == [], f"untranslated: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_covers_every_string_in_code(language, tmp_path, settings):
    """makemessages over a copy of the code finds no msgid that the shipped catalog lacks."""
    work = tmp_path / "project"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(*NOT_SCANNED, "*.mo", "__pycache__"))
    # makemessages writes into LOCALE_PATHS: point it at the copy, never at the shipped catalog.
    settings.LOCALE_PATHS = [work / "hagen_isek" / "locale"]
    cwd = os.getcwd()
    os.chdir(work)
    try:
        call_command(
            "makemessages",
            locale=[language],
            no_obsolete=True,
            no_location=True,
            verbosity=0,
            ignore_patterns=NOT_SCANNED,
        )
    finally:
        os.chdir(cwd)
    shipped = {e["msgid"] for e in catalog_entries(ROOT / catalog_path(language))}
    found = {e["msgid"] for e in catalog_entries(work / catalog_path(language))}
    assert found - shipped == set(), "run `make messages` and translate the new strings"


def test_german_uses_formal_sie():
    german = " ".join(" ".join(e["msgstr"]) for e in catalog_entries(ROOT / CATALOG_PATH))
    informal = re.findall(r"\b(du|dich|dein|deine|deinen|dir)\b", german, flags=re.IGNORECASE)
    assert informal == []
