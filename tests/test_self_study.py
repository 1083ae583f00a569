"""The lessons as a newcomer meets them: metadata JupyterLab keeps as it is, every code cell
runs on its own, lesson 00 links each lesson, the learner's own copy, and the save hook."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from backcare_lib import knowledge
from backcare_lib import learner as lessons

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# What JupyterLab 4 writes for a notebook whose ipykernel kernel has started (the version is
# the kernel's Python; the learner's copy gets theirs, see test_the_copy_...).
LAB_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LAB_LANGUAGE_KEYS = {
    "codemirror_mode",
    "file_extension",
    "mimetype",
    "name",
    "nbconvert_exporter",
    "pygments_lexer",
    "version",
}


def test_the_lessons_folder_holds_only_the_lessons_content_lists():
    assert [p.name for p in LESSONS] == list(lessons.lesson_files())
    titles = [json.loads(p.read_text())["metadata"]["title"] for p in LESSONS]
    assert titles == [lesson.title for lesson in knowledge.load().self_study.lessons]


@pytest.mark.parametrize("path", [*LESSONS, ROOT / "app" / "dashboard.ipynb"], ids=lambda p: p.stem)
def test_metadata_is_what_jupyterlab_writes(path):
    meta = json.loads(path.read_text())["metadata"]
    assert meta["kernelspec"] == LAB_KERNELSPEC
    assert set(meta["language_info"]) == LAB_LANGUAGE_KEYS
    assert meta["language_info"]["codemirror_mode"] == {"name": "ipython", "version": 3}
    # Stored as nbformat (and so JupyterLab) writes it: one-space indent, sorted keys.
    nb = json.loads(path.read_text())
    assert path.read_text() == json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_lesson_00_teaches_the_jupyter_moves_and_links_every_lesson():
    cells = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for move in ("Run All Cells", "`[*]`", "Restart Kernel and Run All Cells", "Nothing you type"):
        assert move in text, move
    for name in lessons.lesson_files()[1:]:
        assert f"]({name})" in text, f"lesson 00 links {name}"
    picture = next(c for c in cells if c.get("attachments"))
    png = picture["attachments"]["lab-run-all-cells.png"]["image/png"]
    import base64

    committed = (ROOT / "docs" / "images" / "lab-run-all-cells.png").read_bytes()
    assert base64.b64decode(png) == committed, "the lesson shows the committed screenshot"
    assert "](attachment:lab-run-all-cells.png)" in text


def _run_alone(kc, code: str) -> list[str]:
    """Run code in the kernel; return the error names it raised (empty when it ran)."""
    errors: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "error":
            errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

    reply = kc.execute_interactive(code, timeout=120, output_hook=hook)
    if reply["content"]["status"] != "ok" and not errors:
        errors.append(reply["content"].get("ename", "error"))
    return errors


def test_every_code_cell_runs_alone_in_an_empty_namespace(tmp_path):
    """Skipping the cells above must not give NameError: each cell, run on its own right
    after `%reset -f` (the namespace a fresh kernel has), runs without an error. One kernel
    per lesson, started fresh."""
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "BACKCARE_DIARY_PATH": str(tmp_path / "diary.sqlite3")}
    failures = []
    for path in LESSONS:
        km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(path.parent))
        try:
            cells = json.loads(path.read_text())["cells"]
            for cell in cells:
                if cell["cell_type"] != "code":
                    continue
                _run_alone(kc, "%reset -f")
                for error in _run_alone(kc, "".join(cell["source"])):
                    failures.append(f"{path.stem} cell {cell['id']}: {error}")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    assert not failures, failures
    assert not (tmp_path / "diary.sqlite3").exists(), "running the lessons wrote no diary file"


def test_the_learner_gets_a_copy_beside_the_diary_kept_in_step_with_the_kit(tmp_path):
    src = tmp_path / "kit"
    src.mkdir()
    for path in LESSONS:
        (src / path.name).write_text(path.read_text())
    (src / "es").mkdir()
    for path in LESSONS:
        (src / "es" / path.name).write_text((path.parent / "es" / path.name).read_text())
    dest = lessons.prepare(tmp_path / "mine", source=src)
    names = sorted(p.name for p in dest.glob("*.ipynb"))
    assert names == sorted(lessons.lesson_files())
    # The Spanish lessons come too, in their own folder (make lab shows both).
    assert sorted(p.name for p in (dest / "es").glob("*.ipynb")) == names
    spanish = json.loads((dest / "es" / "00_start_here.ipynb").read_text())
    assert "## Resumen" in "".join(spanish["cells"][1]["source"]), "the Spanish lesson, not a copy"
    import platform

    copy = json.loads((dest / "02_the_first_days.ipynb").read_text())
    assert copy["metadata"]["language_info"]["version"] == platform.python_version()
    # The learner's runs and notebooks of their own are kept...
    (dest / "my_notes.ipynb").write_text("{}")
    mine = dest / "01_what_is_a_back_spasm.ipynb"
    mine.write_text(mine.read_text().replace("Overview", "Overview (my note)"))
    lessons.prepare(dest, source=src)
    assert "my note" in mine.read_text() and (dest / "my_notes.ipynb").exists()
    # ...until the kit's own lesson changes: then the learner gets the new one.
    kit = src / "01_what_is_a_back_spasm.ipynb"
    kit.write_text(kit.read_text().replace("Overview", "Overview, updated"))
    lessons.prepare(dest, source=src)
    assert "Overview, updated" in mine.read_text() and "my note" not in mine.read_text()
    (dest / "03_when_to_get_help.ipynb").unlink()  # deleted to get a fresh copy
    lessons.prepare(dest, source=src)
    assert (dest / "03_when_to_get_help.ipynb").exists()
    with pytest.raises(ValueError, match="no lessons folder"):
        lessons.prepare(dest, source=tmp_path / "nowhere")


def test_the_default_copy_sits_beside_the_diary(monkeypatch):
    from backcare_lib import diary

    monkeypatch.delenv(lessons.ENV_DIR, raising=False)
    monkeypatch.delenv(diary.ENV_PATH, raising=False)
    assert lessons.user_dir().parent == diary.default_path().parent


def test_saving_a_lesson_drops_outputs_and_widget_state_other_notebooks_keep_them():
    def model(name):
        nb = json.loads((ROOT / "notebooks" / "02_the_first_days.ipynb").read_text())
        nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
        code = next(c for c in nb["cells"] if c["cell_type"] == "code")
        code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
        code["execution_count"] = 3
        return {"type": "notebook", "path": name, "content": nb}

    lesson = model("02_the_first_days.ipynb")
    lessons.pre_save_hook(model=lesson, path="02_the_first_days.ipynb", contents_manager=None)
    nb = lesson["content"]
    assert "widgets" not in nb["metadata"]
    assert all(
        not c["outputs"] and c["execution_count"] is None for c in nb["cells"] if "outputs" in c
    )
    own = model("my_notes.ipynb")
    lessons.pre_save_hook(model=own, path="my_notes.ipynb", contents_manager=None)
    assert "widgets" in own["content"]["metadata"]
    lessons.pre_save_hook(model={"type": "file", "content": "x"}, path="a.txt")
    with pytest.raises(ValueError, match="notebook must be"):
        lessons.strip([])


def test_workspace_opens_lesson_00_with_whole_file_names(tmp_path):
    folder = lessons.prepare_workspace(tmp_path / "ws")
    [path] = folder.glob("*.jupyterlab-workspace")
    layout = json.loads(path.read_text())["data"]["layout-restorer:data"]
    assert layout["main"]["current"] == "notebook:00_start_here.ipynb"
    assert layout["relativeSizes"][0] >= 0.22
    path.write_text('{"data": {}, "metadata": {"id": "default"}}')  # the learner's own layout
    lessons.prepare_workspace(folder)
    assert json.loads(path.read_text())["data"] == {}
