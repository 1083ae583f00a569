"""The lessons follow the skeleton, keep code cells short, read plainly, and are listed in the
README. (pytest --nbval-lax notebooks executes them; widget behaviour is tested elsewhere.)"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest
import textstat

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
SKELETON = ["Overview", "What you will learn", "Summary", "Talk to a professional", "Sources"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_there_are_six_lessons():
    assert [p.stem for p in LESSONS] == [
        "00_start_here",
        "01_what_is_a_back_spasm",
        "02_the_first_days",
        "03_when_to_get_help",
        "04_prevent_the_next_one",
        "05_my_recovery_diary",
    ]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_follows_the_skeleton(path):
    all_cells = cells(path)
    first = text(all_cells[0])
    assert first.startswith("# ") and all_cells[0]["cell_type"] == "markdown"
    headings = [
        line
        for c in all_cells
        if c["cell_type"] == "markdown"
        for line in text(c).splitlines()
        if line.startswith("#")
    ]
    assert sum(h.startswith("# ") for h in headings) == 1, "exactly one H1 title"
    h2 = [h[3:].strip() for h in headings if h.startswith("## ")]
    positions = [h2.index(name) for name in SKELETON]
    assert positions == sorted(positions), f"skeleton out of order: {h2}"
    assert len(h2) > len(SKELETON), "the lesson has sections of its own"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_code_cells_are_short_calls_to_the_library(path):
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        import ast

        if all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.parse(text(cell)).body):
            continue  # the Imports cell: as long as the lesson's imports, wrapped by ruff
        lines = [
            ln for ln in text(cell).splitlines() if ln.strip() and not ln.strip().startswith("#")
        ]
        assert len(lines) <= 6, f"{path.stem}: a code cell of {len(lines)} lines"
        assert "backcare_lib" in text(cell) or all(not ln.startswith("def ") for ln in lines)


def markdown_paragraphs() -> list[tuple[str, str]]:
    """Paragraphs of 30+ words; headings and tables left out, each bullet read as a sentence."""
    out = []
    for path in LESSONS:
        for cell in cells(path):
            if cell["cell_type"] != "markdown":
                continue
            for para in re.split(r"\n\s*\n", text(cell)):
                if para.lstrip().startswith("<"):
                    continue  # a rendered point or box: its text is graded in the knowledge base
                lines = [ln for ln in para.splitlines() if not ln.startswith(("#", "|"))]
                lines = [ln[2:].rstrip(".") + "." if ln.startswith("- ") else ln for ln in lines]
                words = re.sub(r"[`*|]", " ", "\n".join(lines))
                if len(words.split()) >= 30:
                    out.append((path.stem, words))
    return out


def test_lesson_text_is_plain():
    grades = [(stem, textstat.flesch_kincaid_grade(p)) for stem, p in markdown_paragraphs()]
    assert len(grades) >= 5
    assert not [g for g in grades if g[1] > 8], grades
    assert statistics.median(g for _s, g in grades) <= 6


def test_readme_describes_every_lesson():
    readme = (ROOT / "README.md").read_text()
    for path in LESSONS:
        assert f"`{path.stem}`" in readme, path.stem
