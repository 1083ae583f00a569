"""The first days' cold and heat plan, and its calendar file.

Ice: at most 20 minutes, every 2 hours while awake, for the first 48 to 72 hours. Then moist
heat a few times a day for the following days. No session falls in sleep hours. The figures
come from ``content/care.yaml``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import pairwise
from typing import Literal

from backcare_lib import knowledge
from backcare_lib.checks import InputError, items_of

MIN_ICE_HOURS, MAX_ICE_HOURS = 48, 72
MIN_AWAKE = timedelta(hours=4)
MIN_ASLEEP = timedelta(hours=4)
_UID_NAMESPACE = uuid.UUID("6f1f0b52-0b7e-4c4e-9a55-0ba5ca2e0001")


@dataclass(frozen=True, order=True)
class Session:
    kind: Literal["ice", "heat"]
    start: datetime
    minutes: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


@dataclass(frozen=True, order=True)
class Review:
    """A check-up in the calendar: ``days`` after the day the pain began (content/care.yaml
    ``calendar.reviews``)."""

    start: datetime
    minutes: int
    days: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def reviews(started: datetime, now: datetime, *, wake: time | None = None) -> tuple[Review, ...]:
    """The check-ups still to come (at or after ``now``), dated from the day the pain began, an
    hour (care.yaml) after the wake time, in the time zone of ``started``."""
    if not isinstance(started, datetime) or not isinstance(now, datetime):
        raise ValueError("started and now must be datetimes")
    rules = knowledge.active().care.calendar.reviews
    _ice, wake, _bedtime = defaults(None, wake, None)
    wake = _check_time("wake", wake)
    at = datetime.combine(started.date(), wake) + timedelta(minutes=rules.after_wake_minutes)
    found = []
    for event in rules.events:
        start = (at + timedelta(days=event.days)).replace(tzinfo=started.tzinfo)
        if _at_or_after(start, now):
            found.append(Review(start=start, minutes=rules.minutes, days=event.days))
    return tuple(found)


def _at_or_after(a: datetime, b: datetime) -> bool:
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a >= b


def _check_time(name: str, value: object) -> time:
    if not isinstance(value, time):
        raise ValueError(f"{name} must be a time of day such as time(7, 0), got {value!r}")
    return value.replace(second=0, microsecond=0, tzinfo=None)


def check_day(wake: object, bedtime: object) -> tuple[time, time]:
    """Validate wake and bed times: different, at least 4 hours awake and 4 hours asleep."""
    wake, bedtime = _check_time("wake", wake), _check_time("bedtime", bedtime)
    if wake == bedtime:
        raise InputError("input.same_wake_and_bed", time=f"{wake:%H:%M}")
    awake = _awake_length(wake, bedtime)
    if awake < MIN_AWAKE or timedelta(days=1) - awake < MIN_ASLEEP:
        raise InputError(
            "input.too_little_awake" if awake < MIN_AWAKE else "input.too_little_sleep",
            wake=f"{wake:%H:%M}",
            bedtime=f"{bedtime:%H:%M}",
            hours=MIN_AWAKE.seconds // 3600,
        )
    return wake, bedtime


def _awake_length(wake: time, bedtime: time) -> timedelta:
    minutes = (bedtime.hour * 60 + bedtime.minute) - (wake.hour * 60 + wake.minute)
    return timedelta(minutes=minutes % (24 * 60))


def awake_windows(
    after: datetime, wake: time, bedtime: time
) -> Iterator[tuple[datetime, datetime]]:
    """Successive (wake, bed) periods, starting with the one that contains or follows ``after``.
    Works for bedtimes after midnight (wake 10:00, bed 01:30)."""
    if not isinstance(after, datetime):
        raise ValueError(f"after must be a datetime, got {after!r}")
    wake, bedtime = _check_time("wake", wake), _check_time("bedtime", bedtime)
    length = _awake_length(wake, bedtime)
    day = after.date() - timedelta(days=1)
    while True:
        opens = datetime.combine(day, wake, tzinfo=after.tzinfo)
        closes = opens + length
        if closes > after:
            yield max(opens, after), closes
        day += timedelta(days=1)


def is_awake(moment: datetime, wake: time, bedtime: time) -> bool:
    if not isinstance(moment, datetime):
        raise ValueError(f"moment must be a datetime, got {moment!r}")
    opens, _closes = next(awake_windows(moment, wake, bedtime))
    return opens <= moment


def _check_start(start: object) -> datetime:
    if not isinstance(start, datetime):
        raise ValueError(
            f"start must be a date and time (datetime) when the spasm began, got {start!r}"
        )
    # Round up to the whole minute, so sessions start on the clock a person reads.
    if start.second or start.microsecond:
        start = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return start


def _check_ice_hours(ice_hours: object) -> float:
    if (
        isinstance(ice_hours, bool)
        or not isinstance(ice_hours, (int, float))
        or not MIN_ICE_HOURS <= ice_hours <= MAX_ICE_HOURS
    ):
        raise ValueError(
            f"ice_hours must be a number from {MIN_ICE_HOURS} to {MAX_ICE_HOURS}, got {ice_hours!r}"
        )
    return float(ice_hours)


def defaults(ice_hours=None, wake=None, bedtime=None) -> tuple:
    """The ice phase and the usual wake and bed times from ``care.yaml``, for any left out."""
    rules = knowledge.active().care.schedule
    return (
        rules.ice_phase_hours if ice_hours is None else ice_hours,
        rules.default_wake if wake is None else wake,
        rules.default_bedtime if bedtime is None else bedtime,
    )


def cold_heat_schedule(
    start: datetime,
    *,
    ice_hours: float | None = None,
    wake: time | None = None,
    bedtime: time | None = None,
    heat_only: bool = False,
) -> list[Session]:
    """Ice every 2 hours while awake for ``ice_hours`` from ``start``, then moist heat.
    Left out, ``ice_hours``, ``wake`` and ``bedtime`` come from ``care.yaml`` (72 hours,
    07:00 and 22:00). ``heat_only``: moist heat from the start, over the same days (heat has
    the better evidence, ACP 2017); the default is the source article's ice-then-heat plan."""
    ice_hours, wake, bedtime = defaults(ice_hours, wake, bedtime)
    start = _check_start(start)
    ice_hours = _check_ice_hours(ice_hours)
    wake, bedtime = check_day(wake, bedtime)
    _check_heat_only(heat_only)
    return _build(start, start + timedelta(hours=ice_hours), wake, bedtime, heat_only)


