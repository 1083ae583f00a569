"""The red-flag checklist and its verdict."""

from __future__ import annotations

import ipywidgets as w

from backcare_lib import triage
from backcare_lib.ui.common import CSS, block, esc, safe, verdict_html

GROUP_TITLES = {
    triage.Urgency.emergency: "Signs that need help now",
    triage.Urgency.same_day: "Signs that need a doctor today",
    triage.Urgency.see_gp: "Signs that need a doctor's visit soon",
}


class RedFlagChecklist(w.VBox):
    """One checkbox per red-flag question; the verdict updates as boxes are ticked.

    ``value`` is the tuple of ticked flag ids (settable); ``assessment`` the current verdict.
    """

    def __init__(self, on_change=None) -> None:
        self._on_change = on_change
        self.checkboxes: dict[str, w.Checkbox] = {}
        rows: list[w.Widget] = [
            w.HTML(block("<p>Answer each question. Tick the box if the answer is yes.</p>"))
        ]
        for level, title in GROUP_TITLES.items():
            rows.append(w.HTML(block(f"<h3>{esc(title)}</h3>")))
            for flag in triage.flags_by_urgency(level):
                box = w.Checkbox(
                    value=False,
                    description=flag.question,
                    indent=False,
                    layout=w.Layout(width="auto"),
                )
                box.observe(self._changed, names="value")
                self.checkboxes[flag.id] = box
                rows.append(box)
        self.verdict = w.HTML()
        self.errors = w.HTML()
        self.assessment = triage.assess(())
        self._render()
        super().__init__(children=[w.HTML(CSS), *rows, self.verdict, self.errors])
        self.add_class("bc-redflags")

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(f for f, box in self.checkboxes.items() if box.value)

    @value.setter
    def value(self, flags) -> None:
        flags = triage.assess(flags).flags  # validates the ids
        for flag_id, box in self.checkboxes.items():
            box.value = flag_id in flags

    def reset(self) -> None:
        self.value = ()

    def show_error(self, message: str) -> None:
        self.errors.value = block(f'<p class="error" role="alert">{esc(message)}</p>')

    @safe
    def _changed(self, _change) -> None:
        self.assessment = triage.assess(self.value)
        self._render()
        if self._on_change:
            self._on_change(self.assessment)

    def _render(self) -> None:
        self.verdict.value = block(verdict_html(self.assessment))
