"""The knowledge base: typed models of the content files, loading, validation and look-ups.

Every fact the kit teaches lives in ``backcare_lib/content/*.yaml``. :func:`load` reads and
validates all of it once (cached) and returns a frozen :class:`KnowledgeBase`. A bad file is
reported as :class:`ContentError` (a ``ValueError``) naming the file, the entry id and the field.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CONTENT_DIR = Path(__file__).with_name("content")
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
EvidenceLevel = Literal["good", "some", "little", "common", "safety"]
FlagUrgency = Literal["emergency", "same_day", "see_gp"]


class ContentError(ValueError):
    """A content file is missing, malformed, or refers to something that does not exist."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Reference(_Frozen):
    key: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    year: int = Field(ge=1950, le=2100)
    updated: int | None = Field(default=None, ge=1950, le=2100)
    url: str | None = Field(default=None, pattern=r"^https://")
    kind: Literal["source", "guideline", "review", "study", "label", "data"]

    def citation(self, *, short: bool = False) -> str:
        """One line: title, publisher, year (and update), URL. ``short`` drops the authors and
        journal details kept in brackets at the end of a title (for a printed handout)."""
        title = re.sub(r"\s*\((?:[^()]|\([^()]*\))*\)$", "", self.title) if short else self.title
        year = f"{self.year}, updated {self.updated}" if self.updated else str(self.year)
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


class RedFlag(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    urgency: FlagUrgency
    question: str = Field(min_length=5)
    reason: str = Field(min_length=3)


class HelpNow(_Frozen):
    title: str
    text: str
    signs: tuple[str, ...] = Field(min_length=1)


class KitText(_Frozen):
    disclaimer: str = Field(min_length=20)
    evidence_levels: dict[EvidenceLevel, str]
    help_now: HelpNow


class Triage(_Frozen):
    urgencies: dict[Literal["self_care", "see_gp", "same_day", "emergency"], UrgencyText]
    flags: tuple[RedFlag, ...] = Field(min_length=1)

    @field_validator("urgencies")
    @classmethod
    def _all_levels(cls, value: dict) -> dict:
        missing = {"self_care", "see_gp", "same_day", "emergency"} - set(value)
        if missing:
            raise ValueError(f"missing urgency levels: {sorted(missing)}")
        return value


class CalendarEntry(_Frozen):
    summary: str
    description: str


class CalendarText(_Frozen):
    ice: CalendarEntry
    heat: CalendarEntry
    reminder: str
    footer: str


class ScheduleRules(_Frozen):
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


class PlankRules(_Frozen):
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
    evidence: str = Field(max_length=160)
    drinks: dict[str, DrinkKind]
    flags: dict[Literal["caffeine", "alcohol"], str]


class Summaries(_Frozen):
    schedule_over: str
    no_plan_urgent: str


class CareText(_Frozen):
    summaries: Summaries
    calendar: CalendarText
    schedule: ScheduleRules
    rest_positions: dict[Literal["lower", "upper"], str]
    stop_rule: str
    activities: dict[str, ActivityRules] = Field(min_length=1)
    plank: PlankRules
    hydration: HydrationRules


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


class DashboardStep(_Frozen):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    intro: str


class DashboardText(_Frozen):
    title: str
    start_hours_ago: int = Field(ge=0, le=48)
    steps: tuple[DashboardStep, ...] = Field(min_length=1)
    not_offered: str
    fix_fields: str


class KnowledgeBase(_Frozen):
    kit: KitText
    references: tuple[Reference, ...]
    modules: tuple[Module, ...]
    triage: Triage
    care: CareText
    foods: FoodTable
    dashboard: DashboardText

    # -- look-ups -------------------------------------------------------------------------
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
        for module in self.modules:
            for item in module.quiz:
                yield f"{module.id}.{item.id}", item.question
                for i, choice in enumerate(item.choices):
                    yield f"{module.id}.{item.id}.choice{i}", f"{choice.text}. {choice.feedback}"
        for level, text in self.triage.urgencies.items():
            yield f"triage.{level}", text.advice
        for flag in self.triage.flags:
            yield f"triage.{flag.id}", flag.question
        care = self.care
        for area, text in care.rest_positions.items():
            yield f"care.rest_positions.{area}", text
        yield "care.stop_rule", care.stop_rule
        yield "care.hydration.note", care.hydration.note
        for kind, text in care.hydration.flags.items():
            yield f"care.hydration.flags.{kind}", text
        for name, activity in care.activities.items():
            yield f"care.activities.{name}.tip", activity.tip
        yield "care.plank.cap_note", care.plank.cap_note
        yield "care.summaries.schedule_over", care.summaries.schedule_over
        yield "care.summaries.no_plan_urgent", care.summaries.no_plan_urgent
        for step in self.dashboard.steps:
            yield f"dashboard.{step.id}", step.intro
        yield "dashboard.not_offered", self.dashboard.not_offered


# -- loading ----------------------------------------------------------------------------------
def _read_yaml(path: Path) -> Any:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    _unique([f.id for f in kb.triage.flags], "triage.yaml", "red-flag id")
    _unique([f.id for f in kb.foods.foods], "foods.yaml", "food id")
    cited = [(f"modules/{m.id}", p.id, p.sources) for m, p in kb.iter_points()]
    cited.append(("foods.yaml", "sources", kb.foods.sources))
    for where, entry, sources in cited:
        for key in sources:
            if key not in keys:
                raise ContentError(
                    f"{where}: entry {entry!r}: field 'sources': "
                    f"unknown reference {key!r}; known: {sorted(keys)}"
                )
    missing = set(EvidenceLevel.__args__) - set(kb.kit.evidence_levels)
    if missing:
        raise ContentError(f"kit.yaml: field 'evidence_levels': missing {sorted(missing)}")


def _unique(values: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ContentError(f"{where}: {what} {value!r} is used twice")
        seen.add(value)


def load_from(content_dir: Path | str) -> KnowledgeBase:
    """Read and validate every content file in ``content_dir`` (not cached)."""
    root = Path(content_dir)

    def read(model: type[BaseModel], name: str) -> Any:
        return _validate(model, _read_yaml(root / name), root / name)

    refs_path = root / "references.yaml"
    references = tuple(
        _validate(Reference, item, refs_path)
        for item in _read_yaml(refs_path).get("references", [])
    )
    module_paths = sorted((root / "modules").glob("*.yaml"))
    if not module_paths:
        raise ContentError(f"modules/: no module files in {root / 'modules'}")
    kb = KnowledgeBase(
        kit=read(KitText, "kit.yaml"),
        references=references,
        modules=tuple(_validate(Module, _read_yaml(p), p) for p in module_paths),
        triage=read(Triage, "triage.yaml"),
        care=read(CareText, "care.yaml"),
        foods=read(FoodTable, "foods.yaml"),
        dashboard=read(DashboardText, "dashboard.yaml"),
    )
    _check_links(kb)
    return kb


@functools.cache
def load() -> KnowledgeBase:
    """The kit's knowledge base, validated once per process."""
    return load_from(CONTENT_DIR)
