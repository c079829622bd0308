"""Small HTML helpers for tests that look at a page the way a browser would."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def loaded_resources(html: str) -> list[str]:
    """URLs a browser fetches on its own: scripts, styles, images, fonts, frames, media."""
    urls = []
    for tag, attrs in parse(html).tags:
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed"} and attrs.get(
            "src"
        ):
            urls.append(attrs["src"])
        if tag == "link" and attrs.get("rel", "").lower() not in {"canonical", "alternate"}:
            urls.append(attrs.get("href", ""))
        if tag == "object" and attrs.get("data"):
            urls.append(attrs["data"])
    return urls


def foreign_resources(html: str) -> list[str]:
    return [url for url in loaded_resources(html) if urlsplit(url).netloc or url.startswith("//")]


def tag_count(html: str, name: str) -> int:
    return sum(1 for tag, _ in parse(html).tags if tag == name)


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _LinkParser(HTMLParser):
    """Collects (text, href) of the links inside every element that has the given class."""

    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.depth = 0  # > 0 while inside an element with the class
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag in VOID_TAGS:
            return
        if self.depth:
            self.depth += 1
        elif self.css_class in attributes.get("class", "").split():
            self.depth = 1
        if self.depth and tag == "a":
            self._href, self._text = attributes.get("href", ""), []

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def links_in(html: str, css_class: str) -> dict[str, str]:
    """Link text → href of the links inside the element(s) with `css_class`."""
    parser = _LinkParser(css_class)
    parser.feed(html)
    return dict(parser.links)


class FormParser(HTMLParser):
    """What a browser would submit from the form with `form_id`, unchanged."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"}:
                self.add(attrs["name"], attrs.get("value", ""))
            elif "checked" in attrs:
                self.add(attrs["name"], attrs.get("value", "on"))
        elif tag == "select":
            self.select = attrs["name"]
            self.values.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.add(self.textarea, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that Django writes right after <textarea>.
            value = self.values[self.textarea][-1]
            self.values[self.textarea][-1] = value.removeprefix("\r").removeprefix("\n")
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea][-1] += data


def form_values(html: str, form_id: str) -> dict[str, list[str]]:
    parser = FormParser(form_id)
    parser.feed(html)
    return parser.values


def tallies(html: str) -> list[tuple[int, int]]:
    """Each count the page states through includes/tally.html, as (total, hidden)."""
    return [
        (int(total), int(hidden))
        for total, hidden in re.findall(
            r'class="tally-total">(\d+)</strong>.*?class="tally-hidden">(\d+)</span>', html, re.S
        )
    ]


class _LanguageParser(HTMLParser):
    """Each text node of the page with the language it is in (the nearest lang attribute)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = [("", "")]
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in VOID_TAGS or tag in {"wbr", "track", "param"}:
            return
        lang = dict(attrs).get("lang") or self.stack[-1][1]
        self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.texts.append((text, self.stack[-1][1]))


def languages_of(html: str, text: str) -> set[str]:
    """The languages in which `text` (or a text node containing it) appears on the page."""
    parser = _LanguageParser()
    parser.feed(html)
    return {lang for node, lang in parser.texts if text in node}
