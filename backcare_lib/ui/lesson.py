"""What the lesson notebooks call to show the knowledge base: teaching points, a module's
sources, the disclaimer. Each returns an object Jupyter displays as HTML."""

from __future__ import annotations

from backcare_lib import knowledge
from backcare_lib.ui.common import CSS, block, esc, points_html


def _html(inner: str):
    from IPython.display import HTML

    return HTML(CSS + block(inner))


def show(*point_ids: str):
    """Teaching points, each with its evidence note and sources."""
    return _html(points_html(point_ids))


def show_text(text: str):
    return _html(f"<p>{esc(text)}</p>")


def disclaimer():
    return _html(
        f'<p class="note"><strong>Please note:</strong> {esc(knowledge.load().disclaimer)}</p>'
    )


def help_now():
    box = knowledge.load().kit.help_now
    signs = "".join(f"<li>{esc(s)}</li>" for s in box.signs)
    return _html(
        f'<div class="help-now"><strong>{esc(box.title)}</strong><ul>{signs}</ul>'
        f"<p>{esc(box.text)}</p></div>"
    )


def chart(fig, summary: str):
    """A chart with its one-sentence summary beside it (and as its alt text)."""
    from backcare_lib import charts

    return _html(f"{charts.img_html(fig, summary)}<p>{esc(summary)}</p>")


def sources(*module_ids: str):
    """Every reference the module's points cite, in full."""
    kb = knowledge.load()
    keys: list[str] = []
    for module_id in module_ids:
        for point in kb.module(module_id).points:
            keys += [k for k in point.sources if k not in keys]
    items = "".join(f"<li>{esc(kb.reference(k).citation())}</li>" for k in keys)
    return _html(f"<ol>{items}</ol>")
