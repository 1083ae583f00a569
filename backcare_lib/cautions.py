"""Cautions that follow the safety-check answers and age: which plan items are withheld, which
need "ask first", and the caution text with its source. The rules are data in
``content/cautions.yaml``; this module only applies them.

An answer that is missing or None ("not sure") counts as possibly yes, so its rule fires: only
an explicit False keeps a rule silent. An unknown age fires the age rules for the same reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backcare_lib import knowledge


@dataclass(frozen=True)
class Cautions:
    withheld: frozenset[str]
    ask_first: frozenset[str]
    rules: tuple[knowledge.CautionRule, ...]

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(rule.caution for rule in self.rules)


def applies(
    when: knowledge.CautionWhen, answers: Mapping[str, bool | None], age: int | None
) -> bool:
    """Whether one condition holds: an answer that is not an explicit no (missing or "not sure"
    counts as possibly yes), or an age at or over the threshold (an unknown age counts)."""
    if when.answer is not None:
        return answers.get(when.answer) is not False
    return age is None or age >= when.age_at_least


def applicable(answers: Mapping[str, bool | None], age: int | None = None) -> Cautions:
    """The cautions for these answers (question id -> True/False/None) and age (0-120)."""
    if not isinstance(answers, Mapping):
        raise ValueError("answers must map question ids to True, False or None")
    for key, value in answers.items():
        if not isinstance(key, str):
            raise ValueError(f"answer ids must be text, got {key!r}")
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"answer {key!r} must be True, False or None, got {value!r}")
    if age is not None and (
        isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 120
    ):
        raise ValueError(f"age must be a whole number from 0 to 120, or None, got {age!r}")
    fired = [rule for rule in knowledge.active().cautions.rules if applies(rule.when, answers, age)]
    withheld = frozenset(item for rule in fired for item in rule.withhold)
    ask = frozenset(item for rule in fired for item in rule.ask_first) - withheld
    return Cautions(withheld=withheld, ask_first=ask, rules=tuple(fired))
