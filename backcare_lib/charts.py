"""Charts (matplotlib, imported here only): the first days' sessions and the progressions.

Each function returns a matplotlib Figure built with the object-oriented API (no pyplot
state, safe in a server); :func:`to_svg` and :func:`to_png` turn one into bytes. Every chart
has a title and labelled axes; its one-sentence summary comes from the logic modules.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

from matplotlib.figure import Figure

from backcare_lib import exercise, schedule

ICE = {"color": "#1f5fa8", "hatch": "", "label": "Ice (20 min)"}
HEAT = {"color": "#c2410c", "hatch": "//", "label": "Moist heat (20 min)"}


def schedule_chart(sessions: Sequence[schedule.Session]) -> Figure:
    """A timeline: one row per day, time of day across, a bar per ice or heat session."""
    days = schedule.by_day(sessions)
    fig = Figure(figsize=(7.5, 0.24 * max(len(days), 2) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    labels = [d.day.strftime("%a %d %b") for d in days]
    seen = set()
    for row, day in enumerate(days):
        for kind, times in (("ice", day.ice), ("heat", day.heat)):
            style = ICE if kind == "ice" else HEAT
            for t in times:
                ax.barh(
                    row,
                    20 / 60,
                    left=t.hour + t.minute / 60,
                    height=0.6,
                    color=style["color"],
                    hatch=style["hatch"],
                    edgecolor="white",
                    label=style["label"] if kind not in seen else None,
                )
                seen.add(kind)
    ax.set_yticks(range(len(days)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 24)
    ax.set_xticks(range(0, 25, 3), [f"{h:02d}:00" for h in range(0, 25, 3)])
    ax.set_xlabel("Time of day")
    ax.set_ylabel("Day")
    ax.set_title("Your first days: ice, then moist heat")
    ax.grid(axis="x", alpha=0.3)
    if seen:
        fig.legend(loc="outside lower center", ncols=2, fontsize="small", frameon=False)
    return fig


def activity_chart(plan: Sequence[exercise.ActivityDay]) -> Figure:
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.bar([d.day for d in plan], [d.minutes for d in plan], color="#2f7d4f")
    label = plan[0].label if plan else "Activity"
    ax.set_title(f"{label}: minutes per session, first 2 weeks")
    ax.set_xlabel("Day")
    ax.set_ylabel("Minutes per session")
    return fig


def plank_chart(steps: Sequence[exercise.PlankStep]) -> Figure:
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.step(
        [s.first_day for s in steps], [s.hold_seconds for s in steps], where="post", color="#6b3fa0"
    )
    ax.set_title("Plank: how long to hold, step by step")
    ax.set_xlabel("Date")
    ax.set_ylabel("Seconds per hold")
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
    for low, high, colour, label in (
        (0, 3.5, "#e9f5ec", "mild"),
        (3.5, 6.5, "#fff8e1", "moderate"),
        (6.5, 10, "#fdecee", "severe"),
    ):
        ax.axhspan(low, high, color=colour, zorder=0)
        ax.text(
            1.01,
            (low + high) / 2,
            label,
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize="small",
        )
    points = [(d.day, d.pain_mean) for d in days if d.pain_mean is not None]
    if points:
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color="#1f5fa8")
    ax.set_ylim(0, 10)
    ax.set_title("Pain each day (average, 0 = none, 10 = worst)")
    ax.set_xlabel("Date")
    ax.set_ylabel("Pain score")
    fig.autofmt_xdate()
    return fig


def diary_activity_chart(days: Sequence) -> Figure:
    fig = Figure(figsize=(7, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.bar([d.day for d in days], [d.activity_minutes for d in days], color="#2f7d4f")
    ax.set_title("Minutes of activity each day")
    ax.set_xlabel("Date")
    ax.set_ylabel("Minutes")
    fig.autofmt_xdate()
    return fig


def img_html(fig: Figure, alt: str) -> str:
    """A chart as an <img> with alt text (an SVG data URL), for HTML widgets and pages."""
    data = base64.b64encode(to_svg(fig)).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}" '
        'style="max-width:100%">'
    )
