"""The clinician's walkthrough for Voila (app/dashboard.ipynb shows ``Dashboard()``).

Six steps with Back / Next and a step indicator; any step can be opened directly. The first
view is built from value widgets only (no Output): writing to an Output while Voila runs the
notebook hangs a share of page loads (docs/architecture.md). Everything typed stays in this kernel's
memory; nothing is written to disk, and "Start again" clears it.
"""

from __future__ import annotations

from datetime import datetime

import ipywidgets as w

from backcare_lib import knowledge, plan
from backcare_lib.ui import steps
from backcare_lib.ui.common import CSS, block, esc, safe
from backcare_lib.ui.profile_form import ProfileForm
from backcare_lib.ui.redflags import RedFlagChecklist

WELCOME, SAFETY, ABOUT, FIRST_DAYS, MOVING, PLAN = range(6)


class Dashboard(w.VBox):
    def __init__(self, *, now=datetime.now) -> None:
        self._now = now
        text = knowledge.load().dashboard
        self.titles = [s.title for s in text.steps]
        self.banner = w.HTML()  # the emergency message, above every step
        self.status = w.HTML()
        self.step_picker = w.ToggleButtons(
            description="Go to step",
            options=[(f"{i + 1}. {t}", i) for i, t in enumerate(self.titles)],
            value=WELCOME,
            style={"button_width": "auto"},
        )
        self.back = w.Button(description="Back", tooltip="Previous step", disabled=True)
        self.next = w.Button(description="Next", tooltip="Next step", button_style="primary")
        self.restart = w.Button(
            description="Start again for a new patient",
            tooltip="Clear everything entered",
            layout=w.Layout(width="auto"),
        )
        self.checklist = RedFlagChecklist(on_change=self._flags_changed)
        self.form = ProfileForm(now=now, on_change=self._profile_changed)
        self.panels = {
            WELCOME: w.HTML(steps.welcome_html()),
            SAFETY: w.VBox([w.HTML(block(steps.step_header(SAFETY))), self.checklist]),
            ABOUT: w.VBox([w.HTML(block(steps.step_header(ABOUT))), self.form]),
            FIRST_DAYS: w.HTML(),
            MOVING: w.HTML(),
            PLAN: w.VBox([w.HTML(), w.HTML()]),
        }
        self.stack = w.Stack(children=[self.panels[i] for i in range(6)], selected_index=WELCOME)
        self.plan: plan.CarePlan | None = None
        self._stale = set(range(FIRST_DAYS, PLAN + 1))

        self.step_picker.observe(self._picked, names="value")
        self.back.on_click(lambda _b: self.go(self.step - 1))
        self.next.on_click(lambda _b: self.go(self.step + 1))
        self.restart.on_click(lambda _b: self.reset())
        nav = w.HBox([self.back, self.next, self.restart])
        title = w.HTML(block(f"<h1>{esc(text.title)}</h1>"))
        super().__init__(
            children=[
                w.HTML(CSS),
                title,
                self.banner,
                self.step_picker,
                self.stack,
                self.status,
                nav,
            ]
        )
        self.add_class("bc-dashboard")

    # -- state ----------------------------------------------------------------------------
    @property
    def step(self) -> int:
        return self.stack.selected_index

    @property
    def assessment(self):
        return self.checklist.assessment

    def show_error(self, message: str) -> None:
        self.status.value = block(f'<p class="error" role="alert">{esc(message)}</p>')

    @safe
    def go(self, index: int) -> None:
        index = max(WELCOME, min(PLAN, index))
        if self.step_picker.value != index:
            self.step_picker.value = index  # calls back into _picked
            return
        self.status.value = ""
        self._render(index)
        self.stack.selected_index = index
        self.back.disabled = index == WELCOME
        self.next.disabled = index == PLAN or (index >= SAFETY and self.assessment.is_emergency)

    def reset(self) -> None:
        """Start again for a new patient: clear every answer and go back to the start."""
        self.checklist.reset()
        self.form.reset()
        self.plan = None
        self.panels[PLAN].children[1].value = ""
        self.banner.value = ""
        self._stale = set(range(FIRST_DAYS, PLAN + 1))
        self.go(WELCOME)

    # -- callbacks ------------------------------------------------------------------------
    def _picked(self, change) -> None:
        self.go(change["new"])

    @safe
    def _flags_changed(self, assessment) -> None:
        self.banner.value = steps.not_offered_html(assessment) if assessment.is_emergency else ""
        self.next.disabled = self.step == PLAN or assessment.is_emergency
        self._invalidate()

    @safe
    def _profile_changed(self) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        self.plan = None
        self._stale = set(range(FIRST_DAYS, PLAN + 1))
        if self.step >= FIRST_DAYS:
            self._render(self.step)

    # -- rendering ------------------------------------------------------------------------
    def _current_plan(self) -> plan.CarePlan | None:
        if self.plan is None:
            profile = self.form.profile(red_flags=self.checklist.value)
            if profile is not None:
                self.plan = plan.build_plan(profile, now=self._now())
        return self.plan

    def _render(self, index: int) -> None:
        if index < FIRST_DAYS or index not in self._stale:
            return
        if self.assessment.is_emergency:
            self._set_panel(index, steps.not_offered_html(self.assessment, step=index))
            return
        care_plan = self._current_plan()
        if care_plan is None:
            message = esc(knowledge.load().dashboard.fix_fields)
            self._set_panel(index, block(f'<p class="error" role="alert">{message}</p>'))
            return
        if index == FIRST_DAYS:
            html = (
                steps.first_days_html(care_plan)
                if care_plan.self_care
                else steps.not_offered_html(care_plan.assessment, step=index)
            )
        elif index == MOVING:
            html = (
                steps.moving_html(care_plan)
                if care_plan.self_care
                else steps.not_offered_html(care_plan.assessment, step=index)
            )
        else:
            html = steps.plan_html(care_plan)
            self.panels[PLAN].children[1].value = steps.downloads_html(care_plan)
        self._set_panel(index, html)
        self._stale.discard(index)

    def _set_panel(self, index: int, html: str) -> None:
        panel = self.panels[index]
        target = panel.children[0] if isinstance(panel, w.VBox) else panel
        target.value = html
        if index == PLAN and (self.assessment.is_emergency or self.plan is None):
            panel.children[1].value = ""
