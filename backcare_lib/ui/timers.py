"""Ice and plank timers. They never block the kernel: ticking runs as an asyncio task on the
kernel's event loop, and can be paused and reset. ``clock`` and ``sleep`` are parameters so
tests run them with a fake clock instead of real minutes."""

from __future__ import annotations

import asyncio
import time

import ipywidgets as w

from backcare_lib import knowledge, timer
from backcare_lib.ui.common import CSS, message_html, partial_html, safe


def _t(text_id: str, **values: object) -> str:
    return knowledge.active().text(text_id, **values)


class CountdownTimer(w.VBox):
    """Progress bar, time left, Start / Pause / Reset. Subclasses name their texts.

    At the end the timer shows a clear done state where the time was, plays a chime (unless
    the learner unticks the sound box) and puts the done message in the page title, so a
    learner who scrolled on or switched tabs still notices."""

    title = "timer.ice"  # text ids
    done = "timer.ice_done"

    def __init__(
        self,
        countdown: timer.Countdown,
        *,
        clock=time.monotonic,
        sleep=asyncio.sleep,
        tick: float = 0.5,
        extra=(),
    ) -> None:
        self.countdown = countdown
        self._clock, self._sleep, self._tick = clock, sleep, tick
        self.task: asyncio.Task | None = None
        self.progress = w.FloatProgress(
            value=0,
            min=0,
            max=countdown.seconds,
            description=_t(self.title),
            style={"description_width": "12em"},
        )
        self.time_left = w.HTML()
        self.cue = w.HTML()
        from backcare_lib.ui.signal import Signal

        self.signal = Signal()
        self.sound = w.Checkbox(value=True, description=_t("timer.sound"), indent=False)
        self.sound.observe(self._sound_changed, names="value")
        self.announced = False
        self.start_button = w.Button(description=_t("timer.start"), button_style="primary")
        self.pause_button = w.Button(description=_t("timer.pause"))
        self.reset_button = w.Button(description=_t("timer.reset"))
        self.start_button.on_click(lambda _b: self.start())
        self.pause_button.on_click(lambda _b: self.pause())
        self.reset_button.on_click(lambda _b: self.reset())
        buttons = w.HBox([self.start_button, self.pause_button, self.reset_button])
        super().__init__(
            children=[
                w.HTML(CSS),
                *extra,
                self.sound,
                self.progress,
                self.time_left,
                self.cue,
                buttons,
                self.signal,
            ]
        )
        self.add_class("bc-ui")  # the kit's layout CSS (widgets.css)
        self.refresh()

    def show_error(self, message: str) -> None:
        self.cue.value = message_html(message, "error")

    def _sound_changed(self, change) -> None:
        self.signal.muted = not change["new"]

    # -- controls -------------------------------------------------------------------------
    @safe
    def start(self) -> None:
        self.countdown = self.countdown.start(self._clock())
        self.refresh()
        if self.task is None or self.task.done():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop (a plain script): refresh() on demand
                return
            self.task = loop.create_task(self._run())

    @safe
    def pause(self) -> None:
        self.countdown = self.countdown.pause(self._clock())
        self.refresh()

    def set_countdown(self, countdown: timer.Countdown) -> None:
        """A new duration: stop, and start again from zero."""
        self.reset()
        self.countdown = countdown
        self.progress.max = countdown.seconds
        self.refresh()

    @safe
    def reset(self) -> None:
        self.countdown = self.countdown.reset()
        self.announced = False
        self.signal.title = ""
        if self.task is not None:
            self.task.cancel()
            self.task = None
        self.refresh()

    async def _run(self) -> None:
        while self.countdown.running:
            self.refresh()
            if self.countdown.finished(self._clock()):
                self.countdown = self.countdown.pause(self._clock())  # the hard stop
                break
            await self._sleep(self._tick)
        self.refresh()

    # -- display --------------------------------------------------------------------------
    def refresh(self) -> None:
        now = self._clock()
        elapsed = self.countdown.elapsed(now)
        self.progress.value = elapsed
        finished = self.countdown.finished(now)
        self.progress.bar_style = "success" if finished else ""
        self.start_button.disabled = self.countdown.running or finished
        self.pause_button.disabled = not self.countdown.running
        if finished:
            self.time_left.value = partial_html("timer_done", done=self.done)
            if not self.announced:
                self.announced = True
                self.signal.title = _t(self.done)
                self.signal.ring()
        else:
            running = self.countdown.running
            self.time_left.value = partial_html(
                "timer_left",
                time=timer.mmss(self.countdown.remaining(now)),
                state="running" if running else "paused" if elapsed else "ready",
            )
        self.cue.value = self.cue_html(elapsed, finished)

    def cue_html(self, elapsed: float, finished: bool) -> str:
        return ""


class IceTimer(CountdownTimer):
    """An ice session with a hard stop at the content's limit (``care.yaml``: 20 minutes) and
    the never-fall-asleep reminder. ``minutes``: the session's length, the limit if left out."""

    title = "timer.ice"
    done = "timer.ice_done"

    def __init__(self, minutes: int | None = None, **kwargs) -> None:
        limit = knowledge.active().care.schedule.ice_minutes
        minutes = limit if minutes is None else minutes
        self.minutes = w.BoundedIntText(
            value=minutes,
            min=1,
            max=limit,
            description=_t("timer.ice_minutes", limit=limit),
            style={"description_width": "12em"},
        )
        self.minutes.observe(self._minutes_changed, names="value")
        warning = knowledge.active().point("ice_safety").takeaway
        self.warning = w.HTML(message_html(warning, strong=True))
        super().__init__(timer.ice_countdown(minutes), extra=(self.warning, self.minutes), **kwargs)

    @safe
    def _minutes_changed(self, change) -> None:
        self.set_countdown(timer.ice_countdown(change["new"]))


class PlankTimer(CountdownTimer):
    """A plank hold with a slow-breathing cue that changes every 4 seconds. ``seconds``: the
    hold, the plan's first hold (``care.yaml``) if left out."""

    title = "timer.plank"
    done = "timer.plank_done"

    def __init__(self, seconds: int | None = None, **kwargs) -> None:
        plank = knowledge.active().care.plank
        seconds = plank.start_seconds if seconds is None else seconds
        self.seconds = w.BoundedIntText(
            value=seconds,
            min=5,
            max=plank.cap_seconds,
            description=_t("timer.plank_seconds"),
            style={"description_width": "12em"},
        )
        self.seconds.observe(self._seconds_changed, names="value")
        super().__init__(timer.Countdown(seconds), extra=(self.seconds,), **kwargs)

    @safe
    def _seconds_changed(self, change) -> None:
        self.set_countdown(timer.Countdown(change["new"]))

    def cue_html(self, elapsed: float, finished: bool) -> str:
        if finished:
            return ""
        if self.countdown.running:
            return message_html(_t(timer.breath_cue(elapsed)), strong=True)
        return message_html(knowledge.active().care.plank.cue, kind="")
