"""What a lesson's code cells call to show something Jupyter displays as HTML: a chart with its
summary, or a teaching point. The lessons' teaching text itself is markdown in the notebook,
written from content by ``make lessons`` (backcare_lib.lessons)."""

from __future__ import annotations

from backcare_lib import render
from backcare_lib.ui.common import CSS, block


def _html(inner: str):
    from IPython.display import HTML

    return HTML(CSS + block(inner))


def show(*point_ids: str):
    """Teaching points, each with its evidence note and sources."""
    return _html(render.points(point_ids))


def chart(fig, summary: str):
    """A chart with its one-sentence summary beside it (and as its alt text)."""
    from backcare_lib import charts

    return _html(render.partial("figure", svg=charts.svg_base64(fig), caption=summary))
