// What a person cannot read or tap on the page as it is now laid out. Run by
// tests/test_dashboard_layout.py through page.evaluate(); returns plain data.
//   clipped:  visible elements whose own text is cut off: content wider (or taller) than the box
//             with overflow hidden/clip, or an ellipsis that is in use
//   squeezed: text pushed out of its own box (a box squeezed narrower than its words, e.g. a
//             checkbox's description beside a box that took the whole row), overflow visible
//   overlap:  lines of text or controls drawn over one another (a fixed height or a negative
//             margin meeting wrapped text or raised line spacing)
//   sideways: boxes that scroll sideways inside the page (content wider than its column)
//   small:    interactive controls whose target (with its label) is under minSize px
//   pageWidth / viewport: the document's scroll width against the window's width
(minSize) => {
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const ownText = (el) =>
    Array.from(el.childNodes)
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent)
      .join("")
      .trim();
  const describe = (el) => {
    const cls = typeof el.className === "string" ? el.className : "";
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    return `${el.tagName.toLowerCase()}.${cls.split(/\s+/).slice(0, 3).join(".")} "${text.slice(0, 60)}"`;
  };
  const fields = new Set(["INPUT", "TEXTAREA", "SELECT", "OPTION"]);
  const clipped = [];
  const squeezed = [];
  const overlap = [];
  const sideways = [];
  for (const el of document.querySelectorAll("body *")) {
    if (fields.has(el.tagName) || el.closest("svg, script, style")) continue;
    if (!visible(el)) continue;
    const style = getComputedStyle(el);
    const wide = el.scrollWidth > el.clientWidth + 1;
    if ((style.overflowX === "auto" || style.overflowX === "scroll") && wide) {
      // Name what sticks out: the deepest visible element past the box's right edge.
      const edge = el.getBoundingClientRect().right;
      let culprit = null;
      for (const child of el.querySelectorAll("*")) {
        if (visible(child) && child.getBoundingClientRect().right > edge + 1) culprit = child;
      }
      const what = culprit ? `; sticking out: ${describe(culprit)} ${culprit.getBoundingClientRect().width.toFixed(0)} px wide` : "";
      sideways.push(`${describe(el)} (scroll ${el.scrollWidth} in ${el.clientWidth}${what})`);
    }
    const text = (el.innerText || "").trim();
    if (!text) continue;
    const hides = (v) => v === "hidden" || v === "clip";
    const tall = el.scrollHeight > el.clientHeight + 1;
    if ((hides(style.overflowX) && wide) || (hides(style.overflowY) && tall)) {
      clipped.push(`${describe(el)} (scroll ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
    } else if (style.textOverflow === "ellipsis" && wide) {
      clipped.push(`${describe(el)} (ellipsis)`);
    } else if (wide && style.overflowX === "visible" && ownText(el) && !style.display.startsWith("inline")) {
      squeezed.push(`${describe(el)} (text ${el.scrollWidth} px wide in ${el.clientWidth})`);
    }
  }
  // Overlap: lines of text (and controls) drawn over each other, as a fixed height or a
  // negative margin does when text wraps or spacing grows.
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest("svg, script, style, option") || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width > 1 && rect.height > 1) boxes.push({ el, rect });
  }
  for (const el of document.querySelectorAll("input, select, textarea, button, img")) {
    if (visible(el) && el.type !== "hidden") boxes.push({ el, rect: el.getBoundingClientRect() });
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
      const h = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
      if (w > 2 && h > 2) {
        overlap.push(`${describe(a.el)} over ${describe(b.el)} (${w.toFixed(0)}x${h.toFixed(0)} px)`);
        if (overlap.length > 20) break;
      }
    }
    if (overlap.length > 20) break;
  }
  const interactive = document.querySelectorAll(
    "button, input:not([type=hidden]), select, textarea, a[href], [role=button], [role=checkbox], [role=radio], [role=slider], [tabindex]:not([tabindex='-1'])"
  );
  const small = [];
  for (const el of interactive) {
    if (!visible(el) || el.disabled && el.tagName !== "BUTTON") continue;
    let box = el.getBoundingClientRect();
    // The target includes the control's own label (clicking the label operates the control).
    const label = el.closest("label") || (el.labels && el.labels.length ? el.labels[0] : null);
    if (label && visible(label) && label.contains(el)) box = label.getBoundingClientRect();
    if (box.width < minSize - 0.5 || box.height < minSize - 0.5) {
      small.push(`${describe(el)} (${box.width.toFixed(1)}x${box.height.toFixed(1)})`);
    }
  }
  return {
    clipped,
    squeezed,
    overlap,
    sideways,
    small,
    pageWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
    viewport: window.innerWidth,
  };
}
