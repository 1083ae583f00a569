"""The clinical scenario pack: every scenario in scenarios.yaml gives its expected tier and plan;
together they make every rule fire in one scenario and stay silent in another, and they hold
the boundary pairs for age and duration."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from backcare_lib import knowledge, triage
from backcare_lib.plan import PatientProfile, build_plan

PACK = yaml.safe_load((Path(__file__).with_name("scenarios.yaml")).read_text(encoding="utf-8"))
SCENARIOS = PACK["scenarios"]
NOW = datetime(2026, 11, 27, 9, 0)


def answers_of(scenario: dict) -> dict[str, bool | None]:
    not_sure = scenario.get("not_sure", [])
    if "all_others" in not_sure:
        return {q: True for q in scenario["yes_to"]}
    answers = dict(triage.answers_from_yes(scenario["yes_to"]))
    for q in not_sure:
        answers[q] = None
    return answers


def run(scenario: dict) -> triage.Assessment:
    return triage.assess(
        answers_of(scenario),
        age=scenario["age"],
        area=scenario["area"],
        days_since_start=scenario["days"],
    )


def test_the_pack_is_big_enough_and_well_formed():
    assert len(SCENARIOS) >= 60
    ids = [s["id"] for s in SCENARIOS]
    assert len(ids) == len(set(ids)), "scenario ids are unique"
    refs = {r.key for r in knowledge.load().references}
    for s in SCENARIOS:
        assert set(s) <= {
            "id",
            "story",
            "yes_to",
            "not_sure",
            "age",
            "area",
            "days",
            "expected",
            "rules",
            "plan",
            "source",
        }, s["id"]
        assert len(s["story"].split()) >= 6, f"{s['id']}: tell the story in plain words"
        assert s["source"] in refs, f"{s['id']}: unknown source {s['source']!r}"
        assert s["expected"] in ("emergency", "same_day", "see_gp", "self_care", "incomplete")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(scenario):
    result = run(scenario)
    expected = scenario["expected"]
    if expected == "incomplete":
        assert result.level is None and not result.complete, scenario["story"]
    else:
        assert result.level is triage.Urgency(expected), (scenario["story"], result.rules)
    missing = set(scenario.get("rules", [])) - set(result.rules)
    assert not missing, f"{scenario['id']}: rules did not fire: {missing}; fired: {result.rules}"
    if "plan" in scenario:
        check_plan(scenario, result)


def check_plan(scenario: dict, result: triage.Assessment) -> None:
    """The plan the dashboard and handout would give: first-days, lasting advice, or none."""
    want = scenario["plan"]
    if want == "none":
        assert not result.self_care_plan_offered
        if not result.complete:
            return
    days = scenario["days"]
    profile = PatientProfile(
        started=NOW - timedelta(days=days, hours=1),
        age=scenario["age"],
        area=scenario["area"],
        answers=answers_of(scenario),
    )
    plan = build_plan(profile, now=NOW)
    if want == "none":
        assert not plan.self_care and plan.sessions == () and plan.first_days == ()
    elif want == "lasting":
        assert plan.self_care and plan.lasting and plan.first_days == () and plan.sessions == ()
    else:
        assert plan.self_care and plan.first_days and not plan.lasting


def test_every_rule_fires_in_one_scenario_and_stays_silent_in_another():
    fired_in: dict[str, list[str]] = {r.id: [] for r in triage.RULES}
    silent_in: dict[str, list[str]] = {r.id: [] for r in triage.RULES}
    for s in SCENARIOS:
        result = run(s)
        for rule in triage.RULES:
            (fired_in if rule.id in result.rules else silent_in)[rule.id].append(s["id"])
    never_fires = [r for r, where in fired_in.items() if not where]
    never_silent = [r for r, where in silent_in.items() if not where]
    assert not never_fires, f"rules no scenario makes fire: {never_fires}"
    assert not never_silent, f"rules that fire in every scenario: {never_silent}"


def test_combination_rules_stay_silent_when_only_one_part_is_there():
    """Each combination rule has a scenario with its first part but not the whole."""
    by_id = {s["id"]: run(s) for s in SCENARIOS}
    for rule_id, scenario_id in [
        ("cancer_with_nerve_signs", "cancer_plain_strain"),
        ("cancer_with_spine_pain_signs", "cancer_plain_strain"),
        ("blood_thinner_with_nerve_signs", "warfarin_sciatica_only_no_fall"),
        ("blood_thinner_after_fall", "warfarin_sciatica_only_no_fall"),
        ("fever_with_infection_risk", "fever_no_risk"),
        ("infection_risk_with_nerve_signs", "fever_no_risk"),
        ("fall_with_weak_bones", "osteoporosis_no_fall"),
        ("pregnancy_warning_signs", "pregnant_no_warning_signs"),
        ("first_episode_50_or_over", "age_49_first_episode"),
    ]:
        assert rule_id not in by_id[scenario_id].rules, (rule_id, scenario_id)


@pytest.mark.parametrize(
    "fact, low, high",
    [
        ("age", 15, 16),
        ("age", 19, 20),
        ("age", 49, 50),
        ("age", 64, 65),
        ("days", 42, 43),
        ("days", 84, 85),
    ],
)
def test_boundary_pairs_are_in_the_pack_and_differ(fact, low, high):
    """Two scenarios that differ only in the fact, one each side of the limit, with different
    tiers or plans."""

    def key(s):
        return (tuple(sorted(s["yes_to"])), s["area"], s["days"] if fact == "age" else s["age"])

    lows = {key(s): s for s in SCENARIOS if s[fact] == low}
    highs = {key(s): s for s in SCENARIOS if s[fact] == high}
    pairs = [(lows[k], highs[k]) for k in lows.keys() & highs.keys()]
    assert pairs, f"no scenario pair for {fact} {low}/{high}"
    assert any(
        (a["expected"], a.get("plan")) != (b["expected"], b.get("plan")) for a, b in pairs
    ), f"the {fact} {low}/{high} pair shows no difference"
