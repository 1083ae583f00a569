"""Moving again: a day-by-day activity plan for the first 2 weeks, and a plank progression.

Both start small and build up in small steps; every step carries the stop rule (pain means
stop). The figures are in ``content/care.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backcare_lib import knowledge
from backcare_lib.checks import items_of, whole_number

PLAN_DAYS = 14


@dataclass(frozen=True)
class ActivityDay:
    day: int
    date: date
    activity: str
    label: str
    minutes: int
    sessions: int
    tip: str
    stop_rule: str


@dataclass(frozen=True)
class PlankStep:
    step: int
    first_day: date
    days: int
    hold_seconds: int
    times_per_day: int
    cue: str
    stop_rule: str
    knee: bool = False  # the easier plank, on the knees and forearms


def activities() -> dict[str, str]:
    """Activity id -> label, for choosers."""
    return {key: rule.label for key, rule in knowledge.active().care.activities.items()}


def _check_date(name: str, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValueError(f"{name} must be a date, got {value!r}")
    return value


def activity_plan(activity: str, start: date, *, days: int = PLAN_DAYS) -> tuple[ActivityDay, ...]:
    """Minutes per session for each of the first ``days`` days: short at first, then a few
    minutes more every couple of days, up to a cap."""
    care = knowledge.active().care
    if not isinstance(activity, str) or activity not in care.activities:
        raise ValueError(f"activity must be one of {sorted(care.activities)}, got {activity!r}")
    start = _check_date("start", start)
    whole_number("days", days, 1, 28)
    rule = care.activities[activity]
    plan = []
    for i in range(days):
        minutes = min(
            rule.max_minutes, rule.start_minutes + (i // rule.step_every_days) * rule.step_minutes
        )
        plan.append(
            ActivityDay(
                day=i + 1,
                date=start + timedelta(days=i),
                activity=activity,
                label=rule.label,
                minutes=minutes,
                sessions=rule.sessions_per_day,
                tip=rule.tip,
                stop_rule=care.stop_rule,
            )
        )
    return tuple(plan)


def plank_start(started: date, today: date) -> date:
    """The first day of core work: once the spasm has settled (``start_after_days`` after it
    began, from ``care.yaml``), or today if that is later. Never in the first days."""
    started, today = _check_date("started", started), _check_date("today", today)
    wait = timedelta(days=knowledge.load().care.plank.start_after_days)
    return max(today, started + wait)


def plank_plan(start: date) -> tuple[PlankStep, ...]:
    """From ``start`` (see :func:`plank_start`): first the easier plank on the knees for a few
    steps, then the full plank from 20 seconds a few times a day, adding a few seconds every
    few days up to a cap."""
    start = _check_date("start", start)
    care = knowledge.active().care
    rule = care.plank
    steps = []
    knee_holds = [rule.start_seconds + i * rule.step_seconds for i in range(rule.knee_steps)]
    holds = [min(h, rule.cap_seconds) for h in knee_holds]
    hold = rule.start_seconds
    while True:
        holds.append(hold)
        if hold >= rule.cap_seconds:
            break
        hold = min(rule.cap_seconds, hold + rule.step_seconds)
    for i, hold in enumerate(holds):
        knee = i < rule.knee_steps
        steps.append(
            PlankStep(
                step=i + 1,
                first_day=start + timedelta(days=i * rule.step_every_days),
                days=rule.step_every_days,
                hold_seconds=hold,
                times_per_day=rule.times_per_day,
                cue=rule.knee_cue + " " + rule.cue if knee else rule.cue,
                stop_rule=care.stop_rule,
                knee=knee,
            )
        )
    return tuple(steps)


@dataclass(frozen=True)
class Stage:
    first_day: int
    last_day: int
    minutes: int
    sessions: int


def stages(plan: tuple[ActivityDay, ...]) -> tuple[Stage, ...]:
    """Runs of days with the same minutes: "days 1-2: 5 minutes, twice a day"."""
    out: list[Stage] = []
    for d in items_of(plan, ActivityDay, "plan"):
        if out and out[-1].minutes == d.minutes:
            out[-1] = Stage(out[-1].first_day, d.day, d.minutes, d.sessions)
        else:
            out.append(Stage(d.day, d.day, d.minutes, d.sessions))
    return tuple(out)


def times_word(n: int) -> str:
    whole_number("n", n, 1)
    return knowledge.active().count("count.how_often", n)


def summarize_activity(plan: tuple[ActivityDay, ...]) -> str:
    plan = items_of(plan, ActivityDay, "plan")
    if not plan:
        return ""
    first, last = plan[0], plan[-1]
    return knowledge.active().text(
        "exercise.activity_summary",
        activity=first.label,
        minutes=first.minutes,
        how_often=times_word(first.sessions),
        last_minutes=last.minutes,
        last_day=last.day,
    )


def summarize_plank(steps: tuple[PlankStep, ...]) -> str:
    """One sentence: when the plank starts, the knee steps first, then the full plank."""
    steps = items_of(steps, PlankStep, "steps")
    if not steps:
        return ""
    first, last = steps[0], steps[-1]
    knees = [s for s in steps if s.knee]
    toes = [s for s in steps if not s.knee]
    step = toes[1].hold_seconds - toes[0].hold_seconds if len(toes) > 1 else 0
    return knowledge.active().text(
        "exercise.plank_summary",
        date=knowledge.active().date(first.first_day, "day_long_month"),
        seconds=first.hold_seconds,
        how_often=times_word(first.times_per_day),
        knee_days=len(knees) * first.days,
        toes_seconds=toes[0].hold_seconds if toes else first.hold_seconds,
        step=step,
        days=first.days,
        last_seconds=last.hold_seconds,
    )
