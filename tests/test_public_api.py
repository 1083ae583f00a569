"""Every public function of the logic modules answers bad input with ValueError only."""

from __future__ import annotations

import inspect
from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcare_lib import (
    diary,
    exercise,
    handout,
    hydration,
    knowledge,
    plan,
    schedule,
    timer,
    triage,
)

MODULES = [triage, schedule, exercise, hydration, plan, handout, diary, timer]
SKIP = {"load", "default_path"}  # take no input

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from([date(2026, 1, 1), datetime(2026, 1, 1, 9), time(7), object()]),
)


def public_functions():
    for module in MODULES:
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not name.startswith("_") and name not in SKIP:
                yield pytest.param(func, id=f"{module.__name__.split('.')[-1]}.{name}")


@pytest.mark.parametrize("func", list(public_functions()))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_junk_input_raises_value_error_or_nothing(func, data):
    required = [
        p
        for p in inspect.signature(func).parameters.values()
        if p.default is inspect.Parameter.empty
    ]
    args = [data.draw(junk, label=p.name) for p in required if p.kind != p.KEYWORD_ONLY]
    kwargs = {p.name: data.draw(junk, label=p.name) for p in required if p.kind == p.KEYWORD_ONLY}
    try:
        func(*args, **kwargs)
    except ValueError:
        pass


def test_the_list_covers_the_modules():
    names = {p.id for p in public_functions()}
    assert {
        "triage.assess",
        "schedule.cold_heat_schedule",
        "schedule.to_ics",
        "plan.build_plan",
        "handout.render",
        "hydration.tally",
        "exercise.activity_plan",
    } <= names
    assert knowledge.load() is knowledge.load()
