"""Self-study tools: the schedule planner, the fluid counter and the food finder."""

from __future__ import annotations

import base64
from datetime import datetime, time, timedelta

import ipywidgets as w

from backcare_lib import hydration, knowledge, plan, schedule
from backcare_lib.ui.common import CSS, block, error_html, esc, safe

STYLE = {"description_width": "12em"}


class SchedulePlanner(w.VBox):
    """Start time, wake and bed times -> the ice and heat sessions still to come, and a
    calendar download of them (never reminders in the past). A start more than 3 days ago
    gets a plain note, right under the start field, on what to do now."""

    def __init__(self, *, now=datetime.now) -> None:
        self._now = now
        start = now().replace(second=0, microsecond=0)
        self.start = w.NaiveDatetimePicker(value=start, description="Spasm started", style=STYLE)
        self.wake = w.TimePicker(value=time(7), description="Wake time", style=STYLE)
        self.bedtime = w.TimePicker(value=time(22), description="Bedtime", style=STYLE)
        self.ice_hours = w.Dropdown(
            options=[("2 days (48 hours)", 48), ("3 days (72 hours)", 72)],
            value=72,
            description="Use ice for",
            style=STYLE,
        )
        self.message = w.HTML()
        self.start_note = w.HTML()
        self.result = w.HTML()
        self.sessions: list[schedule.Session] = []
        for field in (self.start, self.wake, self.bedtime, self.ice_hours):
            field.observe(self._changed, names="value")
        super().__init__(
            children=[
                w.HTML(CSS),
                self.start,
                self.start_note,
                self.wake,
                self.bedtime,
                self.ice_hours,
                self.message,
                self.result,
            ]
        )
        self._changed()

    def show_error(self, message: str) -> None:
        self.message.value = error_html(message)

    @safe
    def _changed(self, _change=None) -> None:
        from backcare_lib import charts

        self.start_note.value = ""
        if self.start.value is None or self.wake.value is None or self.bedtime.value is None:
            self.show_error("Please fill in the start, wake and bed times.")
            return
        now = self._now().replace(second=0, microsecond=0)
        try:
            started = plan.check_started(self.start.value, now)
            self.sessions = schedule.resume_schedule(
                started,
                max(started, now),
                ice_hours=self.ice_hours.value,
                wake=self.wake.value,
                bedtime=self.bedtime.value,
            )
        except ValueError as err:
            self.sessions = []
            self.result.value = ""
            message = str(err)[:1].upper() + str(err)[1:]
            self.show_error(message + ("" if message.endswith(".") else "."))
            return
        self.message.value = ""
        words = knowledge.load().self_study.planner
        if now - started > timedelta(days=words.late_after_days):
            steps = "".join(f"<li>{esc(step)}</li>" for step in words.late_steps)
            self.start_note.value = block(
                f'<div class="late" role="status"><strong>{esc(words.late_title)}</strong>'
                f"<ul>{steps}</ul></div>"
            )
        summary = schedule.summarize(self.sessions)
        if not self.sessions:
            self.result.value = block(f"<p>{esc(summary)}</p>")
            return
        ics = base64.b64encode(schedule.to_ics(self.sessions).encode()).decode("ascii")
        self.result.value = block(
            charts.img_html(charts.schedule_chart(self.sessions), summary)
            + f"<p>{esc(summary)}</p>"
            + '<p><a class="download" download="back-care-reminders.ics" '
            + f'href="data:text/calendar;base64,{ics}">Download calendar reminders (.ics)</a> '
            + f"{esc(words.future_only)}</p>"
        )


class FluidCounter(w.VBox):
    """Add drinks through the day; see the total against the rule-of-thumb target."""

    def __init__(self) -> None:
        self.kind = w.Dropdown(
            options=[(label, key) for key, label in hydration.drink_kinds().items()],
            value="water",
            description="Drink",
            style=STYLE,
        )
        self.add = w.Button(description="Add a glass", button_style="primary")
        self.undo = w.Button(description="Remove the last one")
        self.clear = w.Button(description="Start a new day")
        target = hydration.fluid_target()
        self.progress = w.FloatProgress(
            min=0, max=target.glasses, description="Glasses counted", style=STYLE
        )
        self.summary = w.HTML()
        self.drinks: list[tuple[str, float]] = []
        self.add.on_click(lambda _b: self._update(self.drinks + [(self.kind.value, 1)]))
        self.undo.on_click(lambda _b: self._update(self.drinks[:-1]))
        self.clear.on_click(lambda _b: self._update([]))
        super().__init__(
            children=[
                w.HTML(CSS),
                self.kind,
                w.HBox([self.add, self.undo, self.clear]),
                self.progress,
                self.summary,
            ]
        )
        self._update([])

    def show_error(self, message: str) -> None:
        self.summary.value = error_html(message)

    @safe
    def _update(self, drinks) -> None:
        self.drinks = list(drinks)
        tally = hydration.tally(self.drinks)
        self.tally = tally
        self.progress.value = min(tally.counted_glasses, tally.target.glasses)
        flags = "".join(f"<li>{esc(f.reason)}</li>" for f in tally.flags)
        done = (
            "You reached the usual goal."
            if tally.reached
            else (f"{tally.remaining_glasses:g} more to reach the usual goal.")
        )
        self.summary.value = block(
            f'<p role="status">You have had <strong>{tally.total_glasses:g}</strong> drinks; '
            f"{tally.counted_glasses:g} of {tally.target.glasses} glasses count. {done}</p>"
            + (f"<ul>{flags}</ul>" if flags else "")
            + f'<p class="evidence">{esc(tally.target.evidence)}</p>'
        )


class FoodFinder(w.VBox):
    """Foods for calcium or potassium, with the amount in a usual serving."""

    def __init__(self) -> None:
        self.mineral = w.ToggleButtons(
            options=[("Calcium", "calcium"), ("Potassium", "potassium")],
            value="calcium",
            description="Show foods for",
        )
        self.table = w.HTML()
        self.mineral.observe(self._changed, names="value")
        super().__init__(children=[w.HTML(CSS), self.mineral, self.table])
        self._changed()

    def show_error(self, message: str) -> None:
        self.table.value = error_html(message)

    @safe
    def _changed(self, _change=None) -> None:
        foods = hydration.foods_rich_in(self.mineral.value)
        rows = "".join(
            f"<tr><td>{esc(f.name)}</td><td>{esc(f.serving)}</td><td>{f.milligrams} mg</td>"
            f"<td>{f.percent_daily_value}%</td></tr>"
            for f in foods
        )
        self.table.value = block(
            f"<table><caption>Foods for {esc(self.mineral.value)} (USDA figures)</caption>"
            "<thead><tr><th scope='col'>Food</th><th scope='col'>Serving</th>"
            "<th scope='col'>Amount</th><th scope='col'>Of a day's need</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
