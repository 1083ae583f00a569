"""The recovery diary: a real SQLite file, checked values, trends, CSV, and robustness against
concurrent writers, a killed writer, and files that are not a diary."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backcare_lib import diary
from backcare_lib.diary import Diary, DiaryError, Entry

ROOT = Path(__file__).resolve().parent.parent
UTC = timezone.utc
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "diary.sqlite3"


def fill(d: Diary, pains=(8, 7, 6, 5, 4, 4, 3)) -> None:
    for i, pain in enumerate(pains):
        d.add(
            Entry(
                T0 + timedelta(days=i),
                pain=pain,
                activity="walking",
                activity_minutes=5 + 3 * i,
                plank_seconds=20 + 5 * (i // 2),
                water_glasses=6,
            )
        )


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_creates_a_wal_sqlite_file_with_schema_version(path):
    with Diary(path) as d:
        assert d.schema_version == diary.SCHEMA_VERSION == 2
        assert d.integrity_check() == "ok"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in db.execute("SELECT version FROM schema_version")] == [1, 2]
    assert path.read_bytes()[:16] == diary.SQLITE_HEADER


def test_migrates_an_older_diary_and_keeps_its_entries(path):
    with Diary(path) as d:
        fill(d, (5,))
    db = sqlite3.connect(path)  # make it look like a version-1 diary
    db.execute("DROP INDEX entries_recorded_at")
    db.execute("DELETE FROM schema_version WHERE version = 2")
    db.commit()
    db.close()
    with Diary(path) as d:
        assert d.schema_version == 2 and len(d) == 1


def test_default_path_is_the_user_data_folder_or_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(diary.ENV_PATH, raising=False)
    assert diary.default_path().name == "diary.sqlite3"
    assert "backcare-kit" in str(diary.default_path())
    monkeypatch.setenv(diary.ENV_PATH, str(tmp_path / "mine.db"))
    assert diary.default_path() == tmp_path / "mine.db"


def test_entries_round_trip_with_time_zones(path):
    with Diary(path) as d:
        when = datetime(2026, 11, 27, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
        entry_id = d.add(Entry(when, pain=6, note="Line one\r\nline two"))
        [back] = d.entries()
    assert back.id == entry_id and back.recorded_at == when
    assert back.recorded_at.utcoffset() == timedelta(hours=-5)
    assert back.note == "Line one\nline two" and back.pain_category == "moderate"


def test_naive_times_become_local_aware_times():
    assert Entry(datetime(2026, 11, 27, 9), pain=3).recorded_at.tzinfo is not None


@pytest.mark.parametrize(
    "pain, band",
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_pain_bands_follow_the_numeric_rating_scale(pain, band):
    assert diary.pain_category(pain) == band


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"pain": 11}, "pain must be a whole number from 0 to 10, got 11"),
        ({"pain": -1}, "from 0 to 10"),
        ({"pain": 5.5}, "from 0 to 10"),
        ({"pain": True}, "from 0 to 10"),
        ({"activity": "skydiving"}, "activity must be one of"),
        ({"activity_minutes": 30}, "minutes of activity need an activity"),
        ({"activity": "walking", "activity_minutes": 601}, "from 0 to 600"),
        ({"plank_seconds": -5}, "plank_seconds must be a whole number from 0 to 600"),
        ({"water_glasses": 31}, "water_glasses must be a number from 0 to 30"),
        ({"ice_sessions": 13}, "ice_sessions must be a whole number from 0 to 12"),
        ({"note": "x" * 1001}, "note is 1001 characters long"),
        ({"note": "a\x00b"}, r"has a hidden character \(U\+0000\)"),
        ({}, "needs at least one value"),
    ],
)
def test_bad_values_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Entry(T0, **kwargs)
    with pytest.raises(ValueError, match="recorded_at must be a date and time"):
        Entry("yesterday", pain=3)


def test_daily_summaries_trend_and_best_plank(path):
    with Diary(path) as d:
        fill(d)
        d.add(Entry(T0 + timedelta(hours=5), pain=6, plank_seconds=35))
        entries = d.entries()
    days = diary.daily_summaries(entries)
    assert len(days) == 7
    assert days[0].pain_mean == 7.0 and days[0].pain_max == 8 and days[0].best_plank_seconds == 35
    assert days[1].activity_minutes == 8 and days[0].water_glasses == 6
    trend = diary.pain_trend(entries, today=date(2026, 11, 26))
    # Day by day (day 1 has 8 and 6): first 3 days 7, 7, 6; last 3 days 4, 4, 3.
    assert (trend.first, trend.latest, trend.change, trend.real_change) == (6.7, 3.7, -3.0, True)
    assert trend.days_compared == 3
    assert trend.average_last_7_days == 5.4  # (8+7+6+5+4+4+3+6) / 8
    assert "real improvement" in trend.summary
    assert "the 3 days from 20 Nov to 22 Nov with the 3 days from 24 Nov to 26 Nov" in trend.summary
    assert diary.best_plank_over_time(entries)[-1] == (date(2026, 11, 26), 35)
    assert "active on 7 of 7 days" in diary.activity_summary(entries)


def test_a_change_under_2_points_is_not_called_real():
    entries = [Entry(T0, pain=5), Entry(T0 + timedelta(days=1), pain=4)]
    trend = diary.pain_trend(entries)
    assert trend.change == -1 and not trend.real_change and "usual ups and downs" in trend.summary
    rising = diary.pain_trend([Entry(T0, pain=3), Entry(T0 + timedelta(days=1), pain=6)])
    assert rising.real_change and "talk to your doctor" in rising.summary
    assert "No pain scores yet" in diary.pain_trend([]).summary


def test_two_entries_on_one_day_are_never_a_real_change():
    """6 then 4 a few seconds apart: one day, so no trend yet (the lesson says: look at the
    trend over days)."""
    trend = diary.pain_trend([Entry(T0, pain=6), Entry(T0 + timedelta(seconds=5), pain=4)])
    assert not trend.real_change and trend.change is None and trend.days_compared == 0
    assert "one day" in trend.summary and "real" not in trend.summary
    # A bad day in the middle does not make a change: the ends are compared, by day.
    bumpy = [Entry(T0 + timedelta(days=i), pain=p) for i, p in enumerate((5, 5, 9, 5, 4))]
    trend = diary.pain_trend(bumpy)
    assert (trend.first, trend.latest, trend.days_compared) == (5, 4.5, 2)
    assert not trend.real_change and "usual ups and downs" in trend.summary


def test_csv_export_and_import_round_trip(path, tmp_path):
    with Diary(path) as d:
        fill(d)
        d.add(Entry(T0, note='Comma, "quotes"\nand a new line'))
        text = d.export_csv()
    with Diary(tmp_path / "copy.sqlite3") as copy:
        assert copy.import_csv(text) == 8
        assert [e.note for e in copy.entries()] == [e.note for e in Diary(path).entries()]


def test_csv_import_with_bad_rows_reports_line_numbers_and_adds_nothing(path):
    good = "recorded_at,pain,activity,activity_minutes\n2026-11-20T09:00:00+00:00,5,walking,10\n"
    bad = good + "".join(
        [
            "2026-11-21T09:00:00+00:00,12,walking,10\n",
            "not a date,3,,\n",
            "2026-11-22T09:00:00+00:00,4,rowing,5\n",
        ]
    )
    with Diary(path) as d:
        with pytest.raises(ValueError) as err:
            d.import_csv(bad)
        assert len(d) == 0
    message = str(err.value)
    assert message.startswith("nothing was imported: 3 bad row(s)")
    assert "line 3: pain must be" in message and "line 4: recorded_at" in message
    assert "line 5: activity must be one of" in message


def test_csv_with_a_wrong_header_is_refused(path):
    with Diary(path) as d, pytest.raises(ValueError, match="unknown column"):
        d.import_csv("recorded_at,mood\n2026-11-20T09:00:00+00:00,happy\n")


def test_delete_one_and_all(path):
    with Diary(path) as d:
        fill(d, (5, 4))
        first = d.entries()[0].id
        d.delete(first)
        assert len(d) == 1
        with pytest.raises(ValueError, match="no diary entry with id"):
            d.delete(first)
        assert d.delete_all() == 1 and len(d) == 0


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from backcare_lib.diary import Diary, Entry
    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Diary(path) as d:
        for i in range(count):
            d.add(Entry(datetime.now(timezone.utc), pain=i % 11, note=f"{tag}-{i}"))
    """
)


