"""Countdown logic for the ice and plank timers: pure and immutable. Every method takes the
current time (seconds from any clock) and returns a new Countdown, so the widgets hold no
timing rules and tests can use a fake clock."""

from __future__ import annotations

from dataclasses import dataclass, replace

BREATH_SECONDS = 4.0


@dataclass(frozen=True)
class Countdown:
    seconds: float
    started_at: float | None = None  # set while running
    banked: float = 0.0  # time run before the last pause

    def __post_init__(self) -> None:
        if (
            isinstance(self.seconds, bool)
            or not isinstance(self.seconds, (int, float))
            or self.seconds <= 0
        ):
            raise ValueError(f"seconds must be a positive number, got {self.seconds!r}")

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed(self, now: float) -> float:
        run = now - self.started_at if self.started_at is not None else 0.0
        return min(self.seconds, self.banked + max(0.0, run))

    def remaining(self, now: float) -> float:
        return self.seconds - self.elapsed(now)

    def finished(self, now: float) -> bool:
        return self.elapsed(now) >= self.seconds

    def start(self, now: float) -> Countdown:
        if self.running or self.finished(now):
            return self
        return replace(self, started_at=now)

    def pause(self, now: float) -> Countdown:
        if not self.running:
            return self
        return replace(self, started_at=None, banked=self.elapsed(now))

    def reset(self) -> Countdown:
        return Countdown(self.seconds)


def ice_countdown(minutes: int) -> Countdown:
    """An ice session: whole minutes, never more than the 20-minute limit in the content."""
    from backcare_lib import knowledge
    from backcare_lib.checks import whole_number

    limit = knowledge.active().care.schedule.ice_minutes
    whole_number("ice minutes", minutes, 1, limit)
    return Countdown(minutes * 60)


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ValueError(f"{name} must be a number of seconds, got {value!r}")
    return value


def breath_cue(elapsed: float, period: float = BREATH_SECONDS) -> str:
    """Slow breathing, 4 seconds in and 4 seconds out: the id of the cue's text
    (``timer.breathe_in`` or ``timer.breathe_out``)."""
    elapsed, period = _number("elapsed", elapsed), _number("period", period)
    if period <= 0 or abs(elapsed) == float("inf"):
        raise ValueError("period must be above 0 and elapsed a finite number of seconds")
    return "timer.breathe_in" if int(elapsed // period) % 2 == 0 else "timer.breathe_out"


def mmss(seconds: float) -> str:
    if abs(_number("seconds", seconds)) == float("inf"):
        raise ValueError("seconds must be a finite number")
    seconds = max(0, round(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
