"""The walks a simulated visitor takes, at the protocol level (see voila_protocol.py).

``walk_consult`` is the clinician's consult from the browser test: open the page, go through
the six steps with Next, answer every safety question "No" (where the check has explicit
answers; unticked boxes otherwise), fill "About you" (first name, favourite exercise,
clinician's notes, and an age field if the form has one), reach the plan and make each
take-home file. ``walk_trivial`` opens the trivial notebook and presses its one button.

Each step is timed from the message a browser would send to the kernel's ``idle`` for it
(the first view from the page request to the widget state being in hand), and reported
through ``on_step(name, seconds, error)``: Locust turns those into its request statistics.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from voila_protocol import Visitor, VisitorError, Widget, strip_tags

FIRST_VIEW = "first view"
PAGE = "page"
# The take-home files: how to find the control that makes each, and what the file must be.
FILES = {
    "pdf": (re.compile(r"\bPDF\b"), b"%PDF-"),
    "html": (re.compile(r"web page", re.I), b"<!DOCTYPE html"),
    "ics": (re.compile(r"calendar", re.I), b"BEGIN:VCALENDAR"),
}
LINK_RE = re.compile(r'<a\b[^>]*\bdownload="([^"]*)"[^>]*\bhref="data:[^;"]*;base64,([^"]*)"')
SELECTION_MODELS = {"ToggleButtonsModel", "RadioButtonsModel", "DropdownModel", "SelectModel"}

StepHook = Callable[[str, float, Exception | None], None]


@dataclass
class Walk:
    timings: dict[str, float] = field(default_factory=dict)
    plan_text: str = ""
    files: dict[str, tuple[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    kernel_id: str | None = None


class _Timer:
    def __init__(self, walk: Walk, on_step: StepHook | None):
        self.walk, self.on_step = walk, on_step

    def __call__(self, name: str, action: Callable[[], object]):
        start = time.perf_counter()
        try:
            result = action()
        except Exception as err:
            if self.on_step:
                self.on_step(name, time.perf_counter() - start, err)
            raise
        seconds = time.perf_counter() - start
        self.walk.timings[name] = seconds
        if self.on_step:
            self.on_step(name, seconds, None)
        return result


def first_view(visitor: Visitor, walk: Walk, on_step: StepHook | None, query: str = "") -> None:
    """The page (Voila runs the notebook while it streams it), then the widgets' state."""
    start = time.perf_counter()
    visitor.open_page(query)
    walk.timings[PAGE] = time.perf_counter() - start
    if on_step:
        on_step(PAGE, walk.timings[PAGE], None)
    visitor.connect()
    visitor.load_widgets()


def walk_trivial(base_url: str, *, on_step: StepHook | None = None, leave: bool = True) -> Walk:
    walk = Walk()
    visitor = Visitor(base_url)
    timed = _Timer(walk, on_step)
    try:
        timed(FIRST_VIEW, lambda: first_view(visitor, walk, on_step))
        walk.kernel_id = visitor.kernel_id
        button = visitor.find(model="ButtonModel")
        timed("press the button", lambda: visitor.click(button))
    finally:
        walk.errors += visitor.errors
        if leave:
            visitor.leave()
    return walk


def walk_consult(
    base_url: str,
    *,
    on_step: StepHook | None = None,
    first_name: str = "Ana",
    activity: str = "Swimming",
    notes: str = "We will call you on Friday.",
    age: int = 40,
    make_files: bool = True,
    leave: bool = True,
    query: str = "",
) -> Walk:
    walk = Walk()
    visitor = Visitor(base_url)
    timed = _Timer(walk, on_step)
    try:
        timed(FIRST_VIEW, lambda: first_view(visitor, walk, on_step, query))
        walk.kernel_id = visitor.kernel_id
        expect_step(visitor, 1)
        steps = step_count(visitor)
        for number in range(2, steps + 1):
            timed(f"open step {number}", lambda: visitor.click(next_button(visitor)))
            expect_step(visitor, number)
            if "bc-redflags" in {c for w in visitor.shown() for c in w.classes}:
                timed("answer the safety check", lambda: answer_no(visitor))
            if form_fields(visitor):
                timed(
                    "fill about you",
                    lambda: fill_form(visitor, first_name, activity, notes, age),
                )
        walk.plan_text = plan_text(visitor, steps)
        if make_files:
            for fmt in FILES:
                walk.files[fmt] = timed(f"make the {fmt} file", lambda f=fmt: make_file(visitor, f))
    finally:
        walk.errors += visitor.errors
        if leave:
            visitor.leave()
    return walk


