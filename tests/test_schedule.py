"""The first days' ice and heat plan, and its calendar file."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from backcare_lib.schedule import (
    Session,
    cold_heat_schedule,
    is_awake,
    resume_schedule,
    to_ics,
)

START = datetime(2026, 11, 27, 9, 0)


def ice(sessions):
    return [s for s in sessions if s.kind == "ice"]


def heat(sessions):
    return [s for s in sessions if s.kind == "heat"]


def test_default_plan_ices_every_2_hours_while_awake_for_72_hours_then_heat():
    sessions = cold_heat_schedule(START)
    ices = ice(sessions)
    assert ices[0] == Session("ice", START, 20)
    assert all(s.minutes == 20 for s in ices)
    assert ices[1].start - ices[0].start == timedelta(hours=2)
    assert ices[-1].start < START + timedelta(hours=72)
    assert {s.start.date().day for s in ices} == {27, 28, 29, 30}
    heats = heat(sessions)
    assert heats and heats[0].start >= START + timedelta(hours=72)
    assert all(h.start > ices[-1].start for h in heats)
    assert len({h.start.date() for h in heats}) == 4
    assert all(h.minutes == 20 for h in heats)


def test_night_start_begins_at_the_next_wake_time():
    sessions = cold_heat_schedule(datetime(2026, 11, 27, 23, 30))
    assert sessions[0].start == datetime(2026, 11, 28, 7, 0)


def test_no_session_runs_into_bedtime():
    sessions = cold_heat_schedule(START, wake=time(6, 30), bedtime=time(21, 15))
    for s in sessions:
        assert s.end.time() <= time(21, 15) and s.start.time() >= time(6, 30)


def test_bedtime_after_midnight():
    sessions = cold_heat_schedule(START, ice_hours=48, wake=time(10), bedtime=time(1, 30))
    assert any(s.start.time() == time(0, 0) for s in sessions), "ice just before a late bedtime"
    for s in sessions:
        assert is_awake(s.start, time(10), time(1, 30))


def test_48_hours_gives_fewer_ice_sessions_than_72():
    assert len(ice(cold_heat_schedule(START, ice_hours=48))) < len(ice(cold_heat_schedule(START)))


def test_seconds_round_up_to_the_next_minute():
    assert cold_heat_schedule(START.replace(second=5))[0].start == START + timedelta(minutes=1)


def test_resume_starts_now_and_keeps_the_72_hour_ice_window():
    started = datetime(2026, 11, 26, 15, 0)
    now = datetime(2026, 11, 27, 9, 10)
    sessions = resume_schedule(started, now)
    assert sessions[0] == Session("ice", now, 20)
    assert ice(sessions)[-1].start < started + timedelta(hours=72)
    assert heat(sessions)[0].start >= started + timedelta(hours=72)
    assert resume_schedule(started, started + timedelta(days=8)) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"ice_hours": 24}, "ice_hours must be a number from 48 to 72, got 24"),
        ({"ice_hours": 96}, "from 48 to 72"),
        ({"ice_hours": True}, "from 48 to 72"),
        ({"ice_hours": "72"}, "from 48 to 72"),
        ({"wake": time(7), "bedtime": time(7)}, "bedtime must differ from wake time"),
        ({"wake": time(7), "bedtime": time(9)}, "under 4 hours awake"),
        ({"wake": time(7), "bedtime": time(5)}, "under 4 hours of sleep"),
        ({"wake": "07:00"}, "wake must be a time of day"),
        ({"bedtime": 22}, "bedtime must be a time of day"),
    ],
)
def test_bad_input_raises_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cold_heat_schedule(START, **kwargs)


def test_start_must_be_a_datetime():
    with pytest.raises(ValueError, match="start must be a date and time"):
        cold_heat_schedule(START.date())


def test_ics_is_valid_with_one_event_and_a_reminder_per_session():
    sessions = cold_heat_schedule(START)
    text = to_ics(sessions)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = Calendar.from_ical(text)
    events = cal.walk("VEVENT")
    assert len(events) == len(sessions)
    for event, session in zip(events, sessions, strict=True):
        assert event.decoded("dtstart") == session.start
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=20)
        assert len(event.walk("VALARM")) == 1
        assert ("Ice" if session.kind == "ice" else "heat") in str(event["summary"])
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_ics_writes_aware_times_in_utc():
    start = datetime(2026, 11, 27, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    text = to_ics(cold_heat_schedule(start)[:1])
    assert "DTSTART:20261127T140000Z" in text


def test_ics_name_cannot_inject_properties():
    text = to_ics(
        cold_heat_schedule(START)[:1], calendar_name="Ana\r\nATTACH:http://x\nBEGIN:VEVENT"
    )
    lines = text.split("\r\n")
    assert not any(line.startswith("ATTACH") for line in lines)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1
    assert len(Calendar.from_ical(text).walk("VEVENT")) == 1


awake_pairs = st.tuples(
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
).filter(
    lambda p: (
        timedelta(hours=4)
        <= timedelta(minutes=((p[1].hour - p[0].hour) * 60 + p[1].minute - p[0].minute) % 1440)
        <= timedelta(hours=20)
    )
)


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1)),
    ice_hours=st.integers(48, 72),
    day=awake_pairs,
)
def test_property_ice_sessions_are_safe(start, ice_hours, day):
    wake, bedtime = day
    sessions = cold_heat_schedule(start, ice_hours=ice_hours, wake=wake, bedtime=bedtime)
    ices = ice(sessions)
    assert ices, "a 48-72 hour window with 4+ waking hours a day always has ice sessions"
    for s in sessions:
        assert s.minutes <= 20
        assert is_awake(s.start, wake, bedtime) and is_awake(
            s.end - timedelta(minutes=1), wake, bedtime
        )
    for a, b in pairwise(sessions):
        assert b.start - a.start >= timedelta(hours=2)
    assert all(s.start < start + timedelta(hours=ice_hours, minutes=1) for s in ices)


def test_calendar_reminders_carry_the_safety_rules():
    cal = Calendar.from_ical(to_ics(cold_heat_schedule(START)))
    descriptions = {str(e["summary"]): str(e["description"]) for e in cal.walk("VEVENT")}
    ice_text = next(v for k, v in descriptions.items() if k.startswith("Ice"))
    heat_text = next(v for k, v in descriptions.items() if "heat" in k)
    assert "Never fall asleep on ice" in ice_text and "20 minutes" in ice_text
    assert "never put heat over a menthol rub" in heat_text
    assert "Never sleep on a heating pad" in heat_text
    for text in descriptions.values():  # every reminder names the emergency signs and numbers
        assert "New trouble peeing" in text and "weak legs? Get help now." in text
        assert "112" in text  # the region's number (intl by default; tests/test_regions.py)


def test_heat_only_gives_moist_heat_from_the_start_over_the_same_days():
    usual = cold_heat_schedule(START)
    heat = cold_heat_schedule(START, heat_only=True)
    assert {s.kind for s in heat} == {"heat"} and heat[0].start - START <= timedelta(hours=1)
    assert heat[-1].start.date() == usual[-1].start.date()
    assert len({s.start.date() for s in heat}) == len({s.start.date() for s in usual})
    for a, b in pairwise(heat):
        assert b.start - a.start >= timedelta(hours=2)
    with pytest.raises(ValueError, match="heat_only must be True or False"):
        cold_heat_schedule(START, heat_only="yes")
