"""The self-study lessons as files: where a learner's copy lives, keeping it in step with the
kit, a save hook that keeps lessons free of outputs, and the index page of `make learn`.

- ``make lab`` opens a copy of the lessons in the learner's own data folder, beside their
  diary (``~/.local/share/backcare-kit/lessons`` on Linux), never the repository's files:
  JupyterLab's autosave writes there. :func:`prepare` makes or refreshes that copy.
- :func:`pre_save_hook` (JupyterLab's ``ContentsManager.pre_save_hook``) drops outputs and
  widget state from a lesson when it is saved, so a lesson reopens clean (no "model not
  found" where a widget was) and its tools come back with Run All.
- :func:`voila_page_config` gives `make learn`'s index page (the Voila template's
  ``tree.html``) the lessons in order with their titles, from content, in English and in
  Spanish (``notebooks/es/``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from backcare_lib import knowledge

ENV_DIR = "BACKCARE_LESSONS_DIR"
MANIFEST = ".backcare-lessons.json"
# The languages whose lessons sit in a folder of their own beside the English ones.
TRANSLATED = ("es",)


def source_dir() -> Path:
    """The kit's own lessons (the repository's ``notebooks`` folder)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def user_dir() -> Path:
    """``$BACKCARE_LESSONS_DIR``, else ``lessons`` in the user's data folder (beside the
    diary's default place)."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("backcare-kit", appauthor=False) / "lessons"


def lesson_files() -> tuple[str, ...]:
    """The lessons' file names, in order (from content)."""
    return tuple(f"{lesson.file}.ipynb" for lesson in knowledge.load().self_study.lessons)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prepare(dest: Path | str | None = None, *, source: Path | str | None = None) -> Path:
    """Copy the kit's lessons into ``dest`` (default :func:`user_dir`) and return it.

    A lesson is copied when the learner has none, and copied again when the kit's version
    changed since the last copy (an updated kit brings its updated lessons). Other files in
    the folder, such as a notebook of the learner's own, are left alone."""
    dest = Path(dest).expanduser() if dest is not None else user_dir()
    source = Path(source) if source is not None else source_dir()
    if not isinstance(dest, Path) or not source.is_dir():
        raise ValueError(f"no lessons folder at {source}")
    dest.mkdir(parents=True, exist_ok=True)
    manifest_path = dest / MANIFEST
    try:
        copied = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        copied = {}
    # The English lessons at the top, each translation in its own folder (notebooks/es/).
    wanted = list(lesson_files())
    missing = [name for name in wanted if not (source / name).is_file()]
    if missing:
        raise ValueError(f"the kit's lesson {missing[0]} is missing from {source}")
    for lang in TRANSLATED:
        if (source / lang).is_dir():
            (dest / lang).mkdir(exist_ok=True)
            wanted += [
                f"{lang}/{name}" for name in lesson_files() if (source / lang / name).is_file()
            ]
    for name in wanted:
        kit_copy = source / name
        digest = _digest(kit_copy)
        target = dest / name
        if not target.exists() or copied.get(name) != digest:
            target.write_text(for_this_python(kit_copy.read_text(encoding="utf-8")), "utf-8")
            copied[name] = digest
    manifest_path.write_text(json.dumps(copied, indent=1, sort_keys=True), encoding="utf-8")
    return dest


def for_this_python(text: str) -> str:
    """A lesson's JSON with the Python version its kernel will report (JupyterLab writes the
    kernel's version into the notebook when it starts, which marks an older one changed)."""
    import platform

    notebook = json.loads(text)
    notebook.setdefault("metadata", {}).setdefault("language_info", {})["version"] = (
        platform.python_version()
    )
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


FILE_BROWSER_WIDTH = 0.25  # of the window: wide enough for "04_prevent_the_next_one.ipynb"


def prepare_workspace(folder: Path | str | None = None) -> Path:
    """JupyterLab's workspaces folder for the learner (beside the lessons), with a first
    layout when there is none: lesson 00 open, and a file browser wide enough to show each
    lesson's whole name. A layout the learner has since changed is kept."""
    from jupyterlab_server.workspaces_handler import slugify

    folder = Path(folder).expanduser() if folder is not None else user_dir().parent / "workspaces"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slugify('default')}.jupyterlab-workspace"
    if path.exists():
        return folder
    first = f"notebook:{lesson_files()[0]}"
    layout = {
        "main": {
            "dock": {"type": "tab-area", "currentIndex": 0, "widgets": [first]},
            "current": first,
        },
        "down": {"size": 0, "collapsed": True, "widgets": []},
        "left": {
            "collapsed": False,
            "visible": True,
            "current": "filebrowser",
            "widgets": ["filebrowser", "running-sessions", "@jupyterlab/toc:plugin"],
        },
        "right": {"collapsed": True, "visible": True, "widgets": []},
        "relativeSizes": [FILE_BROWSER_WIDTH, 1 - FILE_BROWSER_WIDTH, 0],
        "top": {"simpleVisibility": True},
    }
    workspace = {"data": {"layout-restorer:data": layout}, "metadata": {"id": "default"}}
    path.write_text(json.dumps(workspace, indent=1), encoding="utf-8")
    return folder


def strip(notebook: dict) -> dict:
    """A notebook (nbformat JSON as a dict) without outputs, execution counts or widget state."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError("notebook must be a notebook's JSON content (a dict with cells)")
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return notebook


def pre_save_hook(model, path=None, contents_manager=None, **kwargs):
    """Jupyter server's ``ContentsManager.pre_save_hook``: a lesson is saved without outputs
    or widget state; any other notebook is saved as it is."""
    if not isinstance(model, dict) or model.get("type") != "notebook":
        return
    if Path(str(path or model.get("path", ""))).name in lesson_files():
        strip(model["content"])


def _index_words(lang: str) -> dict:
    kb = knowledge.load(lang)
    text = kb.self_study
    folder = "" if lang == knowledge.DEFAULT_LANG else f"{lang}/"
    return {
        "lang": lang,
        "name": kb.text(f"choose.language_name.{lang}"),
        "title": text.index.title,
        "intro": text.index.intro,
        "note": text.index.note,
        "lessons": [
            {"file": f"{folder}{lesson.file}.ipynb", "title": lesson.title, "blurb": lesson.blurb}
            for lesson in text.lessons
        ],
    }


def voila_page_config(page_config: dict, **kwargs) -> dict:
    """Voila's ``page_config_hook``: the index page's words and the lessons in order, in
    English and then in each language whose lessons have a folder of their own (the tree page
    reads ``page_config`` after the hook; a lesson's page uses what it returns)."""
    page_config["backcare"] = {
        **_index_words(knowledge.DEFAULT_LANG),
        "translations": [_index_words(lang) for lang in TRANSLATED],
    }
    return page_config


def main(argv: list[str] | None = None) -> int:
    """``python -m backcare_lib.learner [DEST]``: prepare the learner's copy, print its path."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    print(prepare(args[0] if args else None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
