"""The README's Layout section names files that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def layout_paths() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0].split("### Roles", 1)[0]
    paths = []
    for row in section.splitlines():
        if not row.startswith("| ") or row.startswith("| concern"):
            continue
        where = row.rsplit("|", 2)[1]
        folder = ""
        for name in re.findall(r"`([^`\s]+)`", where):
            if "/" in name:
                folder = name.rsplit("/", 1)[0] + "/" if not name.endswith("/") else name
                paths.append(name)
            elif name.endswith(".py"):
                paths.append(folder + name)  # `urls.py` beside `hagen_isek/settings.py`
    return paths


def test_layout_section_names_only_existing_files():
    paths = layout_paths()
    assert len(paths) > 20
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert missing == []