def resume_schedule(
    started: datetime,
    now: datetime,
    *,
    ice_hours: float | None = None,
    wake: time | None = None,
    bedtime: time | None = None,
    heat_only: bool = False,
) -> list[Session]:
    """The rest of the plan for a spasm that began at ``started``, from ``now`` on: the ice
    phase still ends ``ice_hours`` after the spasm began, but the first session is now (or at
    the next wake time), not on a grid set by when the spasm began. ``heat_only``: as for
    :func:`cold_heat_schedule`."""
    ice_hours, wake, bedtime = defaults(ice_hours, wake, bedtime)
    started, now = _check_start(started), _check_start(now)
    ice_hours = _check_ice_hours(ice_hours)
    wake, bedtime = check_day(wake, bedtime)
    _check_heat_only(heat_only)
    first = max(started, now)
    return _build(first, started + timedelta(hours=ice_hours), wake, bedtime, heat_only)


def _check_heat_only(heat_only: object) -> None:
    if not isinstance(heat_only, bool):
        raise ValueError(f"heat_only must be True or False, got {heat_only!r}")


def _build(
    first: datetime, ice_end: datetime, wake: time, bedtime: time, heat_only: bool = False
) -> list[Session]:
    rules = knowledge.active().care.schedule
    ice_len = timedelta(minutes=rules.ice_minutes)
    every = timedelta(hours=rules.ice_every_hours)
    heat_len = timedelta(minutes=rules.heat_minutes)
    sessions: list[Session] = []
    # The heat days of the usual plan: the first heat_days awake periods from the end of ice.
    windows = awake_windows(ice_end, wake, bedtime)
    heat_windows = [next(windows) for _day in range(rules.heat_days)]
    if heat_only:
        # Heat from the start, over the same days as the ice-then-heat plan.
        last_close = heat_windows[-1][1]
        heat_windows = []
        for opens, closes in awake_windows(first, wake, bedtime):
            if opens >= last_close:
                break
            heat_windows.append((opens, closes))
    else:
        for opens, closes in awake_windows(first, wake, bedtime):
            if opens >= ice_end:
                break
            at = opens
            while at + ice_len <= closes and at < ice_end:
                sessions.append(Session("ice", at, rules.ice_minutes))
                at += every

    # Heat never starts sooner than the usual gap after the last ice session.
    not_before = max(first, sessions[-1].start + every) if sessions else first
    for opens, closes in heat_windows:
        for at in _spread(opens, closes, heat_len, rules.heat_sessions_per_day, every):
            if at >= not_before:
                sessions.append(Session("heat", at, rules.heat_minutes))
    return sessions


