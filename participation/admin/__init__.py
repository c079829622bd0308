"""The participation admin, one module per concern; importing them registers the admins."""

from . import accounts, contributions, evaluation, imports, moderation, rounds

__all__ = ["accounts", "contributions", "evaluation", "imports", "moderation", "rounds"]
