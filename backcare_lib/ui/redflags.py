"""The safety check: one labelled Yes / No / Not sure control per question, and its verdict.

No answer is chosen at the start, and "Not sure" never counts as no: it shows how to find out.
When an answer changes the verdict, the verdict's label and advice show right under that answer
(an emergency as an alert), so it is never only at the end of a long list.
The questions, their order (emergency signs first), the help and every rule are content; this
widget only shows them and calls ``triage.assess``.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w

from backcare_lib import knowledge, triage
from backcare_lib.ui.common import (
    CSS,
    Localized,
    block,
    message_html,
    partial_html,
    safe,
    verdict_html,
)

CHOICES = ("yes", "no", "not_sure")
TO_ANSWER = {"yes": True, "no": False, "not_sure": None, None: None}


def _choice(answer: bool | None) -> str | None:
    return {True: "yes", False: "no"}.get(answer)


class SafetyCheck(Localized, w.VBox):
    """The questions of ``triage.RED_FLAGS`` in sections, each a ToggleButtons with the question
    as its visible label. ``value`` (settable) is the answers mapping id -> True/False/None;
    ``assessment`` the current verdict. ``set_facts`` passes age, area and days, which the
    check needs to be complete; ``on_change(assessment)`` is called after every change."""

    def __init__(self, on_change=None) -> None:
        self.remember_locale()
        self._on_change = None
        kb = knowledge.active()
        text = kb.triage
        labels = text.answers
        self._facts: dict[str, object] = {"age": None, "area": None, "days_since_start": None}
        self._not_sure: set[str] = set()
        self.controls: dict[str, w.ToggleButtons] = {}
        self.help: dict[str, w.HTML] = {}
        self.nearby: dict[str, w.HTML] = {}  # the verdict, under the answer that changed it
        self.changed_by: str | None = None  # the question whose answer last changed it
        self.rows: dict[str, w.VBox] = {}
        children: list[w.Widget] = [w.HTML(CSS), w.HTML(message_html(text.instructions, kind=""))]
        for section, title in text.sections.items():
            children.append(w.HTML(partial_html("heading", text=title, level=3)))
            for question in triage.questions_in(section):
                control = w.ToggleButtons(
                    options=[
                        (labels.yes, "yes"),
                        (labels.no, "no"),
                        (labels.not_sure, "not_sure"),
                    ],
                    value=None,
                    description=question.question,
                    # The title gives each button its question as a description (screen readers).
                    tooltips=[
                        kb.text("safety_check.answer_tip", answer=label, question=question.question)
                        for label in (labels.yes, labels.no, labels.not_sure)
                    ],
                    style={"description_width": "initial", "button_width": "6.5em"},
                    layout=w.Layout(width="auto"),
                )
                control.add_class("bc-answer")
                control.observe(self._changed, names="value")
                help_html = w.HTML()
                nearby = w.HTML()
                row = w.VBox([control, help_html, nearby], layout=w.Layout(margin="0 0 .4em 0"))
                row.add_class("bc-question")
                self.controls[question.id] = control
                self.help[question.id] = help_html
                self.nearby[question.id] = nearby
                self.rows[question.id] = row
                children.append(row)
        self.verdict = w.HTML()
        self.errors = w.HTML()
        self.assessment = triage.assess({})
        self._refresh()
        from backcare_lib.ui.pressed import Pressed

        # aria-pressed on the Yes / No / Not sure buttons, so screen readers hear the choice
        super().__init__(children=[*children, self.verdict, self.errors, Pressed()])
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)
        self.add_class("bc-redflags")
        self._on_change = on_change

    # -- state ----------------------------------------------------------------------------
    @property
    def value(self) -> Mapping[str, bool | None]:
        return {qid: TO_ANSWER[c.value] for qid, c in self.controls.items()}

    @value.setter
    def value(self, answers: Mapping[str, bool | None]) -> None:
        answers = triage.check_answers(answers)  # ValueError names the valid ids and values
        callback, self._on_change = self._on_change, None
        try:
            for qid, control in self.controls.items():
                control.value = _choice(answers.get(qid))
        finally:
            self._on_change = callback
        self._changed(None)

    @property
    def not_sure(self) -> tuple[str, ...]:
        """The questions answered "Not sure"."""
        return tuple(qid for qid, c in self.controls.items() if c.value == "not_sure")

    def set_facts(self, *, age=None, area=None, days_since_start=None) -> None:
        """The profile facts the rules need (None while not known)."""
        self._facts = {
            "age": triage.check_age(age),
            "area": triage.check_area(area),
            "days_since_start": triage.check_days(days_since_start),
        }
        self._changed(None)

    def reset(self) -> None:
        callback, self._on_change = self._on_change, None
        try:
            for control in self.controls.values():
                control.value = None
        finally:
            self._on_change = callback
        self._facts = {"age": None, "area": None, "days_since_start": None}
        self._changed(None)

    def show_error(self, message: str) -> None:
        self.errors.value = message_html(message, "error")

    # -- callbacks ------------------------------------------------------------------------
    @safe
    def _changed(self, change) -> None:
        before = (self.assessment.level, self.assessment.complete)
        self._refresh()
        after = (self.assessment.level, self.assessment.complete)
        owner = getattr(change, "owner", None) if change is not None else None
        if owner is None:  # set from code, reset, or new facts: no answer changed it
            self.changed_by = None
        elif after != before:
            self.changed_by = next(q for q, c in self.controls.items() if c is owner)
        self._show_nearby()
        if self._on_change:
            self._on_change(self.assessment)

    def _refresh(self) -> None:
        answers = self.value
        self.assessment = triage.assess(answers, **self._facts)
        text = knowledge.active().triage
        for qid, question in triage.questions().items():
            shown = question.applies(answers, self._facts["age"])
            self.rows[qid].layout.display = None if shown else "none"
            unsure = self.controls[qid].value == "not_sure"
            self.help[qid].value = (
                message_html(
                    question.help,
                    kind="help",
                    lead=knowledge.active().text(
                        "safety_check.not_sure_help", title=text.incomplete.not_sure_title
                    ),
                )
                if unsure
                else ""
            )
        self.verdict.value = block(verdict_html(self.assessment))

    def _show_nearby(self) -> None:
        for qid, nearby in self.nearby.items():
            shown = qid == self.changed_by and self.rows[qid].layout.display != "none"
            nearby.value = block(verdict_html(self.assessment, compact=True)) if shown else ""


# The dashboard and older notebooks know it by this name.
RedFlagChecklist = SafetyCheck
