"""One CarePlan from a small PatientProfile: the object the dashboard, the notebooks and the
take-home handout all render.

An emergency or same-day triage result replaces the self-care plan with the urgent advice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from backcare_lib import exercise, hydration, knowledge, schedule, triage

MAX_NAME_LENGTH = 40
MAX_SPASM_AGE = timedelta(days=365)
ICE_PHASE_HOURS = 72
FIRST_DAYS_POINTS = (
    "ice_how_to",
    "ice_safety",
    "heat_moist",
    "heat_safety",
    "rest_positions",
    "rest_not_too_long",
    "move_walk_swim",
    "med_acetaminophen",
    "med_nsaids",
    "med_drowsy",
    "med_percogesic",
    "med_flexall",
)
PREVENTION_POINTS = (
    "prev_fluids",
    "prev_eight_glasses",
    "prev_alcohol_caffeine",
    "prev_minerals_food",
    "prev_weight",
    "prev_low_impact",
    "prev_stretching",
    "prev_posture",
    "prev_plank",
    "prev_plank_breathe",
    "prev_lifting",
)
Area = Literal["lower", "upper"]


def clean_name(name: object) -> str | None:
    """A first name as typed, checked: text, at most 40 characters, no control characters."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise ValueError(f"first name must be text, got {type(name).__name__}")
    name = unicodedata.normalize("NFC", name).strip()
    if not name:
        return None
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(
            f"first name is {len(name)} characters long; allowed: up to {MAX_NAME_LENGTH}"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise ValueError(
            "first name has hidden control characters (such as line breaks or text-direction "
            "marks); allowed: letters, spaces, apostrophes and hyphens"
        )
    return name


@dataclass(frozen=True)
class PatientProfile:
    """What the walkthrough asks. Checked on creation: bad values raise ValueError."""

    started: datetime
    first_name: str | None = None
    area: Area = "lower"
    wake: time = time(7)
    bedtime: time = time(22)
    red_flags: tuple[str, ...] = ()
    activity: str = "walking"

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_name", clean_name(self.first_name))
        if not isinstance(self.started, datetime):
            raise ValueError(
                f"started must be the date and time the spasm began, got {self.started!r}"
            )
        if self.area not in ("lower", "upper"):
            raise ValueError(f"area must be 'lower' or 'upper' back, got {self.area!r}")
        schedule.check_day(self.wake, self.bedtime)
        if isinstance(self.red_flags, str) or not isinstance(self.red_flags, Iterable):
            raise ValueError("red_flags must be a list of red-flag ids")
        flags = tuple(self.red_flags)
        triage.assess(flags)  # raises ValueError naming the valid ids
        object.__setattr__(self, "red_flags", flags)
        if self.activity not in exercise.activities():
            raise ValueError(
                f"activity must be one of {sorted(exercise.activities())}, got {self.activity!r}"
            )

    def check_timing(self, now: datetime) -> None:
        """The spasm cannot start in the future, nor more than a year ago."""
        started, now = _comparable(self.started, now)
        if started > now + timedelta(minutes=5):
            raise ValueError(
                f"the spasm start {self.started:%Y-%m-%d %H:%M} is in the future; "
                "allowed: now or a time in the past"
            )
        if now - started > MAX_SPASM_AGE:
            raise ValueError(
                f"the spasm start {self.started:%Y-%m-%d} is more than a year ago; "
                "for back pain that has lasted this long, please see your doctor"
            )


def _comparable(a: datetime, b: datetime) -> tuple[datetime, datetime]:
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a, b


@dataclass(frozen=True)
class CarePlan:
    profile: PatientProfile
    created: datetime
    assessment: triage.Assessment
    sessions: tuple[schedule.Session, ...] = ()
    activity: tuple[exercise.ActivityDay, ...] = ()
    plank: tuple[exercise.PlankStep, ...] = ()
    fluids: hydration.FluidTarget | None = None
    calcium_foods: tuple[hydration.FoodAmount, ...] = ()
    potassium_foods: tuple[hydration.FoodAmount, ...] = ()
    rest_advice: str = ""
    first_days: tuple[knowledge.TeachingPoint, ...] = ()
    prevention: tuple[knowledge.TeachingPoint, ...] = ()
    help_now: knowledge.HelpNow = field(default_factory=lambda: knowledge.load().kit.help_now)
    disclaimer: str = field(default_factory=lambda: knowledge.load().disclaimer)

    @property
    def self_care(self) -> bool:
        return self.assessment.self_care_plan_offered

    @property
    def greeting(self) -> str:
        return (
            f"{self.profile.first_name}'s back care plan"
            if self.profile.first_name
            else ("Your back care plan")
        )

    @property
    def sources(self) -> tuple[knowledge.Reference, ...]:
        """Every reference behind the points the plan teaches, and the food figures."""
        kb = knowledge.load()
        keys: list[str] = []
        for point in self.first_days + self.prevention:
            keys += [k for k in point.sources if k not in keys]
        if self.calcium_foods or self.potassium_foods:
            keys += [k for k in kb.foods.sources if k not in keys]
        for key in ("nice_cks_back_pain", "nhs_cauda_equina"):
            if key not in keys:
                keys.append(key)
        return tuple(kb.reference(k) for k in keys)


def build_plan(profile: PatientProfile, *, now: datetime | None = None) -> CarePlan:
    """Combine triage, the cold/heat schedule, activity and plank plans, fluids and foods."""
    if not isinstance(profile, PatientProfile):
        raise ValueError("profile must be a PatientProfile")
    now = now or datetime.now(profile.started.tzinfo)
    if not isinstance(now, datetime):
        raise ValueError(f"now must be a datetime, got {now!r}")
    profile.check_timing(now)
    assessment = triage.assess(profile.red_flags)
    if not assessment.self_care_plan_offered:
        return CarePlan(profile=profile, created=now, assessment=assessment)

    kb = knowledge.load()
    started, current = _comparable(profile.started, now)
    started_at, now_at = _comparable(profile.started, now)
    sessions = schedule.resume_schedule(
        started_at, now_at, ice_hours=ICE_PHASE_HOURS, wake=profile.wake, bedtime=profile.bedtime
    )
    moving_from = current.date()
    plank_from = max(current.date(), (started + timedelta(hours=ICE_PHASE_HOURS)).date())
    return CarePlan(
        profile=profile,
        created=now,
        assessment=assessment,
        sessions=tuple(sessions),
        activity=exercise.activity_plan(profile.activity, moving_from),
        plank=exercise.plank_plan(plank_from),
        fluids=hydration.fluid_target(),
        calcium_foods=hydration.foods_rich_in("calcium", limit=5),
        potassium_foods=hydration.foods_rich_in("potassium", limit=5),
        rest_advice=kb.care.rest_positions[profile.area],
        first_days=tuple(kb.point(p) for p in FIRST_DAYS_POINTS),
        prevention=tuple(kb.point(p) for p in PREVENTION_POINTS),
    )


def plan_start_date(plan: CarePlan) -> date:
    return plan.created.date()
