"""HTML from the kit's Jinja2 templates, with autoescaping: the one place that turns content
and plans into markup. The dashboard, the lessons and the take-home plan all render the same
partials (``templates/partials/``), so a point, a verdict or a table looks and reads the same
everywhere, and whatever a person typed is always escaped.

Templates name their words by text id (``t("point.sources")``); nothing they show is written in
Python.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from backcare_lib import exercise, isolate, knowledge, schedule


def schedule_svg(sessions) -> str:
    """The first days' chart as base64 SVG (matplotlib is imported only when one is drawn)."""
    return _schedule_svg(tuple(sessions))


@functools.lru_cache(maxsize=32)
def _schedule_svg(sessions: tuple) -> str:
    # In a dashboard kernel the chart is drawn in a short-lived child process, so matplotlib
    # never loads into it (backcare_lib.isolate); the drawing is remembered here either way.
    return isolate.heavy(_draw_schedule_svg, sessions)


def _draw_schedule_svg(sessions: tuple) -> str:
    from backcare_lib import charts

    return charts.svg_base64(charts.schedule_chart(sessions))


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("backcare_lib", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # What the partials may ask the logic for: data and sentences made from content.
    env.globals.update(
        by_day=schedule.by_day,
        describe_times=schedule.describe_times,
        summarize=schedule.summarize,
        stages=exercise.stages,
        times_word=exercise.times_word,
        summarize_activity=exercise.summarize_activity,
        summarize_plank=exercise.summarize_plank,
        schedule_svg=schedule_svg,
    )
    return env


def text_with_markup(kb: knowledge.KnowledgeBase, text_id: str, /, **values: object) -> Markup:
    """The text ``text_id`` escaped, its ``{fields}`` filled with ``values``: a value that is
    already markup (a link made by a partial) goes in as it is, any other value is escaped."""
    template = kb.text(text_id, **{name: "{" + name + "}" for name in values})
    return escape(template).format(**values)


def render(template: str, *, kb: knowledge.KnowledgeBase | None = None, **context: Any) -> str:
    """Render ``templates/<template>`` with ``t`` (text look-up), ``t_markup`` (a text with
    markup filled in, see :func:`text_with_markup`) and ``kb`` in its context."""
    kb = kb or knowledge.active()
    return (
        environment()
        .get_template(template)
        .render(t=kb.text, t_markup=functools.partial(text_with_markup, kb), kb=kb, **context)
    )


def partial(name: str, *, kb: knowledge.KnowledgeBase | None = None, **context: Any) -> str:
    """One partial (``templates/partials/<name>.html.j2``), e.g. ``partial("verdict",
    assessment=a)``."""
    return render(f"partials/{name}.html.j2", kb=kb, **context)


def point(point_id: str, *, kb: knowledge.KnowledgeBase | None = None, level: int = 3) -> str:
    """A teaching point: title, text, the correction of the article, evidence and sources."""
    kb = kb or knowledge.active()
    return partial("point", kb=kb, point=kb.point(point_id), level=level)


def points(point_ids, *, kb: knowledge.KnowledgeBase | None = None, level: int = 3) -> str:
    return "".join(point(p, kb=kb, level=level) for p in point_ids)
