"""Widget-state tests for the lesson tools: timers (fake clock, real asyncio tasks), the
schedule planner, the fluid counter, the food finder, the quiz and the lesson helpers."""

from __future__ import annotations

import asyncio
import base64
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time

import pytest

from backcare_lib import timer
from backcare_lib.ui import lesson
from backcare_lib.ui.quiz import Quiz
from backcare_lib.ui.timers import IceTimer, PlankTimer
from backcare_lib.ui.tools import FluidCounter, FoodFinder, SchedulePlanner


class FakeClock:
    """A clock that moves only when the timer sleeps, so 20 minutes pass in a moment."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1
        await asyncio.sleep(0)


def test_countdown_logic_start_pause_resume_reset():
    c = timer.Countdown(60).start(0)
    assert c.running and c.elapsed(20) == 20 and c.remaining(20) == 40
    c = c.pause(20)
    assert not c.running and c.elapsed(500) == 20
    c = c.start(100)
    assert c.elapsed(130) == 50 and not c.finished(130) and c.finished(140)
    assert c.elapsed(1000) == 60, "never counts past the end"
    assert c.reset() == timer.Countdown(60)
    with pytest.raises(ValueError, match="seconds must be a positive number"):
        timer.Countdown(0)
    with pytest.raises(ValueError, match="ice minutes must be a whole number from 1 to 20"):
        timer.ice_countdown(25)
    assert timer.mmss(75) == "01:15" and timer.breath_cue(0) == "timer.breathe_in"
    assert timer.breath_cue(4.5) == "timer.breathe_out"


def test_ice_timer_runs_as_a_task_and_stops_hard_at_20_minutes():
    clock = FakeClock()

    async def scenario():
        ice = IceTimer(clock=clock, sleep=clock.sleep, tick=1.0)
        assert "Never fall asleep on ice" in ice.warning.value
        assert ice.minutes.max == 20 and ice.progress.max == 1200
        ice.start_button.click()
        assert ice.task is not None and ice.start_button.disabled
        await ice.task
        return ice

    # A fresh event loop in its own thread (Playwright's sync API may own this thread's loop).
    with ThreadPoolExecutor(max_workers=1) as pool:
        ice = pool.submit(asyncio.run, scenario()).result(timeout=60)
    assert ice.progress.value == 1200 and not ice.countdown.running
    # The end is a clear state where the time was, a chime (once) and the page title.
    assert "Done — take the ice off now" in ice.time_left.value
    assert 'role="alert"' in ice.time_left.value and "(paused)" not in ice.time_left.value
    assert ice.progress.bar_style == "success"
    assert ice.signal.rings == 1 and ice.signal.title == "Done — take the ice off now"
    assert not ice.signal.muted and ice.sound.description == "Play a sound at the end"
    ice.refresh()
    assert ice.signal.rings == 1, "the chime plays once, not at every refresh"
    assert 1190 <= clock.sleeps <= 1201, "ticked once a second, then stopped by itself"
    ice.reset_button.click()
    assert ice.progress.value == 0 and not ice.start_button.disabled
    assert ice.signal.title == "" and "20:00 left" in ice.time_left.value


def test_ice_timer_pause_and_reset_with_a_manual_clock():
    clock = FakeClock()
    ice = IceTimer(minutes=10, clock=clock)
    assert ice.progress.max == 600
    ice.start()  # no event loop here: the state changes, refresh() shows it
    clock.now += 90
    ice.refresh()
    assert ice.progress.value == 90 and "08:30" in ice.time_left.value
    ice.pause_button.click()
    clock.now += 300
    ice.refresh()
    assert ice.progress.value == 90 and "paused" in ice.time_left.value
    ice.minutes.value = 5
    assert ice.progress.max == 300 and ice.progress.value == 0


def test_plank_timer_gives_breathing_cues():
    clock = FakeClock()
    plank = PlankTimer(seconds=20, clock=clock)
    assert "Keep breathing" in plank.cue.value
    plank.start()
    clock.now += 1
    plank.refresh()
    assert "Breathe in slowly" in plank.cue.value
    clock.now += 4
    plank.refresh()
    assert "Breathe out slowly" in plank.cue.value
    clock.now += 30
    plank.refresh()
    assert "Done — well done, rest now" in plank.time_left.value and plank.progress.value == 20
    assert plank.signal.rings == 1
    plank.reset()
    plank.sound.value = False  # the mute option
    assert plank.signal.muted
    plank.start()
    clock.now += 30
    plank.refresh()
    assert plank.signal.rings == 2 and plank.signal.muted, "muted: the page plays nothing"
    plank.seconds.value = 30
    assert plank.progress.max == 30 and plank.progress.value == 0


def test_schedule_planner_draws_the_timeline_and_offers_the_calendar():
    planner = SchedulePlanner(now=lambda: datetime(2026, 11, 27, 9, 0))
    html = planner.result.value
    assert "data:image/svg+xml;base64," in html and 'alt="Ice ' in html
    ics = html.split('href="data:text/calendar;base64,')[1].split('"')[0]
    assert base64.b64decode(ics).startswith(b"BEGIN:VCALENDAR")
    assert planner.sessions[0].start == datetime(2026, 11, 27, 9, 0)
    planner.bedtime.value = time(7)
    assert "Bedtime must differ from wake time" in planner.message.value
    assert planner.result.value == "" and planner.sessions == []
    planner.bedtime.value = time(21)
    assert planner.message.value == "" and planner.sessions


def test_fluid_counter_adds_flags_and_undoes():
    counter = FluidCounter()
    for _ in range(3):
        counter.add.click()
    counter.kind.value = "coffee"
    counter.add.click()
    counter.kind.value = "alcohol"
    counter.add.click()
    assert counter.drinks[-1] == ("alcohol", 1)
    assert counter.progress.value == 4 and "Glasses that count: 4 of 8." in counter.summary.value
    assert "Alcohol makes you pee more" in counter.summary.value
    assert "Coffee, tea and cola still count" in counter.summary.value
    counter.undo.click()
    assert "Alcohol makes you pee more" not in counter.summary.value
    counter.clear.click()
    assert counter.drinks == [] and counter.progress.value == 0


def test_food_finder_switches_between_minerals():
    finder = FoodFinder()
    assert "Yogurt, plain, low-fat" in finder.table.value and "Banana" not in finder.table.value
    finder.mineral.value = "potassium"
    assert "Banana" in finder.table.value and "422 mg" in finder.table.value
    assert "Potato, baked" in finder.table.value


def test_quiz_gives_feedback_and_a_score():
    quiz = Quiz("first_days")
    assert len(quiz.items) >= 3 and "Score: 0 of 4" in quiz.score_text.value
    first = quiz.items[0]
    quiz.choices[first.id].value = first.correct_index
    assert "Right." in quiz.feedback[first.id].value and quiz.score == 1
    wrong = (quiz.items[1].correct_index + 1) % len(quiz.items[1].choices)
    quiz.choices[quiz.items[1].id].value = wrong
    assert "Not quite." in quiz.feedback[quiz.items[1].id].value
    assert quiz.score == 1 and "(2 answered)" in quiz.score_text.value
    quiz.reset_button.click()
    assert quiz.answers == {} and quiz.feedback[first.id].value == ""
    assert all(r.description.startswith("Question") for r in quiz.choices.values())


def test_lesson_helpers_render_a_point_and_a_chart():
    shown = lesson.show("ice_safety").data
    assert "Never fall asleep on ice" in shown and "Sources:" in shown
    from backcare_lib import charts, exercise

    steps = exercise.plank_plan(date(2025, 3, 1))
    figure = lesson.chart(charts.plank_chart(steps), "<b>summary</b>").data
    assert "data:image/svg+xml;base64," in figure and "&lt;b&gt;summary&lt;/b&gt;" in figure


@pytest.mark.parametrize("lang", ["en", "es"])
def test_quiz_feedback_goes_straight_to_why(lang):
    """The quiz already says "Right." or "Not quite." in bold; feedback that began with its
    own verdict read "Not quite. No. That is too long." to a newcomer."""
    from backcare_lib import knowledge

    verdicts = {"en": ("Yes.", "No.", "Right.", "Not quite."), "es": ("Sí.", "No.", "Correcto.")}
    for module in knowledge.load(lang).modules:
        for item in module.quiz:
            for choice in item.choices:
                assert not choice.feedback.startswith(verdicts[lang]), (item.id, choice.feedback)


def test_right_answers_are_not_always_in_the_same_place_and_feedback_follows_them():
    """Content lists the right answer first; as shown, no position holds more than half of
    them, and choosing by what is shown (not by index) still gets the right feedback."""
    from collections import Counter

    from backcare_lib import knowledge

    kb = knowledge.load()
    shown_positions = Counter()
    for module in kb.modules:
        quiz = Quiz(module.id)
        for item in quiz.items:
            radio = quiz.choices[item.id]
            labels = [label for label, _value in radio.options]
            assert sorted(labels) == sorted(c.text for c in item.choices)
            right = next(c.text for c in item.choices if c.correct)
            shown_positions[labels.index(right)] += 1
            radio.value = dict(radio.options)[right]  # click the shown right answer
            assert "Right." in quiz.feedback[item.id].value
            wrong = next(label for label in labels if label != right)
            radio.value = dict(radio.options)[wrong]
            assert "Not quite." in quiz.feedback[item.id].value
    total = sum(shown_positions.values())
    assert total >= 21 and max(shown_positions.values()) <= total / 2, shown_positions
    assert kb.choice_order("q_ice_time") == knowledge.load().choice_order("q_ice_time")


def test_planner_keeps_the_calendar_to_the_future_and_speaks_plainly_after_3_days():
    now = datetime(2026, 11, 27, 9, 0)
    planner = SchedulePlanner(now=lambda: now)
    planner.start.value = datetime(2026, 11, 26, 8, 0)  # yesterday: ice days still on
    assert planner.start_note.value == "" and planner.sessions
    assert all(s.start >= now for s in planner.sessions)
    ics = base64.b64decode(
        planner.result.value.split('href="data:text/calendar;base64,')[1].split('"')[0]
    ).decode()
    starts = [ln.split(":", 1)[1] for ln in ics.splitlines() if ln.startswith("DTSTART")]
    assert starts and min(starts) >= "20261127T090000", "no reminder in the past"
    assert "only the times still to come" in planner.result.value

    planner.start.value = datetime(2026, 11, 22, 8, 0)  # 5 days ago
    note = planner.start_note.value
    assert "The first days are over: here is what to do now" in note
    assert "Keep moving every day" in note and planner.message.value == ""
    children = list(planner.children)
    assert children.index(planner.start_note) == children.index(planner.start) + 1, (
        "the note sits right under the start field"
    )
    assert all(s.kind == "heat" and s.start >= now for s in planner.sessions)

    planner.start.value = datetime(2025, 10, 1, 8, 0)  # over a year ago: said plainly, no plan
    assert planner.sessions == [] and "first days are over" in planner.start_note.value
    planner.start.value = datetime(2026, 12, 1, 8, 0)
    assert "is in the future" in planner.message.value and planner.result.value == ""


def test_fluid_counter_and_food_finder_show_who_should_ask_first():
    """A fluid limit for heart or kidney disease beats the rule of thumb; potassium foods need
    a question first with kidney disease or medicines that raise potassium."""
    counter = FluidCounter()
    assert (
        "follow your own" in counter.summary.value and "heart or kidneys" in counter.summary.value
    )
    counter.add.click()
    assert "follow your own" in counter.summary.value
    finder = FoodFinder()
    for mineral in ("potassium", "calcium"):
        finder.mineral.value = mineral
        shown = finder.table.value
        assert "kidney disease" in shown and "ACE inhibitors" in shown
        assert "ARBs" in shown and "spironolactone" in shown
