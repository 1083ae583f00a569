"""A hidden browser helper that gives ipywidgets' ToggleButtons the state a screen reader
needs: ipywidgets marks the chosen button only with a CSS class (``mod-active``), so a screen
reader hears "Yes, button" whether or not it is chosen. This helper sets ``aria-pressed`` on
every toggle button inside the kit component it sits in, and keeps it in step as answers
change. Its few lines of JavaScript travel inside the widget's state (anywidget), as
``signal.py``'s do: no extension of our own, no request beyond the server."""

from __future__ import annotations

import anywidget

_ESM = """
export default {
  render({ el }) {
    el.style.display = "none";
    let root = null;
    let observer = null;
    const sync = () => {
      for (const button of root.querySelectorAll(".widget-toggle-buttons button")) {
        const pressed = button.classList.contains("mod-active") ? "true" : "false";
        if (button.getAttribute("aria-pressed") !== pressed) {
          button.setAttribute("aria-pressed", pressed);
        }
      }
    };
    // The component's root is drawn around this helper a moment after it renders.
    const attach = () => {
      root = el.closest(".bc-ui");
      if (!root) return requestAnimationFrame(attach);
      sync();
      observer = new MutationObserver(sync);
      observer.observe(root, { subtree: true, childList: true, attributeFilter: ["class"] });
    };
    attach();
    return () => observer?.disconnect();
  },
};
"""


class Pressed(anywidget.AnyWidget):
    """Put one in a component (a ``.bc-ui`` box) whose ToggleButtons must say which is chosen."""

    _esm = _ESM
