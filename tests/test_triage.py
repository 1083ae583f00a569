"""Red-flag triage: every flag leads to its urgency; the highest wins; bad input is a ValueError."""

from __future__ import annotations

import pytest

from backcare_lib.triage import RED_FLAGS, Assessment, Urgency, assess, flags_by_urgency

EXPECTED = {
    "bladder_problems": "emergency",
    "bowel_incontinence": "emergency",
    "saddle_numbness": "emergency",
    "both_legs_symptoms": "emergency",
    "sexual_dysfunction_new": "emergency",
    "major_trauma": "emergency",
    "chest_pain": "emergency",
    "leg_weakness_worsening": "same_day",
    "fever_or_unwell": "same_day",
    "history_of_cancer": "same_day",
    "weak_immune_system": "same_day",
    "iv_drug_use": "same_day",
    "minor_fall_with_osteoporosis": "same_day",
    "unexplained_weight_loss": "see_gp",
    "night_pain": "see_gp",
    "new_pain_under_20_or_over_50": "see_gp",
    "not_improving_4_weeks": "see_gp",
    "numbness_one_leg": "see_gp",
    "spasms_keep_coming_back": "see_gp",
}


def test_red_flag_ids_are_exactly_the_agreed_set():
    assert set(RED_FLAGS) == set(EXPECTED)
    for flag_id, flag in RED_FLAGS.items():
        assert flag.question.endswith("?"), flag_id
        assert flag.reason


@pytest.mark.parametrize("flag_id, urgency", sorted(EXPECTED.items()))
def test_each_flag_alone_gives_its_urgency(flag_id, urgency):
    result = assess([flag_id])
    assert result.level is Urgency(urgency)
    assert result.reasons == (RED_FLAGS[flag_id].reason,)
    assert result.flags == (flag_id,)
    assert result.advice == Urgency(urgency).advice


def test_no_flag_is_self_care():
    result = assess([])
    assert result == Assessment(
        Urgency.self_care, (), (), Urgency.self_care.advice, Urgency.self_care.label
    )
    assert result.self_care_plan_offered and not result.is_emergency


@pytest.mark.parametrize(
    "flags, level, first_reason_flag",
    [
        (["night_pain", "saddle_numbness"], "emergency", "saddle_numbness"),
        (["fever_or_unwell", "numbness_one_leg"], "same_day", "fever_or_unwell"),
        (["not_improving_4_weeks", "spasms_keep_coming_back"], "see_gp", "not_improving_4_weeks"),
        (["iv_drug_use", "chest_pain", "night_pain"], "emergency", "chest_pain"),
        (list(EXPECTED), "emergency", "bladder_problems"),
        (["history_of_cancer", "history_of_cancer"], "same_day", "history_of_cancer"),
    ],
)
def test_combinations_take_the_highest_urgency_and_name_every_flag(flags, level, first_reason_flag):
    result = assess(flags)
    assert result.level is Urgency(level)
    assert result.flags[0] == first_reason_flag
    assert set(result.flags) == set(flags)
    assert len(result.reasons) == len(set(flags))


def test_emergency_and_same_day_replace_the_self_care_plan():
    assert not assess(["saddle_numbness"]).self_care_plan_offered
    assert not assess(["fever_or_unwell"]).self_care_plan_offered
    assert assess(["night_pain"]).self_care_plan_offered


def test_emergency_advice_says_what_to_do_now():
    advice = Urgency.emergency.advice.lower()
    assert "emergency services" in advice and "emergency department now" in advice


def test_urgency_order_is_clinical_not_alphabetical():
    assert Urgency.self_care < Urgency.see_gp < Urgency.same_day < Urgency.emergency
    assert max(Urgency) is Urgency.emergency
    assert Urgency.emergency > "same_day"
    assert isinstance(Urgency.emergency, str) and Urgency.emergency == "emergency"
    assert [f.id for f in flags_by_urgency("see_gp")] == [
        k for k, v in EXPECTED.items() if v == "see_gp"
    ]


@pytest.mark.parametrize(
    "bad, message",
    [
        (["saddle_numbness", "sore_toe"], "unknown red-flag id 'sore_toe'; valid ids: \\["),
        ("saddle_numbness", "must be a list of red-flag ids"),
        ([None], "unknown red-flag id None"),
        ([3], "unknown red-flag id 3"),
        (42, "must be a list of red-flag ids"),
    ],
)
def test_bad_input_raises_value_error_naming_valid_ids(bad, message):
    with pytest.raises(ValueError, match=message) as err:
        assess(bad)
    assert "bladder_problems" in str(err.value)
