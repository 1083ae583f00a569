"""The dashboard on every screen: a phone, a tablet, a laptop, 200% text and Print.

Lean on purpose: one Voila server and one dashboard page for the whole module. Each test sizes
the window (Chromium's media queries follow a resize), switches touch emulation, and begins as a
clinician does with the next patient: "Start again" (which must bring back step 1 and its top).
At each width the test walks every step (answering the safety check as a clinician does, with an
emergency answer on the way) and fails on clipped text (an ellipsis, or text wider or taller than
a box that hides its overflow), text pushed out of its own box, text drawn over other text, a box
or page that scrolls sideways, and an interactive control (with its label) smaller than 24 x 24
px (WCAG 2.2, 2.5.8). Phones and the tablet are touch screens: there the Yes / No / Not sure
answers, the step buttons and Back / Next are at least 44 px tall. Every step is walked again
with WCAG 1.4.12's raised text spacing at 320 and 390 px, in English and in Spanish (longer
words). At 390 px axe-core checks every step; at 1280 px the same page is checked with the
browser's text size at 200% (WCAG 1.4.4) and printed (the plan step). A screenshot per width goes
to test-artifacts/ for the README. The audit itself is tests/layout_audit.js.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from backcare_testkit import ARTIFACTS
from backcare_testkit.browser import NetworkLog, screenshot
from backcare_testkit.dashboard import DashboardPage, step_ids, step_title
from tests.test_dashboard_browser import serious_axe_violations

pytestmark = pytest.mark.browser
AUDIT = (Path(__file__).parent / "layout_audit.js").read_text()
# (width, height, touch screen)
SCREENS = [(320, 640, True), (390, 844, True), (768, 1024, True), (1280, 800, False)]
SPACED = (320, 390)  # widths walked again with WCAG 1.4.12's text spacing
# WCAG 1.4.12's test values: line height 1.5, paragraph spacing 2, letters .12, words .16.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: .12em !important;"
    " word-spacing: .16em !important; } p { margin-bottom: 2em !important; }"
)


@pytest.fixture(scope="module")
def module_network_log() -> NetworkLog:
    return NetworkLog()


@pytest.fixture
def network_log(module_network_log) -> NetworkLog:
    """The module page's log; the harness fails each test whose page reached beyond 127.0.0.1."""
    return module_network_log


@pytest.fixture(scope="module")
def dashboard(browser, dashboard_server, module_network_log):
    """One dashboard page for every width (a touch screen until a test says otherwise)."""
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, has_touch=True, accept_downloads=True
    )
    module_network_log.watch(context)
    page = context.new_page()
    try:
        yield DashboardPage(page, dashboard_server.url).open()
    finally:
        context.close()


def screen(page, width: int, height: int, touch: bool) -> None:
    """Size the window and say whether it is a touch screen (pointer: coarse follows)."""
    page.set_viewport_size({"width": width, "height": height})
    if not hasattr(page, "bc_cdp"):  # one session, kept: a closed one may drop what it set
        page.bc_cdp = page.context.new_cdp_session(page)
    page.bc_cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": touch, "maxTouchPoints": 1})
    coarse = page.evaluate("() => [innerWidth, matchMedia('(pointer: coarse)').matches]")
    assert coarse == [width, touch], f"the window is not a {width} px {'touch ' * touch}screen"


def start_again(dashboard) -> None:
    """The clinician's "Start again" (under the step): step 1 with its top in view."""
    dashboard.page.get_by_role("button", name=dashboard.text("dashboard.restart")).click()
    dashboard.wait_for_step(step_ids()[0])
    shows_top(dashboard, step_ids()[0])


def shows_top(dashboard, step: str) -> None:
    """After Back, Next or Start again (under a long step): the new step's heading is in the
    window and has the focus, so the next Tab goes on from there."""
    heading = dashboard.page.get_by_role("heading", name=step_title(step, dashboard.lang), level=2)
    expect(heading).to_be_in_viewport()
    expect(heading).to_be_focused()


