"""The safety check's engine and content: explicit answers, completeness, combinations, facts,
bad input, the rule loader, and the properties (another yes or a higher age never lowers the
tier; an unanswered question never reads safe)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backcare_lib import knowledge
from backcare_lib.triage import (
    RED_FLAGS,
    RULES,
    VERSION,
    Assessment,
    Urgency,
    answers_from_yes,
    assess,
    questions_in,
    questions_since,
    rules_for,
)

CONTENT = Path(knowledge.__file__).with_name("content")
FACTS = {"age": 40, "area": "lower", "days_since_start": 2}
ALL_NO = dict(answers_from_yes([]))

# The fixed ids of the safety-check issue, by the tier each gives alone.
ALONE = {
    "emergency": [
        "bladder_problems",
        "bowel_incontinence",
        "saddle_numbness",
        "both_legs_symptoms",
        "sexual_dysfunction_new",
        "major_trauma",
        "chest_pain",
        "sudden_severe_pain_faint",
        "tearing_pain",
        "known_aaa",
        "difficulty_walking",
        "sepsis_signs",
    ],
    "same_day": [
        "leg_weakness_worsening",
        "fever_or_unwell",
        "night_sweats",
        "unexplained_weight_loss",
        "night_pain",
        "worse_cough_sneeze_poo",
        "lump_or_changed_shape",
        "recent_spine_procedure",
        "history_of_cancer",
        "weak_immune_system",
        "iv_drug_use",
    ],
    "see_gp": [
        "numbness_one_leg",
        "recent_infection",
        "not_improving_4_weeks",
        "spasms_keep_coming_back",
        "pain_stops_daily_life",
        "pregnant",
        "morning_stiffness_long",
        "osteoporosis",
        "long_term_steroids",
        "blood_thinners",
    ],
    "self_care": ["minor_fall_or_strain", "first_episode", "pregnancy_warning_signs"],
}


def with_yes(*yes: str, **facts) -> Assessment:
    return assess(answers_from_yes(yes), **{**FACTS, **facts})


def test_question_ids_are_exactly_the_agreed_set_and_retired_ones_are_gone():
    assert set(RED_FLAGS) == {q for ids in ALONE.values() for q in ids}
    assert "new_pain_under_20_or_over_50" not in RED_FLAGS
    assert "minor_fall_with_osteoporosis" not in RED_FLAGS
    for qid, question in RED_FLAGS.items():
        assert str(question) == question.question and "?" in question.question, qid
        assert question.help, f"{qid} says how to find out"


def test_emergency_questions_are_asked_first():
    order = [q.section for q in RED_FLAGS.values()]
    assert order[: len(ALONE["emergency"])] == ["emergency"] * len(ALONE["emergency"])
    assert [q.id for q in questions_in("emergency")] == list(RED_FLAGS)[:12]


@pytest.mark.parametrize(
    "qid, tier", [(q, tier) for tier, ids in ALONE.items() for q in ids], ids=lambda v: str(v)
)
def test_each_question_alone_gives_its_tier(qid, tier):
    result = with_yes(qid)
    assert result.complete
    assert result.level is Urgency(tier)
    if tier != "self_care":
        assert result.reasons and result.advice.startswith(Urgency(tier).advice)


def test_nothing_answered_is_never_safe():
    result = assess({})
    assert result.level is None and not result.complete
    assert result.label == "Safety check not finished" and "safe for now" not in result.label
    assert not result.self_care_plan_offered
    assert set(result.unanswered) >= set(ALONE["emergency"]) | {"age", "area", "days_since_start"}
    assert "pregnancy_warning_signs" not in result.unanswered, "a follow-up waits for its parent"


def test_not_sure_keeps_the_check_incomplete_and_names_the_question():
    result = assess({**ALL_NO, "saddle_numbness": None}, **FACTS)
    assert not result.complete and result.unanswered == ("saddle_numbness",)
    assert result.level is None and not result.self_care_plan_offered
    assert "Is there numbness or tingling around your bottom" in result.missing_text[0]


def test_missing_facts_keep_the_check_incomplete():
    for missing in FACTS:
        result = assess(ALL_NO, **{**FACTS, missing: None})
        assert not result.complete and result.unanswered == (missing,)
        assert result.missing_facts == (missing,) and result.level is None


def test_an_emergency_shows_at_once_before_the_check_is_complete():
    result = assess({"saddle_numbness": True})
    assert result.level is Urgency.emergency and not result.complete and result.is_emergency
    assert result.label == "Emergency: get help now"
    assert "finish" not in result.advice.lower(), "no waiting for the rest"


def test_an_urgent_tier_found_early_is_kept_with_a_note_that_the_check_is_unfinished():
    result = assess({"fever_or_unwell": True})
    assert result.level is Urgency.same_day and not result.complete
    assert result.label == "See a doctor today" and "Please answer every question" in result.advice
    assert not result.self_care_plan_offered


def test_complete_and_clear_is_self_care():
    result = assess(ALL_NO, **FACTS)
    assert result.complete and result.level is Urgency.self_care
    assert result.label == "Self-care is safe for now" and result.self_care_plan_offered
    assert result.reasons == () and result.rules == () and result.unanswered == ()


@pytest.mark.parametrize(
    "region, number, urgent",
    [("us", "911", "urgent care center"), ("uk", "999", "NHS 111"), ("intl", "112", "today")],
)
def test_emergency_advice_names_the_regions_number_and_not_driving(region, number, urgent):
    with knowledge.localized("en", region):
        advice = Urgency.emergency.advice
        assert f"Call {number}" in advice and "Do not drive yourself" in advice
        assert f"call {number}" in Urgency.same_day.advice
        assert urgent in Urgency.same_day.advice


@pytest.mark.parametrize(
    "yes, facts, tier, rule",
    [
        (["history_of_cancer", "numbness_one_leg"], {}, "emergency", "cancer_with_nerve_signs"),
        (["history_of_cancer", "bladder_problems"], {}, "emergency", "cancer_with_nerve_signs"),
        (
            ["fever_or_unwell", "leg_weakness_worsening"],
            {},
            "emergency",
            "infection_risk_with_nerve_signs",
        ),
        (
            ["iv_drug_use", "leg_weakness_worsening"],
            {},
            "emergency",
            "infection_risk_with_nerve_signs",
        ),
        (["night_sweats", "numbness_one_leg"], {}, "emergency", "infection_risk_with_nerve_signs"),
        (["fever_or_unwell", "iv_drug_use"], {}, "emergency", "fever_with_infection_risk"),
        (["fever_or_unwell", "long_term_steroids"], {}, "emergency", "fever_with_infection_risk"),
        (["fever_or_unwell", "recent_infection"], {}, "emergency", "fever_with_infection_risk"),
        (
            ["fever_or_unwell", "recent_spine_procedure"],
            {},
            "emergency",
            "fever_with_infection_risk",
        ),
        (["blood_thinners", "numbness_one_leg"], {}, "emergency", "blood_thinner_with_nerve_signs"),
        (["blood_thinners", "minor_fall_or_strain"], {}, "same_day", "blood_thinner_after_fall"),
        (["minor_fall_or_strain", "osteoporosis"], {}, "same_day", "fall_with_weak_bones"),
        (["minor_fall_or_strain", "long_term_steroids"], {}, "same_day", "fall_with_weak_bones"),
        (["minor_fall_or_strain"], {"age": 68}, "same_day", "fall_age_65_or_over"),
        (["minor_fall_or_strain"], {"age": 55}, "see_gp", "fall_age_50_or_over"),
        ([], {"area": "upper"}, "same_day", "upper_back"),
        (["history_of_cancer"], {"area": "upper"}, "same_day", "cancer_with_spine_pain_signs"),
        (["history_of_cancer", "night_pain"], {}, "same_day", "cancer_with_spine_pain_signs"),
        (["first_episode"], {"age": 50}, "see_gp", "first_episode_50_or_over"),
        (["first_episode"], {"age": 19}, "see_gp", "first_episode_under_20"),
        ([], {"age": 15}, "see_gp", "under_16"),
        ([], {"days_since_start": 43}, "see_gp", "lasted_over_6_weeks"),
        ([], {"days_since_start": 300}, "see_gp", "lasted_over_12_weeks"),
        (["pregnant", "pregnancy_warning_signs"], {}, "same_day", "pregnancy_warning_signs"),
    ],
)
def test_combinations_and_facts_escalate(yes, facts, tier, rule):
    result = with_yes(*yes, **facts)
    assert result.level is Urgency(tier), result.rules
    assert rule in result.rules
    assert len(result.reasons) == len(result.rules)
    assert result.rules[0] in {r.id for r in RULES if r.tier is Urgency(tier)}


def test_the_issue_examples_are_fixed():
    assert with_yes("history_of_cancer", "numbness_one_leg").is_emergency
    assert with_yes("fever_or_unwell", "leg_weakness_worsening").is_emergency
    assert with_yes("iv_drug_use", "leg_weakness_worsening").is_emergency
    assert with_yes(area="upper").level is Urgency.same_day
    assert with_yes("unexplained_weight_loss").level is Urgency.same_day
    assert with_yes("night_pain").level is Urgency.same_day
    assert with_yes("minor_fall_or_strain", age=68).level is Urgency.same_day
    assert with_yes(days_since_start=300).lasting_pain


def test_extra_advice_from_rules_is_added():
    assert "cancer team today" in with_yes("history_of_cancer", "night_pain").advice
    assert "emergency department" in with_yes("leg_weakness_worsening").advice
    assert "maternity unit" in with_yes("pregnant", "pregnancy_warning_signs").advice
    assert "midwife or doctor" in with_yes("pregnant").advice


def test_under_16_withholds_the_plan_and_asks_nothing_about_sex():
    result = assess(
        {k: v for k, v in ALL_NO.items() if k not in ("sexual_dysfunction_new", "pregnant")},
        **{**FACTS, "age": 15},
    )
    assert result.complete, "the questions about sex are not asked under 16"
    assert result.level is Urgency.see_gp and not result.self_care_plan_offered
    assert "sexual_dysfunction_new" in assess({}, age=16).unanswered
    assert "sexual_dysfunction_new" not in assess({}, age=15).unanswered
    assert "pregnant" not in assess({}, age=15).unanswered


def test_pregnancy_warning_signs_are_asked_only_when_pregnant():
    assert "pregnancy_warning_signs" not in assess({"pregnant": False}).unanswered
    assert "pregnancy_warning_signs" in assess({"pregnant": True}).unanswered
    assert "pregnancy_warning_signs" in assess({"pregnant": True}).unanswered
    answers = {**ALL_NO, "pregnant": True}
    del answers["pregnancy_warning_signs"]
    assert assess(answers, **FACTS).unanswered == ("pregnancy_warning_signs",)


def test_emergency_advice_says_what_to_do_now():
    advice = Urgency.emergency.advice.lower()
    assert "call 112 (or your local emergency number) now" in advice
    assert "emergency department now" in advice


def test_urgency_order_is_clinical_not_alphabetical():
    assert Urgency.self_care < Urgency.see_gp < Urgency.same_day < Urgency.emergency
    assert max(Urgency) is Urgency.emergency
    assert Urgency.emergency > "same_day"
    assert isinstance(Urgency.emergency, str) and Urgency.emergency == "emergency"


@pytest.mark.parametrize(
    "answers, facts, message",
    [
        ({"sore_toe": True}, {}, "unknown question id 'sore_toe'; valid ids: \\["),
        ({"chest_pain": "yes"}, {}, "must be True \\(yes\\), False \\(no\\) or None"),
        ({"chest_pain": 1}, {}, "must be True \\(yes\\), False \\(no\\) or None"),
        (["chest_pain"], {}, "answers must be a mapping"),
        ("chest_pain", {}, "answers must be a mapping"),
        ({}, {"age": 121}, "age must be a whole number of years from 0 to 120"),
        ({}, {"age": -1}, "age must be a whole number of years from 0 to 120"),
        ({}, {"age": 40.5}, "age must be a whole number"),
        ({}, {"age": True}, "age must be a whole number"),
        ({}, {"area": "middle"}, "area must be 'lower' or 'upper'"),
        (
            {},
            {"days_since_start": -1},
            "days_since_start must be a whole number of days, 0 or more",
        ),
    ],
)
def test_bad_input_raises_value_error_naming_what_is_allowed(answers, facts, message):
    with pytest.raises(ValueError, match=message):
        assess(answers, **facts)


def test_ages_0_and_120_and_day_0_are_allowed():
    assert assess(ALL_NO, age=0, area="lower", days_since_start=0).complete
    assert assess(ALL_NO, age=120, area="lower", days_since_start=0).complete


def test_every_rule_names_a_real_reference_and_has_a_plain_reason():
    kb = knowledge.load()
    keys = {r.key for r in kb.references}
    for rule in RULES:
        assert rule.source in keys, rule.id
        assert rule.reason.endswith("."), rule.id
    assert {"nhs_back_pain", "nhs_cauda_equina", "nice_ng234", "nice_cks_back_pain"} <= {
        r.source for r in RULES
    }


def test_rules_for_and_questions_since():
    assert {r.id for r in rules_for("history_of_cancer")} >= {
        "cancer_history",
        "cancer_with_nerve_signs",
        "cancer_with_spine_pain_signs",
    }
    added = questions_since(1)
    assert "pregnant" in added and "chest_pain" not in added
    assert questions_since(VERSION) == ()


def copy_content(tmp_path: Path, edit) -> Path:
    import shutil

    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    data = yaml.safe_load((target / "triage.yaml").read_text())
    edit(data)
    (target / "triage.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return target


def test_the_loader_refuses_a_rule_naming_an_unknown_question(tmp_path):
    def edit(data):
        data["rules"][0]["if"] = {"all": ["history_of_cancer", "numb_toes"]}

    with pytest.raises(knowledge.ContentError, match="names unknown question id 'numb_toes'"):
        knowledge.load_from(copy_content(tmp_path, edit))


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda d: d["rules"][0].update({"source": "made_up_ref"}),
            "unknown reference 'made_up_ref'",
        ),
        (lambda d: d["rules"][0].update({"tier": "whenever"}), "tier"),
        (lambda d: d["rules"][0].update({"if": {"age_over": 5}}), "unknown condition 'age_over'"),
        (
            lambda d: d["rules"].append(dict(d["rules"][0])),
            "rule id 'cauda_equina_bladder' is used twice",
        ),
        (lambda d: d["questions"][0].update({"since": 3}), "after the check's version"),
        (
            lambda d: d["questions"][0].update({"ask_if": "pregnant"}),
            "must name a question asked before it",
        ),
    ],
)
def test_the_loader_refuses_other_broken_rules(tmp_path, edit, message):
    with pytest.raises(knowledge.ContentError, match=message):
        knowledge.load_from(copy_content(tmp_path, edit))


# -- properties ---------------------------------------------------------------------------------
ids = sorted(RED_FLAGS)
answer_values = st.sampled_from([True, False, None])
answer_maps = st.fixed_dictionaries({}, optional={q: answer_values for q in ids})
complete_maps = st.fixed_dictionaries({q: st.booleans() for q in ids})
areas = st.sampled_from(["lower", "upper"])
days = st.integers(0, 400)


@settings(max_examples=300, deadline=None)
@given(
    answers=complete_maps, extra=st.sampled_from(ids), age=st.integers(0, 120), area=areas, d=days
)
def test_property_another_yes_never_lowers_the_tier(answers, extra, age, area, d):
    before = assess(answers, age=age, area=area, days_since_start=d)
    after = assess({**answers, extra: True}, age=age, area=area, days_since_start=d)
    assert after.level >= before.level
    assert set(before.rules) <= set(after.rules)


@settings(max_examples=300, deadline=None)
@given(answers=answer_maps, extra=st.sampled_from(ids), age=st.integers(0, 120), d=days)
def test_property_a_yes_never_lowers_the_tier_found_so_far(answers, extra, age, d):
    before = assess(answers, age=age, area="lower", days_since_start=d)
    after = assess({**answers, extra: True}, age=age, area="lower", days_since_start=d)
    if before.level is not None:
        assert after.level is not None and after.level >= before.level


@settings(max_examples=300, deadline=None)
@given(
    answers=complete_maps, age=st.integers(20, 119), older=st.integers(1, 100), area=areas, d=days
)
def test_property_a_higher_age_never_lowers_the_tier(answers, age, older, area, d):
    """From 20 up (below 20 the age rules are about being young: under 16, and a first back pain
    under 20, so growing older than those limits rightly removes them)."""
    higher = min(120, age + older)
    young = assess(answers, age=age, area=area, days_since_start=d)
    old = assess(answers, age=higher, area=area, days_since_start=d)
    assert old.level >= young.level


@settings(max_examples=300, deadline=None)
@given(answers=complete_maps, d=days, longer=st.integers(1, 400), age=st.integers(0, 120))
def test_property_longer_pain_never_lowers_the_tier(answers, d, longer, age):
    short = assess(answers, age=age, area="lower", days_since_start=d)
    long = assess(answers, age=age, area="lower", days_since_start=d + longer)
    assert long.level >= short.level


@settings(max_examples=400, deadline=None)
@given(
    answers=answer_maps,
    age=st.one_of(st.none(), st.integers(0, 120)),
    area=st.one_of(st.none(), areas),
    d=st.one_of(st.none(), days),
)
def test_property_unanswered_never_reads_safe(answers, age, area, d):
    result = assess(answers, age=age, area=area, days_since_start=d)
    if not result.complete:
        assert result.level is not Urgency.self_care
        assert result.label != Urgency.self_care.label
        assert not result.self_care_plan_offered
        assert result.unanswered
    else:
        assert result.unanswered == () and result.level is not None
    assert result.complete == (result.unanswered == ())
