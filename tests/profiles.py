"""Complete safety-check answers and profiles for tests: every question answered, age and area
given, so a plan can be made. ``yes`` lists the questions answered yes; every other is no."""

from __future__ import annotations

from backcare_lib import triage
from backcare_lib.plan import PatientProfile


def answers(*yes: str) -> dict[str, bool]:
    return dict(triage.answers_from_yes(yes))


def complete_profile(started, *, yes=(), age=40, area="lower", **fields) -> PatientProfile:
    return PatientProfile(started=started, age=age, area=area, answers=answers(*yes), **fields)
