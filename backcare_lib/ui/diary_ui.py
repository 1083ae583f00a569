"""Recovery diary widgets: where the diary is, a quick log form, charts, export and delete.

Each widget works on its own (a lesson cell may be run alone): by default it uses the
kernel's shared :class:`~backcare_lib.diary.DiaryStore` for the learner's diary file, which
is made only when the first entry is saved. Export makes a download in memory; nothing is
written to disk until the learner presses Save."""

from __future__ import annotations

import base64
from datetime import datetime

import ipywidgets as w

from backcare_lib import diary as diary_mod
from backcare_lib import knowledge
from backcare_lib.ui.common import CSS, block, esc, safe

STYLE = {"description_width": "16em"}


def _store(source) -> diary_mod.DiaryStore:
    """The store for ``source``: None (the learner's diary), a DiaryStore, a Diary or a path."""
    if source is None:
        return diary_mod.shared_store()
    if isinstance(source, diary_mod.DiaryStore):
        return source
    if isinstance(source, diary_mod.Diary):
        return diary_mod.DiaryStore(diary=source)
    return diary_mod.shared_store(source)


def _words():
    return knowledge.load().self_study.diary


def _status(text: str, *, error: bool = False) -> str:
    if error:
        return block(f'<p class="error" role="alert">{esc(text)}</p>')
    return block(f'<p role="status">{esc(text)}</p>')


class DiaryLocation(w.HTML):
    """Where the diary file is, whether it exists yet, and how many entries it holds."""

    def __init__(self, store=None) -> None:
        super().__init__()
        self.store = _store(store)
        self.store.subscribe(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        words = _words()
        status = (
            words.entries.format(count=len(self.store)) if self.store.exists else words.not_made
        )
        self.value = block(
            f"<p>{esc(words.where)} <code>{esc(self.store.path)}</code></p><p>{esc(status)}</p>"
        )


class DiaryLogForm(w.VBox):
    """Log pain, activity, plank, drinks, ice and heat in one go; Save writes one entry."""

    def __init__(self, store=None, *, now=datetime.now, on_saved=None) -> None:
        self.store = _store(store)
        self._now, self._on_saved = now, on_saved
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
                w.HBox([self.save, self.message], layout=w.Layout(align_items="center")),
            ]
        )

    @property
    def diary(self) -> diary_mod.DiaryStore:
        return self.store

    def show_error(self, message: str) -> None:
        self.message.value = _status(message, error=True)

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
        self.store.add(entry)
        self.message.value = _status(_words().saved.format(count=len(self.store)))
        for field in (self.minutes, self.plank, self.glasses, self.ice, self.heat):
            field.value = 0
        self.pain.value, self.activity.value, self.note.value = None, None, ""
        if self._on_saved:
            self._on_saved()


class DiaryChartPanel(w.VBox):
    """Pain and activity over time, each chart with a one-sentence summary. The charts redraw
    when an entry is saved; Refresh redraws them by hand."""

    def __init__(self, store=None) -> None:
        self.store = _store(store)
        self.refresh_button = w.Button(description="Refresh charts")
        self.charts = w.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.store.subscribe(self.refresh)
        super().__init__(children=[w.HTML(CSS), self.refresh_button, self.charts])
        self.refresh()

    def show_error(self, message: str) -> None:
        self.charts.value = _status(message, error=True)

    @safe
    def refresh(self) -> None:
        from backcare_lib import charts

        entries = self.store.entries()
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


class DiaryExport(w.HBox):
    """A button that turns the diary into a CSV download, made in memory (nothing is written
    on this computer: the browser saves the file where the learner chooses)."""

    def __init__(self, store=None) -> None:
        self.store = _store(store)
        self.button = w.Button(description=_words().export, layout=w.Layout(width="auto"))
        self.message = w.HTML()
        self.button.on_click(lambda _b: self.export())
        self.store.subscribe(self._stale)
        super().__init__(
            children=[w.HTML(CSS), self.button, self.message],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )

    def show_error(self, message: str) -> None:
        self.message.value = _status(message, error=True)

    def _stale(self) -> None:
        self.message.value = ""

    @safe
    def export(self) -> None:
        words = _words()
        if not len(self.store):
            self.message.value = _status(words.export_empty)
            return
        data = base64.b64encode(self.store.export_csv().encode("utf-8")).decode("ascii")
        link = (
            '<a class="download" download="my-diary.csv" '
            f'href="data:text/csv;charset=utf-8;base64,{data}">{esc(words.export_link)}</a>'
        )
        text = esc(words.export_ready).replace("{link}", link)
        self.message.value = block(f'<p role="status">{text}</p>')


class DiaryDelete(w.VBox):
    """Delete the diary: a button, then a confirm step (Yes / No) right beside it."""

    def __init__(self, store=None) -> None:
        words = _words()
        self.store = _store(store)
        self.button = w.Button(
            description=words.delete, button_style="danger", layout=w.Layout(width="auto")
        )
        self.question = w.HTML()
        self.yes = w.Button(
            description=words.delete_yes, button_style="danger", layout=w.Layout(width="auto")
        )
        self.no = w.Button(description=words.delete_no, layout=w.Layout(width="auto"))
        self.confirm = w.HBox([self.question, self.yes, self.no])
        self.confirm.layout.display = "none"
        self.message = w.HTML()
        from backcare_lib.ui.signal import Signal

        self.signal = Signal()  # the charts above shrink when the diary goes: keep in view
        self.button.on_click(lambda _b: self.ask())
        self.yes.on_click(lambda _b: self.delete())
        self.no.on_click(lambda _b: self.keep())
        super().__init__(
            children=[
                w.HTML(CSS),
                w.HBox([self.button, self.message], layout=w.Layout(align_items="center")),
                self.confirm,
                self.signal,
            ]
        )

    @property
    def asking(self) -> bool:
        return self.confirm.layout.display != "none"

    def show_error(self, message: str) -> None:
        self.message.value = _status(message, error=True)

    @safe
    def ask(self) -> None:
        words = _words()
        if not self.store.exists:
            self.message.value = _status(words.nothing_to_delete)
            return
        self.message.value = ""
        self.question.value = block(f'<p role="alert"><strong>{esc(words.delete_ask)}</strong></p>')
        self.confirm.layout.display = "flex"

    @safe
    def delete(self) -> None:
        self.confirm.layout.display = "none"
        self.store.delete()
        self.message.value = _status(_words().deleted)
        self.signal.reveal()

    def keep(self) -> None:
        self.confirm.layout.display = "none"
        self.message.value = _status(_words().kept)
