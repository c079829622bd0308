"""The participation admin, one module per concern; importing them registers the admins."""

from . import contributions, evaluation, moderation, rounds

__all__ = ["contributions", "evaluation", "moderation", "rounds"]
