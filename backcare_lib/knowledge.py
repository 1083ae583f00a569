"""The knowledge base: typed models of the content files, loading, validation and look-ups.

Every fact the kit teaches, and every word a reader sees, lives in ``backcare_lib/content/``.
:func:`load` reads and validates all of it once (cached) and returns a frozen
:class:`KnowledgeBase`. A bad file is reported as :class:`ContentError` (a ``ValueError``)
naming the file, the entry id and the field.

Short texts (labels, headings, messages, summaries) live in ``content/text.yaml`` under dotted
ids and are looked up with :meth:`KnowledgeBase.text`, which fills their ``{format}`` fields.

Languages and regions are overlays on that one base (English, international):

- a language overlay, ``content/lang/<lang>/`` (``lang/es/``), holds any content file again with
  only its words: entries are matched by ``id`` (or ``key``), other lists by position, and an
  overlay may replace text only, never an id, a source, a number or a rule (ContentError). A
  text with no translation yet stays wholly English (``tests/test_translations.py`` makes that
  a failure);
- a region overlay, ``content/regions/<region>.yaml``, is small: the paper size, the drink unit,
  and per language the *terms* that differ by region (the emergency number, where to go, the
  names of medicines). Base texts name a term as ``{region.emergency_number}``; it is filled in
  when the content is loaded (capitalised at the start of a sentence), in the language of the
  text it sits in. Tiers and rules never change by region: only words, numbers and names do.

Code that shows text to a reader asks for :func:`active`, the knowledge base of the language and
region in force: English for an international reader unless a caller chose another with
:func:`localized` (like Django's ``translation.override``) or :func:`set_default`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import string
from collections.abc import Iterator
from datetime import date as date_type
from datetime import time
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CONTENT_DIR = Path(__file__).with_name("content")
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
LANGUAGES = ("en", "es")
REGIONS = ("us", "uk", "intl")
DEFAULT_LANG, DEFAULT_REGION = "en", "intl"
# Fields an overlay may never change: they are ids, links, rules and times, not words.
NOT_TEXT = frozenset(
    {"id", "key", "sources", "evidence_level", "urgency", "url", "kind", "flag", "level", "code"}
    | {"uses_plan", "if", "tier", "source", "plan", "section", "ask_if", "since", "min_age"}
    | {"when", "withhold", "ask_first", "file", "default_wake", "default_bedtime"}
)
# In a page's blocks these name things by id (a heading's text id, a partial, a tool, a picture).
BLOCK_IDS = frozenset({"heading", "part", "tool", "image", "points", "disclaimer"})
# Fields that hold a list of ids where they hold strings (lesson blocks name teaching points).
ID_LISTS = frozenset({"points"})
# Files that are not translated: citations name published works by their own titles, and
# plan.yaml holds only the ids of teaching points.
UNTRANSLATED_FILES = frozenset({"references.yaml", "plan.yaml"})
TEXTS = "text.yaml"
TERM = re.compile(r"\{region\.([a-z][a-z0-9_]*)\}")
EvidenceLevel = Literal["good", "some", "little", "common", "safety"]
FlagUrgency = Literal["emergency", "same_day", "see_gp"]
Section = Literal["emergency", "same_day", "see_gp", "about"]


class ContentError(ValueError):
    """A content file is missing, malformed, or refers to something that does not exist."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Reference(_Frozen):
    key: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    year: int | None = Field(ge=1950, le=2100)  # None: the page shows no date (say so, never guess)
    updated: int | None = Field(default=None, ge=1950, le=2100)
    url: str | None = Field(default=None, pattern=r"^https://")
    kind: Literal["source", "guideline", "review", "study", "label", "data"]

    def citation(self, *, short: bool = False, t=None) -> str:
        """One line: title, publisher, year (and update), URL. ``short`` drops the authors and
        journal details kept in brackets at the end of a title (for a printed handout). ``t``:
        the text look-up of the reader's language (``KnowledgeBase.text``; English if left out)
        for the words around the year."""
        t = t or load().text
        title = re.sub(r"\s*\((?:[^()]|\([^()]*\))*\)$", "", self.title) if short else self.title
        if self.year is None:
            year = t("reference.no_date")
        elif self.updated:
            year = t("reference.updated", year=self.year, updated=self.updated)
        else:
            year = str(self.year)
        parts = [title, self.publisher, year]
        if self.url:
            parts.append(self.url)
        return ". ".join(parts)


class Correction(_Frozen):
    """Where the source article is unsafe or out of date: what it says, and the safe version."""

    article_says: str = Field(min_length=5)
    instead: str = Field(min_length=5)


class TeachingPoint(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3, max_length=80)
    takeaway: str | None = Field(default=None, max_length=110)
    text: str = Field(min_length=20)
    sources: tuple[str, ...] = Field(min_length=1)
    evidence_level: EvidenceLevel
    evidence: str = Field(min_length=5, max_length=160)
    clinician_note: str | None = None
    correction: Correction | None = None

    @field_validator("evidence")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value:
            raise ValueError("the evidence note must be one line")
        return value


class Choice(_Frozen):
    text: str = Field(min_length=1)
    correct: bool
    feedback: str = Field(min_length=5)


class QuizItem(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    question: str = Field(min_length=5)
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=6)

    @model_validator(mode="after")
    def _exactly_one_correct(self) -> QuizItem:
        correct = sum(choice.correct for choice in self.choices)
        if correct != 1:
            raise ValueError(f"needs exactly one correct choice, has {correct}")
        return self

    @property
    def correct_index(self) -> int:
        return next(i for i, choice in enumerate(self.choices) if choice.correct)


