"""Shared pieces of the widgets: HTML for teaching points and messages (rendered by the shared
Jinja2 partials, always escaped), and a wrapper that turns any error in a callback into a
friendly message plus a server log."""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from backcare_lib import knowledge, render

log = logging.getLogger("backcare_lib.ui")
if not log.handlers:
    # In a kernel, sys.stderr goes to the browser; the process's own stderr (sys.__stderr__)
    # reaches the server's log (Voila's console), which is where errors must be recorded.
    _handler = logging.StreamHandler(sys.__stderr__)
    _handler.setFormatter(logging.Formatter("[BackCare] %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
CSS = "<style>{}</style>".format(
    (Path(__file__).parent.parent / "templates" / "widgets.css").read_text(encoding="utf-8")
)


def block(inner: str) -> str:
    """Wrap HTML (already rendered and escaped) in the kit's styled container."""
    return render.partial("block", inner=inner)


class Localized:
    """A widget that speaks the language and region in force when it was built, in its
    callbacks too: decorate them with :func:`in_locale` (or :func:`safe`, which includes it)."""

    locale: tuple[str, str] = (knowledge.DEFAULT_LANG, knowledge.DEFAULT_REGION)

    def remember_locale(self) -> None:
        self.locale = knowledge.active_locale()


def _locale_of(widget) -> contextlib.AbstractContextManager:
    locale = getattr(widget, "locale", None)
    return knowledge.localized(*locale) if locale else contextlib.nullcontext()


def in_locale(method: Callable) -> Callable:
    """Run a widget's method in the language and region the widget was built in."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with _locale_of(self):
            return method(self, *args, **kwargs)

    return wrapper


def point_html(point_id: str, *, heading: str = "h3") -> str:
    """A teaching point, rendered by the shared ``point`` partial."""
    return render.point(point_id, level=int(heading[1:]))


def points_html(point_ids: Iterable[str]) -> str:
    return render.points(point_ids)


def verdict_html(assessment, *, compact: bool = False) -> str:
    """The triage verdict (the shared ``verdict`` partial): an emergency is an alert.
    ``compact``: only its label and advice (shown beside the answer that changed it)."""
    return render.partial("verdict", assessment=assessment, compact=compact)


def message_html(text: str, kind: str = "note", **options: object) -> str:
    """A short message in the kit's container (the shared ``message`` partial): ``kind`` is its
    class ("error" is an alert); ``role``, ``strong`` and ``lead`` as the partial says."""
    return block(render.partial("message", text=text, kind=kind, **options))


def partial_html(name: str, **context: object) -> str:
    """A shared partial in the kit's container."""
    return block(render.partial(name, **context))


def input_message(err: ValueError, kb=None) -> str:
    """What a person typed wrong, as a sentence: an ``InputError`` in the reader's language
    (its text id in content), any other ValueError as it reads."""
    from backcare_lib.checks import InputError

    message = err.text(kb) if isinstance(err, InputError) else str(err)
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def error_html(message: str | None) -> str:
    """A message beside a field, announced as an alert (empty when there is none)."""
    return render.partial("field_error", text=message) if message else ""


def safe(method: Callable) -> Callable:
    """Decorate a widget's callback method: an unexpected error is logged with its traceback
    on the server (the kernel's log) and shown to the person by ``self.show_error`` as a
    friendly sentence, never as a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with _locale_of(self):
            try:
                return method(self, *args, **kwargs)
            except Exception:
                log.exception("error in %s", method.__qualname__)
                self.show_error(knowledge.active().text("error.friendly"))
                return None

    return wrapper
