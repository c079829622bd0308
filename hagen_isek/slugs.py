"""Slugs that keep German words readable: „Grünflächen“ becomes gruenflaechen, not grunflachen.

static/js/admin-slugs.js does the same for the slugs the admin fills in while a title is typed."""

import re

from django.db.models import Model
from django.utils.text import slugify

GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
COPY_SUFFIX = re.compile(r"-kopie(-\d+)?$")


def german_slugify(text: str) -> str:
    return slugify(text.translate(GERMAN))


def unique_slug(model: type[Model], text: str, *, exclude_pk=None, max_length: int = 110) -> str:
    """The slug of `text`, with -2, -3 … where another row of `model` already has it."""
    base = german_slugify(text)[:max_length].strip("-")
    others = model._default_manager.exclude(pk=exclude_pk)
    slug, number = base, 2
    while others.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def is_copy_slug(slug: str) -> bool:
    """A slug made by duplicating (…-kopie, …-kopie-2): it follows the title until published."""
    return bool(COPY_SUFFIX.search(slug))
