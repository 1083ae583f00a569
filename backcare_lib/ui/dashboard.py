"""The clinician's walkthrough for Voila (app/dashboard.ipynb shows ``Dashboard()``).

The steps, their order and what each shows are declared in ``content/dashboard.yaml`` and found
by id, never by position. Back / Next and a step indicator; any step can be opened directly.
The first view is built from value widgets only (no Output): writing to an Output while Voila
runs the notebook hangs a share of page loads (docs/architecture.md). Everything typed stays in
this kernel's memory; nothing is written to disk, and "Start again" clears it.

Language and region: chosen on the Welcome step (the ``language_choice`` tool), or from the
address (``?lang=es&region=uk``, read by ``backcare_lib.ui.address``), else the server's default
(the ``BACKCARE_LANG`` and ``BACKCARE_REGION`` environment variables of the Voila server), else
English for an international reader. Switching keeps everything typed and answered.
"""

from __future__ import annotations

import gc
from datetime import datetime

import ipywidgets as w

from backcare_lib import handout, isolate, knowledge, plan, render, triage
from backcare_lib.ui import address, steps
from backcare_lib.ui.common import CSS, Localized, safe
from backcare_lib.ui.profile_form import ProfileForm
from backcare_lib.ui.redflags import SafetyCheck
from backcare_lib.ui.step_focus import StepFocus


def _close_tree(widget: w.Widget) -> None:
    """Close a widget and its children (their views leave the page, their comms the kernel)."""
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()


