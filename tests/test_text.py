"""Every word a reader sees comes from content: text ids resolve, values fill their fields,
templates and code name only ids that exist, languages and regions overlay the base content,
and the dashboard's pages are built from the shared partials, not from strings in Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from backcare_lib import knowledge
from tests.profiles import answers

LIB = Path(knowledge.__file__).parent
ID_IN_CALL = re.compile(r"""\bt(?:ext)?\(\s*["']([a-z_][a-z0-9_.]*)["']""")


def test_a_text_fills_its_fields_and_refuses_what_does_not_fit():
    kb = knowledge.load()
    assert kb.text("dashboard.step_of", n=2, total=6) == "Step 2 of 6"
    with pytest.raises(ValueError, match="unknown text id 'dashboard.nope'"):
        kb.text("dashboard.nope")
    with pytest.raises(ValueError, match=r"takes the values \['n', 'total'\]"):
        kb.text("dashboard.step_of", n=2)


def test_counted_words():
    kb = knowledge.load()
    assert [kb.count("count.how_often", n) for n in (1, 2, 3)] == ["once", "twice", "3 times"]
    assert kb.count("count.days", 1) == "1 day" and kb.count("count.days", 4) == "4 days"


def test_every_text_id_named_in_code_and_templates_exists():
    kb = knowledge.load()
    sources = [*LIB.rglob("*.py"), *LIB.rglob("*.j2")]
    named = {m for path in sources for m in ID_IN_CALL.findall(path.read_text(encoding="utf-8"))}
    assert len(named) > 40

    def known(text_id: str) -> bool:  # "heading." is a prefix completed at run time
        if text_id.endswith("."):
            return any(t.startswith(text_id) for t in kb.texts)
        return text_id in kb.texts

    missing = sorted(i for i in named if not known(i))
    assert not missing, f"text ids used but not in text.yaml: {missing}"


def test_ui_builds_no_html_from_strings():
    for name in ("steps.py", "dashboard.py", "common.py", "lesson.py"):
        code = (LIB / "ui" / name).read_text(encoding="utf-8")
        assert not re.search(r"""f["']<""", code), f"ui/{name} builds HTML with an f-string"


def test_a_language_and_a_region_overlay_the_base_content(content_copy):
    (content_copy / "lang" / "es" / "modules").mkdir(parents=True, exist_ok=True)
    (content_copy / "lang" / "es" / "text.yaml").write_text(
        yaml.safe_dump({"dashboard": {"next": "Siguiente"}}), encoding="utf-8"
    )
    module = next((content_copy / "modules").glob("*first_days*.yaml")).name
    (content_copy / "lang" / "es" / "modules" / module).write_text(
        yaml.safe_dump({"points": [{"id": "ice_safety", "title": "Nunca duerma sobre hielo"}]}),
        encoding="utf-8",
    )
    us = yaml.safe_load((content_copy / "regions" / "us.yaml").read_text(encoding="utf-8"))
    us["terms"]["en"]["emergency_number"] = "9-1-1"
    (content_copy / "regions" / "us.yaml").write_text(yaml.safe_dump(us), encoding="utf-8")
    (content_copy / "modules" / "5_red_flags.yaml").write_text(
        (content_copy / "modules" / "5_red_flags.yaml")
        .read_text(encoding="utf-8")
        .replace(
            'title: "Go now: call {region.emergency_number}"',
            'title: "Call {region.emergency_number}"',
        ),
        encoding="utf-8",
    )
    kb = knowledge.load_from(content_copy, "es", "us")
    assert kb.text("dashboard.next") == "Siguiente"
    assert kb.point("ice_safety").title == "Nunca duerma sobre hielo"
    assert kb.point("ice_how_to").sources == knowledge.load().point("ice_how_to").sources
    assert knowledge.load_from(content_copy, "en", "us").point("rf_emergency").title == (
        "Call 9-1-1"
    )
    assert (kb.lang, kb.region) == ("es", "us")
    with pytest.raises(ValueError, match=r"lang must be one of \['en', 'es'\]"):
        knowledge.load_from(content_copy, "fr")
    with pytest.raises(ValueError, match=r"region must be one of \['us', 'uk', 'intl'\]"):
        knowledge.load_from(content_copy, "en", "mars")


def test_load_keeps_its_signature_and_defaults():
    assert knowledge.load() is knowledge.load("en", "intl")
    with pytest.raises(ValueError, match="lang must be one of"):
        knowledge.load("klingon")


def test_a_step_names_only_points_headings_and_parts_that_exist(content_copy):
    path = content_copy / "dashboard.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["steps"][3]["blocks"].append({"part": "no_such_partial"})
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(knowledge.ContentError, match="partial no_such_partial"):
        knowledge.load_from(content_copy)


def test_a_plans_sections_are_content_and_name_only_points_that_exist(content_copy):
    from datetime import datetime, timedelta

    from backcare_lib import plan
    from tests.profiles import complete_profile

    kb = knowledge.load()
    now = datetime(2026, 3, 2, 10, 0)
    care_plan = plan.build_plan(complete_profile(now - timedelta(hours=6)), now=now)
    assert care_plan.self_care
    assert [p.id for p in care_plan.expect] == list(kb.plan.sections.expect)
    only = {o for way in kb.plan.pathways for o in way.only_points}  # none applies here
    assert [p.id for p in care_plan.medicines] == [
        m for m in kb.plan.sections.medicines if m not in only
    ]
    path = content_copy / "plan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"]["expect"].append("no_such_point")
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(knowledge.ContentError, match=r"plan.yaml: expect: .*no_such_point"):
        knowledge.load_from(content_copy)


def test_steps_are_found_by_id_whatever_their_order(monkeypatch):
    from datetime import datetime

    from backcare_lib.ui.dashboard import Dashboard

    kb = knowledge.load()
    steps = list(kb.dashboard.steps)
    steps[3], steps[4] = steps[4], steps[3]  # "moving" before "first_days"
    moved = kb.model_copy(update={"dashboard": kb.dashboard.model_copy(update={"steps": steps})})
    monkeypatch.setattr(knowledge, "active", lambda *a, **k: moved)
    dash = Dashboard(now=lambda: datetime(2026, 3, 2, 10, 0))
    dash.form.age.value = "40"  # the safety check needs age, area and every answer
    dash.form.area.value = "lower"
    dash.checklist.value = answers()
    assert dash.step_ids[3:5] == ["moving", "first_days"]
    dash.go("first_days")
    assert dash.step == "first_days" and "Step 5 of 6" in dash.panels["first_days"].value
    assert "Your ice and heat times" in dash.panels["first_days"].value


def test_a_message_about_typed_input_is_a_text_id_with_values():
    from backcare_lib import plan
    from backcare_lib.checks import InputError

    with pytest.raises(InputError) as caught:
        plan.clean_name("<b>")
    err = caught.value
    assert isinstance(err, ValueError) and err.text_id == "input.not_a_name"
    assert str(err) == knowledge.load().text("input.not_a_name", **err.values)
    other = knowledge.load().model_copy(
        update={"texts": {**knowledge.load().texts, "input.not_a_name": "Nombre: {shown}"}}
    )
    assert err.text(other) == f"Nombre: {err.values['shown']}"


def test_the_lesson_tools_take_their_words_from_content(monkeypatch, tmp_path):
    """Change a tool's words in content, and the widget says the new words: nothing of them is
    written in Python (tests/test_no_text_in_code.py keeps it so)."""
    from backcare_lib import diary
    from backcare_lib.ui.diary_ui import DiaryLogForm
    from backcare_lib.ui.quiz import Quiz
    from backcare_lib.ui.timers import PlankTimer
    from backcare_lib.ui.tools import FluidCounter

    kb = knowledge.load()
    changed = {
        "fluids.add": "Otro vaso",
        "timer.breathe_in": "Inspire",
        "quiz.score": "Puntos: {score} de {total}",
        "diary.form.save": "Guardar",
        "pain.severe": "fuerte",
        "input.entry_empty": "entrada vacía",
    }
    other = kb.model_copy(update={"texts": {**kb.texts, **changed}})
    monkeypatch.setattr(knowledge, "load", lambda *a, **k: other)
    monkeypatch.setattr(knowledge, "active", lambda: other)  # the language in force
    assert FluidCounter().add.description == "Otro vaso"
    plank = PlankTimer(clock=lambda: 0.0)
    plank.start()
    assert "Inspire" in plank.cue.value
    assert "Puntos: 0 de" in Quiz("first_days").score_text.value
    form = DiaryLogForm(diary.DiaryStore(tmp_path / "d.sqlite3"))
    assert form.save.description == "Guardar" and "10 (fuerte)" in str(form.pain.options)
    form.save.click()
    assert "Entrada vacía." in form.message.value


def test_a_text_with_markup_escapes_its_values_but_keeps_a_partial_link():
    from markupsafe import Markup

    from backcare_lib import render

    kb = knowledge.load()
    link = Markup('<a href="data:text/csv;base64,AA==">x</a>')
    shown = render.text_with_markup(kb, "diary.export_ready", link=link)
    assert '<a href="data:text/csv;base64,AA==">x</a>' in shown
    hostile = render.text_with_markup(kb, "diary.export_ready", link="<script>")
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile


def test_dates_are_written_in_words_from_content(monkeypatch):
    from datetime import date, datetime

    from backcare_lib import exercise

    kb = knowledge.load()
    friday = datetime(2026, 11, 27, 9, 30)
    assert kb.date(friday) == "Fri 27 Nov" and kb.date(date(2026, 3, 2), "day_month") == "02 Mar"
    assert kb.date(friday, "full") == "Friday 27 November 2026"
    assert kb.date(friday, "day_month_year") == "27 Nov 2026"
    with pytest.raises(ValueError, match="date style must be one of"):
        kb.date(friday, "roman")
    other = kb.model_copy(
        update={
            "texts": {
                **kb.texts,
                "date.day_long_month": "{day} de {month}",
                "date.month.long.11": "noviembre",
            }
        }
    )
    monkeypatch.setattr(knowledge, "load", lambda *a, **k: other)
    monkeypatch.setattr(knowledge, "active", lambda: other)  # the language in force
    steps = exercise.plank_plan(date(2026, 11, 27))
    assert "27 de noviembre" in exercise.summarize_plank(steps)
