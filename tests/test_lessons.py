"""The lessons are written from content (``make lessons``) and read before they run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markupsafe
import pytest

from backcare_lib import knowledge, lessons

ROOT = Path(__file__).resolve().parent.parent
LESSONS = knowledge.load().lessons
MIN_WORDS = 250


def markdown_words(path: Path) -> int:
    text = " ".join(
        "".join(c["source"])
        for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "markdown"
    )
    text = re.sub(r'<ol class="sources"[^>]*>.*?</ol>', " ", text, flags=re.S)  # citations
    text = re.sub(r"<[^>]+>", " ", text)
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_notebook_is_in_step_with_content(lang):
    out_of_step = lessons.stale(lang)
    assert not out_of_step, f"run `make lessons`: {[str(p) for p in out_of_step]}"


@pytest.mark.parametrize("folder", ["notebooks", "notebooks/es"])
def test_every_lesson_notebook_has_content(folder):
    declared = {f"{lesson.id}.ipynb" for lesson in LESSONS}
    on_disk = {p.name for p in (ROOT / folder).glob("0*.ipynb")}
    assert declared == on_disk


@pytest.mark.parametrize("lesson", LESSONS, ids=[x.id for x in LESSONS])
def test_lesson_reads_before_it_runs(lesson):
    words = markdown_words(ROOT / "notebooks" / f"{lesson.id}.ipynb")
    assert words >= MIN_WORDS, f"{lesson.id}: {words} words of markdown"


@pytest.mark.parametrize("lesson", LESSONS, ids=[x.id for x in LESSONS])
def test_teaching_points_are_markdown_not_calls(lesson):
    nb = json.loads((ROOT / "notebooks" / f"{lesson.id}.ipynb").read_text(encoding="utf-8"))
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "lesson.show(" not in code and "help_now" not in code
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    kb = knowledge.load()
    for section in lesson.sections:
        for block in section.blocks:
            for point_id in block.points:
                assert kb.point(point_id).title.replace("'", "&#39;") in markdown


def test_imports_cell_follows_what_you_will_learn_and_holds_every_import():
    for lesson in LESSONS:
        nb_cells = lessons.cells(lesson, knowledge.load())
        code = [src for kind, src in nb_cells if kind == "code"]
        if not code:
            continue
        heads = [src.splitlines()[0] for kind, src in nb_cells if kind == "markdown"]
        kb = knowledge.load()
        expected = [f"## {kb.text('lesson.learn')}", f"## {kb.text('lesson.imports')}"]
        assert heads[2:4] == expected, lesson.id
        imports = lessons.imported_names(code[0])
        for cell in code[1:]:
            for module, names in lessons.imported_names(cell).items():
                assert names <= imports.get(module, set()), f"{lesson.id}: {module} {names}"


def test_check_mode_finds_a_stale_notebook(tmp_path):
    lesson = LESSONS[1]
    for path, text in lessons.render_all(out_dir=tmp_path).items():
        path.write_text(text, encoding="utf-8")
    assert lessons.main(["--check", "--lang", "en", "--out", str(tmp_path)]) == 0
    target = tmp_path / f"{lesson.id}.ipynb"
    target.write_text(target.read_text().replace(lesson.title, "Old title"), encoding="utf-8")
    assert lessons.stale(out_dir=tmp_path) == [target]
    assert lessons.main(["--check", "--lang", "en", "--out", str(tmp_path)]) == 1
    assert lessons.main(["--lang", "en", "--out", str(tmp_path)]) == 0
    assert not lessons.stale(out_dir=tmp_path)


def test_text_a_reader_sees_is_escaped(tmp_path):
    """Point text goes through the autoescaping partials, even in markdown cells."""
    kb = knowledge.load()
    point = kb.point("ice_safety").model_copy(update={"title": "<script>x</script>"})
    modules = tuple(
        m.model_copy(update={"points": tuple(point if p.id == point.id else p for p in m.points)})
        for m in kb.modules
    )
    hostile = kb.model_copy(update={"modules": modules})
    source = "".join(src for _k, src in lessons.cells(kb.lesson("02_the_first_days"), hostile))
    assert "<script>" not in source and "&lt;script&gt;" in source


def test_lesson_03_teaches_every_warning_sign_before_it_asks_them():
    kb = knowledge.load()
    cells = json.loads((ROOT / "notebooks" / "03_when_to_get_help.ipynb").read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    asks = next(i for i, s in enumerate(sources) if "RedFlagChecklist(" in s)
    for point_id in ("rf_emergency", "rf_same_day", "rf_see_gp"):
        title = str(markupsafe.escape(kb.point(point_id).title))
        taught = next(i for i, s in enumerate(sources) if title in s)
        assert taught < asks, f"{point_id} is taught after the safety check asks the questions"
