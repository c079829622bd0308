"""The participation admin, one module per concern; importing them registers the admins."""

from . import contributions, evaluation, imports, moderation, rounds

__all__ = ["contributions", "evaluation", "imports", "moderation", "rounds"]
