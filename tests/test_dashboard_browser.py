"""The consult dashboard in a real browser: Debian's Chromium driven by Playwright against a
real Voila server on 127.0.0.1. Every test also fails if any request leaves 127.0.0.1
(the ``page`` fixture records them)."""

from __future__ import annotations

import io
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from icalendar import Calendar
from playwright.sync_api import expect
from pypdf import PdfReader

from backcare_testkit import ROOT
from backcare_testkit.browser import screenshot
from backcare_testkit.dashboard import LOAD_TIMEOUT_MS, DashboardPage, step_ids, step_title
from backcare_testkit.servers import start_voila

pytestmark = pytest.mark.browser
SADDLE = "Is there numbness or tingling around your bottom, your genitals or your inner thighs?"
FEVER = "Do you have a fever of 38 °C (100.4 °F) or more, or do you feel hot and shivery?"
CHEST = "Do you have pain in your chest?"
ONE_LEG = "Do you have pain, tingling or numbness going down one leg?"
CODE = ".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor"  # none may show


def serious_axe_violations(page):
    result = Axe().run(page)
    return [
        (v["id"], v["impact"], v["nodes"][0]["html"][:120])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def files_under(root: Path) -> set[Path]:
    skip = {".venv", ".git", "test-artifacts", "__pycache__", ".hypothesis", "build"}
    return {
        p
        for p in root.rglob("*")
        if p.is_file() and not skip.intersection(p.relative_to(root).parts)
    }


def test_self_care_walkthrough_end_to_end_with_axe_and_downloads(page, dashboard_server):
    files_before = files_under(ROOT)
    dashboard = DashboardPage(page, dashboard_server.url).open()
    expect(page).to_have_title("BackCare Kit: back spasm visit")
    expect(page.get_by_text("does not take the place of a doctor")).to_be_visible()
    violations = {}
    for n, step in enumerate(step_ids(), start=1):
        title = step_title(step)
        if n > 1:
            dashboard.next(step)
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
        if step == "safety":
            expect(page.get_by_text("Safety check not finished").first).to_be_visible()
            dashboard.answer(SADDLE, "Not sure")
            expect(page.get_by_text("How to find out").first).to_be_visible()
            dashboard.answer_all("No")
        if step == "about":
            dashboard.about_you()
            page.get_by_label("First name (optional)").fill("Ana")
            page.get_by_label("Favourite easy exercise").select_option("Swimming")
            page.get_by_label("Clinician's notes (optional)").fill("We will call you on Friday.")
        violations[title] = serious_axe_violations(page)
        assert page.locator(CODE).count() == 0, f"code shown on {title}"
        assert "import" not in page.locator("body").inner_text(), f"code shown on {title}"
        screenshot(page, f"dashboard-step-{n}")
    assert not any(violations.values()), violations

    expect(page.get_by_text("Ana's back care plan")).to_be_visible()
    expect(page.get_by_text("Self-care is safe for now")).to_be_visible()
    name, pdf = dashboard.download("Download the plan (PDF)")
    assert name.startswith("back-care-plan-") and name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 4  # cautions, three tiers of signs, what to expect, follow-up
    text = reader.pages[0].extract_text()
    assert "Ana's back care plan" in text and "Get help now" in text
    name, html = dashboard.download("Download the plan (web page)")
    assert name.endswith(".html") and b"We will call you on Friday." in html
    assert b"Swimming:" in html
    name, ics = dashboard.download("Download calendar reminders (.ics)")
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert name.endswith(".ics") and len(events) > 10
    # a reminder at each start (check-ups have one 2 days ahead too, to book a visit)
    assert all(timedelta(0) in [a["trigger"].dt for a in e.walk("VALARM")] for e in events)
    new_files = files_under(ROOT) - files_before
    assert not new_files, f"the walkthrough wrote files on the server: {sorted(new_files)}"


def test_emergency_answer_shows_the_alert_and_withholds_the_plan(page, dashboard):
    dashboard.next("safety")
    dashboard.answer(SADDLE, "Yes")
    alert = page.get_by_role("alert").filter(has_text="Emergency: get help now").first
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(
        "Call 112 (or your local emergency number) now, or go to the emergency department now"
    )
    font_size = alert.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font_size >= 20, "the emergency message is in large type"
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    assert not serious_axe_violations(page)
    dashboard.go_to("plan")
    expect(page.get_by_text("we will not give you a self-care plan").first).to_be_visible()
    assert page.get_by_role("link", name="Download the plan (PDF)").count() == 0
    expect(page.get_by_role("button", name="Make the plan (PDF)")).to_be_hidden()
    screenshot(page, "dashboard-emergency")
    # Answering No restores the walkthrough, but the check is not finished: no plan yet.
    dashboard.go_to("safety")
    dashboard.answer(SADDLE, "No")
    expect(page.get_by_text("Emergency: get help now")).to_have_count(0)
    expect(page.get_by_text("Safety check not finished").first).to_be_visible()
    expect(page.get_by_text("Self-care is safe for now")).to_have_count(0)
    expect(page.get_by_role("button", name="Next")).to_be_enabled()


def test_same_day_answer_shows_advice_and_lets_the_walkthrough_go_on(page, dashboard):
    dashboard.next("safety")
    dashboard.answer_all("No")
    dashboard.answer(FEVER, "Yes")
    expect(page.get_by_text("See a doctor today").first).to_be_visible()
    dashboard.next("about")
    dashboard.about_you()
    dashboard.go_to("plan")
    expect(page.get_by_text("Get an urgent appointment with a doctor today").first).to_be_visible()
    expect(page.get_by_text("call your doctor and ask to be seen today").first).to_be_visible()
    name, pdf = dashboard.download("Download the plan (PDF)")
    assert "See a doctor today" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


BAD_INPUT = [
    ("Usual bedtime", "07:00", "Bedtime must differ from wake time"),
    ("First name (optional)", "x" * 500, "First name is 500 characters long; allowed: up to 40"),
    ("First name (optional)", "<script>alert(1)</script>", "not part of a name"),
    ("First name (optional)", "<img src=x onerror=alert(1)>", "not part of a name"),
    ("When did it start?", "FUTURE", "is in the future"),
]


def test_bad_input_shows_a_message_beside_the_field_and_runs_nothing(page, dashboard, subtests):
    """Each bad value on one page (one kernel), as a clinician would mistype one after another;
    "Start again for a new patient" clears the form between them, as it does for a user."""
    for field, value, message in BAD_INPUT:
        with subtests.test(field=field, value=value[:30]):
            dashboard.go_to("about")
            if value == "FUTURE":
                value = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
            page.get_by_label(field).fill(value)
            row = page.locator(".widget-hbox").filter(has=page.get_by_label(field))
            expect(row.get_by_role("alert")).to_contain_text(message)
            dashboard.step_button("first_days").click()
            expect(page.get_by_text("Please fix the fields marked in red").first).to_be_visible()
            page.wait_for_timeout(500)
            assert page.dialogs == [], "a script ran"
            assert page.locator("img[src='x']").count() == 0
            assert "Traceback" not in page.locator("body").inner_text()
            page.get_by_role("button", name="Start again for a new patient").click()
            dashboard.wait_for_step("welcome")


def test_keyboard_only_walkthrough(page, dashboard):

    def tab_to(accessible_name):
        """Press Tab until the focused control's own name (its label, or its text) is this."""
        for _ in range(150):
            page.keyboard.press("Tab")
            name = page.evaluate(
                "() => { const e = document.activeElement;"
                " const label = e.labels && e.labels.length ? e.labels[0] : e;"
                " return (label.textContent || '').trim(); }"
            )
            if name == accessible_name:
                return
        raise AssertionError(f"could not reach {accessible_name!r} with Tab")

    tab_to("Next")
    page.keyboard.press("Enter")
    dashboard.wait_for_step("safety")
    # Tab through every question; on each, Tab to the wanted answer and press Space.
    answered = 0
    for _ in range(400):
        page.keyboard.press("Tab")
        text, asked = page.evaluate(
            "() => { const e = document.activeElement;"
            " const row = e.closest('.bc-question');"
            " const label = row ? row.querySelector('.widget-label').textContent : '';"
            " return [e.textContent.trim(), label];"
            " }"
        )
        if text == "Next":
            break
        if asked and text == ("Yes" if asked == ONE_LEG else "No"):
            page.keyboard.press("Space")
            answered += 1
    assert answered >= 30, "every question was answered by keyboard"
    expect(page.get_by_text("Book a doctor's visit in the next few days").first).to_be_visible()
    page.keyboard.press("Enter")
    dashboard.wait_for_step("about")
    tab_to("Age in years")
    page.keyboard.type("42")
    tab_to("Lower back")
    page.keyboard.press("Space")
    tab_to("First name (optional)")
    page.keyboard.type("Ben")
    for step in ("first_days", "moving", "plan"):
        tab_to("Next")
        page.keyboard.press("Enter")
        dashboard.wait_for_step(step)
    expect(page.get_by_text("Ben's back care plan")).to_be_visible()
    tab_to("Make the plan (PDF)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Download the plan (PDF)")).to_be_visible(timeout=60_000)
    tab_to("Download the plan (PDF)")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert open(info.value.path(), "rb").read().startswith(b"%PDF-")
    tab_to("Start again for a new patient")
    page.keyboard.press("Enter")
    dashboard.wait_for_step("welcome")


