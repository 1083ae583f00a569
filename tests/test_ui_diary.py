"""Widget-state tests for the diary's log form and chart panel, on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backcare_lib.diary import Diary, Entry
from backcare_lib.ui.diary_ui import DiaryChartPanel, DiaryLogForm

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
    assert "Saved. Your diary has 1 entries." in form.message.value and saved == [1]
    assert form.pain.value is None and form.minutes.value == 0 and form.note.value == ""


def test_log_form_shows_a_clear_message_for_a_bad_entry(diary):
    form = DiaryLogForm(diary, now=lambda: NOW)
    form.save.click()
    assert "needs at least one value" in form.message.value and len(diary) == 0
    form.minutes.value = 20
    form.save.click()
    assert "Activity_minutes needs an activity" in form.message.value and len(diary) == 0
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
    assert "Your pain went down from 8 to 3 out of 10. That is a real improvement." in html
    assert 'alt="Your pain went down' in html
    assert "active on 4 of 4 days" in html
