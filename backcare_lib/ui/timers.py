"""Ice and plank timers. They never block the kernel: ticking runs as an asyncio task on the
kernel's event loop, and can be paused and reset. ``clock`` and ``sleep`` are parameters so
tests run them with a fake clock instead of real minutes."""

from __future__ import annotations

import asyncio
import time

import ipywidgets as w

from backcare_lib import knowledge, timer
from backcare_lib.ui.common import CSS, block, esc, safe


def _words():
    return knowledge.load().self_study.timers


class CountdownTimer(w.VBox):
    """Progress bar, time left, Start / Pause / Reset. Subclasses set the words.

    At the end the timer shows a clear done state where the time was, plays a chime (unless
    the learner unticks the sound box) and puts the done message in the page title, so a
    learner who scrolled on or switched tabs still notices."""

    title = "Timer"
    done_key = "ice_done"

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
            description=self.title,
            style={"description_width": "12em"},
        )
        self.time_left = w.HTML()
        self.cue = w.HTML()
        from backcare_lib.ui.signal import Signal

        self.signal = Signal()
        self.sound = w.Checkbox(value=True, description=_words().sound, indent=False)
        self.sound.observe(self._sound_changed, names="value")
        self.announced = False
        self.start_button = w.Button(description="Start", button_style="primary")
        self.pause_button = w.Button(description="Pause")
        self.reset_button = w.Button(description="Reset")
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
        self.refresh()

    def show_error(self, message: str) -> None:
        self.cue.value = block(f'<p class="error" role="alert">{esc(message)}</p>')

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
        words = _words()
        now = self._clock()
        elapsed = self.countdown.elapsed(now)
        self.progress.value = elapsed
        finished = self.countdown.finished(now)
        self.progress.bar_style = "success" if finished else ""
        self.start_button.disabled = self.countdown.running or finished
        self.pause_button.disabled = not self.countdown.running
        if finished:
            done = getattr(words, self.done_key)
            more = getattr(words, f"{self.done_key}_more")
            self.time_left.value = block(
                f'<p class="done" role="alert"><strong>{esc(done)}</strong>'
                f"<span>{esc(more)}</span></p>"
            )
            if not self.announced:
                self.announced = True
                self.signal.title = done
                self.signal.ring()
        else:
            left = words.left.format(time=timer.mmss(self.countdown.remaining(now)))
            running = self.countdown.running
            state = words.states["running" if running else "paused" if elapsed else "ready"]
            self.time_left.value = block(
                f'<p aria-live="off"><strong>{esc(left)}</strong> ({esc(state)})</p>'
            )
        self.cue.value = block(self.cue_html(elapsed, finished))

    def cue_html(self, elapsed: float, finished: bool) -> str:
        return ""


class IceTimer(CountdownTimer):
    """An ice session with a hard stop at 20 minutes and the never-fall-asleep reminder."""

    title = "Ice time"
    done_key = "ice_done"

    def __init__(self, minutes: int = 20, **kwargs) -> None:
        limit = knowledge.load().care.schedule.ice_minutes
        self.minutes = w.BoundedIntText(
            value=minutes,
            min=1,
            max=limit,
            description=f"Minutes ({limit} at most)",
            style={"description_width": "12em"},
        )
        self.minutes.observe(self._minutes_changed, names="value")
        warning = knowledge.load().point("ice_safety").takeaway
        self.warning = w.HTML(block(f'<p class="note"><strong>{esc(warning)}</strong></p>'))
        super().__init__(timer.ice_countdown(minutes), extra=(self.warning, self.minutes), **kwargs)

    @safe
    def _minutes_changed(self, change) -> None:
        self.set_countdown(timer.ice_countdown(change["new"]))


class PlankTimer(CountdownTimer):
    """A plank hold with a slow-breathing cue that changes every 4 seconds."""

    title = "Plank hold"
    done_key = "plank_done"

    def __init__(self, seconds: int = 20, **kwargs) -> None:
        plank = knowledge.load().care.plank
        self.seconds = w.BoundedIntText(
            value=seconds,
            min=5,
            max=plank.cap_seconds,
            description="Hold for (seconds)",
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
            return f'<p class="note"><strong>{timer.breath_cue(elapsed)}</strong></p>'
        return f"<p>{esc(knowledge.load().care.plank.cue)}</p>"
