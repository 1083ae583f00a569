"""A lesson in real JupyterLab (Debian's Chromium): run every cell, then use the ice timer.
Its countdown ticks as an asyncio task in a real kernel while the kernel stays free."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backcare_testkit import ROOT
from backcare_testkit.browser import screenshot
from backcare_testkit.servers import free_port, start_server, stop_process

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    home = tmp_path_factory.mktemp("lab-home")
    # Serve a copy: JupyterLab autosaves, and the repository's notebooks stay output-free.
    notebooks = home / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    port = free_port()
    env = dict(
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        BACKCARE_DIARY_PATH=str(home / "diary.sqlite3"),
    )
    server = start_server(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={notebooks}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        port=port,
        ready_path="api/status",
        log_name="jupyterlab.log",
        env=env,
    )
    yield server.url
    stop_process(server.process)


def test_lesson_runs_in_jupyterlab_and_the_ice_timer_ticks(page, lab):
    page.goto(lab + "lab/tree/02_the_first_days.ipynb?reset", wait_until="domcontentloaded")
    expect(page.locator(".jp-NotebookPanel .jp-Notebook").first).to_be_visible(timeout=60_000)
    kernel_idle = page.get_by_text("Python 3 (ipykernel) | Idle")
    expect(kernel_idle).to_be_visible(timeout=60_000)
    timer = page.locator(".widget-vbox").filter(has_text="Never fall asleep on ice").first
    for attempt in range(2):  # a Run All sent while the kernel is still connecting is dropped
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(timer).to_be_visible(timeout=30_000)
            break
        except AssertionError:
            if attempt:
                screenshot(page, "lab-lesson-02-failed")
                raise
    expect(page.get_by_text("Score: 0 of 4")).to_be_attached(timeout=60_000)
    timer.scroll_into_view_if_needed()
    timer.get_by_role("button", name="Start").click()
    expect(timer.get_by_text("(running)")).to_be_visible(timeout=10_000)
    expect(timer.get_by_text("19:5")).to_be_visible(timeout=15_000)  # the clock moved on
    # The kernel is not blocked: it is idle while the timer keeps ticking.
    expect(kernel_idle).to_be_visible(timeout=30_000)
    timer.get_by_role("button", name="Pause").click()
    news = page.get_by_role("button", name="No", exact=True)  # JupyterLab's news prompt
    if news.count():
        news.first.click()
    expect(timer.get_by_text("(paused)")).to_be_visible()
    page.wait_for_timeout(300)
    path = screenshot(page, "lab-lesson-02")
    assert Path(path).stat().st_size > 20_000
    assert page.dialogs == []
