"""One CarePlan from a small PatientProfile: the object the dashboard, the notebooks and the
take-home handout all render.

An emergency or same-day triage result replaces the self-care plan with the urgent advice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Literal

from backcare_lib import cautions, exercise, hydration, knowledge, schedule, triage
from backcare_lib.checks import InputError, whole_number

MAX_NAME_LENGTH = 40
MAX_NOTES_LENGTH = 2000
# Which teaching points each section of a plan carries, and the pathways for some people (the
# answer or age that adds each, and the resting position it uses): content/plan.yaml.
START_BACK = ("not_done", "low", "medium", "high")
START_BACK_WORDS = {"not done": "not_done", "not-done": "not_done", "none": "not_done"}
Area = Literal["lower", "upper"]


BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def clean_text(
    value: object, field: str, *, max_length: int, multiline: bool = False
) -> str | None:
    """Typed text, checked: a string, not too long, no hidden control or text-direction
    characters (line breaks only where ``multiline``). Blank means None. Escaping for HTML and
    calendars happens where the text is written, not here."""
    if not isinstance(field, str) or not field:
        raise ValueError("field must name the field being checked")
    whole_number("max_length", max_length, 1)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, got {type(value).__name__}")
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.replace("\u2028", "\n").replace("\u2029", "\n")
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        raise InputError("input.too_long", field=field, length=len(value), max_length=max_length)
    allowed = "\n\t" if multiline else ""
    for ch in value:
        if ch in BIDI_CONTROLS or (
            unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch not in allowed
        ):
            raise InputError(
                "input.hidden_character_in_lines" if multiline else "input.hidden_character",
                field=field,
                code=f"U+{ord(ch):04X}",
            )
    return value


NAME_PUNCTUATION = frozenset(" '\u2019-.")


def clean_name(name: object) -> str | None:
    """A first name as typed: at most 40 characters of letters (any alphabet), spaces,
    apostrophes, hyphens and dots."""
    name = clean_text(name, "first name", max_length=MAX_NAME_LENGTH)
    if name is None:
        return None
    odd = sorted(
        {
            ch
            for ch in name
            if ch not in NAME_PUNCTUATION and unicodedata.category(ch)[0] not in "LM"
        }
    )
    if odd:
        shown = " ".join(odd[:5])
        raise InputError("input.not_a_name", shown=shown)
    return " ".join(name.split())


@dataclass(frozen=True)
class PatientProfile:
    """What the walkthrough asks. Checked on creation: bad values raise ValueError.

    ``age`` (0-120), ``area`` (lower or upper) and every safety-check answer are needed for a
    plan; while any is missing (None) the safety check is incomplete and no plan is made.
    ``answers`` maps each question id to True (yes), False (no) or None (not sure); it is kept
    as an immutable mapping. The days since the pain began come from ``started``
    (:meth:`days_since_start`).
    """

    started: datetime
    first_name: str | None = None
    area: Area | None = None
    age: int | None = None
    answers: Mapping[str, bool | None] = field(default_factory=lambda: MappingProxyType({}))
    wake: time | None = None  # None: the usual times in care.yaml
    bedtime: time | None = None
    activity: str = "walking"
    notes: str | None = None
    start_back: str = "not_done"  # the clinician's STarT Back category: low, medium, high
    heat_only: bool = False  # moist heat from the start instead of ice first
    lang: str = knowledge.DEFAULT_LANG
    region: str = knowledge.DEFAULT_REGION

    def __post_init__(self) -> None:
        knowledge.check_lang(self.lang)
        knowledge.check_region(self.region)
        _ice, wake, bedtime = schedule.defaults(None, self.wake, self.bedtime)
        object.__setattr__(self, "wake", wake)
        object.__setattr__(self, "bedtime", bedtime)
        object.__setattr__(self, "first_name", clean_name(self.first_name))
        notes = clean_text(self.notes, "notes", max_length=MAX_NOTES_LENGTH, multiline=True)
        object.__setattr__(self, "notes", notes)
        if not isinstance(self.started, datetime):
            raise ValueError(
                f"started must be the date and time the spasm began, got {self.started!r}"
            )
        object.__setattr__(self, "area", triage.check_area(self.area))
        object.__setattr__(self, "age", triage.check_age(self.age))
        object.__setattr__(self, "answers", triage.check_answers(self.answers))
        schedule.check_day(self.wake, self.bedtime)
        if self.activity not in exercise.activities():
            raise ValueError(
                f"activity must be one of {sorted(exercise.activities())}, got {self.activity!r}"
            )
        object.__setattr__(self, "start_back", check_start_back(self.start_back))
        if not isinstance(self.heat_only, bool):
            raise ValueError(f"heat_only must be true or false, got {self.heat_only!r}")

    def check_timing(self, now: datetime) -> None:
        """The spasm cannot start in the future."""
        check_started(self.started, now)

    def days_since_start(self, now: datetime) -> int:
        """Whole days since this bout of pain began (0 on the first day)."""
        check_started(self.started, now)
        started, current = _comparable(self.started, now)
        return max(0, (current - started).days)

    def assessment(self, now: datetime) -> triage.Assessment:
        """The safety check for this profile at ``now``."""
        return triage.assess(
            self.answers, age=self.age, area=self.area, days_since_start=self.days_since_start(now)
        )


def check_start_back(value: object) -> str:
    """The STarT Back category the clinician scored: low, medium, high or not done."""
    if isinstance(value, str):
        word = value.strip().lower()
        word = START_BACK_WORDS.get(word, word)
        if word in START_BACK:
            return word
    raise ValueError(f"start_back must be low, medium, high or not done, got {value!r}")


def check_started(started: object, now: datetime) -> datetime:
    """When the spasm began: a datetime, not in the future."""
    if not isinstance(started, datetime):
        raise ValueError(f"started must be the date and time the spasm began, got {started!r}")
    if not isinstance(now, datetime):
        raise ValueError(f"now must be a datetime, got {now!r}")
    a, b = _comparable(started, now)
    if a > b + timedelta(minutes=5):
        raise InputError("input.start_in_future", when=f"{started:%Y-%m-%d %H:%M}")
    return started


PROFILE_FIELDS = (
    "first_name",
    "started",
    "age",
    "area",
    "wake",
    "bedtime",
    "answers",
    "red_flags",
    "safety_check_version",
    "activity",
    "notes",
    "start_back",
    "heat_only",
    "lang",
    "region",
)
ANSWER_WORDS = {"yes": True, "no": False, "not sure": None, "not_sure": None, "unsure": None}


def profile_from_mapping(data: object, *, now: datetime | None = None) -> PatientProfile:
    """A PatientProfile from a parsed profile file (YAML or JSON): times may be written as
    "07:00"; the start as "2026-11-26 15:00", "now", "today 08:00" or "yesterday 15:00".
    Errors name the field and what is allowed."""
    if not isinstance(data, dict):
        raise ValueError("a profile must be a mapping of field: value (see examples/profile.yaml)")
    unknown = sorted(set(map(str, data)) - set(PROFILE_FIELDS))
    if unknown:
        raise ValueError(f"unknown profile field(s) {unknown}; allowed: {list(PROFILE_FIELDS)}")
    if "started" not in data:
        raise ValueError("started is required: when the spasm began, like 2026-11-26 15:00")
    values = dict(data)
    values["started"] = _parse_datetime(values["started"], now or datetime.now())
    for key in ("wake", "bedtime"):
        if key in values:
            values[key] = _parse_time(key, values[key])
    version = values.pop("safety_check_version", None)
    red_flags = values.pop("red_flags", None)
    if "answers" in values and red_flags is not None:
        raise ValueError(
            "give either answers (every question) or red_flags (the yes answers), not both"
        )
    if red_flags is not None or version is not None:
        _check_version(version)
    if red_flags is not None:
        values["answers"] = triage.answers_from_yes(red_flags)
    elif "answers" in values:
        values["answers"] = _parse_answers(values["answers"])
    return PatientProfile(**values)


def _check_version(version: object) -> None:
    current = triage.VERSION
    if version == current and not isinstance(version, bool):
        return
    if version is None:
        added, said = triage.questions_since(1), "has no safety_check_version"
    elif isinstance(version, int) and not isinstance(version, bool) and 1 <= version < current:
        added, said = triage.questions_since(version), f"is from safety check version {version}"
    else:
        raise ValueError(
            f"safety_check_version must be {current} (the current safety check), got {version!r}"
        )
    raise ValueError(
        f"this profile {said}; the current safety check is version {current}. "
        f"Questions added since: {', '.join(added)}. Ask them, then give every answer under "
        f"answers:, or list the yes answers under red_flags: with safety_check_version: {current}"
    )


def _parse_answers(data: object) -> dict[str, bool | None]:
    """answers: in a profile file: each id -> yes / no / not sure (YAML reads yes and no as
    true and false)."""
    if not isinstance(data, dict):
        raise ValueError(
            "answers must be a mapping of question id to yes, no or not sure; "
            f"valid ids: {sorted(triage.RED_FLAGS)}"
        )
    parsed: dict[str, bool | None] = {}
    for key, value in data.items():
        if isinstance(value, str) and value.strip().lower() in ANSWER_WORDS:
            value = ANSWER_WORDS[value.strip().lower()]
        elif value is not None and not isinstance(value, bool):
            raise ValueError(f"answer to {key!r} must be yes, no or not sure, got {value!r}")
        parsed[key] = value
    return parsed


def _parse_datetime(value: object, now: datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(12))
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "now":
            return now.replace(second=0, microsecond=0)
        word, _, clock = text.partition(" ")
        if word in ("today", "yesterday") and clock:
            day = now.date() - timedelta(days=1 if word == "yesterday" else 0)
            return datetime.combine(day, _parse_time("started", clock))
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(
        "started must be a date and time like 2026-11-26 15:00, or now, "
        f"today 08:00 or yesterday 15:00; got {value!r}"
    )


def _parse_time(field: str, value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 22:30 as the base-60 number 1350 (minutes).
        return time(value // 60, value % 60)
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{field} must be a time of day like 07:00 (24-hour clock), got {value!r}")


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
    reviews: tuple[schedule.Review, ...] = ()  # check-ups still to come, for the calendar
    calendar_warnings: tuple[str, ...] = ()  # a pathway's warning signs on every event
    activity: tuple[exercise.ActivityDay, ...] = ()
    plank: tuple[exercise.PlankStep, ...] = ()
    fluids: hydration.FluidTarget | None = None
    calcium_foods: tuple[hydration.FoodAmount, ...] = ()
    potassium_foods: tuple[hydration.FoodAmount, ...] = ()
    rest_advice: str = ""
    first_days: tuple[knowledge.TeachingPoint, ...] = ()
    medicines: tuple[knowledge.TeachingPoint, ...] = ()
    lasting: tuple[knowledge.TeachingPoint, ...] = ()
    prevention: tuple[knowledge.TeachingPoint, ...] = ()
    expect: tuple[knowledge.TeachingPoint, ...] = ()
    pathways: tuple[knowledge.TeachingPoint, ...] = ()
    cautions: cautions.Cautions | None = None  # None only when no self-care plan is offered
    help_now: knowledge.HelpNow = field(default_factory=lambda: knowledge.active().kit.help_now)
    disclaimer: str = field(default_factory=lambda: knowledge.active().disclaimer)
    safety_net: knowledge.SafetyNet = field(
        default_factory=lambda: knowledge.active().kit.safety_net
    )

    @property
    def heat_only_note(self) -> str:
        """Said when the schedule uses heat from the start (the profile's ``heat_only``)."""
        return self.kb.care.heat_only_note if self.profile.heat_only else ""

    @property
    def follow_up(self) -> str:
        """The follow-up the clinician's STarT Back category points to (NICE NG59)."""
        return self.kb.care.start_back.follow_up[self.profile.start_back]

    @property
    def follow_up_clinician(self) -> str:
        """The same, in the clinician's words, with the guideline it follows."""
        return self.kb.care.start_back.clinician[self.profile.start_back]

    @property
    def self_care(self) -> bool:
        return self.assessment.self_care_plan_offered

    def caution_messages(self, *items: str) -> tuple[str, ...]:
        """The cautions for these plan items (``nsaids``, ``plank`` ...), or all of them."""
        if self.cautions is None:
            return ()
        return tuple(
            rule.caution
            for rule in self.cautions.rules
            if not items or set(items) & (set(rule.withhold) | set(rule.ask_first))
        )

    @property
    def lang(self) -> str:
        return self.profile.lang

    @property
    def region(self) -> str:
        return self.profile.region

    @property
    def kb(self) -> knowledge.KnowledgeBase:
        """The knowledge base in the plan's language and region."""
        return knowledge.load(self.profile.lang, self.profile.region)

    @property
    def greeting(self) -> str:
        name = self.profile.first_name
        t = knowledge.active().text
        return t("plan.greeting_named", name=name) if name else t("plan.greeting")

    @property
    def sources(self) -> tuple[knowledge.Reference, ...]:
        """Every reference behind the points the plan teaches, and the food figures."""
        kb = knowledge.active()
        keys: list[str] = []
        for point in (
            self.first_days
            + self.lasting
            + self.medicines
            + self.prevention
            + self.expect
            + self.pathways
        ):
            keys += [k for k in point.sources if k not in keys]
        extra = [rule.source for rule in self.cautions.rules] if self.cautions else []
        if self.self_care:
            extra += kb.care.start_back.sources
        for key in (*extra, *self.safety_net.sources):
            if key not in keys:
                keys.append(key)
        if self.calcium_foods or self.potassium_foods:
            keys += [k for k in kb.foods.sources if k not in keys]
        for key in ("nice_cks_back_pain", "nhs_cauda_equina", *self.assessment.sources):
            if key not in keys:
                keys.append(key)
        return tuple(kb.reference(k) for k in keys)


def build_plan(profile: PatientProfile, *, now: datetime | None = None) -> CarePlan:
    """Combine the safety check, the cold/heat schedule, activity and plank plans, fluids and
    foods, in the profile's language and region. An incomplete safety check raises ValueError
    naming what is missing: no plan of any kind is made until every question that applies is
    answered and age and area are known. An urgent result, or a rule that withholds it (under
    16), replaces the self-care plan with the advice; pain that began more than 12 weeks ago gets
    advice for pain that has lasted instead of the first-days ice and heat plan."""
    if not isinstance(profile, PatientProfile):
        raise ValueError("profile must be a PatientProfile")
    with knowledge.localized(profile.lang, profile.region):
        return _build_plan(profile, now)


def _build_plan(profile: PatientProfile, now: datetime | None) -> CarePlan:
    now = now or datetime.now(profile.started.tzinfo)
    if not isinstance(now, datetime):
        raise ValueError(f"now must be a datetime, got {now!r}")
    assessment = profile.assessment(now)  # also refuses a start in the future
    if not assessment.complete:
        raise ValueError(
            "the safety check is not finished, so no plan can be made; still needed: "
            + ", ".join(assessment.unanswered)
        )
    if not assessment.self_care_plan_offered:
        return CarePlan(profile=profile, created=now, assessment=assessment)

    kb = knowledge.active()
    sections = kb.plan.sections
    started, current = _comparable(profile.started, now)
    care_cautions = cautions.applicable(profile.answers, profile.age)
    pathways = _pathways(profile, kb)  # pregnancy, older adults (plan.yaml)
    # Core work waits until the spasm has settled (care.yaml plank.start_after_days), knee
    # planks first; none at all while a caution withholds it (pregnancy, weak bones, steroids).
    # A withheld item's own teaching points leave the plan with it (plan.yaml item_points).
    withheld_points = {
        p for item in care_cautions.withheld for p in kb.plan.item_points.get(item, ())
    }
    # A pathway's own points (plan.yaml only_points: NSAIDs in pregnancy) leave the plan of a
    # person it does not apply to.
    withheld_points |= {
        p for way in kb.plan.pathways if way not in pathways for p in way.only_points
    }
    plank: tuple[exercise.PlankStep, ...] = ()
    if "plank" not in care_cautions.withheld:
        plank = exercise.plank_plan(exercise.plank_start(started.date(), current.date()))
    if assessment.lasting_pain:
        sessions: list[schedule.Session] = []
        first_days: tuple[knowledge.TeachingPoint, ...] = ()
        lasting = tuple(kb.point(p) for p in sections.lasting)
    else:
        sessions = schedule.resume_schedule(
            started,
            current,
            wake=profile.wake,
            bedtime=profile.bedtime,
            heat_only=profile.heat_only,
        )
        first_days = tuple(kb.point(p) for p in sections.first_days)
        lasting = ()
    return CarePlan(
        profile=profile,
        created=now,
        assessment=assessment,
        sessions=tuple(sessions),
        reviews=schedule.reviews(profile.started, now, wake=profile.wake),
        calendar_warnings=tuple(
            kb.care.calendar.pathway_warnings[p.id]
            for p in pathways
            if p.id in kb.care.calendar.pathway_warnings
        ),
        activity=exercise.activity_plan(profile.activity, current.date()),
        plank=plank,
        cautions=care_cautions,
        fluids=hydration.fluid_target(),
        calcium_foods=hydration.foods_rich_in("calcium", limit=5),
        potassium_foods=hydration.foods_rich_in("potassium", limit=5),
        rest_advice=_rest_advice(profile, kb, pathways),
        first_days=first_days,
        lasting=lasting,
        medicines=tuple(kb.point(p) for p in sections.medicines if p not in withheld_points),
        prevention=tuple(kb.point(p) for p in sections.prevention if p not in withheld_points),
        expect=tuple(kb.point(p) for p in sections.expect),
        pathways=tuple(kb.point(p.point) for p in pathways),
    )


def _pathways(
    profile: PatientProfile, kb: knowledge.KnowledgeBase
) -> tuple[knowledge.Pathway, ...]:
    """The pathways (content/plan.yaml) whose answer or age applies to this person: a missing
    or "not sure" answer, or an unknown age, counts as applying, as for the cautions."""
    return tuple(
        p for p in kb.plan.pathways if cautions.applies(p.when, profile.answers, profile.age)
    )


def _rest_advice(
    profile: PatientProfile,
    kb: knowledge.KnowledgeBase,
    pathways: tuple[knowledge.Pathway, ...],
) -> str:
    """How to rest: the position of the first pathway that names one (pregnancy: on her side,
    not flat on her back), otherwise the position for the area of the pain."""
    for pathway in pathways:
        if pathway.rest is not None:
            return kb.care.rest_positions[pathway.rest]
    return kb.care.rest_positions[profile.area]
