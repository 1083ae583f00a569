"""A page object for the consult dashboard in a real browser: how a test (or a benchmark)
opens it, moves between steps and takes the downloads, in one place.

Steps are named by their content id (``dashboard.yaml``), never by their position; the words
looked for on the page come from the content too, so a wording change does not break a test.
A page opened in another language or region (``DashboardPage(page, url, lang="es")``) looks for
that language's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOAD_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 30_000


def _kb(lang: str = "en", region: str = "intl"):
    from backcare_lib import knowledge

    return knowledge.load(lang, region)


def _text(text_id: str, /, lang: str = "en", **values) -> str:
    return _kb(lang).text(text_id, **values)


def _steps(lang: str = "en"):
    return _kb(lang).dashboard.steps


def step_ids() -> list[str]:
    return [step.id for step in _steps()]


def step_title(step_id: str, lang: str = "en") -> str:
    for step in _steps(lang):
        if step.id == step_id:
            return step.title
    raise ValueError(f"unknown dashboard step {step_id!r}; known: {step_ids()}")


def step_number(step_id: str) -> int:
    step_title(step_id)  # names the known steps if this one is unknown
    return step_ids().index(step_id) + 1


def step_marker(step_id: str, lang: str = "en") -> str:
    """What the step indicator says on a step, e.g. "Step 2 of 6"."""
    return _text("dashboard.step_of", lang=lang, n=step_number(step_id), total=len(step_ids()))


def make_label(link_name: str, lang: str = "en") -> str:
    """The button that makes the file a download link offers (both labels from content)."""
    kb = _kb(lang)
    for fmt in ("pdf", "html", "ics"):
        if kb.text(f"download.{fmt}") == link_name:
            return kb.text(f"make.{fmt}")
    raise ValueError(f"no plan file is offered as {link_name!r}")


@dataclass
class DashboardPage:
    page: object  # a playwright Page
    url: str
    lang: str = "en"  # the language the page is in (what the address asked for)
    region: str = "intl"

    @property
    def kb(self):
        return _kb(self.lang, self.region)

    def text(self, text_id: str, /, **values) -> str:
        """A text of the page's language, from content."""
        return self.kb.text(text_id, **values)

    def open(self, query: str = "") -> DashboardPage:
        """Open the dashboard (``query``: e.g. ``"?lang=es&region=us"``) and wait for step 1."""
        from playwright.sync_api import expect

        # Voila sends the page as it runs the notebook: wait for the first step itself (up to
        # LOAD_TIMEOUT_MS on a loaded machine), not for the navigation's own 30 s limit.
        self.page.goto(self.url + query, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        expect(self.page.get_by_text(step_marker(step_ids()[0], self.lang))).to_be_visible(
            timeout=LOAD_TIMEOUT_MS
        )
        return self

    def wait_for_step(self, step_id: str) -> None:
        from playwright.sync_api import expect

        expect(self.page.get_by_text(step_marker(step_id, self.lang))).to_be_visible(
            timeout=STEP_TIMEOUT_MS
        )

    def step_button(self, step_id: str):
        """The step picker's button for a step ("4. The first days")."""
        name = self.text(
            "dashboard.step_button",
            n=step_number(step_id),
            title=step_title(step_id, self.lang),
        )
        return self.page.get_by_role("button", name=name)

    def go_to(self, step_id: str) -> None:
        self.step_button(step_id).click()
        self.wait_for_step(step_id)

    def next(self, step_id: str) -> None:
        """Press Next, and wait until ``step_id`` shows."""
        self.page.get_by_role("button", name=self.text("dashboard.next")).click()
        self.wait_for_step(step_id)

    # -- the safety check: one Yes / No / Not sure control per question --------------------
    def question(self, text: str):
        """The row of one safety-check question, found by its words."""
        return self.page.locator(".bc-question").filter(has_text=text)

    def choice(self, choice: str) -> str:
        """The page's label for an answer: "Yes", "No" or "Not sure" in its language."""
        labels = self.kb.triage.answers
        english = _kb().triage.answers
        names = {english.yes: labels.yes, english.no: labels.no, english.not_sure: labels.not_sure}
        return names.get(choice, choice)

    def answer(self, text: str, choice: str) -> None:
        """Press Yes, No or Not sure for one question; wait until it shows as chosen."""
        from playwright.sync_api import expect

        choice = self.choice(choice)
        button = self.question(text).get_by_role("button", name=choice, exact=True)
        button.click()
        expect(button).to_have_class(re.compile("mod-active"))

    def answer_all(self, choice: str = "No") -> None:
        """Answer every question shown, one press each, as a clinician would."""
        from playwright.sync_api import expect

        choice = self.choice(choice)
        rows = self.page.locator(".bc-question")
        for i in range(rows.count()):
            row = rows.nth(i)
            if row.is_visible():
                button = row.get_by_role("button", name=choice, exact=True)
                button.click()
                expect(button).to_have_class(re.compile("mod-active"))

    def about_you(self, *, age: str = "42", area: str = "lower") -> None:
        """Fill the facts the safety check needs (on the About you step); ``area`` is
        ``lower`` or ``upper`` (or the English label, "Lower back")."""
        area = {"Lower back": "lower", "Upper back": "upper"}.get(area, area)
        self.page.get_by_label(self.kb.dashboard.age_label).fill(age)
        self.page.get_by_label(self.text(f"form.area_{area}")).check()

    def download(self, link_name: str) -> tuple[str, bytes]:
        """Take a plan file: press the button that makes it (files are made only when asked),
        wait for its download link, click it; return the suggested file name and the bytes."""
        from playwright.sync_api import expect

        link = self.page.get_by_role("link", name=link_name)
        if link.count() == 0:
            self.page.get_by_role("button", name=make_label(link_name, self.lang)).click()
            expect(link).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name=link_name).click()
        download = info.value
        with open(download.path(), "rb") as f:
            return download.suggested_filename, f.read()
