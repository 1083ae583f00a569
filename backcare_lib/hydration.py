"""Fluids and foods: the daily target, a drinks tally that flags alcohol and caffeine, and
foods for calcium and potassium with amounts per serving (USDA figures, in content)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from backcare_lib import knowledge
from backcare_lib.checks import whole_number

Mineral = Literal["calcium", "potassium"]
MAX_GLASSES_PER_ENTRY = 20


@dataclass(frozen=True)
class FluidTarget:
    glasses: int
    millilitres: int
    note: str
    evidence: str
    limit_note: str = ""  # heart or kidney disease: follow your own doctor's fluid limit


@dataclass(frozen=True)
class DrinkFlag:
    kind: Literal["caffeine", "alcohol"]
    drinks: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class FluidTally:
    counted_glasses: float
    total_glasses: float
    target: FluidTarget
    flags: tuple[DrinkFlag, ...]

    @property
    def remaining_glasses(self) -> float:
        return max(0.0, self.target.glasses - self.counted_glasses)

    @property
    def reached(self) -> bool:
        return self.counted_glasses >= self.target.glasses


@dataclass(frozen=True)
class FoodAmount:
    id: str
    name: str
    serving: str
    mineral: Mineral
    milligrams: int
    percent_daily_value: int


def fluid_target() -> FluidTarget:
    h = knowledge.active().care.hydration
    return FluidTarget(
        h.target_glasses, h.target_glasses * h.glass_ml, h.note, h.evidence, h.limit_note
    )


def drink_kinds() -> dict[str, str]:
    return {k: d.label for k, d in knowledge.active().care.hydration.drinks.items()}


def tally(drinks: Mapping[str, float] | Iterable[tuple[str, float]]) -> FluidTally:
    """Add up drinks given as {kind: glasses} or (kind, glasses) pairs."""
    h = knowledge.active().care.hydration
    items = drinks.items() if isinstance(drinks, Mapping) else drinks
    counted = total = 0.0
    by_kind: dict[str, float] = {}
    try:
        pairs = list(items)
    except TypeError:
        raise ValueError("drinks must be {kind: glasses} or a list of (kind, glasses)") from None
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ValueError(f"each drink must be a (kind, glasses) pair, got {pair!r}")
        kind, glasses = pair
        if not isinstance(kind, str) or kind not in h.drinks:
            raise ValueError(f"unknown drink {kind!r}; allowed: {sorted(h.drinks)}")
        if (
            isinstance(glasses, bool)
            or not isinstance(glasses, (int, float))
            or not 0 <= glasses <= MAX_GLASSES_PER_ENTRY
        ):
            raise ValueError(
                f"glasses of {kind} must be a number from 0 to {MAX_GLASSES_PER_ENTRY}, "
                f"got {glasses!r}"
            )
        total += glasses
        counted += glasses if h.drinks[kind].counts else 0
        by_kind[kind] = by_kind.get(kind, 0) + glasses
    flags = []
    for flag in ("alcohol", "caffeine"):
        kinds = tuple(k for k, n in by_kind.items() if n > 0 and h.drinks[k].flag == flag)
        if kinds:
            flags.append(DrinkFlag(flag, kinds, h.flags[flag]))
    return FluidTally(counted, total, fluid_target(), tuple(flags))


def foods_rich_in(mineral: Mineral, *, limit: int | None = None) -> tuple[FoodAmount, ...]:
    """Foods that give the mineral, most per serving first, with % of the label Daily Value."""
    table = knowledge.active().foods
    if not isinstance(mineral, str) or mineral not in table.daily_values_mg:
        raise ValueError(f"mineral must be one of {sorted(table.daily_values_mg)}, got {mineral!r}")
    if limit is not None:
        whole_number("limit", limit, 1)
    daily = table.daily_values_mg[mineral]
    found = []
    for food in table.foods:
        mg = getattr(food, f"{mineral}_mg")
        if mg and mg * 100 >= daily * 5:  # at least 5% of the Daily Value a serving
            found.append(
                FoodAmount(food.id, food.name, food.serving, mineral, mg, round(mg * 100 / daily))
            )
    found.sort(key=lambda f: -f.milligrams)
    return tuple(found[:limit] if limit else found)
