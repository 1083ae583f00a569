"""Widget-state tests for the diary's log form and chart panel, on a real SQLite file."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

from backcare_lib import charts
from backcare_lib.diary import DaySummary, Diary, DiaryStore, Entry
from backcare_lib.ui.diary_ui import (
    DiaryChartPanel,
    DiaryDelete,
    DiaryExport,
    DiaryLocation,
    DiaryLogForm,
)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def diary(tmp_path):
    with Diary(tmp_path / "diary.sqlite3") as d:
        yield d


def test_log_form_saves_an_entry_and_clears_itself(diary):
    saved = []
    form = DiaryLogForm(diary, now=lambda: NOW, on_saved=lambda: saved.append(1))
    form.pain.value = 6
    form.activity.value = "walking"
    form.minutes.value = 12
    form.plank.value = 25
    form.glasses.value = 5.5
    form.note.value = "Felt stiff in the morning"
    form.save.click()
    [entry] = diary.entries()
    assert (entry.pain, entry.activity, entry.activity_minutes, entry.plank_seconds) == (
        6,
        "walking",
        12,
        25,
    )
    assert entry.water_glasses == 5.5 and entry.note == "Felt stiff in the morning"
    assert "Saved. Entries in your diary: 1." in form.message.value and saved == [1]
    assert form.pain.value is None and form.minutes.value == 0 and form.note.value == ""


def test_log_form_shows_a_clear_message_for_a_bad_entry(diary):
    form = DiaryLogForm(diary, now=lambda: NOW)
    form.save.click()
    assert "needs at least one value" in form.message.value and len(diary) == 0
    form.minutes.value = 20
    form.save.click()
    assert "Minutes of activity need an activity" in form.message.value and len(diary) == 0
    assert all(
        field.description
        for field in (
            form.pain,
            form.activity,
            form.minutes,
            form.plank,
            form.glasses,
            form.ice,
            form.heat,
            form.note,
        )
    )


def test_chart_panel_shows_charts_with_summaries(diary):
    panel = DiaryChartPanel(diary)
    assert "Your diary is empty" in panel.charts.value
    for day, pain in enumerate((8, 6, 5, 3)):
        diary.add(
            Entry(
                NOW + timedelta(days=day), pain=pain, activity="walking", activity_minutes=10 + day
            )
        )
    panel.refresh_button.click()
    html = panel.charts.value
    assert html.count("data:image/svg+xml;base64,") == 2
    assert "Your pain went down from 7 to 4 out of 10. That is a real improvement." in html
    assert "compares your average pain on the 2 days from" in html
    assert 'alt="Your pain went down' in html
    assert "active on 4 of 4 days" in html


def test_no_file_is_written_until_the_learner_saves_or_exports(tmp_path):
    """Showing every diary widget (as Run All does) writes nothing; Export makes a download
    in memory; the first Save makes the file, and the other widgets follow at once."""
    path = tmp_path / "diary.sqlite3"
    store = DiaryStore(path)
    where, form = DiaryLocation(store), DiaryLogForm(store, now=lambda: NOW)
    panel, export, delete = DiaryChartPanel(store), DiaryExport(store), DiaryDelete(store)
    export.button.click()
    delete.button.click()
    assert list(tmp_path.iterdir()) == [], "nothing written before Save"
    assert "made when you first press Save" in where.value
    assert "nothing to export" in export.message.value and not delete.asking
    form.pain.value = 5
    form.save.click()
    assert path.exists() and "Entries so far: 1." in where.value
    assert "one day" in panel.charts.value and "data:image/svg+xml" in panel.charts.value
    export.button.click()
    csv_b64 = export.message.value.split("base64,")[1].split('"')[0]
    assert base64.b64decode(csv_b64).decode().startswith("recorded_at,pain")
    assert 'download="my-diary.csv"' in export.message.value
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "diary.sqlite3"
    ], "export wrote no file"


def test_delete_is_a_button_with_a_confirm_step(tmp_path):
    path = tmp_path / "diary.sqlite3"
    store = DiaryStore(path)
    store.add(Entry(NOW, pain=4))
    delete, where = DiaryDelete(store), DiaryLocation(store)
    delete.button.click()
    assert delete.asking and "Are you sure?" in delete.question.value and path.exists()
    delete.no.click()
    assert not delete.asking and "Nothing was deleted." in delete.message.value
    assert len(store) == 1
    delete.button.click()
    delete.yes.click()
    assert not delete.asking and "Your diary is deleted" in delete.message.value
    assert delete.signal.reveals == 1, "scrolled back into view"
    assert not any(tmp_path.iterdir()), "the file and its -wal/-shm files are gone"
    assert "made when you first press Save" in where.value
    DiaryLogForm(store, now=lambda: NOW)  # a fresh diary can be started again
    store.add(Entry(NOW, pain=2))
    assert len(store) == 1


def _days(count: int) -> list[DaySummary]:
    return [
        DaySummary(NOW.date() + timedelta(days=i), 1, 5.0, 5, 10, None, 0, 0, 0)
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [1, 60])
@pytest.mark.parametrize("chart", [charts.pain_chart, charts.diary_activity_chart])
def test_diary_charts_choose_sensible_date_axes(chart, count):
    """One entry: its day and the week ahead (not years); 60 days: all of them, 8 labels."""
    import matplotlib.dates as mdates

    ax = chart(_days(count)).axes[0]
    left, right = (mdates.num2date(x).date() for x in ax.get_xlim())
    first = NOW.date()
    assert left == first - timedelta(days=1)
    assert right == first + timedelta(days=max(7, count) - 1)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == first.strftime("%d %b") and len(set(labels)) == len(labels)
    assert 4 <= len(labels) <= 8
