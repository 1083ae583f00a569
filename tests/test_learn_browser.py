"""`make learn`, as a patient meets it (Debian's Chromium): the index page lists the six
lessons in order; each lesson renders with no code on the page and its tools work; the timer's
end is a done state, a chime made in the page (no file fetched) and a new page title (also for
a 1-minute ice session left running in a background tab while the other lessons are tested, so
it costs no wait of its own); nothing leaves 127.0.0.1; the diary file appears only when the
learner saves."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backcare_lib import knowledge
from backcare_testkit.browser import NetworkLog, screenshot
from backcare_testkit.servers import free_port, start_server, stop_process

pytestmark = pytest.mark.browser
LESSONS = knowledge.load().self_study.lessons
SPANISH = knowledge.load("es")
# Counts the chime's tones: the page makes them with the Web Audio API.
COUNT_TONES = """
window.__tones = 0;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__tones += 1;
  return start.apply(this, args);
};
"""


@pytest.fixture(scope="module")
def learn(tmp_path_factory):
    home = tmp_path_factory.mktemp("learn-home")
    port = free_port()
    server = start_server(
        [
            "make",
            "--no-print-directory",
            "learn",
            f"LEARN_PORT={port}",
            "OPEN=no",
            f"VENV={Path(sys.prefix)}",
        ],
        port=port,
        ready_path="voila/static/voila.js",
        log_name="voila-learn.log",
        env={"BACKCARE_DIARY_PATH": str(home / "diary.sqlite3")},
    )
    server.home = home
    yield server
    stop_process(server.process)


@pytest.fixture(scope="module")
def ice_in_a_background_tab(browser, learn):
    """Lesson 02 in a tab of its own with a 1-minute ice session running (the shortest the
    timer allows). The tests after the first one run while it counts down; the last one checks
    how it ended."""
    log = NetworkLog()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log.watch(context)
    page = context.new_page()
    open_lesson(page, learn, 2)
    timer = page.locator(".widget-vbox").filter(has_text="Never fall asleep on ice").first
    minutes = timer.get_by_label(re.compile(r"^Minutes"))
    minutes.fill("1")
    minutes.press("Enter")
    expect(timer.get_by_text("01:00 left")).to_be_visible()
    title = page.title()
    timer.get_by_role("button", name="Start").click()
    expect(timer.get_by_text("(running)")).to_be_visible(timeout=10_000)
    yield page, timer, title
    context.close()
    log.check()


def open_lesson(page, learn, index: int, kb=None):
    """Open lesson ``index`` from the index page, in ``kb``'s language (English by default),
    and check it ran to its end with no code, traceback or error on the page."""
    kb = kb or knowledge.load()
    page.goto(learn.url, wait_until="domcontentloaded")
    lesson = kb.self_study.lessons[index]
    link = page.locator(f"ol[lang={kb.lang}] a").nth(index)
    expect(link).to_contain_text(lesson.title)
    link.click()
    expect(page.get_by_role("heading", level=1, name=lesson.title)).to_be_visible(timeout=60_000)
    expect(page.locator(".help-now").first).to_be_visible(timeout=60_000)  # ran to the end
    expect(page.get_by_role("heading", name=kb.text("lesson.talk"))).to_be_visible()
    assert page.locator(".jp-InputArea-editor, .cm-editor, .jp-InputPrompt").count() == 0
    body = page.locator("body").inner_text()
    assert "backcare_lib" not in body and "import " not in body, "no code on the page"
    assert "Traceback" not in body and "Error" not in body


def test_the_index_lists_the_lessons_in_order_in_english_and_spanish(
    page, learn, ice_in_a_background_tab
):
    # (ice_in_a_background_tab: started first, so its minute passes while the others run)
    page.goto(learn.url, wait_until="domcontentloaded")
    expect(page).to_have_title("BackCare Kit lessons")
    expect(page.get_by_role("heading", level=1)).to_have_text("BackCare Kit lessons")
    for kb, folder in ((knowledge.load(), ""), (SPANISH, "es/")):
        links = page.locator(f"ol[lang={kb.lang}] a")
        expect(links).to_have_count(len(LESSONS))
        for i, lesson in enumerate(kb.self_study.lessons):
            expect(links.nth(i)).to_contain_text(lesson.title)
            href = links.nth(i).get_attribute("href")
            assert href.endswith(f"voila/render/{folder}{lesson.file}.ipynb"), href
    # A Spanish reader finds their lessons from the top of the page.
    page.get_by_role("link", name=f"Español: {SPANISH.self_study.index.title}").click()
    expect(
        page.get_by_role("heading", level=2, name=SPANISH.self_study.index.title)
    ).to_be_in_viewport()
    screenshot(page, "learn-index")
    from axe_playwright_python.sync_playwright import Axe

    serious = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious


def test_lesson_00_links_on_to_lesson_01(page, learn):
    open_lesson(page, learn, 0)
    expect(page.get_by_text("No menus at the top of the page?")).to_be_visible()
    page.get_by_role("link", name="01 What is a back spasm?").click()
    expect(page.get_by_role("heading", level=1, name=LESSONS[1].title)).to_be_visible(
        timeout=60_000
    )


def test_lesson_01_quiz_answers_beside_the_choice_in_english_and_spanish(page, learn):
    for kb in (knowledge.load(), SPANISH):
        open_lesson(page, learn, 1, kb)
        item = kb.quiz("what_is_a_spasm")[0]
        right = next(c.text for c in item.choices if c.correct)
        quiz = page.locator(".widget-radio-box").first
        quiz.get_by_text(right, exact=True).click()
        expect(page.get_by_text(kb.text("quiz.right")).first).to_be_in_viewport()
        expect(page.get_by_text(kb.text("quiz.score", score=1, total="").strip())).to_be_attached()


def test_lesson_02_timer_and_planner_work(page, learn):
    open_lesson(page, learn, 2)
    timer = page.locator(".widget-vbox").filter(has_text="Never fall asleep on ice").first
    timer.get_by_role("button", name="Start").click()
    expect(timer.get_by_text("(running)")).to_be_visible(timeout=10_000)
    timer.get_by_role("button", name="Pause").click()
    expect(timer.get_by_text("(paused)")).to_be_visible()
    expect(page.get_by_role("link", name="Download calendar reminders (.ics)")).to_be_visible()
    screenshot(page, "learn-lesson-02")


def test_lesson_04_plank_timer_ends_with_done_chime_and_title(page, learn):
    page.add_init_script(COUNT_TONES)
    open_lesson(page, learn, 4)
    page.get_by_role("button", name="Add a glass").click()
    expect(page.get_by_text("Drinks so far: 1.")).to_be_visible()
    plank = page.locator(".widget-vbox").filter(has_text="Hold for (seconds)").first
    seconds = plank.get_by_label("Hold for (seconds)")
    seconds.fill("5")
    seconds.press("Enter")
    title = page.title()
    plank.get_by_role("button", name="Start").click()
    expect(plank.get_by_text("Done — well done, rest now")).to_be_visible(timeout=20_000)
    expect(page).to_have_title("Done — well done, rest now")
    page.wait_for_function("window.__tones >= 3", timeout=5_000)
    plank.get_by_role("button", name="Reset").click()
    expect(page).to_have_title(title)
    plank.get_by_text("Play a sound at the end").click()  # mute, then run again
    plank.get_by_role("button", name="Start").click()
    expect(plank.get_by_text("Done — well done, rest now")).to_be_visible(timeout=20_000)
    assert page.evaluate("window.__tones") == 3, "muted: no chime"


def test_lesson_05_diary_saves_exports_and_deletes_with_a_confirm(page, learn):
    diary_file = learn.home / "diary.sqlite3"
    open_lesson(page, learn, 5)
    assert not diary_file.exists(), "opening the diary lesson writes nothing"
    expect(page.get_by_text("made when you first press Save")).to_be_visible()
    page.get_by_label("Pain now (0 to 10)").select_option(label="6 (moderate)")
    page.get_by_role("button", name="Save to my diary").click()
    expect(page.get_by_text("Saved. Entries in your diary: 1.")).to_be_in_viewport()
    expect(page.get_by_text("pain scores for one day")).to_be_visible()
    assert diary_file.exists()
    page.get_by_role("button", name="Make a spreadsheet of my diary").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="download my-diary.csv").click()
    assert Path(download.value.path()).read_text().startswith("recorded_at,pain")
    page.get_by_role("button", name="Delete my diary").click()
    expect(page.get_by_text("Are you sure?")).to_be_in_viewport()
    page.get_by_role("button", name="Yes, delete it all").click()
    expect(page.get_by_text("Your diary is deleted")).to_be_in_viewport()
    assert not diary_file.exists()
    screenshot(page, "learn-lesson-05")


def test_ice_timer_left_in_a_background_tab_ends_with_done_and_title(ice_in_a_background_tab):
    page, timer, title = ice_in_a_background_tab
    done = knowledge.load().text("timer.ice_done")
    # The session started a minute ago at most (the tests above ran meanwhile): no extra sleep.
    expect(timer.get_by_text(done)).to_be_visible(timeout=75_000)
    expect(page).to_have_title(done)  # what another tab's title bar shows
    expect(timer.get_by_role("alert")).to_contain_text(done)
    expect(timer.get_by_role("button", name="Start")).to_be_disabled()
    timer.get_by_role("button", name="Reset").click()
    expect(page).to_have_title(title)
