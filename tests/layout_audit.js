// What a person cannot read or tap on the page as it is now laid out. Run by
// tests/test_dashboard_layout.py through page.evaluate(); returns plain data.
//   clipped:  visible elements whose own text is cut off: content wider (or taller) than the box
//             with overflow hidden/clip, or an ellipsis that is in use
//   overlap:  labels and buttons whose text spills out of a fixed-height box (overlaps what
//             follows: what raised line spacing does to a fixed height)
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
  const overlap = [];
  for (const el of document.querySelectorAll("body *")) {
    if (fields.has(el.tagName) || el.closest("svg, script, style")) continue;
    if (!visible(el)) continue;
    const text = (el.innerText || "").trim();
    if (!text) continue;
    const style = getComputedStyle(el);
    const hides = (v) => v === "hidden" || v === "clip";
    const wide = el.scrollWidth > el.clientWidth + 1;
    const tall = el.scrollHeight > el.clientHeight + 1;
    if ((hides(style.overflowX) && wide) || (hides(style.overflowY) && tall)) {
      clipped.push(`${describe(el)} (scroll ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
    } else if (style.textOverflow === "ellipsis" && wide) {
      clipped.push(`${describe(el)} (ellipsis)`);
    }
    const fixedBox =
      el.matches("button, label, .widget-label, .widget-label-basic, .bc-question, .bc-question *") &&
      ownText(el);
    if (fixedBox && !hides(style.overflowY) && el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0) {
      overlap.push(`${describe(el)} (text ${el.scrollHeight}px tall in a ${el.clientHeight}px box)`);
    }
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
    overlap,
    small,
    pageWidth: document.documentElement.scrollWidth,
    bodyWidth: document.body.scrollWidth,
    viewport: window.innerWidth,
  };
}
