"""The protocol-level load generator (benchmarks/) tells the truth: a simulated visitor gets
the same plan as a person in Chromium, and a 3-visitor Locust run walks the whole consult
with no error. Correctness only: no time is asserted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from backcare_testkit import ROOT
from backcare_testkit.dashboard import DashboardPage

sys.path.insert(0, str(ROOT / "benchmarks"))

from consult import walk_consult  # noqa: E402

pytestmark = pytest.mark.browser
NAME, EXERCISE, NOTES = "Ana", "Swimming", "We will call you on Friday."


def squeeze(text: str) -> str:
    """Compare text as a person reads it: whitespace and line breaks do not count."""
    return re.sub(r"\s+", "", text)


def browser_plan(page, server) -> str:
    dashboard = DashboardPage(page, server.url)
    page.goto(server.url, wait_until="domcontentloaded")
    expect(page.get_by_text("Step 1 of 6")).to_be_visible(timeout=60_000)
    for n in range(2, 7):
        page.get_by_role("button", name="Next").click()
        expect(page.get_by_text(f"Step {n} of 6")).to_be_visible(timeout=30_000)
        if n == 2:
            dashboard.answer_all("No")  # as the protocol visitor does
        if n == 3:
            dashboard.about_you(age="40", area="Lower back")
            page.get_by_label("First name (optional)").fill(NAME)
            page.get_by_label("Favourite easy exercise").select_option(EXERCISE)
            page.get_by_label("Clinician's notes (optional)").fill(NOTES)
    panel = page.locator("div.bc").filter(has_text="Step 6 of 6").first
    return panel.inner_text()


def test_one_protocol_visitor_gets_the_same_plan_as_the_browser(page, dashboard_server):
    # A plan's times follow the clock: compare two walks made within the same minute.
    for _attempt in range(3):
        minute = time.strftime("%H:%M")
        walk = walk_consult(dashboard_server.url, first_name=NAME, activity=EXERCISE, notes=NOTES)
        seen = browser_plan(page, dashboard_server)
        if time.strftime("%H:%M") == minute:
            break
    assert not walk.errors, walk.errors
    assert f"{NAME}'s back care plan" in walk.plan_text
    assert squeeze(walk.plan_text) == squeeze(seen)
    assert {fmt: name.rsplit(".", 1)[1] for fmt, (name, _size) in walk.files.items()} == {
        "pdf": "pdf",
        "html": "html",
        "ics": "ics",
    }


def test_a_three_visitor_locust_run_walks_the_consult_without_errors(tmp_path):
    out = tmp_path / "smoke.json"
    result = subprocess.run(
        [sys.executable, "benchmarks/capacity.py", "--smoke", "3", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(out.read_text())
    assert run["errors"] == []
    assert len(run["plans"]) == 3 and all(f"{NAME}'s back care plan" in p for p in run["plans"])
    assert len({squeeze(p) for p in run["plans"]}) == 1, "the same answers gave different plans"
    assert all(set(files) == {"pdf", "html", "ics"} for files in run["files"])
    steps = run["steps"]
    assert steps["first view"]["n"] == 3 and steps["open step 6"]["n"] == 3
