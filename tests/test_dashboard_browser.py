"""The dashboard in a real browser: Debian's Chromium, a real Voila server on 127.0.0.1."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import screenshot

pytestmark = pytest.mark.browser
LOAD_TIMEOUT = 60_000


def open_dashboard(page, server):
    page.goto(server.url, wait_until="domcontentloaded")
    expect(page.get_by_role("button", name="Start the walkthrough")).to_be_visible(
        timeout=LOAD_TIMEOUT
    )


def test_dashboard_opens_and_the_widget_works(page, dashboard_server, network_log):
    open_dashboard(page, dashboard_server)
    expect(page).to_have_title("dashboard")
    expect(page.get_by_role("heading", level=1)).to_contain_text("BackCare Kit")
    expect(page.get_by_role("note")).to_contain_text("does not take the place of a doctor")
    page.get_by_role("button", name="Start the walkthrough").click()
    expect(page.get_by_text("Step 1 of 6: Welcome")).to_be_visible()
    screenshot(page, "dashboard-first")
    assert network_log.urls, "the page made no request at all: the recorder is broken"
    assert any("/api/kernels/" in u for u in network_log.urls), "no kernel websocket recorded"


def test_page_shows_no_code(page, dashboard_server):
    open_dashboard(page, dashboard_server)
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor").count() == 0
    assert "import" not in page.locator("body").inner_text()
