"""A hidden browser helper: a chime made in the browser's memory with the Web Audio API (no
sound file is fetched), a message in the page's title so another tab shows it, and scrolling
its widget back into view. Its few lines of JavaScript travel inside the widget's state
(anywidget), so it works in JupyterLab and in Voila with no extension of our own and no request
beyond the server."""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function chime() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  const now = ctx.currentTime;
  [659.25, 880, 1318.5].forEach((freq, i) => {
    const at = now + i * 0.4;
    const tone = ctx.createOscillator();
    const gain = ctx.createGain();
    tone.type = "sine";
    tone.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.4);
    tone.connect(gain).connect(ctx.destination);
    tone.start(at);
    tone.stop(at + 1.5);
  });
  setTimeout(() => ctx.close(), 3000);
}

export default {
  render({ model, el }) {
    el.style.display = "none";
    let saved = null;
    const ring = () => { if (!model.get("muted")) chime(); };
    const title = () => {
      const text = model.get("title");
      if (text) {
        if (saved === null) saved = document.title;
        document.title = text;
      } else if (saved !== null) {
        document.title = saved;
        saved = null;
      }
    };
    // Bring the widget this helper sits in back into view (content above it may have
    // shrunk, moving a result off-screen).
    const reveal = () => el.parentElement?.scrollIntoView({ block: "center" });
    model.on("change:rings", ring);
    model.on("change:title", title);
    model.on("change:reveals", reveal);
    title();
    return () => {
      model.off("change:reveals", reveal);
      model.off("change:rings", ring);
      model.off("change:title", title);
      if (saved !== null) document.title = saved;
    };
  },
};
"""


class Signal(anywidget.AnyWidget):
    """``ring()`` plays the chime unless ``muted``; a non-empty ``title`` replaces the page
    title until it is set back to ""."""

    _esm = _ESM
    rings = traitlets.Int(0).tag(sync=True)
    muted = traitlets.Bool(False).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    reveals = traitlets.Int(0).tag(sync=True)

    def ring(self) -> None:
        self.rings += 1

    def reveal(self) -> None:
        """Scroll the widget this helper is in into view."""
        self.reveals += 1