def problems(page, where: str) -> list[str]:
    found = page.evaluate(AUDIT, 24)
    out = [f"{where}: clipped {x}" for x in found["clipped"]]
    out += [f"{where}: pushed out of its box {x}" for x in found["squeezed"]]
    out += [f"{where}: overlap {x}" for x in found["overlap"]]
    out += [f"{where}: scrolls sideways {x}" for x in found["sideways"]]
    out += [f"{where}: under 24x24 {x}" for x in found["small"]]
    if found["pageWidth"] > found["viewport"]:
        out.append(f"{where}: page {found['pageWidth']} px wide in a {found['viewport']} px window")
    return out


def heights(page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.getClientRects().length)"
        ".map(e => e.getBoundingClientRect().height)"
    )


def focus_walk(page, last: str) -> list[dict]:
    """Tab from the top of the page to the control named ``last``; where each focus landed."""
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            "() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
            " return {name: (e.innerText || e.value || e.id || '').trim().slice(0, 40),"
            " top: r.top + scrollY, left: r.left}; }"
        )
        stops.append(stop)
        if stop["name"] == last:
            return stops
    raise AssertionError(f"Tab never reached {last!r}: {[s['name'] for s in stops]}")


def walk(dashboard, where: str, *, axe: bool = False) -> list[str]:
    """Open every step (the page is already filled in); audit each."""
    found = []
    for n, step in enumerate(step_ids(), start=1):
        dashboard.go_to(step)
        expect(
            dashboard.page.get_by_role("heading", name=step_title(step, dashboard.lang), level=2)
        ).to_be_visible()
        found += problems(dashboard.page, f"{where} step {n}")
        if axe:
            found += [f"{where} step {n}: axe {v}" for v in serious_axe_violations(dashboard.page)]
    return found


def spaced_walk(dashboard, where: str) -> list[str]:
    """WCAG 1.4.12: raised line, paragraph, letter and word spacing loses nothing."""
    style = dashboard.page.add_style_tag(content=TEXT_SPACING)
    try:
        return walk(dashboard, f"{where} spacing")
    finally:
        style.evaluate("e => e.remove()")


def question(dashboard, question_id: str) -> str:
    return next(q.question for q in dashboard.kb.triage.questions if q.id == question_id)


