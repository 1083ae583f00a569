"""`make hub` for real: JupyterHub from PyPI with configurable-http-proxy from npm, driven by
Debian's Chromium. One hub for the module (its culling time shortened to seconds):

1. three anonymous visitors open ``/`` at once; each lands on the consult dashboard in a
   server of their own and walks to the plan;
2. a learner signs in by name and sees the lessons in JupyterLab;
3. with four servers running (the test hub's ``active_server_limit``), a fifth visitor gets the
   friendly "busy" page (HTTP 429);
4. once nobody uses them (for 40 s here), the culler stops every server and removes the
   visitors' accounts and homes; the repository is left as it was.

Every page's requests are recorded: none may leave 127.0.0.1. The tests run in this order
(they share the hub); each says what it expects of the one before.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from backcare_testkit import ARTIFACTS, ROOT
from backcare_testkit.browser import NetworkLog
from backcare_testkit.dashboard import DashboardPage, make_label, step_ids, step_marker
from backcare_testkit.hub import ProxyMissing, start_hub

pytestmark = [pytest.mark.browser, pytest.mark.hub]

# Long enough that a visitor still walking is never culled when the machine is slow (a step
# that keeps a kernel busy for a while sends no activity), short enough for the test.
CULL_TIMEOUT_S = 40
ACTIVE_LIMIT = 4  # three visitors and one learner fill the test hub
VISITORS = 3
DASHBOARD_TIMEOUT_MS = 120_000  # three servers start at once on 2 shared cores


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def hub():
    status_before = git_status()
    try:
        hub = start_hub(
            cull_timeout=CULL_TIMEOUT_S, active_limit=ACTIVE_LIMIT, spawn_limit=VISITORS + 1
        )
    except ProxyMissing as err:
        pytest.fail(str(err), pytrace=False)
    yield hub
    hub.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    figures = {"hub_start_s": round(hub.start_seconds, 2), **hub.timings}
    (ARTIFACTS / "hub-timings.json").write_text(json.dumps(figures, indent=2) + "\n")
    assert git_status() == status_before, "the hub wrote into the repository"


@pytest.fixture
def contexts(browser, network_log: NetworkLog):
    """New browser contexts (each its own visitor: its own cookies), every request logged
    (the harness fails the test if one left 127.0.0.1)."""
    made = []

    def new():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        network_log.watch(context)
        made.append(context)
        return context

    yield new
    for context in made:
        context.close()


def walk_to_plan(dashboard: DashboardPage) -> None:
    for step_id in step_ids()[1:]:
        dashboard.next(step_id)
        if step_id == "safety":
            dashboard.answer_all("No")  # every safety question answered: no default
        if step_id == "about":
            dashboard.about_you()
    # The plan is offered (files are made only when asked): its "make the PDF" button shows.
    make_pdf = make_label("Download the plan (PDF)")
    expect(dashboard.page.get_by_role("button", name=make_pdf)).to_be_visible()


def test_health_answers(hub):
    with urllib.request.urlopen(f"{hub.url}hub/health", timeout=10) as response:
        assert response.status == 200
    # The public port is the proxy's: the hub itself listens on another port of 127.0.0.1.
    assert hub.api("")["version"]


def test_three_visitors_at_once_each_get_their_own_dashboard_and_reach_the_plan(hub, contexts):
    pages = [contexts().new_page() for _ in range(VISITORS)]
    started = time.monotonic()
    for page in pages:  # navigate all three without waiting: their servers start together
        page.evaluate("url => { window.location.href = url }", hub.url)
    seconds = []
    for page in pages:
        expect(page.get_by_text(step_marker(step_ids()[0]))).to_be_visible(
            timeout=DASHBOARD_TIMEOUT_MS
        )
        seconds.append(round(time.monotonic() - started, 1))
    hub.timings["three_visitors_at_once_to_dashboard_s"] = seconds

    names = set()
    for page in pages:
        match = re.search(r"/user/(visitor-[0-9a-f]+)/voila/render/dashboard\.ipynb", page.url)
        assert match, f"not on the dashboard: {page.url}"
        names.add(match.group(1))
        expect(page.get_by_text("does not take the place of a doctor")).to_be_visible()
        assert page.locator(".jp-InputArea, .jp-CodeMirrorEditor").count() == 0, "code shown"
    assert len(names) == VISITORS, "each visitor has a server of their own"
    running = hub.running()
    assert names <= set(running) and all(running[n]["ready"] for n in names)

    for page in pages:
        walk_to_plan(DashboardPage(page, page.url))


# The names of the JupyterLab extensions the page loads (from its page config).
PLUGINS = """() => JSON.parse(document.getElementById('jupyter-config-data').textContent)
  .federated_extensions.map((e) => e.name)"""


def test_a_learner_signs_in_and_sees_the_lessons(hub, contexts):
    page = contexts().new_page()
    page.goto(f"{hub.url}hub/learner-login")
    page.get_by_label("Username:").fill("ana")
    page.get_by_label("Password:").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Invalid username or password")).to_be_visible()

    page.get_by_label("Password:").fill(hub.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("tab", name=re.compile(r"^00_.*\.ipynb"))).to_be_visible(
        timeout=DASHBOARD_TIMEOUT_MS
    )
    assert "/user/ana/lab/tree/backcare-lessons/" in page.url
    # make lab's plugin (a lesson saved and closed at once closes without a question).
    assert "backcare-lab" in page.evaluate(PLUGINS)
    listing = page.locator(".jp-DirListing-content")
    for lesson in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        expect(listing.get_by_text(lesson.name)).to_be_visible()
    # The lessons are the learner's own copy, in the home where their diary is kept.
    home = hub.state / "home" / "ana"
    assert (home / "backcare-lessons" / "00_start_here.ipynb").exists()
    assert hub.running()["ana"]["ready"]


def test_a_full_hub_shows_the_busy_page(hub, contexts):
    assert len(hub.running()) == ACTIVE_LIMIT, "the tests above leave the test hub full"
    page = contexts().new_page()
    statuses = []
    page.on("response", lambda r: statuses.append((r.status, r.url)))
    page.goto(hub.url)
    expect(page.get_by_role("heading", name="We are busy right now")).to_be_visible()
    expect(page.get_by_text("Please try again in a minute.")).to_be_visible()
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    assert any(status == 429 for status, _ in statuses), statuses
    assert len(hub.running()) == ACTIVE_LIMIT, "no server was started past the limit"


def test_idle_servers_are_culled_and_visitors_leave_nothing_behind(hub):
    # The pages above are closed; the culler runs every 10 s with a 40 s timeout.
    def visitors():
        return [u["name"] for u in hub.api("users") if u["name"].startswith("visitor-")]

    deadline = time.monotonic() + 6 * CULL_TIMEOUT_S
    started = time.monotonic()
    while (hub.running() or visitors()) and time.monotonic() < deadline:
        time.sleep(1)
    assert not hub.running(), f"still running after the culling time: {list(hub.running())}"
    assert not visitors(), f"visitors' accounts stay: {visitors()}"
    hub.timings["all_servers_culled_after_s"] = round(time.monotonic() - started, 1)
    deadline = time.monotonic() + 30
    while hub.processes() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not hub.processes(), "server or kernel processes outlived their server"
    homes = sorted(p.name for p in (hub.state / "home").iterdir())
    assert homes == ["ana"], f"only the learner's home (with their diary) stays: {homes}"