def _spread(
    opens: datetime, closes: datetime, length: timedelta, count: int, gap: timedelta
) -> list[datetime]:
    """Up to ``count`` starts between waking and bed: the first 30 minutes after waking,
    the last ending 30 minutes before bed, evenly spaced and at least ``gap`` apart."""
    margin = timedelta(minutes=30)
    first, last = opens + margin, closes - margin - length
    if last < first:
        return [opens] if opens + length <= closes else []
    count = min(count, 1 + int((last - first) / gap))
    if count == 1:
        return [first]
    # Even spacing, rounded down to 10 minutes so times read well (never below ``gap``).
    step = (last - first) / (count - 1)
    step -= timedelta(minutes=(step.total_seconds() // 60) % 10, seconds=step.seconds % 60)
    return [first + step * i for i in range(count)]


def to_ics(
    sessions: Iterable[Session],
    *,
    calendar_name: str | None = None,
    reviews: Iterable[Review] = (),
    warnings: Iterable[str] = (),
) -> str:
    """An iCalendar (RFC 5545) file: one event per session and per check-up (``reviews``), each
    with a reminder at its start and the emergency line.

    Times with a time zone are written in UTC; times without one are floating local times,
    which a phone shows at the same clock time wherever it is. Text is escaped and folded by
    the ``icalendar`` package, so any name is safe to put in it.
    """
    from icalendar import Alarm, Calendar, Event

    kb = knowledge.active()
    text = kb.care.calendar
    sessions = items_of(sessions, Session, "sessions")
    reviews = items_of(reviews, Review, "reviews")
    if calendar_name is None:
        calendar_name = kb.text("calendar.name")
    if not isinstance(calendar_name, str):
        raise ValueError(f"calendar_name must be text, got {type(calendar_name).__name__}")

    cal = Calendar()
    cal.add("prodid", "-//BackCare Kit//Back care plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _clean(calendar_name)[:200] or kb.text("calendar.name"))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    warning = f"{text.warning} {kb.kit.safety_net.emergency_numbers}"
    for extra in warnings:  # a pathway's own warning signs (pregnancy)
        if not isinstance(extra, str):
            raise ValueError(f"warnings must be texts, got {type(extra).__name__}")
        warning += f"\n\n{_clean(extra)}"
    review_text = {e.days: e for e in text.reviews.events}
    events = [
        (f"{s.kind}|{s.start.isoformat()}", s, text.ice if s.kind == "ice" else text.heat)
        for s in sessions
    ] + [(f"review|{r.start.isoformat()}", r, review_text[r.days]) for r in reviews]
    ahead = text.reviews.remind_days_before
    for key, session, entry in events:
        event = Event()
        event.add("uid", f"{uuid.uuid5(_UID_NAMESPACE, key)}@backcare-kit")
        event.add("dtstamp", stamp)
        event.add("dtstart", _ics_time(session.start))
        event.add("dtend", _ics_time(session.end))
        summary = entry.summary.format(minutes=session.minutes)
        event.add("summary", summary)
        description = entry.description.format(minutes=session.minutes)
        event.add("description", f"{description}\n\n{warning}\n\n{text.footer}")
        event.add("categories", [kb.text("calendar.category")])
        if isinstance(session, Review):  # a check-up: a reminder ahead, to book a visit
            alarms = [
                (
                    -timedelta(days=ahead),
                    f"{text.reviews.reminder_ahead.format(days=ahead)} {summary}",
                ),
                (timedelta(0), f"{text.reviews.reminder} {summary}"),
            ]
        else:
            alarms = [(timedelta(0), f"{text.reminder}: {summary}")]
        for trigger, reminder in alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", reminder)
            alarm.add("trigger", trigger)
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def _ics_time(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment


def _clean(value: str) -> str:
    """Drop control characters (NUL, CR, LF, bidi overrides) from free text."""
    return "".join(ch if ch.isprintable() else " " for ch in value).strip()


@dataclass(frozen=True)
class DayPlan:
    day: date
    ice: tuple[time, ...]
    heat: tuple[time, ...]


def by_day(sessions: Iterable[Session]) -> tuple[DayPlan, ...]:
    """Sessions grouped by calendar day, for tables."""
    days: dict[date, tuple[list[time], list[time]]] = {}
    for s in sorted(items_of(sessions, Session, "sessions")):
        ice, heat = days.setdefault(s.start.date(), ([], []))
        (ice if s.kind == "ice" else heat).append(s.start.time())
    return tuple(DayPlan(d, tuple(i), tuple(h)) for d, (i, h) in sorted(days.items()))


def describe_times(times: Iterable[time]) -> str:
    """Short words for one day's start times: "07:00 to 21:00, every 2 hours (8 times)" when
    they are evenly spaced, else the list; "—" when there are none."""
    if isinstance(times, (str, bytes)) or not isinstance(times, Iterable):
        raise ValueError("times must be a list of times of day")
    times = list(times)
    if not all(isinstance(t, time) for t in times):
        raise ValueError("times must be times of day such as time(7, 0)")
    t = knowledge.active().text
    if not times:
        return t("schedule.no_times")
    if len(times) >= 3:
        minutes = [t.hour * 60 + t.minute for t in times]
        gaps = {b - a for a, b in pairwise(minutes)}
        if len(gaps) == 1 and next(iter(gaps)) % 60 == 0:
            return t(
                "schedule.evenly",
                first=f"{times[0]:%H:%M}",
                last=f"{times[-1]:%H:%M}",
                hours=next(iter(gaps)) // 60,
                count=len(times),
            )
    return t("schedule.list_separator").join(f"{t:%H:%M}" for t in times)


def summarize(sessions: Iterable[Session]) -> str:
    """One plain sentence that says what the schedule (and its chart) shows."""
    sessions = items_of(sessions, Session, "sessions")
    kb = knowledge.active()
    values = {}
    for kind in ("ice", "heat"):
        chosen = [s for s in sessions if s.kind == kind]
        if chosen:
            values[f"{kind}_times"] = kb.count("count.times", len(chosen))
            values[f"{kind}_days"] = kb.count("count.days", len({s.start.date() for s in chosen}))
            values[f"{kind}_minutes"] = chosen[0].minutes
    shape = {frozenset(): "over", frozenset({"ice"}): "ice_only", frozenset({"heat"}): "heat_only"}
    kinds = frozenset(k for k in ("ice", "heat") if f"{k}_times" in values)
    return kb.text(f"schedule.summary.{shape.get(kinds, 'ice_then_heat')}", **values)