def test_start_again_clears_everything(page, dashboard):
    dashboard.next("safety")
    dashboard.answer(CHEST, "Yes")
    dashboard.go_to("about")
    page.get_by_label("First name (optional)").fill("Cara")
    page.get_by_role("button", name="Start again for a new patient").click()
    dashboard.wait_for_step("welcome")
    expect(page.get_by_text("Emergency: get help now")).to_have_count(0)
    dashboard.go_to("safety")
    for choice in ("Yes", "No", "Not sure"):
        button = dashboard.question(CHEST).get_by_role("button", name=choice, exact=True)
        expect(button).not_to_have_class(re.compile("mod-active"))
    dashboard.go_to("about")
    expect(page.get_by_label("First name (optional)")).to_have_value("")


def test_a_failing_callback_shows_a_friendly_message_and_logs_on_the_server(page):
    with start_voila(
        "tests/notebooks/error_probe.ipynb", log_name="voila-error-probe.log"
    ) as server:
        page.goto(server.url, wait_until="domcontentloaded")
        page.get_by_role("button", name="Break something").click(timeout=LOAD_TIMEOUT_MS)
        expect(page.get_by_role("alert")).to_contain_text("Sorry, something went wrong")
        body = page.locator("body").inner_text()
        assert "Traceback" not in body and "probe failure 7f3a" not in body
        deadline = time.monotonic() + 10
        while "probe failure 7f3a" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.2)
        log = server.log()
        assert "[BackCare] ERROR backcare_lib.ui: error in Probe.boom" in log
        assert "RuntimeError: probe failure 7f3a" in log
