"""Medicine and exercise cautions follow the safety-check answers and age, per combination."""

from __future__ import annotations

from itertools import product

import pytest

from backcare_lib import cautions, knowledge

IDS = ("pregnant", "blood_thinners", "osteoporosis", "long_term_steroids")
NO = dict.fromkeys(IDS, False)


def expected(answers: dict, age: int | None) -> tuple[set, set]:
    """The rules as the issue states them, written independently of the content file."""
    withheld, ask = set(), set()
    if answers["pregnant"] is not False:
        withheld |= {"nsaids", "plank"}
        # acetaminophen, and Percogesic (acetaminophen with a sleepy antihistamine): both labels
        # say to ask a health professional first if pregnant or breast-feeding
        ask |= {"acetaminophen", "sedating"}
    if answers["blood_thinners"] is not False:
        withheld.add("nsaids")
        ask.add("acetaminophen")  # warfarin: the acetaminophen label says ask first
    if answers["long_term_steroids"] is not False:
        ask.add("nsaids")  # steroids with NSAIDs: stomach bleeding (NSAID label)
    if age is None or age >= 65:
        ask |= {"nsaids", "sedating"}
    if answers["osteoporosis"] is not False or answers["long_term_steroids"] is not False:
        withheld.add("plank")
    return withheld, ask - withheld


@pytest.mark.parametrize(
    "values, age",
    [(v, a) for v in product([True, False, None], repeat=len(IDS)) for a in (30, 64, 65, None)],
)
def test_every_combination_of_answers_and_age(values, age):
    answers = dict(zip(IDS, values, strict=True))
    result = cautions.applicable(answers, age)
    withheld, ask = expected(answers, age)
    assert result.withheld == withheld
    assert result.ask_first == ask
    assert all(rule.caution for rule in result.rules)


def test_no_answers_yes_and_young_means_no_cautions():
    result = cautions.applicable(NO, 40)
    assert not result.withheld and not result.ask_first and result.messages == ()


def test_pregnant_gets_no_nsaids_and_asks_before_acetaminophen_with_sources():
    result = cautions.applicable({**NO, "pregnant": True}, 28)
    assert result.withheld == {"nsaids", "plank"}
    assert result.ask_first == {"acetaminophen", "sedating"}
    kb = knowledge.load()
    sources = {rule.source for rule in result.rules}
    assert "fda_nsaid_pregnancy_2020" in sources
    assert all(kb.reference(key) for key in sources)
    assert any("midwife" in m for m in result.messages)


def test_a_missing_answer_is_never_a_no():
    assert "nsaids" in cautions.applicable({}, 30).withheld


@pytest.mark.parametrize(
    "answers, age, message",
    [
        ([("pregnant", True)], 30, "answers must map"),
        ({"pregnant": "yes"}, 30, "must be True, False or None"),
        ({1: True}, 30, "must be text"),
        (NO, 121, "age must be a whole number from 0 to 120"),
        (NO, True, "age must be a whole number"),
        (NO, "65", "age must be a whole number"),
    ],
)
def test_bad_input_raises_value_error(answers, age, message):
    with pytest.raises(ValueError, match=message):
        cautions.applicable(answers, age)
