"""The lesson notebooks, written from content: ``make lessons`` (python -m backcare_lib.lessons).

Each ``content/lessons/<id>.yaml`` declares a lesson: its title, overview, what you will learn,
sections (teaching points, notes, and code cells for the tools), summary and sources. This
module writes ``notebooks/<id>.ipynb`` from it in the Project Pythia skeleton, with the teaching
text as markdown, so a lesson reads in full before anything runs (on GitHub, in nbviewer, or a
first look in JupyterLab). The markdown for points, notes, the help box and the sources is
rendered by the same partials as the dashboard and the take-home plan.

``--check`` writes nothing and exits non-zero when a notebook is out of step with content.
Notebook-level metadata of an existing notebook (kernel, language) is kept as it is.
"""

from __future__ import annotations

import argparse
import ast
import base64
import json
import sys
from pathlib import Path

from backcare_lib import knowledge, render

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
# What JupyterLab writes once an ipykernel kernel starts, so opening a lesson changes nothing.
DEFAULT_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    },
}


def notebook_dir(lang: str = "en") -> Path:
    return NOTEBOOKS if lang == "en" else NOTEBOOKS / lang


def _html_cell(html: str) -> str:
    """Rendered HTML as one markdown block: no blank line may split it."""
    return "\n".join(line for line in html.splitlines() if line.strip())


def imported_names(code: str) -> dict[str, set[str]]:
    """What a piece of code imports: module -> names (``""`` for a plain ``import module``)."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom):
            found.setdefault(node.module, set()).update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set()).add("")
    return found


def _imports(lesson: knowledge.Lesson, kb: knowledge.KnowledgeBase | None = None) -> str:
    """The Imports cell: every import the lesson's code cells use, one line per module,
    standard library first. In another language than English it also sets the kernel's
    language, so the lesson's tools, quizzes and charts speak it too."""
    if lesson.imports:
        return lesson.imports.strip()
    merged: dict[str, set[str]] = {}
    if kb is not None and kb.lang != knowledge.DEFAULT_LANG and lesson_has_code(lesson):
        merged["backcare_lib"] = {"knowledge"}
    for section in lesson.sections:
        for block in section.blocks:
            for module, names in imported_names(block.code or "").items():
                merged.setdefault(module, set()).update(names)
    lines = []
    for module in sorted(merged, key=lambda m: (m.startswith("backcare_lib"), m)):
        if module.startswith("backcare_lib") and lines and "backcare_lib" not in lines[-1]:
            lines.append("")  # the standard library first, then the kit, as isort keeps them
        names = sorted(n for n in merged[module] if n)
        if "" in merged[module]:
            lines.append(f"import {module}")
        if names:
            line = f"from {module} import {', '.join(names)}"
            if len(line) > 100:  # wrapped as ruff format (the project's formatter) wraps it
                line = f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
            lines.append(line)
    if "backcare_lib" in merged and "knowledge" in merged["backcare_lib"] and kb is not None:
        if kb.lang != knowledge.DEFAULT_LANG:
            lines += ["", f'_ = knowledge.set_default("{kb.lang}", "{kb.region}")  # no output']
    return "\n".join(lines)


def lesson_has_code(lesson: knowledge.Lesson) -> bool:
    return any(block.code for section in lesson.sections for block in section.blocks)


