from django import template
from django.utils.safestring import SafeString

from hagen_isek.sources import link_references

register = template.Library()


@register.filter
def linked_sources(text: str) -> SafeString:
    """„Quelle: S1; S16“ with S1 and S16 linked to the sources page."""
    return link_references(text or "")
