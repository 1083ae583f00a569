"""The safety check: a small rule engine over the clinical rules held in ``content/triage.yaml``.

The questions, rules, reasons and advice are content that a clinical safety officer reads and
signs; this module only evaluates them:

- every question is answered True (yes), False (no) or None (not sure, or not answered yet);
  None never counts as no;
- a rule fires when its condition is certainly true; the most urgent tier among the rules that
  fired wins, and every rule that fired is named;
- the check is complete only when every question that applies is answered and age, area and
  the days since the pain began are known. Until then no self-care plan is offered, and the
  verdict names what is missing (an emergency shows at once all the same).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from backcare_lib import knowledge


class Urgency(str, enum.Enum):
    """How soon to get help, ordered ``self_care < see_gp < same_day < emergency``."""

    self_care = "self_care"
    see_gp = "see_gp"
    same_day = "same_day"
    emergency = "emergency"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    # A str enum would compare alphabetically; urgency compares by rank.
    def __lt__(self, other: object) -> bool:
        return self.rank < Urgency(other).rank if isinstance(other, str) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.rank <= Urgency(other).rank if isinstance(other, str) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.rank > Urgency(other).rank if isinstance(other, str) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.rank >= Urgency(other).rank if isinstance(other, str) else NotImplemented

    __hash__ = str.__hash__

    @property
    def label(self) -> str:
        return knowledge.active().triage.tiers[self.value].label

    @property
    def advice(self) -> str:
        return knowledge.active().triage.tiers[self.value].advice


_ORDER = (Urgency.self_care, Urgency.see_gp, Urgency.same_day, Urgency.emergency)
AREAS = ("lower", "upper")
MIN_AGE, MAX_AGE = 0, 120
FACTS = ("age", "area", "days_since_start")


@dataclass(frozen=True)
class Question:
    """A safety-check question. ``str(question)`` is its text."""

    id: str
    question: str
    help: str
    section: str
    since: int
    min_age: int | None = None
    ask_if: str | None = None

    def __str__(self) -> str:
        return self.question

    def applies(self, answers: Mapping[str, bool | None], age: int | None) -> bool:
        """Asked of this person? Follow-ups only after a yes to their parent; questions with a
        minimum age only from that age (asked while the age is not known)."""
        if self.ask_if is not None and answers.get(self.ask_if) is not True:
            return False
        return not (self.min_age is not None and age is not None and age < self.min_age)


@dataclass(frozen=True)
class Rule:
    id: str
    condition: Any
    tier: Urgency
    reason: str
    source: str
    advice: str | None = None
    plan: str | None = None

    def evaluate(self, answers: Mapping[str, bool | None], facts: Mapping[str, Any]) -> bool | None:
        """True (fires), False (cannot fire), or None (depends on something not yet known)."""
        return _evaluate(self.condition, answers, facts)


def _evaluate(condition: Any, answers: Mapping, facts: Mapping) -> bool | None:
    kind, arg = condition
    if kind == "yes":
        return answers.get(arg)
    if kind in ("any", "all"):
        results = [_evaluate(c, answers, facts) for c in arg]
        certain, other = (True, False) if kind == "any" else (False, True)
        if certain in results:
            return certain
        return other if all(r is other for r in results) else None
    if kind == "area":
        return None if facts["area"] is None else facts["area"] == arg
    value = facts["days_since_start" if kind == "days_over" else "age"]
    if value is None:
        return None
    if kind == "age_at_least":
        return value >= arg
    if kind == "age_under":
        return value < arg
    return value > arg  # days_over


def _load(
    kb: knowledge.KnowledgeBase | None = None,
) -> tuple[int, Mapping[str, Question], tuple[Rule, ...]]:
    content = (kb or knowledge.load()).triage
    questions = {
        q.id: Question(
            id=q.id,
            question=q.question,
            help=q.help,
            section=q.section,
            since=q.since,
            min_age=q.min_age,
            ask_if=q.ask_if,
        )
        for q in content.questions
    }
    rules = tuple(
        Rule(
            id=r.id,
            condition=r.when,
            tier=Urgency(r.tier),
            reason=r.reason,
            source=r.source,
            advice=r.advice,
            plan=r.plan,
        )
        for r in content.rules
    )
    return content.version, MappingProxyType(questions), rules


VERSION, RED_FLAGS, RULES = _load()
"""``VERSION``: the safety check's version (profile files name it); ``RED_FLAGS``: question id ->
:class:`Question`, in the order asked; ``RULES``: the clinical rules, in the file's order (in
English; :func:`questions` and :func:`rules` give them in the language in force)."""


@functools.cache
def _localized(lang: str, region: str) -> tuple[Mapping[str, Question], Mapping[str, Rule]]:
    _version, questions, rules = _load(knowledge.load(lang, region))
    return questions, MappingProxyType({r.id: r for r in rules})


def questions() -> Mapping[str, Question]:
    """The questions in the language and region in force (ids, order and rules as RED_FLAGS)."""
    return _localized(*knowledge.active_locale())[0]


def rules() -> Mapping[str, Rule]:
    """The rules by id in the language and region in force (conditions and tiers as RULES)."""
    return _localized(*knowledge.active_locale())[1]


@dataclass(frozen=True)
class Assessment:
    """The verdict.

    ``level``: the most urgent tier fired so far; ``self_care`` only when the check is complete
    and nothing fired; ``None`` while nothing has fired and the check is incomplete.
    ``complete``: every question that applies is answered, and age, area and days are known.
    ``unanswered``: the question ids still to answer (in the order asked), then any missing fact
    (``age``, ``area``, ``days_since_start``). ``reasons`` and ``rules``: every rule that fired,
    most urgent first. ``advice`` and ``label``: what to do, in plain words.
    """

    level: Urgency | None
    complete: bool
    unanswered: tuple[str, ...]
    reasons: tuple[str, ...]
    rules: tuple[str, ...]
    advice: str
    label: str
    plan_changes: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()

    @property
    def is_emergency(self) -> bool:
        return self.level is Urgency.emergency

    @property
    def self_care_plan_offered(self) -> bool:
        """A self-care plan only after a complete check whose result is at most "see a doctor
        within days", and never when a rule withholds it (under 16)."""
        return (
            self.complete
            and self.level is not None
            and self.level <= Urgency.see_gp
            and "withheld" not in self.plan_changes
        )

    @property
    def lasting_pain(self) -> bool:
        """The pain has lasted long enough that the first-days plan no longer applies."""
        return "lasting" in self.plan_changes

    @property
    def missing_facts(self) -> tuple[str, ...]:
        return tuple(f for f in self.unanswered if f in FACTS)

    @property
    def unanswered_questions(self) -> tuple[str, ...]:
        return tuple(f for f in self.unanswered if f not in FACTS)

    @property
    def missing_text(self) -> tuple[str, ...]:
        """What is still needed, in words: each question, then each missing fact."""
        facts, asked = knowledge.active().triage.facts, questions()
        return tuple(facts[f] if f in FACTS else asked[f].question for f in self.unanswered)