def consult(dashboard, width: int, touch: bool, *, shot: bool = False) -> list[str]:
    """One consult at this width, as a clinician gives it: the safety check with a "Not sure"
    and an emergency answer, then every question, About you, the keyboard order, and every
    step (with the raised text spacing too, at the phone widths). What went wrong, listed."""
    page = dashboard.page
    where = f"{width}px {dashboard.lang}"
    found = problems(page, f"{where} step 1")

    # The safety check, as it is answered: a "Not sure" with its help, an emergency answer
    # (the banner, and the verdict right under the answer), then every question.
    dashboard.go_to("safety")
    found += problems(page, f"{where} safety check, unanswered")
    chest = dashboard.question(question(dashboard, "chest_pain"))
    dashboard.answer(question(dashboard, "saddle_numbness"), "Not sure")
    dashboard.answer(question(dashboard, "chest_pain"), "Yes")
    nearby = chest.get_by_role("alert")
    expect(nearby).to_contain_text(dashboard.kb.triage.tiers["emergency"].label)
    expect(nearby).to_be_in_viewport()
    yes, no = dashboard.choice("Yes"), dashboard.choice("No")
    expect(chest.get_by_role("button", name=yes, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(chest.get_by_role("button", name=no, exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    found += problems(page, f"{where} safety check, emergency")
    if shot:  # for the README: what this screen shows as the answer is given (the window)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}px.png"))
    dashboard.answer(question(dashboard, "chest_pain"), "No")
    dashboard.answer_all("No")
    dashboard.next("about")  # from the foot of the safety check, many screens long on a phone
    shows_top(dashboard, "about")
    dashboard.about_you()
    page.get_by_label(dashboard.text("form.first_name")).fill("Dana")
    page.get_by_label(dashboard.text("form.notes")).fill("We will call you on Friday.")

    # Keyboard order follows the reading order at this width: down the page, and left to
    # right along a row (a date field's parts take several Tabs in one place).
    stops = focus_walk(page, dashboard.text("dashboard.restart"))
    for a, b in zip(stops, stops[1:], strict=False):
        assert b["top"] > a["top"] + 4 or (
            abs(b["top"] - a["top"]) <= 4 and b["left"] >= a["left"]
        ), f"focus went backwards from {a} to {b} at {where}"

    found += walk(dashboard, where, axe=width == 390)

    if touch:  # 44 px for the answers, the step buttons and Back / Next
        dashboard.go_to("safety")
        for what, selector, count in (
            ("answer", ".bc-answer button", None),
            ("step button", ".bc-step-picker button", len(step_ids())),
            ("Back / Next", ".bc-nav button", 3),
        ):
            sizes = heights(page, selector)
            if not sizes or (count and len(sizes) != count) or min(sizes) < 44:
                found.append(f"{where}: {what} heights {sorted(sizes)[:4]} (44 px on touch)")

    if width in SPACED:
        found += spaced_walk(dashboard, where)
    return found


@pytest.mark.parametrize("width, height, touch", SCREENS, ids=[f"{w}x{h}" for w, h, _ in SCREENS])
def test_every_step_reads_in_full_and_fits(dashboard, network_log, width, height, touch):
    page = dashboard.page
    screen(page, width, height, touch)
    start_again(dashboard)
    found = consult(dashboard, width, touch, shot=True)
    if width == 1280:
        found += text_at_200_percent(page, dashboard)
        found += printed_plan_step(page, dashboard)
    assert not found, "\n".join(found)


def test_spanish_reads_in_full_on_a_phone(dashboard, network_log):
    """Spanish (longer words and labels), chosen on the Welcome step as a patient does, at the
    phone widths with the raised text spacing too."""
    page = dashboard.page
    found = []
    screen(page, 320, 640, True)
    start_again(dashboard)
    page.get_by_label(dashboard.text("choose.language")).select_option(label="Español")
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=10_000)
    spanish = DashboardPage(page, dashboard.url, lang="es")
    for width, height in ((320, 640), (390, 844)):
        screen(page, width, height, True)
        start_again(spanish)
        found += consult(spanish, width, True)
    assert not found, "\n".join(found)


def text_at_200_percent(page, dashboard) -> list[str]:
    """WCAG 1.4.4: the browser's text size at 200% (on a 1280 px screen)."""
    base = page.locator(".bc p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    try:
        found = walk(dashboard, "text 200%")
        dashboard.go_to("safety")
        big = page.locator(".bc p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        question = page.locator(".bc-answer .widget-label").first
        label = question.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        screenshot(page, "dashboard-text-200")
        assert big >= 2 * base - 0.5 and label >= 2 * 14, (base, big, label)
    finally:
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
    return found


def printed_plan_step(page, dashboard) -> list[str]:
    """The browser's Print on the plan step: the plan, none of the walkthrough around it."""
    dashboard.go_to("plan")
    page.emulate_media(media="print")
    try:
        for name in ("Next", "Start again for a new patient", "Make the plan (PDF)"):
            expect(page.get_by_role("button", name=name)).to_be_hidden()
        expect(dashboard.step_button("welcome")).to_be_hidden()
        expect(page.get_by_text("Dana's back care plan")).to_be_visible()
        expect(page.get_by_text("Get help now").first).to_be_visible()
        found = problems(page, "print")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.emulate_media(media="screen")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Dana's back care plan" in text and "Get help now" in text
    for chrome in ("Start again for a new patient", "Make the plan", "Go to step"):
        assert chrome not in text, f"{chrome!r} is printed"
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2), "A4, as the handout"
    return found