# -- what a person looks for on the page ----------------------------------------------------
def step_count(visitor: Visitor) -> int:
    found = re.search(r"Step 1 of (\d+)", visitor.visible_text())
    if not found:
        raise VisitorError("the first view does not say 'Step 1 of N'")
    return int(found.group(1))


def plan_text(visitor: Visitor, steps: int) -> str:
    """The text of the plan panel: the HTML on screen that says 'Step N of N'."""
    for wgt in visitor.shown():
        if wgt.model_name == "HTMLModel" and f"Step {steps} of {steps}" in wgt.state["value"]:
            return strip_tags(wgt.state["value"])
    raise VisitorError("the last step shows no plan")


def expect_step(visitor: Visitor, number: int) -> None:
    if f"Step {number} of" not in visitor.visible_text():
        raise VisitorError(f"step {number} is not shown: {visitor.visible_text()[:300]!r}")


def next_button(visitor: Visitor) -> Widget:
    by_class = visitor.find_all(model="ButtonModel", cls="bc-next")
    return by_class[0] if by_class else visitor.find(model="ButtonModel", description="Next")


def answer_no(visitor: Visitor) -> None:
    """Answer every safety question "No" where the check offers explicit answers; plain
    checkboxes are left unticked (a "no" in that design)."""
    box = visitor.find(model="VBoxModel", cls="bc-redflags")
    for wgt in visitor.subtree(box):
        if wgt.model_name in SELECTION_MODELS and "No" in wgt.options:
            visitor.choose(wgt, "No")


def form_fields(visitor: Visitor) -> dict[str, Widget]:
    """The 'About you' fields on screen, found by their CSS class or their label."""
    shown = visitor.shown()

    def one(cls: str, model: set[str], label: Callable[[str], bool]) -> Widget | None:
        for wgt in shown:
            if cls in wgt.classes:
                return wgt
        for wgt in shown:
            if wgt.model_name in model and label(wgt.description):
                return wgt
        return None

    fields = {
        "first_name": one(
            "bc-field-first_name", {"TextModel"}, lambda d: "first name" in d.lower()
        ),
        "activity": one("bc-field-activity", {"DropdownModel"}, lambda d: "exercise" in d.lower()),
        "notes": one("bc-field-notes", {"TextareaModel"}, lambda d: "notes" in d.lower()),
        "area": one("bc-field-area", {"RadioButtonsModel"}, lambda d: "where" in d.lower()),
        "age": one(
            "bc-field-age",
            {"IntTextModel", "BoundedIntTextModel", "TextModel"},
            lambda d: re.search(r"\bage\b", d, re.I) is not None,
        ),
    }
    return {k: v for k, v in fields.items() if v is not None}


def fill_form(visitor: Visitor, first_name: str, activity: str, notes: str, age: int) -> None:
    fields = form_fields(visitor)
    if "area" in fields and "Lower back" in fields["area"].options:
        visitor.choose(fields["area"], "Lower back")
    if "age" in fields:
        age_field = fields["age"]
        visitor.set(age_field, value=age if "Int" in age_field.model_name else str(age))
    visitor.set(fields["first_name"], value=first_name)
    visitor.choose(fields["activity"], activity)
    visitor.set(fields["notes"], value=notes)


def make_file(visitor: Visitor, fmt: str) -> tuple[str, int]:
    """Press the button that makes a take-home file (if the page has one), then read the
    download link it offers and check that the file is what it says."""
    label, magic = FILES[fmt]
    links = _links(visitor)
    if fmt not in links:
        buttons = [
            w
            for w in visitor.shown()
            if w.model_name == "ButtonModel" and label.search(w.description)
        ]
        if not buttons:
            raise VisitorError(f"no link and no button for the {fmt} file")
        visitor.click(buttons[0])
        links = _links(visitor)
    if fmt not in links:
        raise VisitorError(f"pressing the {fmt} button offered no download")
    name, data = links[fmt]
    if not data.lstrip().startswith(magic):
        raise VisitorError(f"the {fmt} download is not a {fmt} file: {data[:40]!r}")
    return name, len(data)


def _links(visitor: Visitor) -> dict[str, tuple[str, bytes]]:
    out = {}
    for wgt in visitor.shown():
        if wgt.model_name != "HTMLModel":
            continue
        for name, data in LINK_RE.findall(wgt.state.get("value", "")):
            fmt = name.rsplit(".", 1)[-1].lower()
            out[fmt] = (name, base64.b64decode(data))
    return out
