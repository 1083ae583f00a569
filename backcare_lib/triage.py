"""Red-flag triage: which answers mean get help now, today, within days, or self-care.

The questions, reasons and advice are content (``content/triage.yaml``); this module holds only
the rule: the highest urgency among the ticked flags wins, and every ticked flag is named.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

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
        return knowledge.load().triage.urgencies[self.value].label

    @property
    def advice(self) -> str:
        return knowledge.load().triage.urgencies[self.value].advice


_ORDER = (Urgency.self_care, Urgency.see_gp, Urgency.same_day, Urgency.emergency)


@dataclass(frozen=True)
class RedFlag:
    id: str
    question: str
    urgency: Urgency
    reason: str


@dataclass(frozen=True)
class Assessment:
    """The verdict: ``level`` (highest urgency), ``reasons`` (every ticked flag, most urgent
    first), ``flags`` (their ids) and ``advice`` (what to do now, in plain words)."""

    level: Urgency
    reasons: tuple[str, ...]
    flags: tuple[str, ...]
    advice: str
    label: str

    @property
    def is_emergency(self) -> bool:
        return self.level is Urgency.emergency

    @property
    def self_care_plan_offered(self) -> bool:
        """Emergency and same-day results replace the self-care plan with the urgent advice."""
        return self.level <= Urgency.see_gp


def _load_red_flags() -> Mapping[str, RedFlag]:
    flags = {
        f.id: RedFlag(id=f.id, question=f.question, urgency=Urgency(f.urgency), reason=f.reason)
        for f in knowledge.load().triage.flags
    }
    return MappingProxyType(flags)


RED_FLAGS: Mapping[str, RedFlag] = _load_red_flags()


def flags_by_urgency(level: Urgency | str) -> tuple[RedFlag, ...]:
    level = Urgency(level)
    return tuple(flag for flag in RED_FLAGS.values() if flag.urgency is level)


def assess(flags: Iterable[str]) -> Assessment:
    """Assess the ticked red flags. Unknown ids raise ``ValueError`` naming the valid ids."""
    if isinstance(flags, (str, bytes)) or not isinstance(flags, Iterable):
        raise ValueError(
            f"flags must be a list of red-flag ids, got {type(flags).__name__}; "
            f"valid ids: {sorted(RED_FLAGS)}"
        )
    ticked: list[str] = []
    for flag in flags:
        if not isinstance(flag, str) or flag not in RED_FLAGS:
            raise ValueError(f"unknown red-flag id {flag!r}; valid ids: {sorted(RED_FLAGS)}")
        if flag not in ticked:
            ticked.append(flag)
    # Most urgent first; within one urgency, in the order the questions are asked.
    order = list(RED_FLAGS)
    ticked.sort(key=lambda f: (-RED_FLAGS[f].urgency.rank, order.index(f)))
    level = RED_FLAGS[ticked[0]].urgency if ticked else Urgency.self_care
    return Assessment(
        level=level,
        reasons=tuple(RED_FLAGS[f].reason for f in ticked),
        flags=tuple(ticked),
        advice=level.advice,
        label=level.label,
    )
