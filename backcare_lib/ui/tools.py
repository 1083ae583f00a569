"""Self-study tools: the schedule planner, the fluid counter and the food finder."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

import ipywidgets as w

from backcare_lib import hydration, knowledge, plan, schedule
from backcare_lib.ui.common import CSS, error_html, input_message, partial_html, safe

STYLE = {"description_width": "12em"}


class SchedulePlanner(w.VBox):
    """Start time, wake and bed times -> the ice and heat sessions still to come, and a
    calendar download of them (never reminders in the past). A start more than 3 days ago
    gets a plain note, right under the start field, on what to do now."""

    def __init__(self, *, now=datetime.now) -> None:
        self._now = now
        kb = knowledge.active()
        t, rules = kb.text, kb.care.schedule
        start = now().replace(second=0, microsecond=0)
        self.start = w.NaiveDatetimePicker(
            value=start, description=t("planner.started"), style=STYLE
        )
        self.wake = w.TimePicker(
            value=rules.default_wake, description=t("planner.wake"), style=STYLE
        )
        self.bedtime = w.TimePicker(
            value=rules.default_bedtime, description=t("planner.bedtime"), style=STYLE
        )
        self.ice_hours = w.Dropdown(
            options=[
                (t("planner.ice_hours", days=h // 24, hours=h), h)
                for h in (schedule.MIN_ICE_HOURS, schedule.MAX_ICE_HOURS)
            ],
            value=rules.ice_phase_hours,
            description=t("planner.ice_for"),
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
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)
        self._changed()

    def show_error(self, message: str) -> None:
        self.message.value = error_html(message)

    @safe
    def _changed(self, _change=None) -> None:
        self.start_note.value = ""
        if self.start.value is None or self.wake.value is None or self.bedtime.value is None:
            self.show_error(knowledge.active().text("planner.missing"))
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
            self.show_error(input_message(err))
            return
        self.message.value = ""
        late_after = knowledge.active().self_study.planner.late_after_days
        if now - started > timedelta(days=late_after):
            self.start_note.value = partial_html("late_note")
        ics = ""
        if self.sessions:  # with the 2- and 6-week check-ups still to come
            reviews = schedule.reviews(started, now, wake=self.wake.value)
            text = schedule.to_ics(self.sessions, reviews=reviews)
            ics = base64.b64encode(text.encode()).decode("ascii")
        self.result.value = partial_html("planner_result", sessions=self.sessions, ics=ics)


class FluidCounter(w.VBox):
    """Add drinks through the day; see the total against the rule-of-thumb target."""

    def __init__(self) -> None:
        t = knowledge.active().text
        self.kind = w.Dropdown(
            options=[(label, key) for key, label in hydration.drink_kinds().items()],
            value="water",
            description=t("fluids.drink"),
            style=STYLE,
        )
        self.add = w.Button(description=t("fluids.add"), button_style="primary")
        self.undo = w.Button(description=t("fluids.undo"))
        self.clear = w.Button(description=t("fluids.new_day"))
        target = hydration.fluid_target()
        self.progress = w.FloatProgress(
            min=0, max=target.glasses, description=t("fluids.counted"), style=STYLE
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
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)
        self._update([])

    def show_error(self, message: str) -> None:
        self.summary.value = error_html(message)

    @safe
    def _update(self, drinks) -> None:
        self.drinks = list(drinks)
        tally = hydration.tally(self.drinks)
        self.tally = tally
        self.progress.value = min(tally.counted_glasses, tally.target.glasses)
        self.summary.value = partial_html("fluid_tally", tally=tally)


class FoodFinder(w.VBox):
    """Foods for calcium or potassium, with the amount in a usual serving."""

    def __init__(self) -> None:
        t = knowledge.active().text
        self.mineral = w.ToggleButtons(
            options=[(t(f"mineral.{m}").capitalize(), m) for m in ("calcium", "potassium")],
            value="calcium",
            description=t("food_finder.show_for"),
        )
        self.table = w.HTML()
        self.mineral.observe(self._changed, names="value")
        super().__init__(children=[w.HTML(CSS), self.mineral, self.table])
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)
        self._changed()

    def show_error(self, message: str) -> None:
        self.table.value = error_html(message)

    @safe
    def _changed(self, _change=None) -> None:
        foods = hydration.foods_rich_in(self.mineral.value)
        self.table.value = partial_html("food_finder", mineral=self.mineral.value, foods=foods)
