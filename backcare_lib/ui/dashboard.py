"""The Voila consult dashboard (notebooks/dashboard.ipynb shows ``Dashboard()``).

First version: the disclaimer and one working control. The guided walkthrough grows here.
"""

from __future__ import annotations

import html

import ipywidgets as w

from backcare_lib import knowledge


class Dashboard(w.VBox):
    """Top-level dashboard widget; its first view is built from value widgets only."""

    def __init__(self) -> None:
        self.disclaimer = w.HTML(
            f'<p role="note" class="bc-disclaimer"><strong>Please note:</strong> '
            f"{html.escape(knowledge.load().disclaimer)}</p>"
        )
        self.start = w.Button(description="Start the walkthrough", button_style="primary")
        self.result = w.HTML(value="")
        self.start.on_click(self._on_start)
        super().__init__(children=[self.disclaimer, self.start, self.result])

    def _on_start(self, _button: w.Button) -> None:
        self.result.value = "<p>Step 1 of 6: Welcome. Let us look at what a back spasm is.</p>"
