from django import template

from basemap.tiles import tile_file

register = template.Library()


@register.simple_tag
def street_map_available() -> bool:
    """Whether the city has configured its tile file (README, "Street map")."""
    return tile_file() is not None
