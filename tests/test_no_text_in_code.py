"""No reader-facing words in Python: every label, heading, message and summary a reader sees
comes from content (``text.yaml`` and the other content files), so the readability test and a
translator see it. This test reads the source of every module of the library and of app/, and
fails when a string literal looks like words for a reader.

What counts as words: after taking out HTML tags, two or more words of letters (``"Add a
glass"``), or one capitalised word (``"Reset"``). What does not count: docstrings; the message
of a ``raise`` (a programmer's error: a ValueError naming what is wrong and what is allowed;
messages about what a person typed are ``InputError``s that carry a text id); log calls; SQL.
Everything else needs a place in ``ALLOWED`` below, with the reason no reader sees it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("backcare_lib", "app")  # the library and the apps' Python (server and lab config)

# Modules whose words are for the person running or building the kit, never a patient: each
# file, and why.
ALLOWED_MODULES = {
    "backcare_lib/__main__.py": "the command line's --help and its one-line report",
    "backcare_lib/lessons.py": "`make lessons`: --help, and the kernel name in notebook metadata",
    "backcare_lib/server.py": "the server's settings help and log lines, for the operator",
    "backcare_lib/ui/signal.py": "the chime's JavaScript; the page title it sets is from content",
    "backcare_lib/ui/pressed.py": "JavaScript that sets aria-pressed; it shows no words",
    "backcare_lib/ui/step_focus.py": "JavaScript that scrolls to a step and focuses its heading",
}

# Single strings elsewhere, and why no reader sees them.
LIB = "backcare_lib/"
ALLOWED = {
    (LIB + "charts.py", "outside lower center"): "matplotlib's legend position",
    (LIB + "charts.py", "Date"): "an SVG metadata key (left empty so a chart's file is stable)",
    (LIB + "checks.py", " or more"): "part of a programmer's ValueError (whole_number)",
    (LIB + "checks.py", " or less"): "part of a programmer's ValueError (whole_number)",
    (LIB + "checks.py", "(an int)"): "part of a programmer's ValueError (whole_number)",
    (LIB + "plan.py", "not sure"): "a word a profile file may use for an answer (input)",
    (LIB + "plan.py", "not done"): "a word a profile file may use for start_back (input)",
    (LIB + "knowledge.py", " fl oz"): "a unit symbol, the same in English and Spanish labels",
    (
        LIB + "plan.py",
        "first name",
    ): "a field key: InputError shows the text input.field.first_name",
    (LIB + "plan.py", "has no safety_check_version"): "part of a profile file's ValueError",
    (LIB + "plan.py", "is from safety check version "): "part of a profile file's ValueError",
    (
        LIB + "schedule.py",
        "-//BackCare Kit//Back care plan//EN",
    ): "the calendar's PRODID, not shown",
    (LIB + "timer.py", "ice minutes"): "the name in a programmer's ValueError (whole_number)",
    (LIB + "ui/diary_ui.py", "row wrap"): "a CSS flex-flow value",
    (LIB + "ui/address.py", "True"): "the VOILA_PREHEAT value Voila sets in the environment",
    (LIB + "ui/address.py", "False"): "the VOILA_PREHEAT value Voila sets in the environment",
}
ALLOWED_PATTERNS = {
    # The diary's CSV import reports each bad line for the Python API (Diary.import_csv raises
    # them as one ValueError); no widget imports a CSV.
    LIB + "diary.py": re.compile(r"^(line |: not valid CSV|; and |nothing was imported|this row)"),
    # Parts of a ContentError, for the person editing content (it names the file and entry).
    LIB + "knowledge.py": re.compile(r"^(\(top level\)| *[a-z ]+ (id|key)|text heading\.)$"),
}

SQL = re.compile(
    r"^\s*(SELECT|INSERT|CREATE|DELETE|UPDATE|PRAGMA|BEGIN|COMMIT|ROLLBACK|VACUUM|FROM|WHERE)\b"
)
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[A-Za-z]{2,}")
CAPITALISED = re.compile(r"^[A-Z][a-z]{2,}[.!?:]?$")


def looks_like_words(text: str) -> bool:
    text = TAG.sub(" ", text).strip()
    return (" " in text and len(WORD.findall(text)) >= 2) or bool(CAPITALISED.match(text))


def _not_for_readers(tree: ast.AST) -> set[int]:
    """Ids of the nodes whose strings never reach a reader: docstrings, raise messages, logs."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Raise) and node.exc is not None:
            skip.update(id(n) for n in ast.walk(node.exc))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("log", "logger", "logging")
        ):
            skip.update(id(n) for n in ast.walk(node))
    # A string right after an assignment is its documentation (as for a module constant).
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            stmts = getattr(node, field, None)
            if isinstance(stmts, list):
                for before, after in zip(stmts, stmts[1:], strict=False):
                    if (
                        isinstance(before, (ast.Assign, ast.AnnAssign))
                        and isinstance(after, ast.Expr)
                        and isinstance(after.value, ast.Constant)
                    ):
                        skip.add(id(after.value))
    return skip


def reader_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _not_for_readers(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and not SQL.match(node.value)
            and looks_like_words(node.value)
        ):
            found.append((node.lineno, node.value))
    return found


def modules() -> list[Path]:
    return sorted(p for folder in SCANNED for p in (ROOT / folder).rglob("*.py"))


def test_no_reader_facing_words_in_python():
    found = []
    for path in modules():
        name = path.relative_to(ROOT).as_posix()
        if name in ALLOWED_MODULES:
            continue
        pattern = ALLOWED_PATTERNS.get(name)
        for line, text in reader_strings(path):
            if (name, text) in ALLOWED or (pattern and pattern.match(text)):
                continue
            found.append(f"{name}:{line}: {text!r}")
    assert not found, (
        "reader-facing words in Python: move each to content/text.yaml and look it up by its "
        "id (knowledge.load().text), or render it in a partial; if no reader ever sees it, add "
        "it to ALLOWED with the reason:\n" + "\n".join(found)
    )


def test_every_allowed_string_is_still_there():
    """An entry of the allow-list that no longer matches anything goes, so the list stays short."""
    present = {
        (path.relative_to(ROOT).as_posix(), text)
        for path in modules()
        for _line, text in reader_strings(path)
    }
    stale = sorted(key for key in ALLOWED if key not in present)
    assert not stale, f"allow-list entries that match nothing (remove them): {stale}"
    missing = sorted(m for m in ALLOWED_MODULES if not (ROOT / m).exists())
    assert not missing, f"allowed modules that do not exist: {missing}"


@pytest.mark.parametrize(
    "source, found",
    [
        ('w.Button(description="Add a glass")', True),
        ('w.Button(description="Reset")', True),
        ("x = f'<p>You have had {n} drinks</p>'", True),
        ('block("<p>Your diary is empty.</p>")', True),
        ('t("fluids.add")', False),
        ('x = \'<p class="error" role="alert">\'', False),
        ('raise ValueError("pain must be a whole number from 0 to 10")', False),
        ('log.info("made the plan in %s s", 3)', False),
        ('def f():\n    """Docs say things."""', False),
        ('db.execute("SELECT count(*) FROM entries")', False),
        ('kind = "walking"', False),
    ],
)
def test_the_scan_finds_words_and_only_words(tmp_path, source, found):
    path = tmp_path / "module.py"
    path.write_text(source + "\n", encoding="utf-8")
    assert bool(reader_strings(path)) is found, reader_strings(path)
