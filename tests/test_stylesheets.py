"""One stylesheet system: colours only in the tokens, stylesheets linked only from base.html."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CSS_DIR = ROOT / "static" / "css"
TEMPLATES = ROOT / "templates"
TOKENS = CSS_DIR / "tokens.css"
PUBLIC_STYLESHEETS = ["tokens.css", "base.css", "components.css", "print.css"]

# CSS named colours (CSS Color Module Level 4); transparent, currentColor and inherit are allowed.
NAMED_COLOURS = {
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
}
COLOUR_FUNCTION = re.compile(r"\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(", re.IGNORECASE)
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")


def declaration_values(css: str) -> list[tuple[str, str]]:
    """(property, value) pairs of a stylesheet, comments and strings removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"\"[^\"]*\"|'[^']*'", '""', css)
    return re.findall(r"([-\w]+)\s*:\s*([^;{}]+)", css)


def colour_literals(css: str) -> list[str]:
    found = []
    for prop, value in declaration_values(css):
        bare = re.sub(r"var\(--[-\w]+", "var(", value)
        words = {word.lower() for word in re.findall(r"[a-zA-Z]+", bare)}
        if HEX.search(bare) or COLOUR_FUNCTION.search(bare) or words & NAMED_COLOURS:
            found.append(f"{prop}: {value.strip()}")
    return found


def test_the_check_finds_colour_literals():
    assert colour_literals(".a { color: #fff; }") == ["color: #fff"]
    assert colour_literals(".a { border: 1px solid rgba(0, 0, 0, 0.5); }")
    assert colour_literals(".a { background: hsl(0 0% 100%); }")
    assert colour_literals(".a { outline: 2px solid White; }")
    assert colour_literals(".a { --x: red; }")
    assert not colour_literals(".a { color: var(--color-white); border: 0 solid transparent; }")
    assert not colour_literals(".a { color: currentColor; background: inherit; }")


@pytest.mark.parametrize(
    "path", sorted(p for p in CSS_DIR.glob("*.css") if p != TOKENS), ids=lambda p: p.name
)
def test_stylesheet_has_no_colour_literal_outside_the_tokens(path):
    assert colour_literals(path.read_text()) == []


def test_tokens_hold_only_custom_properties():
    css = re.sub(r"/\*.*?\*/", "", TOKENS.read_text(), flags=re.DOTALL)
    assert re.fullmatch(r"\s*:root\s*\{[^{}]*\}\s*", css)
    assert all(prop.startswith("--") for prop, _ in declaration_values(css))


def test_every_colour_is_defined_once_in_the_tokens():
    values = [
        value.strip().lower()
        for _, value in declaration_values(TOKENS.read_text())
        if HEX.fullmatch(value.strip()) or COLOUR_FUNCTION.match(value.strip())
    ]
    assert values
    assert len(values) == len(set(values))


def test_base_template_links_the_stylesheets_in_order_with_print_last():
    links = re.findall(r"<link rel=\"stylesheet\"[^>]*>", (TEMPLATES / "base.html").read_text())
    own = [link for link in links if "'css/" in link]
    assert [re.search(r"css/([\w.-]+)", link).group(1) for link in own] == PUBLIC_STYLESHEETS
    assert 'media="print"' in own[-1]


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in TEMPLATES.rglob("*.html")
        if p != TEMPLATES / "base.html" and "admin" not in p.parts
    ),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_page_template_links_no_stylesheet_of_its_own(path):
    html = path.read_text()
    assert not re.search(r"rel=[\"']?stylesheet|<style\b|\sstyle=", html)


def test_public_pages_use_the_stylesheets_of_base_html(client, db):
    html = client.get("/").content.decode()
    linked = re.findall(r"/static/css/([\w-]+)\.(?:[0-9a-f]+\.)?css", html)
    assert linked == [name.removesuffix(".css") for name in PUBLIC_STYLESHEETS]
