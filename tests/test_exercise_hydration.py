"""Activity and plank progressions; fluids, the drinks tally and the food finder."""

from __future__ import annotations

from datetime import date, datetime
from itertools import pairwise

import pytest

from backcare_lib import exercise, hydration, knowledge

START = date(2026, 11, 27)


@pytest.mark.parametrize("activity", ["walking", "swimming", "cycling"])
def test_activity_plan_starts_short_and_builds_gradually(activity):
    plan = exercise.activity_plan(activity, START)
    assert len(plan) == 14 and plan[0].day == 1 and plan[-1].date == date(2026, 12, 10)
    minutes = [d.minutes for d in plan]
    assert minutes[0] <= 10
    assert minutes == sorted(minutes), "never a step back"
    assert max(b - a for a, b in pairwise(minutes)) <= 5, "small steps only"
    assert minutes[-1] > minutes[0] and max(minutes) <= 30
    assert all("Stop if the pain" in d.stop_rule for d in plan)


def test_walking_starts_at_5_minutes_twice_a_day():
    first = exercise.activity_plan("walking", START)[0]
    assert (first.minutes, first.sessions, first.label) == (5, 2, "Walking")


def test_plank_starts_at_20_seconds_several_times_a_day_and_stops_at_a_cap():
    steps = exercise.plank_plan(START)
    assert steps[0].hold_seconds == 20 and steps[0].first_day == START
    assert all(s.times_per_day >= 3 for s in steps)
    knees = [s for s in steps if s.knee]
    assert knees == list(steps[: len(knees)]) and len(knees) == 2  # the easier plank first
    holds = [s.hold_seconds for s in steps[len(knees) :]]
    assert holds[0] == 20 and holds == sorted(holds) and holds[-1] == 60
    assert all(b - a <= 5 for a, b in pairwise(holds))
    assert all("Breathe" in s.cue and "Stop" in s.stop_rule for s in steps)


def test_plank_starts_a_week_after_the_spasm_or_today_if_later():
    began = date(2026, 11, 20)
    assert exercise.plank_start(began, began) == date(2026, 11, 27)
    assert exercise.plank_start(began, date(2026, 12, 20)) == date(2026, 12, 20)
    text = exercise.summarize_plank(exercise.plank_plan(date(2026, 11, 27)))
    assert text.startswith("Plank, from 27 November: start on your knees.")
    assert "go up on your toes for 20 seconds" in text and "up to 60 seconds" in text


def test_activity_plan_accepts_a_datetime_as_the_start():
    assert exercise.activity_plan("walking", datetime(2026, 11, 27, 9))[0].date == START


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: exercise.activity_plan("rowing", START), "activity must be one of"),
        (lambda: exercise.activity_plan("walking", "2026-11-27"), "start must be a date"),
        (lambda: exercise.activity_plan("walking", START, days=0), "days must be a whole number"),
        (lambda: exercise.plank_plan(None), "start must be a date"),
    ],
)
def test_exercise_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_fluid_target_is_8_glasses_with_its_evidence_note():
    target = hydration.fluid_target()
    assert target.glasses == 8 and target.millilitres == 1920
    assert "rule of thumb" in target.note and "not a proven target" in target.evidence


def test_tally_counts_coffee_but_not_alcohol_and_flags_both_with_reasons():
    result = hydration.tally({"water": 4, "coffee": 2, "alcohol": 1})
    assert result.total_glasses == 7 and result.counted_glasses == 6
    assert result.remaining_glasses == 2 and not result.reached
    flags = {f.kind: f for f in result.flags}
    assert flags["alcohol"].drinks == ("alcohol",) and "dry you out" in flags["alcohol"].reason
    assert flags["caffeine"].drinks == ("coffee",) and "count as fluid" in flags["caffeine"].reason


def test_tally_accepts_pairs_and_reports_reaching_the_target():
    result = hydration.tally([("water", 5), ("tea", 2), ("water", 1.5)])
    assert result.reached and result.remaining_glasses == 0
    assert [f.kind for f in result.flags] == ["caffeine"]
    assert hydration.tally({}).flags == ()


@pytest.mark.parametrize(
    "drinks, message",
    [
        ({"whisky": 1}, "unknown drink 'whisky'; allowed:"),
        ({"water": -1}, "glasses of water must be a number from 0 to 20"),
        ({"water": 50}, "from 0 to 20"),
        ({"water": "2"}, "from 0 to 20"),
        ([("water",)], "pair"),
        (5, "drinks must be"),
    ],
)
def test_tally_bad_input(drinks, message):
    with pytest.raises(ValueError, match=message):
        hydration.tally(drinks)


def test_food_finder_lists_dairy_for_calcium_and_bananas_potatoes_for_potassium():
    calcium = hydration.foods_rich_in("calcium")
    names = [f.name for f in calcium]
    assert any("Yogurt" in n for n in names) and any("Milk" in n for n in names)
    assert [f.milligrams for f in calcium] == sorted((f.milligrams for f in calcium), reverse=True)
    potassium = {f.id: f for f in hydration.foods_rich_in("potassium")}
    assert potassium["banana"].milligrams == 422 and potassium["banana"].percent_daily_value == 9
    assert potassium["potato_baked"].milligrams == 610
    assert "banana" not in {f.id for f in calcium}, "6 mg is not a calcium source"
    assert len(hydration.foods_rich_in("potassium", limit=3)) == 3


def test_food_figures_cite_usda():
    assert "usda_fdc" in knowledge.load().foods.sources


@pytest.mark.parametrize("mineral, limit", [("iron", None), ("calcium", 0), ("calcium", "3")])
def test_food_finder_bad_input(mineral, limit):
    with pytest.raises(ValueError):
        hydration.foods_rich_in(mineral, limit=limit)
