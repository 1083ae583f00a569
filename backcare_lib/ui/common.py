"""Shared pieces of the widgets: HTML for teaching points and messages (always escaped),
and a wrapper that turns any error in a callback into a friendly message plus a server log."""

from __future__ import annotations

import functools
import html
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from backcare_lib import knowledge

log = logging.getLogger("backcare_lib.ui")
if not log.handlers:
    # In a kernel, sys.stderr goes to the browser; the process's own stderr (sys.__stderr__)
    # reaches the server's log (Voila's console), which is where errors must be recorded.
    _handler = logging.StreamHandler(sys.__stderr__)
    _handler.setFormatter(logging.Formatter("[BackCare] %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
FRIENDLY_ERROR = (
    "Sorry, something went wrong on our side. Nothing you typed was lost. "
    "Please try again, or start again for a new patient."
)

CSS = "<style>{}</style>".format(
    (Path(__file__).parent.parent / "templates" / "widgets.css").read_text(encoding="utf-8")
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def block(inner: str) -> str:
    """Wrap HTML in the kit's styled container."""
    return f'<div class="bc">{inner}</div>'


def point_html(point_id: str, *, heading: str = "h3") -> str:
    """A teaching point: title, text, the article's claim it corrects, evidence and sources."""
    kb = knowledge.load()
    point = kb.point(point_id)
    parts = [f"<{heading}>{esc(point.title)}</{heading}>", f"<p>{esc(point.text)}</p>"]
    if point.correction:
        parts.append(
            '<div class="correction"><strong>The article we teach from says:</strong> '
            f"“{esc(point.correction.article_says)}” <strong>Safer:</strong> "
            f"{esc(point.correction.instead)}</div>"
        )
    parts.append(f'<p class="evidence">{evidence_html(point_id)}</p>')
    cites = "; ".join(esc(ref.citation(short=True)) for ref in kb.sources_of(point_id))
    parts.append(f'<p class="sources">Sources: {cites}</p>')
    return f'<div class="point">{"".join(parts)}</div>'


def evidence_html(point_id: str) -> str:
    """The evidence label and note, without saying the label twice."""
    kb = knowledge.load()
    label, note = kb.evidence_label(point_id), kb.point(point_id).evidence
    if note.lower().startswith(label.lower()):
        return f"<strong>Evidence:</strong> {esc(note)}"
    return f"<strong>{esc(label)}.</strong> {esc(note)}"


def points_html(point_ids: Iterable[str]) -> str:
    return "".join(point_html(p) for p in point_ids)


def verdict_html(assessment) -> str:
    """The triage verdict. An emergency is a full-width alert that screen readers announce."""
    level = assessment.level.value
    reasons = "".join(f"<li>{esc(r)}</li>" for r in assessment.reasons)
    reasons_html = f"<p>Because you said:</p><ul>{reasons}</ul>" if reasons else ""
    role = ' role="alert" aria-live="assertive"' if assessment.is_emergency else ' role="status"'
    return (
        f'<div class="{level}"{role}><strong>{esc(assessment.label)}</strong>'
        f"<p>{esc(assessment.advice)}</p>{reasons_html}</div>"
    )


def error_html(message: str | None) -> str:
    if not message:
        return ""
    return f'<span class="bc"><span class="error" role="alert">{esc(message)}</span></span>'


def safe(method: Callable) -> Callable:
    """Decorate a widget's callback method: an unexpected error is logged with its traceback
    on the server (the kernel's log) and shown to the person by ``self.show_error`` as a
    friendly sentence, never as a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception:
            log.exception("error in %s", method.__qualname__)
            self.show_error(FRIENDLY_ERROR)
            return None

    return wrapper