class Module(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    summary: str = Field(min_length=5)
    points: tuple[TeachingPoint, ...] = Field(min_length=1)
    quiz: tuple[QuizItem, ...] = Field(min_length=3)


class UrgencyText(_Frozen):
    label: str = Field(min_length=3)
    advice: str = Field(min_length=10)


class Question(_Frozen):
    """One safety-check question, answered Yes, No or Not sure."""

    id: str = Field(pattern=ID_PATTERN)
    section: Section
    since: int = Field(ge=1)
    question: str = Field(min_length=5)
    help: str = Field(min_length=5)
    min_age: int | None = Field(default=None, ge=1, le=120)
    ask_if: str | None = None


class Rule(_Frozen):
    """A clinical rule: when its condition is true it fires, with its tier and reason."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=ID_PATTERN)
    when: Any = Field(alias="if")
    tier: FlagUrgency
    reason: str = Field(min_length=3)
    source: str = Field(pattern=ID_PATTERN)
    advice: str | None = None
    plan: Literal["withheld", "lasting"] | None = None

    @field_validator("when")
    @classmethod
    def _condition(cls, value: Any) -> Any:
        return parse_condition(value)


FACT_CONDITIONS = {"age_at_least": int, "age_under": int, "days_over": int, "area": str}


def parse_condition(value: Any) -> Any:
    """A rule's condition as nested tuples: ("yes", id), ("any", (...)), ("all", (...)), or a
    fact test such as ("age_at_least", 65). Question ids are checked by the Triage model."""
    if isinstance(value, str):
        if not re.match(ID_PATTERN, value):
            raise ValueError(f"{value!r} is not a question id")
        return ("yes", value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and value[0] in ("yes", "any", "all"):
        return tuple(value)  # already parsed
    if isinstance(value, (tuple, list)) and len(value) == 2 and value[0] in FACT_CONDITIONS:
        return tuple(value)
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError(
            "a condition is a question id, or one of {any: [...]}, {all: [...]}, "
            f"{{{'|'.join(FACT_CONDITIONS)}: value}}; got {value!r}"
        )
    ((key, arg),) = value.items()
    if key in ("any", "all"):
        if not isinstance(arg, list) or not arg:
            raise ValueError(f"{key} needs a non-empty list of conditions, got {arg!r}")
        return (key, tuple(parse_condition(item) for item in arg))
    if key in FACT_CONDITIONS:
        if key == "area":
            if arg not in ("lower", "upper"):
                raise ValueError(f"area must be lower or upper, got {arg!r}")
        elif isinstance(arg, bool) or not isinstance(arg, int) or not 0 <= arg <= 36500:
            raise ValueError(f"{key} needs a whole number, got {arg!r}")
        return (key, arg)
    raise ValueError(
        f"unknown condition {key!r}; allowed: any, all, {', '.join(FACT_CONDITIONS)}, "
        "or a question id"
    )


def condition_ids(condition: Any) -> Iterator[str]:
    """Every question id a parsed condition names."""
    kind, arg = condition
    if kind == "yes":
        yield arg
    elif kind in ("any", "all"):
        for item in arg:
            yield from condition_ids(item)


class AnswerLabels(_Frozen):
    yes: str
    no: str
    not_sure: str


class IncompleteText(_Frozen):
    label: str = Field(min_length=3)
    advice: str = Field(min_length=10)
    missing: str
    more: str
    not_sure_title: str


class HelpNow(_Frozen):
    title: str
    text: str
    signs: tuple[str, ...] = Field(min_length=1)


class SafetyTier(_Frozen):
    level: FlagUrgency
    title: str = Field(min_length=5)
    action: str = Field(min_length=5)
    signs: tuple[str, ...] = Field(min_length=1)


class SafetyNet(_Frozen):
    """All three tiers of warning signs, for every plan."""

    title: str
    intro: str
    emergency_numbers: str
    sources: tuple[str, ...] = Field(min_length=1)
    tiers: tuple[SafetyTier, ...]

    @field_validator("tiers")
    @classmethod
    def _three_tiers_in_order(cls, value: tuple) -> tuple:
        levels = [t.level for t in value]
        if levels != ["emergency", "same_day", "see_gp"]:
            raise ValueError(f"needs the tiers emergency, same_day, see_gp in order, got {levels}")
        return value


class KitText(_Frozen):
    disclaimer: str = Field(min_length=20)
    evidence_levels: dict[EvidenceLevel, str]
    help_now: HelpNow
    safety_net: SafetyNet


class Triage(_Frozen):
    """The safety check: questions, the rules that read them, and each tier's advice."""

    version: int = Field(ge=1)
    instructions: str = Field(min_length=10)
    facts: dict[Literal["age", "area", "days_since_start"], str]
    sections: dict[Section, str]
    answers: AnswerLabels
    incomplete: IncompleteText
    tiers: dict[Literal["self_care", "see_gp", "same_day", "emergency"], UrgencyText]
    questions: tuple[Question, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = Field(min_length=1)

    @field_validator("tiers")
    @classmethod
    def _all_levels(cls, value: dict) -> dict:
        missing = {"self_care", "see_gp", "same_day", "emergency"} - set(value)
        if missing:
            raise ValueError(f"missing tiers: {sorted(missing)}")
        return value

    @model_validator(mode="after")
    def _rules_name_known_questions(self) -> Triage:
        ids: list[str] = []
        for question in self.questions:
            if question.ask_if is not None and question.ask_if not in ids:
                raise ValueError(
                    f"question {question.id!r}: ask_if {question.ask_if!r} must name a "
                    "question asked before it"
                )
            if question.since > self.version:
                raise ValueError(
                    f"question {question.id!r}: since {question.since} is after the "
                    f"check's version {self.version}"
                )
            ids.append(question.id)
        for rule in self.rules:
            for name in condition_ids(rule.when):
                if name not in ids:
                    raise ValueError(
                        f"rule {rule.id!r} names unknown question id {name!r}; "
                        f"known ids: {sorted(ids)}"
                    )
        return self

    @property
    def urgencies(self) -> dict[str, UrgencyText]:
        return self.tiers


class CalendarEntry(_Frozen):
    summary: str
    description: str


class ReviewEvent(CalendarEntry):
    days: int = Field(ge=1, le=365)  # after the day the pain began


class ReviewEvents(_Frozen):
    """The check-ups as calendar events (care.yaml calendar.reviews)."""

    after_wake_minutes: int = Field(ge=0, le=12 * 60)
    minutes: int = Field(ge=5, le=120)
    remind_days_before: int = Field(ge=1, le=7)  # a reminder ahead: time to book a visit
    reminder_ahead: str  # that reminder's words, with {days}
    reminder: str  # the reminder at the check-up's start (not the ice and heat wording)
    events: tuple[ReviewEvent, ...] = Field(min_length=1)

    @field_validator("events")
    @classmethod
    def _in_order(cls, events: tuple[ReviewEvent, ...]) -> tuple[ReviewEvent, ...]:
        days = [e.days for e in events]
        if days != sorted(set(days)):
            raise ValueError(f"review events must be in order of days, each once, got {days}")
        return events


class CalendarText(_Frozen):
    ice: CalendarEntry
    heat: CalendarEntry
    reviews: ReviewEvents
    reminder: str
    warning: str  # each reminder's emergency line, before kit.safety_net.emergency_numbers
    # the warning signs of a pathway (plan.yaml pathways, by id), after that line
    pathway_warnings: dict[str, str] = Field(default_factory=dict)
    footer: str


class ScheduleRules(_Frozen):
    ice_phase_hours: int = Field(ge=48, le=72)
    default_wake: time
    default_bedtime: time
    heat_days: int = Field(ge=1, le=14)
    heat_sessions_per_day: int = Field(ge=1, le=6)
    heat_minutes: int = Field(ge=5, le=20)
    ice_minutes: int = Field(ge=5, le=20)
    ice_every_hours: int = Field(ge=2, le=6)


class ActivityRules(_Frozen):
    label: str
    start_minutes: int = Field(ge=1, le=30)
    step_minutes: int = Field(ge=1, le=10)
    step_every_days: int = Field(ge=1, le=7)
    max_minutes: int = Field(ge=5, le=60)
    sessions_per_day: int = Field(ge=1, le=4)
    tip: str
    first_weeks: bool  # offered for the first 2 weeks (the article: walking, swimming)


class PlankRules(_Frozen):
    start_after_days: int = Field(ge=3, le=28)
    knee_steps: int = Field(ge=1, le=6)
    knee_cue: str
    start_seconds: int = Field(ge=5, le=30)
    step_seconds: int = Field(ge=1, le=15)
    step_every_days: int = Field(ge=1, le=14)
    cap_seconds: int = Field(ge=20, le=120)
    times_per_day: int = Field(ge=1, le=6)
    cue: str
    cap_note: str


class DrinkKind(_Frozen):
    label: str
    counts: bool
    flag: Literal["caffeine", "alcohol"] | None = None


class HydrationRules(_Frozen):
    target_glasses: int = Field(ge=1, le=20)
    glass_ml: int = Field(ge=100, le=500)
    note: str
    limit_note: str
    evidence: str = Field(max_length=160)
    drinks: dict[str, DrinkKind]
    flags: dict[Literal["caffeine", "alcohol"], str]


StartBack = Literal["not_done", "low", "medium", "high"]


class StartBackText(_Frozen):
    label: str
    options: dict[StartBack, str]
    heading: str
    follow_up: dict[StartBack, str]
    clinician: dict[StartBack, str]
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_category(self) -> StartBackText:
        for name in ("options", "follow_up", "clinician"):
            missing = set(StartBack.__args__) - set(getattr(self, name))
            if missing:
                raise ValueError(f"{name} is missing {sorted(missing)}")
        return self


class CareText(_Frozen):
    calendar: CalendarText
    schedule: ScheduleRules
    # By area of the pain; other keys are positions a plan pathway uses instead (plan.yaml).
    rest_positions: dict[str, str]
    heat_only_note: str
    stop_rule: str
    activities: dict[str, ActivityRules] = Field(min_length=1)
    plank: PlankRules
    hydration: HydrationRules
    start_back: StartBackText

    @field_validator("rest_positions")
    @classmethod
    def _both_areas(cls, value: dict[str, str]) -> dict[str, str]:
        missing = {"lower", "upper"} - set(value)
        if missing:
            raise ValueError(f"rest_positions is missing {sorted(missing)}")
        bad = [k for k in value if not re.match(ID_PATTERN, k)]
        if bad:
            raise ValueError(f"rest_positions keys must be ids, got {bad}")
        return value


class Food(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    serving: str
    calcium_mg: int | None = Field(default=None, ge=0, le=2000)
    potassium_mg: int | None = Field(default=None, ge=0, le=5000)

    @model_validator(mode="after")
    def _has_a_mineral(self) -> Food:
        if self.calcium_mg is None and self.potassium_mg is None:
            raise ValueError("a food needs calcium_mg or potassium_mg")
        return self


class FoodTable(_Frozen):
    daily_values_mg: dict[Literal["calcium", "potassium"], int]
    sources: tuple[str, ...] = Field(min_length=1)
    foods: tuple[Food, ...] = Field(min_length=4)


class DashboardBlock(_Frozen):
    """One block of a dashboard step: teaching points, a heading (a text id under
    ``heading.``), a part (a partial in ``templates/partials/``) or a tool (a widget)."""

    points: tuple[str, ...] = ()
    heading: str | None = Field(default=None, pattern=ID_PATTERN)
    part: str | None = Field(default=None, pattern=ID_PATTERN)
    tool: Literal["safety_check", "profile_form", "language_choice"] | None = None
    # Shown only for pain of the first weeks (`first_days`) or pain that has lasted more than
    # 12 weeks (`lasting`, the safety check's rule); shown always when not given.
    when: Literal["first_days", "lasting"] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> DashboardBlock:
        if sum([bool(self.points), bool(self.heading), bool(self.part), bool(self.tool)]) != 1:
            raise ValueError("a block holds exactly one of: points, heading, part, tool")
        return self


class DashboardStep(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    intro: str
    # "self_care": shows the self-care plan, withheld when none is offered; "any": shows the
    # plan whatever it says (the verdict, or why there is no self-care plan); "no": static.
    uses_plan: Literal["no", "self_care", "any"] = "no"
    blocks: tuple[DashboardBlock, ...] = ()


class DashboardText(_Frozen):
    title: str
    start_hours_ago: int = Field(ge=0, le=48)
    steps: tuple[DashboardStep, ...] = Field(min_length=1)
    age_label: str
    age_placeholder: str
    age_missing: str
    area_missing: str
    not_offered: str
    fix_fields: str

    def step(self, step_id: str) -> DashboardStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise ValueError(f"unknown dashboard step {step_id!r}; known: {self.step_ids}")

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)


FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


# Each date style of text.yaml's date.*, and the names it uses (short "Fri", "Nov" or long
# "Friday", "November").
DATE_STYLES = {
    "day_month": "short",
    "weekday_day_month": "short",
    "day_month_year": "short",
    "day_long_month": "long",
    "full": "long",
}


def format_fields(template: str) -> tuple[str, ...]:
    """The ``{name}`` fields of a text, in order (``{{`` and ``}}`` are literal braces)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"bad braces: {exc}") from None
    return tuple(name for _lit, name, _spec, _conv in parsed if name is not None)


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in data.items():
        out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


class LessonBlock(_Frozen):
    """One piece of a lesson section: teaching points (shown as text), the disclaimer, or a
    code cell (a tool, a quiz, a chart)."""

    points: tuple[str, ...] = ()
    disclaimer: bool = False
    code: str | None = None
    # A picture: a PNG in the repository's docs/images, put in the notebook as an attachment
    # (so a copied lesson still shows it), with its alt text.
    image: str | None = Field(default=None, pattern=r"^[a-z0-9-]+\.png$")
    alt: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> LessonBlock:
        kinds = [bool(self.points), self.disclaimer, self.code is not None, bool(self.image)]
        if sum(kinds) != 1:
            raise ValueError("a block holds exactly one of: points, disclaimer, code, image")
        if self.image and not self.alt:
            raise ValueError("an image needs its alt text")
        return self


class LessonSection(_Frozen):
    heading: str = Field(min_length=2)
    level: Literal[2, 3] = 2
    text: str | None = None  # markdown
    blocks: tuple[LessonBlock, ...] = ()


class Lesson(_Frozen):
    """A lesson notebook, declared: ``make lessons`` writes ``notebooks/<id>.ipynb`` from it."""

    id: str = Field(pattern=r"^[0-9]{2}_[a-z0-9_]+$")
    title: str = Field(min_length=3)
    intro: str | None = None
    overview: str = Field(min_length=10)
    learn: tuple[str, ...] = Field(min_length=1)
    imports: str | None = None
    sections: tuple[LessonSection, ...] = Field(min_length=1)
    summary: str = Field(min_length=10)
    sources: tuple[str, ...] = ()  # module ids whose points' references are listed
    sources_note: str | None = None


CautionItem = Literal["nsaids", "acetaminophen", "sedating", "plank"]


class CautionWhen(_Frozen):
    """One condition: a safety-check answer (by question id) or an age threshold."""

    answer: str | None = Field(default=None, pattern=ID_PATTERN)
    age_at_least: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _exactly_one(self) -> CautionWhen:
        if (self.answer is None) == (self.age_at_least is None):
            raise ValueError("a condition names exactly one of answer or age_at_least")
        return self


class CautionRule(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    when: CautionWhen
    withhold: tuple[CautionItem, ...] = ()
    ask_first: tuple[CautionItem, ...] = ()
    caution: str = Field(min_length=10)
    source: str

    @model_validator(mode="after")
    def _does_something(self) -> CautionRule:
        if not self.withhold and not self.ask_first:
            raise ValueError("a caution rule must withhold or ask first about at least one item")
        return self


class CautionTable(_Frozen):
    items: dict[CautionItem, str]
    rules: tuple[CautionRule, ...] = Field(min_length=1)


class LessonEntry(_Frozen):
    file: str = Field(pattern=r"^\d\d_[a-z0-9_]+$")
    title: str = Field(min_length=3)
    blurb: str = Field(min_length=5)


class IndexText(_Frozen):
    title: str
    intro: str
    note: str
    next: str


class PlannerText(_Frozen):
    late_after_days: int = Field(ge=1, le=14)


class LessonsText(_Frozen):
    """The lessons in order, and the words of the ``make learn`` index page. (The words of the
    lessons' tools are texts: ``timer.*``, ``planner.*``, ``diary.*`` ... in text.yaml.)"""

    index: IndexText
    lessons: tuple[LessonEntry, ...] = Field(min_length=1)
    planner: PlannerText


class PlanSections(_Frozen):
    first_days: tuple[str, ...] = Field(min_length=1)
    lasting: tuple[str, ...] = Field(min_length=1)
    medicines: tuple[str, ...] = Field(min_length=1)
    prevention: tuple[str, ...] = Field(min_length=1)
    expect: tuple[str, ...] = Field(min_length=1)


class Pathway(_Frozen):
    """A pathway for some people: a teaching point the plan adds when an answer (or an age)
    applies, and optionally the resting position (``care.yaml`` ``rest_positions``) it uses in
    place of the one for the area of the pain."""

    id: str = Field(pattern=ID_PATTERN)
    when: CautionWhen
    point: str = Field(pattern=ID_PATTERN)
    rest: str | None = Field(default=None, pattern=ID_PATTERN)
    # points of the plan's sections for these people only: they leave any other plan
    only_points: tuple[str, ...] = ()


class PlanContent(_Frozen):
    """``plan.yaml``: the teaching points of each section of a care plan, the pathways for some
    people, and the points the take-home plan shows in another form."""

    sections: PlanSections
    pathways: tuple[Pathway, ...] = ()
    item_points: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    handout_shown_elsewhere: frozenset[str] = frozenset()


class Region(_Frozen):
    """What differs by region: the paper the plan prints on, the drink unit, and the words
    (``terms``) of one language: numbers to call, where to go, names of medicines."""

    id: Literal["us", "uk", "intl"]
    name: str
    paper: Literal["letter", "A4"]
    volume_unit: Literal["fl_oz", "ml"]
    terms: dict[str, str]

    def volume(self, millilitres: float) -> str:
        """A drink amount in the unit readers of this region expect: "8 fl oz" or "240 ml"."""
        if isinstance(millilitres, bool) or not isinstance(millilitres, (int, float)):
            raise ValueError(f"millilitres must be a number, got {millilitres!r}")
        if millilitres < 0:
            raise ValueError(f"millilitres must be 0 or more, got {millilitres!r}")
        if self.volume_unit == "fl_oz":
            return f"{round(millilitres / ML_PER_FL_OZ):g} fl oz"
        return f"{round(millilitres):g} ml"


ML_PER_FL_OZ = 29.5735


class KnowledgeBase(_Frozen):
    lang: Literal["en", "es"] = "en"
    region: Literal["us", "uk", "intl"] = "intl"
    region_info: Region
    texts: dict[str, str] = Field(default_factory=dict)
    kit: KitText
    references: tuple[Reference, ...]
    modules: tuple[Module, ...]
    triage: Triage
    care: CareText
    foods: FoodTable
    dashboard: DashboardText
    cautions: CautionTable
    lessons: tuple[Lesson, ...] = ()
    self_study: LessonsText
    plan: PlanContent

    @field_validator("texts")
    @classmethod
    def _texts_format(cls, value: dict[str, str]) -> dict[str, str]:
        for text_id, template in value.items():
            if not isinstance(template, str) or not template.strip():
                raise ValueError(f"text {text_id!r} must be a non-empty string")
            bad = [f for f in format_fields(template) if not FIELD_NAME.match(f)]
            if bad:
                raise ValueError(f"text {text_id!r}: fields must be plain names, got {bad}")
        return value

    # -- look-ups -------------------------------------------------------------------------
    def text(self, text_id: str, /, **values: object) -> str:
        """The reader-facing text ``text_id`` (from ``text.yaml``), its ``{fields}`` filled
        from ``values``. An unknown id, or a missing or unexpected value, is a ValueError: a
        programmer's error, found by the tests, never shown to a reader."""
        try:
            template = self.texts[text_id]
        except KeyError:
            near = sorted(t for t in self.texts if t.split(".")[0] == text_id.split(".")[0])
            raise ValueError(f"unknown text id {text_id!r}; ids nearby: {near[:12]}") from None
        fields = set(format_fields(template))
        if fields != set(values):
            raise ValueError(
                f"text {text_id!r} takes the values {sorted(fields)}, got {sorted(values)}"
            )
        return template.format(**values)

    def date(self, value: date_type, style: str = "weekday_day_month") -> str:
        """``value`` (a date or datetime) in words of the reader's language, in one of the
        styles of ``text.yaml``'s ``date.*`` (see ``DATE_STYLES``)."""
        if style not in DATE_STYLES:
            raise ValueError(f"date style must be one of {sorted(DATE_STYLES)}, got {style!r}")
        if not isinstance(value, date_type):
            raise ValueError(f"value must be a date or datetime, got {value!r}")
        names = DATE_STYLES[style]
        parts = {
            "weekday": self.text(f"date.weekday.{names}.{value.isoweekday()}"),
            "day": f"{value.day:02d}",
            "month": self.text(f"date.month.{names}.{value.month}"),
            "year": str(value.year),
        }
        text_id = f"date.{style}"
        return self.text(text_id, **{f: parts[f] for f in format_fields(self.texts[text_id])})

    def text_list(self, prefix: str) -> tuple[str, ...]:
        """The texts ``<prefix>.1``, ``<prefix>.2`` ... in order (a list of steps, say)."""
        found = {
            int(key): value
            for text_id, value in self.texts.items()
            if text_id.startswith(prefix + ".") and (key := text_id[len(prefix) + 1 :]).isdigit()
        }
        if not found:
            raise ValueError(f"no texts numbered under {prefix!r}")
        return tuple(found[n] for n in sorted(found))

    def count(self, text_id: str, n: int) -> str:
        """A counted phrase: ``<text_id>.<n>`` if content has one for this exact number (e.g.
        "once", "twice"), else ``<text_id>.one`` for 1 and ``<text_id>.other`` otherwise,
        each with ``{n}`` filled in."""
        exact = f"{text_id}.{n}"
        if exact in self.texts:
            return self.text(exact, **({"n": n} if "{n}" in self.texts[exact] else {}))
        return self.text(f"{text_id}.{'one' if n == 1 else 'other'}", n=n)

    @property
    def disclaimer(self) -> str:
        return self.kit.disclaimer

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise ValueError(
            f"unknown module {module_id!r}; known modules: {[m.id for m in self.modules]}"
        )

    def iter_points(self) -> Iterator[tuple[Module, TeachingPoint]]:
        for module in self.modules:
            for point in module.points:
                yield module, point

    def point(self, point_id: str) -> TeachingPoint:
        for _module, point in self.iter_points():
            if point.id == point_id:
                return point
        raise ValueError(f"unknown teaching point {point_id!r}; see knowledge.load().modules")

    def module_of(self, point_id: str) -> Module:
        for module, point in self.iter_points():
            if point.id == point_id:
                return module
        raise ValueError(f"unknown teaching point {point_id!r}")

    def reference(self, key: str) -> Reference:
        for ref in self.references:
            if ref.key == key:
                return ref
        raise ValueError(f"unknown reference {key!r}; known: {[r.key for r in self.references]}")

    def sources_of(self, point_id: str) -> tuple[Reference, ...]:
        return tuple(self.reference(key) for key in self.point(point_id).sources)

    def evidence_label(self, point_id: str) -> str:
        return self.kit.evidence_levels[self.point(point_id).evidence_level]

    def corrections(self) -> tuple[TeachingPoint, ...]:
        return tuple(p for _m, p in self.iter_points() if p.correction is not None)

    def quiz(self, module_id: str) -> tuple[QuizItem, ...]:
        return self.module(module_id).quiz

    def choice_order(self, item_id: str) -> tuple[int, ...]:
        """The order a quiz item's choices are shown in (indexes into ``item.choices``).

        Content may list the right answer anywhere (authors tend to list it first); shown
        as written, a learner could learn the position instead of the answer. So the right
        answer is moved to a position that varies: items are ranked by a stable hash of their
        id and take positions in turn (0, 1, 2, 0, ...), so over the bank each position holds
        its fair share. The other choices keep their written order. Stable across runs."""
        return _choice_orders(self)[item_id]

    def patient_texts(self) -> Iterator[tuple[str, str]]:
        """Every patient-facing text, as (where, text): for the readability checks."""
        yield "kit.disclaimer", self.kit.disclaimer
        yield "kit.help_now", self.kit.help_now.text
        for module, point in self.iter_points():
            yield f"{module.id}.{point.id}", point.text
            if point.takeaway:
                yield f"{module.id}.{point.id}.takeaway", point.takeaway
            if point.correction:
                yield f"{module.id}.{point.id}.correction", point.correction.instead
                yield f"{module.id}.{point.id}.article_says", point.correction.article_says
        for module in self.modules:
            for item in module.quiz:
                yield f"{module.id}.{item.id}", item.question
                for i, choice in enumerate(item.choices):
                    yield f"{module.id}.{item.id}.choice{i}", f"{choice.text}. {choice.feedback}"
        triage = self.triage
        for level, text in triage.tiers.items():
            yield f"triage.{level}", text.advice
        yield "triage.incomplete", triage.incomplete.advice
        for question in triage.questions:
            yield f"triage.{question.id}", question.question
            yield f"triage.{question.id}.help", question.help
        for rule in triage.rules:
            yield f"triage.rules.{rule.id}", rule.reason
            if rule.advice:
                yield f"triage.rules.{rule.id}.advice", rule.advice
        net = self.kit.safety_net
        yield "kit.safety_net.intro", net.intro
        for tier in net.tiers:
            yield f"kit.safety_net.{tier.level}.title", tier.title
            yield f"kit.safety_net.{tier.level}.action", tier.action
            for i, sign in enumerate(tier.signs):
                yield f"kit.safety_net.{tier.level}.sign{i}", sign
        for rule in self.cautions.rules:
            yield f"cautions.{rule.id}", rule.caution
        care = self.care
        for area, text in care.rest_positions.items():
            yield f"care.rest_positions.{area}", text
        yield "care.stop_rule", care.stop_rule
        yield "care.hydration.note", care.hydration.note
        yield "care.hydration.limit_note", care.hydration.limit_note
        yield "care.heat_only_note", care.heat_only_note
        yield "care.calendar.warning", care.calendar.warning
        for pathway, text in care.calendar.pathway_warnings.items():
            yield f"care.calendar.pathway_warnings.{pathway}", text
        reviews = care.calendar.reviews
        yield "care.calendar.reviews.reminder_ahead", reviews.reminder_ahead
        yield "care.calendar.reviews.reminder", reviews.reminder
        for event in reviews.events:
            yield f"care.calendar.reviews.{event.days}", event.description
        yield "care.plank.knee_cue", care.plank.knee_cue
        for category, text in care.start_back.follow_up.items():
            yield f"care.start_back.follow_up.{category}", text
        for kind, text in care.hydration.flags.items():
            yield f"care.hydration.flags.{kind}", text
        for name, activity in care.activities.items():
            yield f"care.activities.{name}.tip", activity.tip
        yield "care.plank.cap_note", care.plank.cap_note
        for step in self.dashboard.steps:
            yield f"dashboard.{step.id}", step.intro
        yield "dashboard.not_offered", self.dashboard.not_offered
        for text_id, template in self.texts.items():
            yield f"text.{text_id}", template
        for lesson in self.lessons:
            for part in ("intro", "overview", "summary", "sources_note"):
                if getattr(lesson, part):
                    yield f"lessons.{lesson.id}.{part}", getattr(lesson, part)
            for section in lesson.sections:
                if section.text and not section.text.lstrip().startswith("|"):
                    yield f"lessons.{lesson.id}.{section.heading}", section.text
        text = self.self_study
        yield "self_study.index.intro", text.index.intro
        for lesson in text.lessons:
            yield f"self_study.{lesson.file}", lesson.blurb

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise ValueError(f"unknown lesson {lesson_id!r}; known: {[x.id for x in self.lessons]}")

    def module_references(self, *module_ids: str) -> tuple[Reference, ...]:
        """Every reference the modules' points cite, once each, in order of first citation."""
        keys: list[str] = []
        for module_id in module_ids:
            for point in self.module(module_id).points:
                keys += [k for k in point.sources if k not in keys]
        return tuple(self.reference(k) for k in keys)


def _choice_orders(kb: KnowledgeBase) -> dict[str, tuple[int, ...]]:
    import hashlib

    items = [item for module in kb.modules for item in module.quiz]
    ranked = sorted(items, key=lambda i: hashlib.sha256(i.id.encode()).hexdigest())
    orders = {}
    for rank, item in enumerate(ranked):
        others = [i for i in range(len(item.choices)) if i != item.correct_index]
        others.insert(rank % len(item.choices), item.correct_index)
        orders[item.id] = tuple(others)
    return orders


# -- loading ----------------------------------------------------------------------------------
# libyaml's safe loader when PyYAML was built with it (a few times faster: every kernel loads
# the content); the same safe subset of YAML either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)  # noqa: S506
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file is missing from {path.parent}") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected a mapping at the top level")
    return data


def _entry_id(data: Any, loc: tuple) -> str:
    """The id of the innermost entry on a validation error's path, for the message."""
    found, node = "(top level)", data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id") or node.get("key"), str):
            found = node.get("id") or node.get("key")
    return found


def _validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(top level)"
            lines.append(
                f"{path.name}: entry {_entry_id(data, err['loc'])!r}: field {field!r}: {err['msg']}"
            )
        raise ContentError("\n".join(lines)) from None


def _check_links(kb: KnowledgeBase) -> None:
    keys = [r.key for r in kb.references]
    _unique(keys, "references.yaml", "reference key")
    ids = [p.id for _m, p in kb.iter_points()] + [q.id for m in kb.modules for q in m.quiz]
    _unique(ids, "modules/", "teaching point or quiz id")
    _unique([m.id for m in kb.modules], "modules/", "module id")
    _unique([q.id for q in kb.triage.questions], "triage.yaml", "question id")
    _unique([r.id for r in kb.triage.rules], "triage.yaml", "rule id")
    _unique([f.id for f in kb.foods.foods], "foods.yaml", "food id")
    cited = [(f"modules/{m.id}", p.id, p.sources) for m, p in kb.iter_points()]
    cited.append(("foods.yaml", "sources", kb.foods.sources))
    cited.append(("kit.yaml", "safety_net", kb.kit.safety_net.sources))
    cited.append(("care.yaml", "start_back", kb.care.start_back.sources))
    cited += [("cautions.yaml", r.id, (r.source,)) for r in kb.cautions.rules]
    _unique([r.id for r in kb.cautions.rules], "cautions.yaml", "caution rule id")
    cited += [("triage.yaml", r.id, (r.source,)) for r in kb.triage.rules]
    for where, entry, sources in cited:
        for key in sources:
            if key not in keys:
                raise ContentError(
                    f"{where}: entry {entry!r}: field 'sources': "
                    f"unknown reference {key!r}; known: {sorted(keys)}"
                )
    point_ids = {p.id for _m, p in kb.iter_points()}
    module_ids = {m.id for m in kb.modules}
    for lesson in kb.lessons:
        for section in lesson.sections:
            for block in section.blocks:
                unknown = [p for p in block.points if p not in point_ids]
                if unknown:
                    raise ContentError(
                        f"lessons/{lesson.id}.yaml: section {section.heading!r}: "
                        f"unknown teaching points {unknown}"
                    )
        unknown = [m for m in lesson.sources if m not in module_ids]
        if unknown:
            raise ContentError(
                f"lessons/{lesson.id}.yaml: field 'sources': unknown modules {unknown}; "
                f"known: {sorted(module_ids)}"
            )
    sections = kb.plan.sections
    items = [(f"item_points.{k}", v) for k, v in kb.plan.item_points.items()]
    _unique([p.id for p in kb.plan.pathways], "plan.yaml", "pathway id")
    question_ids = {q.id for q in kb.triage.questions}
    conditions = [("plan.yaml", f"pathway {p.id!r}", p.when) for p in kb.plan.pathways]
    conditions += [("cautions.yaml", f"rule {r.id!r}", r.when) for r in kb.cautions.rules]
    for where, entry, when in conditions:
        if when.answer is not None and when.answer not in question_ids:
            raise ContentError(
                f"{where}: {entry}: field 'when.answer': unknown question {when.answer!r}; "
                f"known: {sorted(question_ids)}"
            )
    unknown = sorted(set(kb.care.calendar.pathway_warnings) - {p.id for p in kb.plan.pathways})
    if unknown:
        raise ContentError(
            f"care.yaml: field 'calendar.pathway_warnings': unknown pathways {unknown}; "
            f"known: {sorted(p.id for p in kb.plan.pathways)} (plan.yaml)"
        )
    for pathway in kb.plan.pathways:
        if pathway.rest is not None and pathway.rest not in kb.care.rest_positions:
            raise ContentError(
                f"plan.yaml: pathway {pathway.id!r}: field 'rest': unknown resting position "
                f"{pathway.rest!r}; known: {sorted(kb.care.rest_positions)} (care.yaml)"
            )
    for name, ids in [
        *sections,
        *items,
        ("pathways", [p.point for p in kb.plan.pathways]),
        ("pathways.only_points", [o for p in kb.plan.pathways for o in p.only_points]),
        ("handout_shown_elsewhere", kb.plan.handout_shown_elsewhere),
    ]:
        unknown = sorted(p for p in ids if p not in point_ids)
        if unknown:
            raise ContentError(f"plan.yaml: {name}: unknown teaching points {unknown}")
    _unique(list(kb.dashboard.step_ids), "dashboard.yaml", "step id")
    partials = Path(__file__).with_name("templates") / "partials"
    for step in kb.dashboard.steps:
        for block in step.blocks:
            unknown = [p for p in block.points if p not in point_ids]
            if block.heading and f"heading.{block.heading}" not in kb.texts:
                unknown.append(f"text heading.{block.heading}")
            if block.part and not (partials / f"{block.part}.html.j2").is_file():
                unknown.append(f"partial {block.part}")
            if unknown:
                raise ContentError(f"dashboard.yaml: step {step.id!r}: unknown {unknown}")
    missing = set(EvidenceLevel.__args__) - set(kb.kit.evidence_levels)
    if missing:
        raise ContentError(f"kit.yaml: field 'evidence_levels': missing {sorted(missing)}")


def _unique(values: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ContentError(f"{where}: {what} {value!r} is used twice")
        seen.add(value)


def languages(content_dir: Path | str | None = None) -> tuple[str, ...]:
    """The languages the kit speaks: English (the base) and Spanish (``lang/es/``)."""
    return LANGUAGES


def regions(content_dir: Path | str | None = None) -> tuple[str, ...]:
    """The regions the kit knows: ``us``, ``uk`` and ``intl`` (``regions/<region>.yaml``)."""
    return REGIONS


def check_lang(lang: object) -> str:
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    return lang


def check_region(region: object) -> str:
    if not isinstance(region, str) or region not in REGIONS:
        raise ValueError(f"region must be one of {list(REGIONS)}, got {region!r}")
    return region


def _field_rules(key: str, not_text: frozenset[str]) -> frozenset[str]:
    """The fields that are not text inside ``key`` (a page's blocks name things by id)."""
    return not_text | BLOCK_IDS if key == "blocks" and not_text else not_text


def text_leaves(data: Any, where: str, not_text: frozenset[str] = NOT_TEXT) -> dict[str, str]:
    """Every text of a content file's data, by a path that names entries by id (not by
    position): what a translation must cover. ``not_text`` empty: every string is a text
    (``text.yaml``)."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in not_text:
                continue
            if key in ID_LISTS and all(isinstance(v, str) for v in value or ()):
                continue
            out.update(text_leaves(value, f"{where}.{key}", _field_rules(str(key), not_text)))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            ident = item.get("id", item.get("key")) if isinstance(item, dict) else None
            out.update(text_leaves(item, f"{where}[{ident or i}]", not_text))
    elif isinstance(data, str) and data.strip() not in ("", "—", ","):
        out[where] = data
    return out


def overlay(base: Any, over: Any, where: str, not_text: frozenset[str] = NOT_TEXT) -> Any:
    """``base`` with the words of ``over`` put in (a copy). Mappings merge by key, lists of
    entries by their ``id``/``key``, other lists by position. Only text may be replaced; a key,
    id or list length that ``base`` lacks, or a changed number, id or rule, is a ContentError."""
    if isinstance(base, dict):
        if not isinstance(over, dict):
            raise ContentError(f"{where}: expected a mapping like the English file")
        out = dict(base)
        for key, value in over.items():
            if key not in base:
                raise ContentError(f"{where}: {key!r} is not in the English file")
            names_ids = key in ID_LISTS and all(isinstance(v, str) for v in base[key] or ())
            if (key in not_text or names_ids) and value != base[key]:
                raise ContentError(f"{where}.{key}: a translation may not change {key!r}")
            out[key] = overlay(base[key], value, f"{where}.{key}", _field_rules(key, not_text))
        return out
    if isinstance(base, list):
        if not isinstance(over, list):
            raise ContentError(f"{where}: expected a list like the English file")
        keyed = base and all(isinstance(b, dict) and ("id" in b or "key" in b) for b in base)
        if not keyed:
            if len(over) != len(base):
                raise ContentError(
                    f"{where}: has {len(over)} items; the English file has {len(base)}"
                )
            return [
                overlay(b, o, f"{where}[{i}]", not_text)
                for i, (b, o) in enumerate(zip(base, over, strict=True))
            ]
        index = {b.get("id", b.get("key")): i for i, b in enumerate(base)}
        out = list(base)
        for item in over:
            ident = item.get("id", item.get("key")) if isinstance(item, dict) else None
            if ident not in index:
                raise ContentError(f"{where}: entry {ident!r} is not in the English file")
            out[index[ident]] = overlay(base[index[ident]], item, f"{where}[{ident}]", not_text)
        return out
    if isinstance(base, str) and isinstance(over, str):
        return over
    if over == base:
        return base
    raise ContentError(
        f"{where}: a translation may replace text only; {base!r} is not text, got {over!r}"
    )


def fill_terms(data: Any, terms: dict[str, str], where: str) -> Any:
    """Every ``{region.name}`` in the texts of ``data`` replaced by the region's term."""
    if isinstance(data, dict):
        return {k: fill_terms(v, terms, f"{where}.{k}") for k, v in data.items()}
    if isinstance(data, list):
        return [fill_terms(v, terms, f"{where}[{i}]") for i, v in enumerate(data)]
    if not isinstance(data, str) or "{region." not in data:
        return data

    def term(match: re.Match) -> str:
        name = match.group(1)
        if name not in terms:
            raise ContentError(
                f"{where}: unknown region term {{region.{name}}}; known: {sorted(terms)}"
            )
        value = terms[name]
        before = data[: match.start()].rstrip(" \u00a0*\"“'(")
        if not before or before.endswith((".", "!", "?", "\n")):
            value = value[:1].upper() + value[1:]
        return value

    return TERM.sub(term, data)


def _region(root: Path, region: str, lang: str) -> Region:
    path = root / "regions" / f"{region}.yaml"
    data = _read_yaml(path)
    terms = data.get("terms")
    if not isinstance(terms, dict) or lang not in terms:
        raise ContentError(f"regions/{path.name}: field 'terms': needs the words for {lang!r}")
    name = data.get("name")
    values = {
        "id": region,
        "name": name.get(lang) if isinstance(name, dict) else name,
        "paper": data.get("paper"),
        "volume_unit": data.get("volume_unit"),
        "terms": terms[lang],
    }
    return _validate(Region, values, path)


def _raw(root: Path, name: str, places: dict[str, Region]) -> Any:
    """One content file as data, in the language of ``places`` (lang -> Region), with the
    region's terms filled in: each text gets the terms of its own language, so a text not yet
    translated stays wholly English."""
    data = fill_terms(_read_yaml(root / name), places[DEFAULT_LANG].terms, name)
    for lang, place in places.items():
        translated = root / "lang" / lang / name
        if lang == DEFAULT_LANG or name in UNTRANSLATED_FILES or not translated.exists():
            continue
        words = fill_terms(_read_yaml(translated), place.terms, f"{lang}/{name}")
        # text.yaml is all words (its ids are keys like "point.sources", not fields).
        data = overlay(data, words, f"{lang}/{name}", frozenset() if name == TEXTS else NOT_TEXT)
    return data


def load_from(
    content_dir: Path | str, lang: str = DEFAULT_LANG, region: str = DEFAULT_REGION
) -> KnowledgeBase:
    """Read and validate every content file in ``content_dir`` (not cached), in ``lang`` for
    ``region``: the language and region overlays applied, then checked like the base."""
    lang, region = check_lang(lang), check_region(region)
    root = Path(content_dir)
    places = {code: _region(root, region, code) for code in dict.fromkeys((DEFAULT_LANG, lang))}

    def raw(rel: str) -> Any:
        return _raw(root, rel, places)

    def read(model: type[BaseModel], name: str) -> Any:
        return _validate(model, raw(name), root / name)

    refs_path = root / "references.yaml"
    references = tuple(
        _validate(Reference, item, refs_path)
        for item in raw("references.yaml").get("references", [])
    )
    module_paths = sorted((root / "modules").glob("*.yaml"))
    if not module_paths:
        raise ContentError(f"modules/: no module files in {root / 'modules'}")
    texts_path = root / "text.yaml"
    texts = {k: v for k, v in _flatten(raw("text.yaml")).items()}
    try:
        kb = KnowledgeBase(
            lang=lang,
            region=region,
            region_info=places[lang],
            texts=texts,
            kit=read(KitText, "kit.yaml"),
            references=references,
            modules=tuple(_validate(Module, raw(f"modules/{p.name}"), p) for p in module_paths),
            triage=read(Triage, "triage.yaml"),
            care=read(CareText, "care.yaml"),
            foods=read(FoodTable, "foods.yaml"),
            dashboard=read(DashboardText, "dashboard.yaml"),
            cautions=read(CautionTable, "cautions.yaml"),
            self_study=read(LessonsText, "self_study.yaml"),
            plan=read(PlanContent, "plan.yaml"),
            lessons=tuple(
                _validate(Lesson, raw(f"lessons/{p.name}"), p)
                for p in sorted((root / "lessons").glob("*.yaml"))
            ),
        )
    except ValidationError as exc:
        raise ContentError(
            "\n".join(f"{texts_path.name}: {err['msg']}" for err in exc.errors())
        ) from None
    _check_links(kb)
    return kb


def load(lang: str = "en", region: str = "intl") -> KnowledgeBase:
    """The kit's knowledge base in ``lang`` (``en``, ``es``) for ``region`` (``us``, ``uk``,
    ``intl``), validated once per process. Anything else raises ValueError naming what is
    allowed."""
    return _load(check_lang(lang), check_region(region))


@functools.cache
def _load(lang: str, region: str) -> KnowledgeBase:
    return load_from(CONTENT_DIR, lang=lang, region=region)


# -- the language and region in force --------------------------------------------------------
_default: list[tuple[str, str]] = [(DEFAULT_LANG, DEFAULT_REGION)]
_chosen: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "backcare_locale", default=None
)


def active() -> KnowledgeBase:
    """The knowledge base for the language and region in force (see :func:`localized`)."""
    return _load(*(_chosen.get() or _default[0]))


def active_locale() -> tuple[str, str]:
    """(lang, region) in force."""
    return _chosen.get() or _default[0]


@contextlib.contextmanager
def localized(lang: str | None = None, region: str | None = None) -> Iterator[KnowledgeBase]:
    """Within the block, :func:`active` gives ``lang`` for ``region`` (None keeps the one in
    force)."""
    current_lang, current_region = active_locale()
    chosen = (
        check_lang(current_lang if lang is None else lang),
        check_region(current_region if region is None else region),
    )
    token = _chosen.set(chosen)
    try:
        yield _load(*chosen)
    finally:
        _chosen.reset(token)


def set_default(lang: str = DEFAULT_LANG, region: str = DEFAULT_REGION) -> KnowledgeBase:
    """Make ``lang`` and ``region`` the process's default (a lesson notebook in Spanish calls
    this once, through ``lesson.language("es")``)."""
    _default[0] = (check_lang(lang), check_region(region))
    return _load(*_default[0])
