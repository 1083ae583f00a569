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


def whole_number(name: str, value: object, low: int | None = None, high: int | None = None) -> int:
    """``value`` if it is a whole number (not a bool) within ``low``..``high`` (either may be
    open); else a ValueError naming ``name``, the allowed range and the value given."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        if low is not None and high is not None:
            allowed = f"from {low} to {high}"
        elif low is not None:
            allowed = f"of {low} or more"
        elif high is not None:
            allowed = f"of {high} or less"
        else:
            allowed = "(an int)"
        raise ValueError(f"{name} must be a whole number {allowed}, got {value!r}")
    return value


class InputError(ValueError):
    """Something a person typed is not allowed. It carries the id of its message in content
    (``text.yaml``, under ``input.``) and the values to fill in, so a page can show it in the
    reader's language with :meth:`text`; ``str()`` gives the base (English) message."""

    def __init__(self, text_id: str, /, **values: object) -> None:
        self.text_id = text_id
        self.values = values
        super().__init__(text_id, values)

    def text(self, kb=None) -> str:
        from backcare_lib import knowledge

        kb = kb or knowledge.active()
        values = {
            k: kb.texts.get(f"input.field.{str(v).replace(' ', '_')}", v) if k == "field" else v
            for k, v in self.values.items()
        }
        return kb.text(self.text_id, **values)

    def __str__(self) -> str:
        return self.text()
