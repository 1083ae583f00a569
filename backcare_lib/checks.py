"""Input checks shared by the logic modules (standard library only, cheap to import)."""

from __future__ import annotations

from collections.abc import Iterable


def items_of(value: object, kind: type, what: str) -> list:
    """``value`` as a list, if it is an iterable of ``kind``; else a ValueError naming ``what``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValueError(
            f"{what} must be a list of {kind.__name__} items, got {type(value).__name__}"
        )
    items = list(value)
    if not all(isinstance(item, kind) for item in items):
        raise ValueError(f"{what} must hold only {kind.__name__} items")
    return items
