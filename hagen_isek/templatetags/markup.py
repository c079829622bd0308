from django import template
from django.utils.safestring import SafeString

from hagen_isek.markup import render_markdown

register = template.Library()


@register.filter
def markdown_safe(text: str) -> SafeString:
    """An editor's Markdown as sanitised HTML."""
    return render_markdown(text)
