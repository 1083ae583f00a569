"""The hazard log names real tests, and covers the hazards the kit must address."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety.md"


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def hazard_rows() -> list[str]:
    return [line for line in LOG.read_text().splitlines() if re.match(r"\| H\d+ \|", line)]


def test_every_named_test_exists():
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", LOG.read_text())
    assert len(named) >= 15
    missing = [f"{f}::{t}" for f, t in named if t not in defined_tests(ROOT / f)]
    assert not missing, f"the hazard log names tests that do not exist: {missing}"


def test_every_hazard_has_a_mitigation_test():
    rows = hazard_rows()
    assert len(rows) >= 10
    for row in rows:
        assert re.search(r"`tests/\S+::\w+`", row), f"no test named in: {row[:60]}"


def test_required_hazards_are_logged():
    text = LOG.read_text().lower()
    for hazard in [
        "missed emergency",
        "falsely reassuring",
        "double acetaminophen",
        "frostbite",
        "burns from heat over a menthol rub",
        "too hard to read",
        "patient data left on a shared server",
    ]:
        assert hazard in text, hazard
