"""Small HTML helpers for tests that look at a page the way a browser would."""

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