class Dashboard(Localized, w.VBox):
    def __init__(
        self, *, now=datetime.now, lang: str | None = None, region: str | None = None
    ) -> None:
        self._now = now
        default_lang, default_region = address.server_default()
        self.locale = (
            knowledge.check_lang(lang or default_lang),
            knowledge.check_region(region or default_region),
        )
        # This kernel lives for the whole visit: heavy drawing (the chart, the PDF) happens in
        # short-lived child processes, so matplotlib and WeasyPrint never stay in it.
        isolate.enabled = True
        super().__init__()
        self.add_class("bc-dashboard")
        self.plan: plan.CarePlan | None = None
        with knowledge.localized(*self.locale):
            self._build()

    @property
    def lang(self) -> str:
        return self.locale[0]

    @property
    def region(self) -> str:
        return self.locale[1]

    def _build(self, focus: str = "") -> None:
        """Build every child in the language and region in force; ``focus``: a CSS selector of
        the control the keyboard focus goes to once the new page shows."""
        kb = knowledge.active()
        t = kb.text
        self.content = kb.dashboard
        self.step_ids = list(self.content.step_ids)
        self.banner = w.HTML()  # the emergency message, above every step
        self.banner.add_class("bc-banner")
        self.status = w.HTML()
        self.step_picker = w.ToggleButtons(
            description=t("dashboard.step_picker"),
            options=[
                (t("dashboard.step_button", n=i + 1, title=s.title), s.id)
                for i, s in enumerate(self.content.steps)
            ],
            value=self.step_ids[0],
            style={"button_width": "auto"},
        )
        self.back = w.Button(
            description=t("dashboard.back"), tooltip=t("dashboard.back_tip"), disabled=True
        )
        self.next = w.Button(
            description=t("dashboard.next"), tooltip=t("dashboard.next_tip"), button_style="primary"
        )
        self.restart = w.Button(
            description=t("dashboard.restart"), tooltip=t("dashboard.restart_tip")
        )
        self.next.add_class("bc-next")
        self.restart.add_class("bc-restart")
        self.step_picker.add_class("bc-step-picker")
        self.take_home = self._take_home(t)
        self.form = ProfileForm(now=self._now, on_change=self._profile_changed)
        # The safety check (36 questions, about 300 widgets) is built when its step first
        # opens, so the first view stays as light as it was before the check grew.
        self._checklist: SafetyCheck | None = None
        self.language = w.Dropdown(
            description=t("choose.language"),
            options=[(t(f"choose.language_name.{code}"), code) for code in knowledge.LANGUAGES],
            value=kb.lang,
            style={"description_width": "initial"},
        )
        self.region_picker = w.Dropdown(
            description=t("choose.region"),
            options=[(knowledge.load(kb.lang, r).region_info.name, r) for r in knowledge.REGIONS],
            value=kb.region,
            style={"description_width": "initial"},
        )
        self.language.add_class("bc-language")
        self.region_picker.add_class("bc-region")
        self.language.observe(self._locale_picked, names="value")
        self.region_picker.observe(self._locale_picked, names="value")
        chooser = w.HBox([self.language, self.region_picker])
        chooser.add_class("bc-locale")
        tools = {"safety_check": None, "profile_form": self.form}
        self.panels: dict[str, w.Widget] = {}
        self._check_step: str | None = None
        for step in self.content.steps:
            tool_id = next((b.tool for b in step.blocks if b.tool in tools), None)
            if any(b.tool == "language_choice" for b in step.blocks):
                # The step's own blocks, then the language and region choice under them.
                self.panels[step.id] = w.VBox([w.HTML(steps.step_html(step.id)), chooser])
            elif tool_id is not None:
                tool = tools[tool_id]
                header = w.HTML(steps.step_header(step.id))
                self.panels[step.id] = w.VBox([header] if tool is None else [header, tool])
                if tool_id == "safety_check":
                    self._check_step = step.id
            elif step.uses_plan == "any":
                files = any(b.part == "downloads" for b in step.blocks)
                self.panels[step.id] = w.VBox([w.HTML(), self.take_home if files else w.HTML()])
            elif step.uses_plan == "self_care":
                self.panels[step.id] = w.HTML()
            else:
                self.panels[step.id] = w.HTML(steps.step_html(step.id))
        self.stack = w.Stack(children=[self.panels[i] for i in self.step_ids], selected_index=0)
        self.stack.add_class("bc-steps")
        # Back, Next and Start again bring the new step's top into view and focus its heading.
        self.step_focus = StepFocus(focus=focus)
        self._stale = set(self._plan_steps)

        self.step_picker.observe(self._picked, names="value")
        self.back.on_click(lambda _b: self.go(self._offset(-1), reveal=True))
        self.next.on_click(lambda _b: self.go(self._offset(+1), reveal=True))
        self.restart.on_click(lambda _b: self.reset())
        nav = w.HBox([self.back, self.next, self.restart])
        nav.add_class("bc-nav")  # the layout CSS (widgets.css) finds the parts by these names
        title = w.HTML(steps.block(render.partial("title", text=self.content.title)))
        title.add_class("bc-no-print")
        self.children = [
            w.HTML(CSS),
            title,
            self.banner,
            self.step_picker,
            self.stack,
            self.status,
            nav,
            self.step_focus,
        ]
        self.add_class("bc-ui")
        # The page's <html lang> follows the language class (see the backcare Voila template).
        for code in knowledge.LANGUAGES:
            self.remove_class(f"bc-lang-{code}")
        for code in knowledge.REGIONS:
            self.remove_class(f"bc-region-{code}")
        self.add_class(f"bc-lang-{kb.lang}")
        self.add_class(f"bc-region-{kb.region}")

    @property
    def checklist(self) -> SafetyCheck:
        """The safety check, built (and put on its step) the first time anything needs it."""
        if self._checklist is None:
            with knowledge.localized(*self.locale):
                self._checklist = SafetyCheck(on_change=self._flags_changed)
            if self._check_step is not None:
                panel = self.panels[self._check_step]
                panel.children = (*panel.children, self._checklist)
            self._checklist.set_facts(**self.form.facts())  # age, area, days: the check needs them
        return self._checklist

    def _take_home(self, t) -> w.VBox:
        """One button per take-home file: it makes the file when pressed and then offers it
        as a download beside the button. Nothing is made before someone asks."""
        self.make_buttons: dict[str, w.Button] = {}
        self.links: dict[str, w.HTML] = {}
        rows: list[w.Widget] = [w.HTML(steps.block(render.partial("downloads")))]
        for fmt in handout.FORMATS:
            button = w.Button(description=t(f"make.{fmt}"), layout=w.Layout(width="auto"))
            button.add_class(f"bc-make-{fmt}")
            button.on_click(lambda _b, fmt=fmt: self.make_file(fmt))
            self.make_buttons[fmt] = button
            self.links[fmt] = w.HTML()
            rows.append(w.HBox([button, self.links[fmt]], layout=w.Layout(align_items="center")))
        box = w.VBox(rows, layout=w.Layout(display="none"))
        box.add_class("bc-take-home")
        box.add_class("bc-no-print")  # Print gives the plan, not the buttons that make files
        return box

    # -- state ----------------------------------------------------------------------------
    @property
    def step(self) -> str:
        """The id of the step on show."""
        return self.step_ids[self.stack.selected_index]

    @property
    def _plan_steps(self) -> list[str]:
        return [s.id for s in self.content.steps if s.uses_plan != "no"]

    @property
    def _last(self) -> str:
        return self.step_ids[-1]

    def _offset(self, by: int) -> str:
        index = self.step_ids.index(self.step) + by
        return self.step_ids[max(0, min(len(self.step_ids) - 1, index))]

    @property
    def assessment(self):
        if self._checklist is None:  # not opened yet: nothing is answered
            return triage.assess({}, **self.form.facts())
        return self._checklist.assessment

    def show_error(self, message: str) -> None:
        self.status.value = steps.block(render.partial("message", text=message, kind="error"))

    @safe
    def switch(
        self, lang: str | None = None, region: str | None = None, *, focus: str = ""
    ) -> None:
        """Show the dashboard in another language or region, keeping every answer and field
        and the step on show. ``focus``: a CSS selector of the control that gets the keyboard
        focus back on the new page (the menu that was changed)."""
        locale = (
            knowledge.check_lang(lang or self.lang),
            knowledge.check_region(region or self.region),
        )
        if locale == self.locale:
            return
        answers = self._checklist.value if self._checklist is not None else None
        fields = {name: field.value for name, field in self.form.fields.items()}
        step = self.step
        old = list(self.children)
        self.locale = locale
        self.plan = None
        with knowledge.localized(*locale):
            self._build(focus)
            for child in old:
                _close_tree(child)
            self.form.restore(fields)
            if answers is not None:  # the check was opened: bring it back as it was
                self.checklist.value = answers
            self.go(step)

    @safe
    def _locale_picked(self, change) -> None:
        # The rebuilt page gives the focus back to the menu the learner used.
        menu = "bc-language" if change["owner"] is self.language else "bc-region"
        self.switch(self.language.value, self.region_picker.value, focus=f".{menu} select")

    @safe
    def go(self, step_id: str, *, reveal: bool = False) -> None:
        """Show a step; ``reveal``: scroll to its top and focus its heading (a move by the
        buttons under the step, which the page would otherwise leave at the old position)."""
        step = self.content.step(step_id)  # an unknown id names the known ones
        if reveal:
            self.step_focus.show(step.title)
        if self.step_picker.value != step_id:
            self.step_picker.value = step_id  # calls back into _picked
            return
        self.status.value = ""
        if step_id == self._check_step:
            self.checklist  # noqa: B018 -- builds the check the first time its step opens
        self._render(step_id)
        self.stack.selected_index = self.step_ids.index(step_id)
        first = step_id == self.step_ids[0]
        self.back.disabled = first
        self.next.disabled = step_id == self._last or (not first and self.assessment.is_emergency)

    @safe
    def reset(self) -> None:
        """Start again for a new patient: clear every answer and go back to the start."""
        self.form.reset()
        if self._checklist is not None:
            self._checklist.reset()
            self._checklist.set_facts(**self.form.facts())
        self.plan = None
        self._clear_downloads()
        self.banner.value = ""
        self._stale = set(self._plan_steps)
        self.go(self.step_ids[0], reveal=True)

    @safe
    def make_file(self, fmt: str) -> None:
        """Make one take-home file now and offer it; the large objects made on the way live
        and die in a child process (backcare_lib.isolate)."""
        if self.plan is None or (fmt == "ics" and not self.plan.sessions):
            return
        button = self.make_buttons[fmt]
        button.disabled = True
        try:
            self.links[fmt].value = steps.download_html(self.plan, fmt)
        finally:
            button.disabled = False
            gc.collect()

    def _show_files(self, care_plan: plan.CarePlan | None) -> None:
        self.take_home.layout.display = None if care_plan is not None else "none"
        if care_plan is not None:
            self.make_buttons["ics"].layout.display = None if care_plan.sessions else "none"

    # -- callbacks ------------------------------------------------------------------------
    def _picked(self, change) -> None:
        self.go(change["new"])

    @safe
    def _flags_changed(self, assessment) -> None:
        self.banner.value = steps.not_offered_html(assessment) if assessment.is_emergency else ""
        self.next.disabled = self.step == self._last or assessment.is_emergency
        self._invalidate()

    @safe
    def _profile_changed(self) -> None:
        if self._checklist is None:
            self._invalidate()  # nothing answered yet, but the plan steps say what is missing
        else:
            self._checklist.set_facts(**self.form.facts())  # calls back into _flags_changed

    @safe
    def _invalidate(self) -> None:
        self.plan = None
        self._clear_downloads()
        self._stale = set(self._plan_steps)
        if self.step in self._stale:
            self._render(self.step)

    # -- rendering ------------------------------------------------------------------------
    def _current_plan(self) -> plan.CarePlan | None:
        if self.plan is None and self.assessment.complete:
            profile = self.form.profile(answers=self.checklist.value)
            if profile is not None:
                self.plan = plan.build_plan(profile, now=self._now())
        return self.plan

    def _render(self, step_id: str) -> None:
        if step_id not in self._stale:
            return
        step = self.content.step(step_id)
        if self.assessment.is_emergency:
            self._set_panel(step_id, steps.not_offered_html(self.assessment, step_id=step_id))
            return
        care_plan = self._current_plan()
        if care_plan is None:
            # No plan of any kind until the check is finished; say what is missing.
            html = steps.incomplete_html(self.assessment, step_id=step_id)
            if self.form.errors:
                html += steps.message_html("fix_fields", kind="error")
            self._set_panel(step_id, html)
            return
        if step.uses_plan == "self_care" and not care_plan.self_care:
            html = steps.not_offered_html(care_plan.assessment, step_id=step_id)
        else:
            html = steps.step_html(step_id, care_plan)
        if step.uses_plan == "any" and any(b.part == "downloads" for b in step.blocks):
            self._show_files(care_plan)
        self._set_panel(step_id, html)
        self._stale.discard(step_id)

    def _set_panel(self, step_id: str, html: str) -> None:
        panel = self.panels[step_id]
        target = panel.children[0] if isinstance(panel, w.VBox) else panel
        target.value = html
        if self.assessment.is_emergency or self.plan is None:
            self._clear_downloads()

    def _clear_downloads(self) -> None:
        for link in self.links.values():
            link.value = ""
        self._show_files(None)
