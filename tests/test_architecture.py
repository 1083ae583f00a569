"""The house rules of docs/architecture.md, checked on the source: imports go one way (content
and knowledge, then logic, then ui, then the command line), there are no import cycles, the
library never imports the test harness, the benchmarks import nothing from tests/, and the
harness imports Playwright only inside the functions that use it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "backcare_lib"
# The lower the rank, the higher the layer: a module may import only ranks <= its own.
FOUNDATION = {"backcare_lib.knowledge", "backcare_lib.checks", "backcare_lib.text"}


def rank(module: str) -> int:
    if module in FOUNDATION:
        return 0
    if module.startswith("backcare_lib.ui"):
        return 2
    if module == "backcare_lib.__main__":
        return 3
    return 1  # logic (and the renderer)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def library_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in LIB.rglob("*.py")}
    return {
        name: {m for m in imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_no_module_imports_a_lower_layer():
    upward = [
        (name, dep)
        for name, deps in library_graph().items()
        for dep in deps
        if dep != "backcare_lib" and rank(dep) > rank(name)
    ]
    assert not upward, f"imports that go up the layers: {upward}"


def test_no_import_cycles():
    graph = library_graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for dep in graph.get(node, ()):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep) :] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, f"import cycles: {cycles}"


def test_the_library_never_imports_the_test_harness():
    offenders = [
        module_name(p)
        for p in LIB.rglob("*.py")
        if any(m.startswith("backcare_testkit") for m in imports(p))
    ]
    assert not offenders


def test_benchmarks_import_nothing_from_tests_nor_put_the_repo_on_the_path():
    for script in (ROOT / "benchmarks").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        assert not any(m == "tests" or m.startswith("tests.") for m in imports(script)), script
        for line in text.splitlines():
            if "sys.path" in line:  # a sibling module of the benchmarks is fine; the repo is not
                assert "ROOT" not in line and "parent.parent" not in line, (script.name, line)


def test_the_harness_imports_playwright_only_where_it_is_used():
    for path in (ROOT / "backcare_testkit").glob("*.py"):
        heavy = {m for m in imports(path, top_level_only=True) if m.split(".")[0] == "playwright"}
        assert not heavy, f"{path.name} imports {heavy} at import time"


def test_no_test_reads_outside_the_repository():
    """Only the article-coverage test may look beside the checkout, and it skips when the
    folder is absent."""
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name in {"test_content_coverage.py", Path(__file__).name}:
            continue
        assert '"shared"' not in text and "../shared" not in text, path.name
        assert "parents[2]" not in text, path.name