# -- checking input ---------------------------------------------------------------------------
def check_answers(answers: object) -> Mapping[str, bool | None]:
    """Answers as an immutable mapping id -> True/False/None. Unknown ids and other values raise
    ValueError naming what is allowed."""
    if not isinstance(answers, Mapping):
        raise ValueError(
            "answers must be a mapping of question id to True (yes), False (no) or None "
            f"(not sure), got {type(answers).__name__}; valid ids: {sorted(RED_FLAGS)}"
        )
    checked: dict[str, bool | None] = {}
    for key, value in answers.items():
        if not isinstance(key, str) or key not in RED_FLAGS:
            raise ValueError(f"unknown question id {key!r}; valid ids: {sorted(RED_FLAGS)}")
        if value is not None and not isinstance(value, bool):
            raise ValueError(
                f"answer to {key!r} must be True (yes), False (no) or None (not sure), "
                f"got {value!r}"
            )
        checked[key] = value
    return MappingProxyType(checked)


def check_age(age: object) -> int | None:
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int) or not MIN_AGE <= age <= MAX_AGE:
        raise ValueError(
            f"age must be a whole number of years from {MIN_AGE} to {MAX_AGE}, got {age!r}"
        )
    return age


def check_area(area: object) -> str | None:
    if area is None:
        return None
    if area not in AREAS:
        raise ValueError(f"area must be 'lower' or 'upper' back, got {area!r}")
    return str(area)


