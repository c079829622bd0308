"""Long texts that editors write (the legal pages): Markdown in, sanitised HTML out.

Editors type Markdown, never HTML; whatever HTML is in a text anyway (the seed's, or pasted) goes
through nh3 with a short list of tags, so a script or an event handler can never reach a page."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "ul", "ol", "li", "a", "strong", "em", "blockquote", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"https", "http", "mailto", "tel"}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", output_format="html")
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)
