"""A hidden browser helper for the walkthrough's Back, Next and "Start again" buttons: they sit
under the step, so after a long step (the safety check is many screens on a phone) the browser
would keep the old scroll position and show the new step's end, with the focus left on a
button far from what changed. On each move this helper scrolls the new step's top into view
(the emergency banner above it when one shows) and moves the focus to the step's heading, so a
screen reader reads it and the next Tab goes on from there. Changing the language or region
rebuilds the dashboard, which would drop the keyboard focus to the page's body: the new
helper's ``focus`` names the control to give it back to (the menu that was changed). Its few
lines of JavaScript travel inside the widget's state (anywidget), as ``pressed.py``'s do: no
extension, no request."""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
const visible = (e) => e.getClientRects().length > 0;

export default {
  render({ model, el }) {
    el.style.display = "none";
    const reveal = () => {
      const root = el.closest(".bc-dashboard");
      if (!root) return;
      const want = model.get("heading");
      const started = performance.now();
      // The step is drawn by the same round of messages: wait for its heading to show.
      const look = () => {
        const headings = Array.from(root.querySelectorAll(".bc-steps h2")).filter(visible);
        let heading = headings.find((h) => h.textContent.trim() === want);
        if (!heading && performance.now() - started < 5000) return requestAnimationFrame(look);
        heading = heading || headings[0];
        const banner = root.querySelector(".bc-banner");
        const top = banner && banner.textContent.trim() ? banner : root.querySelector(".bc-steps");
        top?.scrollIntoView({ block: "start" });
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
        }
      };
      look();
    };
    // Once this helper is on the page, focus the control named by "focus" (a CSS selector
    // inside the dashboard), waiting for the rebuilt page to draw it.
    const refocus = () => {
      const want = model.get("focus");
      if (!want) return;
      const started = performance.now();
      const look = () => {
        const root = el.closest(".bc-dashboard");
        const target = root && Array.from(root.querySelectorAll(want)).find(visible);
        if (target) return target.focus();
        if (performance.now() - started < 5000) requestAnimationFrame(look);
      };
      look();
    };
    model.on("change:moves", reveal);
    model.on("change:focus", refocus);
    refocus();
    return () => {
      model.off("change:moves", reveal);
      model.off("change:focus", refocus);
    };
  },
};
"""


class StepFocus(anywidget.AnyWidget):
    """Put one in the dashboard (a ``.bc-dashboard`` box whose steps are in ``.bc-steps``);
    ``show(heading)`` brings the step with that heading into view and focuses its heading;
    ``focus`` (a CSS selector inside the dashboard) is focused as soon as the helper shows."""

    _esm = _ESM
    heading = traitlets.Unicode("").tag(sync=True)
    focus = traitlets.Unicode("").tag(sync=True)
    moves = traitlets.Int(0).tag(sync=True)

    def show(self, heading: str) -> None:
        self.heading = heading
        self.moves += 1
