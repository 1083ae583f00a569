"""Charts (matplotlib, imported here only): the first days' sessions and the progressions.

Each function returns a matplotlib Figure built with the object-oriented API (no pyplot
state, safe in a server); :func:`to_svg` and :func:`to_png` turn one into bytes. Every chart
has a title and labelled axes, worded in content (``text.yaml``, ``chart.*``); its
one-sentence summary comes from the logic modules. Session lengths come from the sessions
themselves, never from a number written here.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

from matplotlib.figure import Figure

from backcare_lib import exercise, knowledge, schedule

STYLES = {"ice": {"color": "#1f5fa8", "hatch": ""}, "heat": {"color": "#c2410c", "hatch": "//"}}


def _label(ax, chart: str, **values: object) -> None:
    """Title and axis names of ``chart`` from content."""
    t = knowledge.active().text
    ax.set_title(t(f"chart.{chart}.title", **values))
    ax.set_xlabel(t(f"chart.{chart}.x"))
    ax.set_ylabel(t(f"chart.{chart}.y"))


def schedule_chart(sessions: Sequence[schedule.Session]) -> Figure:
    """A timeline: one row per day, time of day across, a bar per ice or heat session."""
    sessions = sorted(sessions)
    days = [d.day for d in schedule.by_day(sessions)]
    fig = Figure(figsize=(7.5, 0.24 * max(len(days), 2) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    t = knowledge.active().text
    seen = set()
    for s in sessions:
        style = STYLES[s.kind]
        ax.barh(
            days.index(s.start.date()),
            s.minutes / 60,
            left=s.start.hour + s.start.minute / 60,
            height=0.6,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="white",
            label=t(f"chart.schedule.{s.kind}", minutes=s.minutes) if s.kind not in seen else None,
        )
        seen.add(s.kind)
    ax.set_yticks(range(len(days)), [knowledge.active().date(d) for d in days])
    ax.invert_yaxis()
    ax.set_xlim(0, 24)
    ax.set_xticks(range(0, 25, 3), [f"{h:02d}:00" for h in range(0, 25, 3)])
    _label(ax, "schedule")
    ax.grid(axis="x", alpha=0.3)
    if seen:
        fig.legend(loc="outside lower center", ncols=2, fontsize="small", frameon=False)
    return fig


def activity_chart(plan: Sequence[exercise.ActivityDay]) -> Figure:
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.bar([d.day for d in plan], [d.minutes for d in plan], color="#2f7d4f")
    _label(ax, "activity", activity=plan[0].label if plan else "", days=len(plan))
    return fig


def plank_chart(steps: Sequence[exercise.PlankStep]) -> Figure:
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.step(
        [s.first_day for s in steps], [s.hold_seconds for s in steps], where="post", color="#6b3fa0"
    )
    _label(ax, "plank")
    ax.set_ylim(0, max((s.hold_seconds for s in steps), default=60) + 10)
    fig.autofmt_xdate()
    return fig


def to_svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def to_png(fig: Figure, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def pain_chart(days: Sequence) -> Figure:
    """Daily average pain (0-10) with the severity bands shaded."""
    fig = Figure(figsize=(7, 3.2), layout="constrained")
    ax = fig.add_subplot()
    t = knowledge.active().text
    for low, high, colour, band in (
        (0, 3.5, "#e9f5ec", "mild"),
        (3.5, 6.5, "#fff8e1", "moderate"),
        (6.5, 10, "#fdecee", "severe"),
    ):
        ax.axhspan(low, high, color=colour, zorder=0)
        ax.text(
            1.01,
            (low + high) / 2,
            t(f"pain.{band}"),
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize="small",
        )
    points = [(d.day, d.pain_mean) for d in days if d.pain_mean is not None]
    if points:
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#1f5fa8")
    ax.set_ylim(0, 10)
    ax.set_yticks(range(0, 11, 2))
    _label(ax, "pain")
    day_axis(ax, [d.day for d in days])
    return fig


def diary_activity_chart(days: Sequence) -> Figure:
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.bar([d.day for d in days], [d.activity_minutes for d in days], color="#2f7d4f", width=0.8)
    _label(ax, "diary_activity")
    top = max((d.activity_minutes for d in days), default=0)
    ax.set_ylim(0, max(10, top * 1.15))
    ax.yaxis.get_major_locator().set_params(integer=True)
    day_axis(ax, [d.day for d in days])
    return fig


MIN_DAYS_SHOWN = 7
MAX_DATE_TICKS = 8


def day_axis(ax, days: Sequence) -> None:
    """A date axis that fits the diary: at least a week wide (one entry shows its day and the
    week ahead, not years), half a day of margin, at most 8 labels, evenly spaced whole days."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator, FuncFormatter

    if not days:
        return
    first = mdates.date2num(min(days))
    shown = max(MIN_DAYS_SHOWN, round(mdates.date2num(max(days)) - first) + 1)
    ax.set_xlim(first - 0.5, first + shown - 0.5)
    step = -(-shown // MAX_DATE_TICKS)
    ax.xaxis.set_major_locator(FixedLocator([first + d for d in range(0, shown, step)]))
    kb = knowledge.active()
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: kb.date(mdates.num2date(x).date(), "day_month"))
    )
    ax.figure.autofmt_xdate()


def svg_base64(fig: Figure) -> str:
    """A chart as base64 SVG, for a ``data:`` URL (the ``figure`` partial shows it)."""
    return base64.b64encode(to_svg(fig)).decode("ascii")
