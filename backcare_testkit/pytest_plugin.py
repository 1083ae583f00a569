"""Pytest fixtures from the harness: a real Voila server for the dashboard, Debian's Chromium,
and pages whose every request is logged. Loaded by ``tests/conftest.py``.

The network check runs at the end of the test's own call phase (the hook below), so a request
that left 127.0.0.1 fails the test itself, not its teardown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from backcare_testkit.browser import BrowserMissing, NetworkLog, launch
from backcare_testkit.dashboard import DashboardPage
from backcare_testkit.servers import ServerProcess, start_voila

DASHBOARD_NOTEBOOK = "app/dashboard.ipynb"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    __tracebackhide__ = True
    result = yield
    log = getattr(item, "funcargs", {}).get("network_log")
    if isinstance(log, NetworkLog):
        log.check()
    return result


@pytest.fixture(scope="session")
def dashboard_server() -> Iterator[ServerProcess]:
    # Under pytest-xdist each worker has its own server, and its own log.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    log_name = f"voila-dashboard{'-' + worker if worker else ''}.log"
    with start_voila(DASHBOARD_NOTEBOOK, log_name=log_name) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            chromium = launch(pw)
        except BrowserMissing as err:
            pytest.fail(str(err), pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def network_log() -> NetworkLog:
    """Requests of the pages made by ``page`` (or of any context a test watches with it).
    Any request that left 127.0.0.1 fails the test when its body ends."""
    return NetworkLog()


@pytest.fixture
def page(browser, network_log: NetworkLog):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    network_log.watch(context)
    page = context.new_page()
    page.on("websocket", lambda ws: network_log.urls.append(ws.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


@pytest.fixture
def dashboard(page, dashboard_server) -> DashboardPage:
    """The consult dashboard, opened at its first step."""
    return DashboardPage(page, dashboard_server.url).open()
