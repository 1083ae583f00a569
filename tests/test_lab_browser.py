"""The lessons in real JupyterLab (Debian's Chromium), started as `make lab` starts it: lesson
00 opens first and is not marked changed; a newcomer follows its link to lesson 02, runs all,
uses the ice timer (it ticks as an asyncio task while the kernel stays free), saves and closes
the tab at once (no "Save your work?"), opens the lesson again (clean: no outputs, no "model
not found"; the kernel still works) and closes it with a change not saved (now asked); the
repository's lessons never change. One JupyterLab and one page for all of it."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backcare_testkit import ROOT
from backcare_testkit.browser import screenshot
from backcare_testkit.servers import free_port, start_server, stop_process

pytestmark = pytest.mark.browser


def repo_state() -> tuple[str, dict[str, str]]:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "notebooks", "app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    folder = ROOT / "notebooks"
    digests = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    return status, digests


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    home = tmp_path_factory.mktemp("lab-home")
    port = free_port()
    env = dict(
        BACKCARE_LESSONS_DIR=str(home / "lessons"),
        BACKCARE_DIARY_PATH=str(home / "diary.sqlite3"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    server = start_server(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            f"--config={ROOT / 'app' / 'lab' / 'jupyter_lab_config.py'}",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        port=port,
        ready_path="api/status",
        log_name="jupyterlab.log",
        env=env,
    )
    server.home = home
    yield server
    stop_process(server.process)


# The tab of a document with unsaved changes carries this class (to_have_class with a plain
# string would compare the whole class attribute, so it would never match).
DIRTY = re.compile(r"\bjp-mod-dirty\b")

# Records the text of every JupyterLab dialog and notification that appears, however briefly.
# Installed once JupyterLab's page has loaded (an init script runs before the document has
# any element to observe).
WATCH_DIALOGS = """() => {
  window.__dialogs = [];
  new MutationObserver(() => {
    for (const d of document.querySelectorAll('.jp-Dialog-content, .Toastify__toast')) {
      if (!d.__seen) { d.__seen = true; window.__dialogs.push(d.innerText); }
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


def run_all(page, ready) -> None:
    """Run → Run All Cells, then wait for ``ready``. JupyterLab drops a Run All sent while the
    notebook's kernel is still connecting (the status bar can still show the previous
    notebook's "Idle"): when no cell starts within a few seconds, it is sent again."""
    started = page.locator(".jp-NotebookPanel:visible .jp-InputPrompt").filter(
        has_text=re.compile(r"\[(\*|\d+)\]")
    )
    for attempt in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(started.first).to_be_attached(timeout=10_000)
            break
        except AssertionError:
            if attempt == 2:
                screenshot(page, "lab-run-all-failed")
                raise
    expect(ready).to_be_visible(timeout=45_000)


def test_newcomer_runs_lesson_02_saves_closes_reopens_and_the_repo_stays_clean(page, lab):
    before = repo_state()
    page.goto(lab.url, wait_until="domcontentloaded")  # `make lab` opens the same address
    expect(page).to_have_url(lab.url + "lab/tree/00_start_here.ipynb", timeout=30_000)
    expect(page.locator("#main")).to_be_attached(timeout=30_000)
    page.evaluate(WATCH_DIALOGS)
    dialogs = lambda: page.evaluate("window.__dialogs")  # noqa: E731
    kernel_idle = page.get_by_text("Python 3 (ipykernel) | Idle")
    expect(kernel_idle).to_be_visible(timeout=60_000)
    tab = page.locator(".lm-TabBar-tab.jp-mod-current")
    expect(tab).to_contain_text("00_start_here.ipynb")
    page.wait_for_timeout(1500)
    expect(tab).not_to_have_class(DIRTY)  # opening changed nothing: no "Save?"
    # Whole lesson names in the file browser (not "01_what_is_a_b…").
    names = page.locator(".jp-DirListing-itemText")
    expect(names.filter(has_text="04_prevent_the_next_one.ipynb")).to_be_visible()
    for item in names.all():
        assert item.evaluate("e => e.scrollWidth <= e.clientWidth"), item.inner_text()
    screenshot(page, "lab-lesson-00")

    # The lesson map links each lesson; a newcomer clicks one.
    page.locator(".jp-RenderedMarkdown a", has_text="02 The first days").click()
    expect(tab).to_contain_text("02_the_first_days.ipynb", timeout=30_000)
    expect(kernel_idle).to_be_visible(timeout=60_000)
    timer = page.locator(".widget-vbox").filter(has_text="Never fall asleep on ice").first
    run_all(page, timer)
    expect(page.get_by_text("Score: 0 of 4")).to_be_attached(timeout=60_000)
    timer.scroll_into_view_if_needed()
    timer.get_by_role("button", name="Start").click()
    expect(timer.get_by_text("(running)")).to_be_visible(timeout=10_000)
    expect(timer.get_by_text("19:5")).to_be_visible(timeout=15_000)  # the clock moved on
    expect(kernel_idle).to_be_visible(timeout=30_000)  # the kernel is free while it ticks
    timer.get_by_role("button", name="Pause").click()
    expect(timer.get_by_text("(paused)")).to_be_visible()
    page.wait_for_timeout(300)
    path = screenshot(page, "lab-lesson-02")
    assert Path(path).stat().st_size > 20_000
    timer.get_by_role("button", name="Start").click()  # ticking again while it is saved
    expect(timer.get_by_text("(running)")).to_be_visible(timeout=10_000)

    # Ctrl+S and close the tab at once, while the save is still on its way: the tab closes
    # when the save ends, with no "Save your work?" (the learner saved everything).
    expect(tab).to_have_class(DIRTY)  # Run All changed the outputs
    lesson_tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="02_the_first")
    page.keyboard.press("Control+s")
    lesson_tab.locator(".lm-TabBar-tabCloseIcon").click()
    try:
        expect(lesson_tab).to_have_count(0, timeout=15_000)
    except AssertionError:
        raise AssertionError(f"the saved lesson did not close; dialogs: {dialogs()}") from None
    assert dialogs() == [], "no dialog on closing a lesson just saved"
    # The learner's copy is saved without outputs or widget state.
    copy = lab.home / "lessons" / "02_the_first_days.ipynb"
    saved = copy.read_text()
    assert '"outputs": []' in saved and '"output_type"' not in saved and "widget-state" not in saved

    # Opened again from the file browser: clean (no outputs, so no "Error displaying widget:
    # model not found" where the timer was), not marked changed, and its kernel still works.
    page.locator(".jp-DirListing-item", has_text="02_the_first_days.ipynb").dblclick()
    expect(tab).to_contain_text("02_the_first_days.ipynb", timeout=30_000)
    expect(kernel_idle).to_be_visible(timeout=60_000)
    notebook = page.locator(".jp-NotebookPanel:visible")
    expect(notebook.locator(".jp-Cell").first).to_be_visible()
    page.wait_for_timeout(1500)  # (a change mark would show by now, as for lesson 00)
    expect(tab).not_to_have_class(DIRTY)
    expect(notebook.locator(".jp-OutputArea-output")).to_have_count(0)
    timer = notebook.locator(".widget-vbox").filter(has_text="Never fall asleep on ice").first
    run_all(page, timer)
    timer.scroll_into_view_if_needed()
    timer.get_by_role("button", name="Start").click()
    expect(timer.get_by_text("(running)")).to_be_visible(timeout=10_000)
    assert "model not found" not in notebook.inner_text()
    assert dialogs() == [], "no dialog or notification on the way"

    # A change that was not saved is still asked about.
    lesson_tab.locator(".lm-TabBar-tabCloseIcon").click()
    question = page.locator(".jp-Dialog-content")
    expect(question).to_contain_text("Save your work")
    question.get_by_role("button", name="Cancel").click()
    expect(lesson_tab).to_have_count(1)
    assert repo_state() == before, "the repository's lessons are unchanged (git status clean)"
