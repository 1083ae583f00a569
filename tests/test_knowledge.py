"""The knowledge base loads, validates, reports bad files clearly and offers look-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backcare_lib import knowledge
from backcare_lib.knowledge import ContentError

MODULES = ["what_is_a_spasm", "first_days", "getting_help", "prevention", "red_flags", "my_diary"]


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_loads_all_modules_in_teaching_order():
    kb = knowledge.load()
    assert [m.id for m in kb.modules] == MODULES
    assert knowledge.load() is kb  # cached


def test_every_module_has_at_least_three_quiz_items_with_feedback():
    for module in knowledge.load().modules:
        assert len(module.quiz) >= 3, module.id
        for item in module.quiz:
            assert sum(c.correct for c in item.choices) == 1
            assert all(len(c.feedback.split()) >= 3 for c in item.choices), item.id


def test_every_point_names_sources_that_resolve_to_full_citations():
    kb = knowledge.load()
    for _module, point in kb.iter_points():
        refs = kb.sources_of(point.id)
        assert refs, point.id
        for ref in refs:
            assert ref.title and ref.publisher
            assert ref.year is None or 1950 <= ref.year <= 2100  # None: the page shows no date
            assert ref.citation().startswith(ref.title)


def test_lookups():
    kb = knowledge.load()
    assert kb.point("ice_how_to").title.startswith("Ice")
    assert kb.module_of("prev_plank").id == "prevention"
    assert kb.reference("nice_ng59").updated == 2020
    assert kb.evidence_label("rest_not_too_long") == "Some evidence"
    assert len(kb.quiz("first_days")) >= 3
    assert "does not take the place of a doctor" in kb.disclaimer


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda kb: kb.point("nope"), "unknown teaching point 'nope'"),
        (lambda kb: kb.module("nope"), "known modules: ['what_is_a_spasm'"),
        (lambda kb: kb.reference("nope"), "unknown reference 'nope'"),
    ],
)
def test_unknown_ids_raise_value_error_naming_what_exists(call, expected):
    with pytest.raises(ValueError, match=expected.replace("[", r"\[")):
        call(knowledge.load())


def test_bad_field_names_file_entry_and_field(content_copy):
    path = content_copy / "modules" / "2_first_days.yaml"
    edit_yaml(path, lambda d: d["points"][0].update(evidence_level="maybe"))
    with pytest.raises(ContentError) as err:
        knowledge.load_from(content_copy)
    message = str(err.value)
    assert "2_first_days.yaml" in message
    assert "'ice_how_to'" in message
    assert "points.0.evidence_level" in message


def test_unknown_source_key_is_reported(content_copy):
    path = content_copy / "modules" / "4_prevention.yaml"
    edit_yaml(path, lambda d: d["points"][1].update(sources=["article", "my_blog"]))
    with pytest.raises(ContentError, match="prev_eight_glasses.*unknown reference 'my_blog'"):
        knowledge.load_from(content_copy)


def test_quiz_item_with_two_right_answers_is_rejected(content_copy):
    path = content_copy / "modules" / "1_what_is_a_spasm.yaml"
    edit_yaml(path, lambda d: d["quiz"][0]["choices"][1].update(correct=True))
    with pytest.raises(ContentError, match="q_spasm_what.*exactly one correct choice, has 2"):
        knowledge.load_from(content_copy)


def test_duplicate_ids_are_rejected(content_copy):
    path = content_copy / "modules" / "3_getting_help.yaml"
    edit_yaml(path, lambda d: d["points"][1].update(id="help_tell_your_doctor"))
    with pytest.raises(ContentError, match="'help_tell_your_doctor' is used twice"):
        knowledge.load_from(content_copy)


def test_broken_yaml_and_missing_file_are_reported(content_copy):
    (content_copy / "kit.yaml").write_text("disclaimer: [unclosed\n")
    with pytest.raises(ContentError, match="kit.yaml: not valid YAML"):
        knowledge.load_from(content_copy)
    (content_copy / "kit.yaml").unlink()
    with pytest.raises(ContentError, match="kit.yaml: file is missing"):
        knowledge.load_from(content_copy)


def test_multiline_evidence_note_is_rejected(content_copy):
    path = content_copy / "modules" / "4_prevention.yaml"
    edit_yaml(path, lambda d: d["points"][0].update(evidence="line one\nline two"))
    with pytest.raises(ContentError, match="prev_fluids.*evidence.*one line"):
        knowledge.load_from(content_copy)