def cells(lesson: knowledge.Lesson, kb: knowledge.KnowledgeBase) -> list[tuple[str, str]]:
    """The lesson as (cell type, source) pairs."""
    out: list[tuple[str, str]] = []

    def md(*parts: str | None) -> None:
        out.append(("markdown", "\n\n".join(p.strip() for p in parts if p)))

    md(f"# {lesson.title}", lesson.intro)
    md(f"## {kb.text('lesson.overview')}", lesson.overview)
    md(f"## {kb.text('lesson.learn')}", "\n".join(f"- {item}" for item in lesson.learn))
    imports = _imports(lesson, kb)
    if imports:
        md(f"## {kb.text('lesson.imports')}", kb.text("lesson.imports_text"))
        out.append(("code", imports))
    for section in lesson.sections:
        md(f"{'#' * section.level} {section.heading}", section.text)
        for block in section.blocks:
            if block.points:
                for point_id in block.points:
                    md(_html_cell(render.point(point_id, kb=kb, level=section.level + 1)))
            elif block.disclaimer:
                md(_html_cell(render.partial("note", kb=kb)))
            elif block.image:
                out.append(("markdown", f"![{block.alt}](attachment:{block.image})"))
            else:
                out.append(("code", block.code.strip()))
    md(f"## {kb.text('lesson.summary')}", lesson.summary)
    md(
        f"## {kb.text('lesson.talk')}",
        kb.text("lesson.talk_text"),
        _html_cell(render.partial("help_now", kb=kb, signs=True, level=3)),
    )
    references = kb.module_references(*lesson.sources)
    md(
        f"## {kb.text('lesson.sources')}",
        lesson.sources_note,
        _html_cell(render.partial("sources", kb=kb, references=references)) if references else None,
    )
    return out


def notebook(lesson: knowledge.Lesson, kb: knowledge.KnowledgeBase, metadata: dict | None) -> dict:
    nb_cells = []
    for i, (kind, source) in enumerate(cells(lesson, kb)):
        lines = source.splitlines(keepends=True)
        cell = {
            "cell_type": kind,
            "id": f"{lesson.id[:2]}-{i:02d}",
            "metadata": {},
            "source": lines,
        }
        if kind == "markdown" and source.startswith("![") and "](attachment:" in source:
            name = source.split("](attachment:", 1)[1].rstrip(")")
            png = base64.b64encode((IMAGES / name).read_bytes()).decode("ascii")
            cell["attachments"] = {name: {"image/png": png}}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        nb_cells.append(cell)
    # Kernel and language as JupyterLab writes them (else opening a lesson marks it changed).
    meta = {**(metadata or {}), **DEFAULT_METADATA}
    meta["title"] = lesson.title
    return {"cells": nb_cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def dumps(nb: dict) -> str:
    """As JupyterLab writes a notebook, so opening and saving one changes nothing."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _existing_metadata(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("metadata")
    except (OSError, ValueError):
        return None


def render_all(
    lang: str = "en", region: str = "intl", out_dir: Path | None = None
) -> dict[Path, str]:
    """Every lesson notebook's file text, by path (nothing written)."""
    kb = knowledge.load(lang, region)
    folder = out_dir or notebook_dir(lang)
    texts = {}
    for lesson in kb.lessons:
        path = folder / f"{lesson.id}.ipynb"
        texts[path] = dumps(notebook(lesson, kb, _existing_metadata(path)))
    return texts


def stale(lang: str = "en", out_dir: Path | None = None) -> list[Path]:
    """Notebooks that differ from what content makes of them (or are missing)."""
    return [
        path
        for path, text in render_all(lang, out_dir=out_dir).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backcare_lib.lessons", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="write nothing; fail if out of step")
    parser.add_argument(
        "--lang",
        choices=[*knowledge.LANGUAGES, "all"],
        default="all",
        help="language of the lessons (default: all: notebooks/ and notebooks/es/)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="folder (default: notebooks/, and notebooks/es/)"
    )
    args = parser.parse_args(argv)
    langs = knowledge.LANGUAGES if args.lang == "all" else (args.lang,)

    def folder(lang: str) -> Path | None:
        """--out is the English folder; another language goes in a folder named for it."""
        return None if args.out is None else args.out if lang == "en" else args.out / lang

    if args.check:
        out_of_step = [path for lang in langs for path in stale(lang, folder(lang))]
        for path in out_of_step:
            print(f"out of step with content: {path} (run `make lessons`)", file=sys.stderr)
        return 1 if out_of_step else 0
    for lang in langs:
        for path, text in render_all(lang, out_dir=folder(lang)).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
