"""Recovery diary widgets: a quick log form and a chart panel. They open no file themselves:
the notebook passes in a Diary the person chose to open."""

from __future__ import annotations

from datetime import datetime

import ipywidgets as w

from backcare_lib import diary as diary_mod
from backcare_lib.ui.common import CSS, block, esc, safe

STYLE = {"description_width": "16em"}


class DiaryLogForm(w.VBox):
    """Log pain, activity, plank, drinks, ice and heat in one go; Save writes one entry."""

    def __init__(self, diary: diary_mod.Diary, *, now=datetime.now, on_saved=None) -> None:
        self.diary, self._now, self._on_saved = diary, now, on_saved
        self.pain = w.Dropdown(
            description="Pain now (0 to 10)",
            options=[("not now", None)]
            + [(f"{n} ({diary_mod.pain_category(n)})", n) for n in range(11)],
            value=None,
            style=STYLE,
        )
        self.activity = w.Dropdown(
            description="Activity",
            options=[("none", None)] + [(a, a) for a in diary_mod.ACTIVITIES],
            value=None,
            style=STYLE,
        )
        self.minutes = w.BoundedIntText(
            description="Minutes of activity", min=0, max=600, style=STYLE
        )
        self.plank = w.BoundedIntText(
            description="Longest plank (seconds)", min=0, max=600, style=STYLE
        )
        self.glasses = w.BoundedFloatText(
            description="Glasses of water", min=0, max=30, step=0.5, style=STYLE
        )
        self.ice = w.BoundedIntText(description="Ice sessions", min=0, max=12, style=STYLE)
        self.heat = w.BoundedIntText(description="Heat sessions", min=0, max=12, style=STYLE)
        self.note = w.Textarea(description="Note (optional)", style=STYLE)
        self.save = w.Button(description="Save to my diary", button_style="primary")
        self.message = w.HTML()
        self.save.on_click(self._save)
        super().__init__(
            children=[
                w.HTML(CSS),
                self.pain,
                self.activity,
                self.minutes,
                self.plank,
                self.glasses,
                self.ice,
                self.heat,
                self.note,
                self.save,
                self.message,
            ]
        )

    def show_error(self, message: str) -> None:
        self.message.value = block(f'<p class="error" role="alert">{esc(message)}</p>')

    def entry(self) -> diary_mod.Entry:
        """The entry the form holds now (zeros count as nothing logged)."""
        return diary_mod.Entry(
            recorded_at=self._now(),
            pain=self.pain.value,
            activity=self.activity.value,
            activity_minutes=self.minutes.value or None,
            plank_seconds=self.plank.value or None,
            water_glasses=self.glasses.value or None,
            ice_sessions=self.ice.value or None,
            heat_sessions=self.heat.value or None,
            note=self.note.value,
        )

    @safe
    def _save(self, _button=None) -> None:
        try:
            entry = self.entry()
        except ValueError as err:
            self.show_error(str(err)[:1].upper() + str(err)[1:])
            return
        self.diary.add(entry)
        self.message.value = block(
            f'<p role="status">Saved. Your diary has {len(self.diary)} entries.</p>'
        )
        for field in (self.minutes, self.plank, self.glasses, self.ice, self.heat):
            field.value = 0
        self.pain.value, self.activity.value, self.note.value = None, None, ""
        if self._on_saved:
            self._on_saved()


class DiaryChartPanel(w.VBox):
    """Pain and activity over time, each chart with a one-sentence summary; Refresh redraws."""

    def __init__(self, diary: diary_mod.Diary) -> None:
        self.diary = diary
        self.refresh_button = w.Button(description="Refresh charts")
        self.charts = w.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        super().__init__(children=[w.HTML(CSS), self.refresh_button, self.charts])
        self.refresh()

    def show_error(self, message: str) -> None:
        self.charts.value = block(f'<p class="error" role="alert">{esc(message)}</p>')

    @safe
    def refresh(self) -> None:
        from backcare_lib import charts

        entries = self.diary.entries()
        if not entries:
            self.charts.value = block(
                "<p>Your diary is empty. Save an entry to see your charts.</p>"
            )
            return
        days = diary_mod.daily_summaries(entries)
        trend = diary_mod.pain_trend(entries).summary
        active = diary_mod.activity_summary(entries)
        self.charts.value = block(
            f"<h3>Pain</h3>{charts.img_html(charts.pain_chart(days), trend)}<p>{esc(trend)}</p>"
            f"<h3>Activity</h3>{charts.img_html(charts.diary_activity_chart(days), active)}"
            f"<p>{esc(active)}</p>"
        )
