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
from backcare_lib.ui.common import CSS, input_message, message_html, partial_html, safe

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


def _t(text_id: str, **values: object) -> str:
    return knowledge.active().text(text_id, **values)


def _status(text: str, *, error: bool = False) -> str:
    if error:
        return message_html(text, "error")
    return message_html(text, "", role="status")


class DiaryLocation(w.HTML):
    """Where the diary file is, whether it exists yet, and how many entries it holds."""

    def __init__(self, store=None) -> None:
        super().__init__()
        self.store = _store(store)
        self.store.subscribe(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        exists = self.store.exists
        self.value = partial_html(
            "diary_location",
            path=str(self.store.path),
            exists=exists,
            count=len(self.store) if exists else 0,
        )


class DiaryLogForm(w.VBox):
    """Log pain, activity, plank, drinks, ice and heat in one go; Save writes one entry."""

    def __init__(self, store=None, *, now=datetime.now, on_saved=None) -> None:
        self.store = _store(store)
        self._now, self._on_saved = now, on_saved
        t = _t
        self.pain = w.Dropdown(
            description=t("diary.form.pain"),
            options=[(t("diary.form.pain_none"), None)]
            + [
                (t("diary.form.pain_score", n=n, band=t(f"pain.{diary_mod.pain_category(n)}")), n)
                for n in range(11)
            ],
            value=None,
            style=STYLE,
        )
        self.activity = w.Dropdown(
            description=t("diary.form.activity"),
            options=[(t("diary.form.activity_none"), None)]
            + [(t(f"diary.activity.{a}"), a) for a in diary_mod.ACTIVITIES],
            value=None,
            style=STYLE,
        )
        self.minutes = w.BoundedIntText(
            description=t("diary.form.minutes"), min=0, max=600, style=STYLE
        )
        self.plank = w.BoundedIntText(
            description=t("diary.form.plank"), min=0, max=600, style=STYLE
        )
        self.glasses = w.BoundedFloatText(
            description=t("diary.form.glasses"), min=0, max=30, step=0.5, style=STYLE
        )
        self.ice = w.BoundedIntText(description=t("diary.form.ice"), min=0, max=12, style=STYLE)
        self.heat = w.BoundedIntText(description=t("diary.form.heat"), min=0, max=12, style=STYLE)
        self.note = w.Textarea(description=t("diary.form.note"), style=STYLE)
        self.save = w.Button(description=t("diary.form.save"), button_style="primary")
        self.message = w.HTML()
        self.save.on_click(self._save)
        fields = [
            self.pain,
            self.activity,
            self.minutes,
            self.plank,
            self.glasses,
            self.ice,
            self.heat,
            self.note,
        ]
        rows = []
        for field in fields:
            # Label beside its field, as in the consult form (widgets.css); a bare field is
            # 300 px wide, so its 16em label sat above it, pushed to the right.
            field.add_class("bc-field")
            row = w.HBox([field])
            row.add_class("bc-field-row")
            rows.append(row)
        super().__init__(
            children=[
                w.HTML(CSS),
                *rows,
                w.HBox([self.save, self.message], layout=w.Layout(align_items="center")),
            ]
        )
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)

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
            self.show_error(input_message(err))
            return
        self.store.add(entry)
        self.message.value = _status(_t("diary.saved", count=len(self.store)))
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
        self.refresh_button = w.Button(description=_t("diary.refresh"))
        self.charts = w.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.store.subscribe(self.refresh)
        super().__init__(children=[w.HTML(CSS), self.refresh_button, self.charts])
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)
        self.refresh()

    def show_error(self, message: str) -> None:
        self.charts.value = _status(message, error=True)

    @safe
    def refresh(self) -> None:
        from backcare_lib import charts

        entries = self.store.entries()
        if not entries:
            self.charts.value = message_html(_t("diary.empty"), kind="")
            return
        days = diary_mod.daily_summaries(entries)
        self.charts.value = partial_html(
            "diary_charts",
            pain_svg=charts.svg_base64(charts.pain_chart(days)),
            trend=diary_mod.pain_trend(entries).summary,
            activity_svg=charts.svg_base64(charts.diary_activity_chart(days)),
            active=diary_mod.activity_summary(entries),
        )


class DiaryExport(w.HBox):
    """A button that turns the diary into a CSV download, made in memory (nothing is written
    on this computer: the browser saves the file where the learner chooses)."""

    def __init__(self, store=None) -> None:
        self.store = _store(store)
        self.button = w.Button(description=_t("diary.export"), layout=w.Layout(width="auto"))
        self.message = w.HTML()
        self.button.on_click(lambda _b: self.export())
        self.store.subscribe(self._stale)
        super().__init__(
            children=[w.HTML(CSS), self.button, self.message],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)

    def show_error(self, message: str) -> None:
        self.message.value = _status(message, error=True)

    def _stale(self) -> None:
        self.message.value = ""

    @safe
    def export(self) -> None:
        if not len(self.store):
            self.message.value = _status(_t("diary.export_empty"))
            return
        data = base64.b64encode(self.store.export_csv().encode("utf-8")).decode("ascii")
        self.message.value = partial_html("diary_export", data=data)


class DiaryDelete(w.VBox):
    """Delete the diary: a button, then a confirm step (Yes / No) right beside it."""

    def __init__(self, store=None) -> None:
        self.store = _store(store)
        self.button = w.Button(
            description=_t("diary.delete"), button_style="danger", layout=w.Layout(width="auto")
        )
        self.question = w.HTML()
        self.yes = w.Button(
            description=_t("diary.delete_yes"), button_style="danger", layout=w.Layout(width="auto")
        )
        self.no = w.Button(description=_t("diary.delete_no"), layout=w.Layout(width="auto"))
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
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)

    @property
    def asking(self) -> bool:
        return self.confirm.layout.display != "none"

    def show_error(self, message: str) -> None:
        self.message.value = _status(message, error=True)

    @safe
    def ask(self) -> None:
        if not self.store.exists:
            self.message.value = _status(_t("diary.nothing_to_delete"))
            return
        self.message.value = ""
        self.question.value = message_html(
            _t("diary.delete_ask"), kind="", role="alert", strong=True
        )
        self.confirm.layout.display = "flex"

    @safe
    def delete(self) -> None:
        self.confirm.layout.display = "none"
        self.store.delete()
        self.message.value = _status(_t("diary.deleted"))
        self.signal.reveal()

    def keep(self) -> None:
        self.confirm.layout.display = "none"
        self.message.value = _status(_t("diary.kept"))
