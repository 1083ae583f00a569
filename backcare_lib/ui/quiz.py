"""A knowledge check for one module: multiple choice, feedback that explains why, a score."""

from __future__ import annotations

import ipywidgets as w

from backcare_lib import knowledge
from backcare_lib.ui.common import CSS, message_html, partial_html


class Quiz(w.VBox):
    """``answers`` maps item id to the chosen index; ``score`` counts the right ones."""

    def __init__(self, module_id: str) -> None:
        kb = knowledge.active()
        self.items = kb.quiz(module_id)
        self.choices: dict[str, w.RadioButtons] = {}
        self.feedback: dict[str, w.HTML] = {}
        rows: list[w.Widget] = [w.HTML(CSS)]
        for number, item in enumerate(self.items, start=1):
            radio = w.RadioButtons(
                # Shown in a varied order; each value stays the choice's index in content.
                options=[(item.choices[i].text, i) for i in kb.choice_order(item.id)],
                value=None,
                description=kb.text("quiz.question", n=number),
                layout=w.Layout(width="auto"),
            )
            radio.observe(self._answered, names="value")
            self.choices[item.id] = radio
            self.feedback[item.id] = w.HTML()
            rows += [
                w.HTML(
                    message_html(
                        kb.text("quiz.numbered", n=number, question=item.question),
                        kind="",
                        strong=True,
                    )
                ),
                radio,
                self.feedback[item.id],
            ]
        self.score_text = w.HTML()
        self.reset_button = w.Button(description=kb.text("quiz.try_again"))
        self.reset_button.on_click(lambda _b: self.reset())
        super().__init__(children=[*rows, self.score_text, self.reset_button])
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)
        self._show_score()

    @property
    def answers(self) -> dict[str, int]:
        return {k: r.value for k, r in self.choices.items() if r.value is not None}

    @property
    def score(self) -> int:
        return sum(item.correct_index == self.answers.get(item.id) for item in self.items)

    def reset(self) -> None:
        for radio in self.choices.values():
            radio.value = None

    def _answered(self, change) -> None:
        for item in self.items:
            chosen = self.choices[item.id].value
            if chosen is None:
                self.feedback[item.id].value = ""
                continue
            self.feedback[item.id].value = partial_html(
                "quiz_feedback", choice=item.choices[chosen]
            )
        self._show_score()

    def _show_score(self) -> None:
        self.score_text.value = partial_html(
            "quiz_score", score=self.score, total=len(self.items), answered=len(self.answers)
        )