def check_days(days: object) -> int | None:
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(
            f"days_since_start must be a whole number of days, 0 or more, got {days!r}"
        )
    return days


# -- the engine -------------------------------------------------------------------------------
def assess(
    answers: Mapping[str, bool | None],
    *,
    age: int | None = None,
    area: str | None = None,
    days_since_start: int | None = None,
) -> Assessment:
    """Evaluate every rule against the answers and facts. See :class:`Assessment`."""
    answers = check_answers(answers)
    facts = {
        "age": check_age(age),
        "area": check_area(area),
        "days_since_start": check_days(days_since_start),
    }
    fired = [rule for rule in RULES if rule.evaluate(answers, facts) is True]
    fired.sort(key=lambda rule: -rule.tier.rank)  # stable: the file's order within a tier
    unanswered = [
        q.id
        for q in RED_FLAGS.values()
        if q.applies(answers, facts["age"]) and answers.get(q.id) is None
    ]
    unanswered += [name for name in FACTS if facts[name] is None]
    complete = not unanswered
    if fired:
        level: Urgency | None = fired[0].tier
    else:
        level = Urgency.self_care if complete else None

    text, words = knowledge.active().triage, rules()
    extra: list[str] = []
    for rule in fired:
        advice = words[rule.id].advice
        if advice and advice not in extra:
            extra.append(advice)
    if level is None:
        label, advice = text.incomplete.label, text.incomplete.advice
    else:
        label = level.label
        parts = [level.advice, *extra]
        if not complete and level is not Urgency.emergency:
            parts.append(text.incomplete.advice)
        advice = " ".join(parts)
    sources: list[str] = []
    for rule in fired:
        if rule.source not in sources:
            sources.append(rule.source)
    return Assessment(
        level=level,
        complete=complete,
        unanswered=tuple(unanswered),
        reasons=tuple(words[rule.id].reason for rule in fired),
        rules=tuple(rule.id for rule in fired),
        advice=advice,
        label=label,
        plan_changes=frozenset(rule.plan for rule in fired if rule.plan),
        sources=tuple(sources),
    )


# -- helpers for profiles, the dashboard and the lessons ----------------------------------------
def answers_from_yes(yes: Iterable[str]) -> Mapping[str, bool]:
    """Every question answered: the ids in ``yes`` are yes, every other one is no (the short
    form of a profile file, allowed only with the current ``safety_check_version``)."""
    if isinstance(yes, (str, bytes)) or not isinstance(yes, Iterable):
        raise ValueError(
            f"red_flags must be a list of question ids; valid ids: {sorted(RED_FLAGS)}"
        )
    chosen = list(yes)
    for flag in chosen:
        if not isinstance(flag, str) or flag not in RED_FLAGS:
            raise ValueError(f"unknown question id {flag!r}; valid ids: {sorted(RED_FLAGS)}")
    return MappingProxyType({q: q in chosen for q in RED_FLAGS})


def questions_since(version: int) -> tuple[str, ...]:
    """The question ids added after ``version`` of the safety check."""
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError(f"version must be a whole number, got {version!r}")
    return tuple(q.id for q in RED_FLAGS.values() if q.since > version)


def questions_in(section: str) -> tuple[Question, ...]:
    """The questions of one section (emergency, same_day, see_gp, about), in the order asked."""
    if not isinstance(section, str) or section not in knowledge.load().triage.sections:
        raise ValueError(
            f"section must be one of {list(knowledge.load().triage.sections)}, got {section!r}"
        )
    return tuple(q for q in questions().values() if q.section == section)


def rules_for(question_id: str) -> tuple[Rule, ...]:
    """The rules that read a question (for the lesson and the clinician's view)."""
    if not isinstance(question_id, str) or question_id not in RED_FLAGS:
        raise ValueError(f"unknown question id {question_id!r}; valid ids: {sorted(RED_FLAGS)}")
    words = rules()
    return tuple(words[r.id] for r in RULES if question_id in knowledge.condition_ids(r.condition))