def test_two_processes_writing_at_once_lose_nothing(path):
    Diary(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, "150"], cwd=ROOT)
        for tag in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Diary(path) as d:
        notes = {e.note for e in d.entries()}
        assert len(d) == 300 and d.integrity_check() == "ok"
    assert {f"a-{i}" for i in range(150)} | {f"b-{i}" for i in range(150)} == notes


KILLED = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from backcare_lib.diary import Diary, Entry
    d = Diary(sys.argv[1])
    for i in range(50):
        d.add(Entry(datetime.now(timezone.utc), pain=3, note=f"kept-{i}"))
    db = d._db
    db.execute("BEGIN IMMEDIATE")
    for i in range(5000):
        db.execute("INSERT INTO entries (recorded_at, pain, note) VALUES (?, 9, ?)",
                   (datetime.now(timezone.utc).isoformat(), f"lost-{i}"))
    print("in-transaction", flush=True)
    time.sleep(60)
    """
)


def test_a_writer_killed_mid_transaction_keeps_what_was_committed(path):
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "in-transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with Diary(path) as d:
        notes = [e.note for e in d.entries()]
        assert d.integrity_check() == "ok"
    assert notes == [f"kept-{i}" for i in range(50)]


def test_a_corrupt_file_is_reported_and_never_overwritten(tmp_path):
    junk = tmp_path / "diary.sqlite3"
    junk.write_bytes(os.urandom(8192))
    before = sha(junk)
    with pytest.raises(DiaryError, match="is not a BackCare diary .* left unchanged"):
        Diary(junk)
    assert sha(junk) == before


def test_a_damaged_sqlite_file_is_reported_and_never_overwritten(path):
    with Diary(path) as d:
        fill(d)
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(3996)  # keep the header, wreck the first page
    path.write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    before = sha(path)
    with pytest.raises(DiaryError, match="left unchanged"):
        Diary(path)
    assert sha(path) == before


def test_another_programs_database_is_refused(tmp_path):
    other = tmp_path / "shop.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE orders (id INTEGER)")
    db.commit()
    db.close()
    before = sha(other)
    with pytest.raises(DiaryError, match="another program, not a BackCare diary"):
        Diary(other)
    assert sha(other) == before


def test_a_diary_from_a_newer_kit_is_refused(path):
    Diary(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_version VALUES (99)")
    db.commit()
    db.close()
    with pytest.raises(DiaryError, match="made by a newer BackCare Kit"):
        Diary(path)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DiaryError, match="is a folder"):
        Diary(tmp_path)


def test_the_dashboard_never_opens_a_diary():
    code = "import sys, backcare_lib.ui.dashboard; print('backcare_lib.diary' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
