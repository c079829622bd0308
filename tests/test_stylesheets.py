"""One stylesheet system: colours only as variables in tokens.css, stylesheets linked once."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "static" / "css"
COLOUR_LITERAL = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(|"
    r":\s*(?:white|black|red|green|blue|gray|grey|yellow|orange)\b",
    re.IGNORECASE,
)
STYLESHEET_LINK = re.compile(r"<link[^>]+rel=[\"']stylesheet", re.IGNORECASE)


def test_colours_are_defined_only_in_the_tokens():
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(CSS.glob("*.css"))
        if path.name != "tokens.css"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if COLOUR_LITERAL.search(line.split("/*")[0])
    ]
    assert offenders == []


def test_tokens_define_the_colours_as_variables():
    tokens = (CSS / "tokens.css").read_text(encoding="utf-8")
    assert ":root" in tokens and len(re.findall(r"--[\w-]+:\s*#[0-9a-fA-F]{3,8}", tokens)) >= 5


def test_public_pages_get_their_stylesheets_only_from_base_html():
    linking = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if STYLESHEET_LINK.search(path.read_text(encoding="utf-8"))
        and "templates/admin/" not in str(path)
    )
    assert linking == ["templates/base.html"]
