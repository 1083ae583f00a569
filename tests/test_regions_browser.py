"""Regions and languages in a real browser: the dashboard in Spanish for each region (the
emergency path names the region's number, the plan files are Spanish, the page says
``lang="es"``), axe and hostile input in Spanish, a switch on the Welcome step that keeps what
was typed. (The address with Voila's preheated kernels, in Chromium too, is in
tests/test_capacity_server.py, on its one preheating server.) Every request must stay on
127.0.0.1 (the ``page`` fixture checks). The words looked for come from content, in the
language and region of the page."""

from __future__ import annotations

import io
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect
from pypdf import PdfReader

from backcare_lib import knowledge
from backcare_testkit.dashboard import DashboardPage, step_ids, step_title
from tests.test_dashboard_browser import serious_axe_violations

pytestmark = pytest.mark.browser
NUMBER = {"us": "911", "uk": "999", "intl": "112"}


def spanish(page, server, region: str) -> DashboardPage:
    dash = DashboardPage(page, server.url, lang="es", region=region)
    return dash.open(f"?lang=es&region={region}")


def question(dash: DashboardPage, question_id: str) -> str:
    return next(q.question for q in dash.kb.triage.questions if q.id == question_id)


def tier_label(dash: DashboardPage, tier: str) -> str:
    return dash.kb.triage.tiers[tier].label


@pytest.mark.parametrize("region", knowledge.REGIONS)
def test_spanish_emergency_path_names_the_regions_number(page, dashboard_server, region):
    dash = spanish(page, dashboard_server, region)
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=10_000)
    dash.next("safety")
    dash.answer(question(dash, "saddle_numbness"), "Yes")
    alert = page.get_by_role("alert").filter(has_text=tier_label(dash, "emergency")).first
    expect(alert).to_contain_text(dash.kb.triage.tiers["emergency"].advice[:60])
    expect(alert).to_contain_text(f"{NUMBER[region]}")
    for other in set(NUMBER.values()) - {NUMBER[region]}:
        expect(alert).not_to_contain_text(other)
    expect(page.get_by_role("button", name=dash.text("dashboard.next"))).to_be_disabled()


def test_spanish_walkthrough_with_axe_downloads_and_hostile_input(page, dashboard_server):
    dash = spanish(page, dashboard_server, "us")
    t = dash.text
    violations = {}
    for n, step in enumerate(step_ids(), start=1):
        if n > 1:
            dash.next(step)
        title = step_title(step, "es")
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
        if step == "safety":
            dash.answer_all("No")
        if step == "about":
            first_name = page.get_by_label(t("form.first_name"))
            first_name.fill("<img src=x onerror=alert(1)>")
            row = page.locator(".widget-hbox").filter(has=first_name)
            words = dash.kb.texts["input.not_a_name"].split("{")[0].strip()[:25]
            expect(row.get_by_role("alert")).to_contain_text(re.compile(re.escape(words), re.I))
            first_name.fill("Ana")
            dash.about_you()
        violations[title] = serious_axe_violations(page)
    assert not any(violations.values()), violations
    assert page.dialogs == [] and page.locator("img[src='x']").count() == 0
    expect(page.get_by_text(tier_label(dash, "self_care")).first).to_be_visible()
    expect(page.get_by_text(t("plan.greeting_named", name="Ana")).first).to_be_visible()

    name, pdf = dash.download(t("download.pdf"))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert round(float(reader.pages[0].mediabox.width)) == 612, "US Letter in the US"
    first = reader.pages[0].extract_text()
    assert t("plan.greeting_named", name="Ana") in first
    name, html = dash.download(t("download.html"))
    assert b'<html lang="es">' in html and t("plan.greeting_named", name="Ana").encode() in html
    name, ics = dash.download(t("download.ics"))
    events = Calendar.from_ical(ics).walk("VEVENT")
    summaries = {str(e["SUMMARY"]).split(":")[0] for e in events}
    spanish_kinds = {dash.kb.care.calendar.ice.summary.split(":")[0]}
    spanish_kinds.add(dash.kb.care.calendar.heat.summary.split(":")[0])
    spanish_kinds |= {r.summary.split(":")[0] for r in dash.kb.care.calendar.reviews.events}
    assert summaries and summaries <= spanish_kinds, summaries


def test_address_region_then_switch_keeps_answers_and_names_the_new_number(page, dashboard_server):
    dash = DashboardPage(page, dashboard_server.url, region="uk").open("?region=uk")
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=10_000)
    dash.go_to("safety")
    dash.answer(question(dash, "saddle_numbness"), "Yes")
    alert = page.get_by_role("alert").filter(has_text=tier_label(dash, "emergency")).first
    expect(alert).to_contain_text("Call 999 now, or go to A&E now")
    dash.go_to("about")
    page.get_by_label(dash.text("form.first_name")).fill("Ana")
    dash.go_to("welcome")
    page.get_by_label(dash.text("choose.region")).select_option(label="United States")
    alert = page.get_by_role("alert").filter(has_text=tier_label(dash, "emergency")).first
    expect(alert).to_contain_text("Call 911 now, or go to the emergency room (ER) now")
    # The page was rebuilt in the new region; the keyboard focus is back on the menu used.
    expect(page.get_by_label(dash.text("choose.region"))).to_be_focused()
    dash.go_to("about")
    expect(page.get_by_label(dash.text("form.first_name"))).to_have_value("Ana")
    dash.go_to("welcome")
    page.get_by_label(dash.text("choose.language")).select_option(label="Español")
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=10_000)
    es = DashboardPage(page, dashboard_server.url, lang="es", region="us")
    expect(page.get_by_label(es.text("choose.language"))).to_be_focused()
    es.go_to("about")
    expect(page.get_by_label(es.text("form.first_name"))).to_have_value("Ana")
