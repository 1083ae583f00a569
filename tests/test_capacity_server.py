"""Robustness under load, with real Voila servers: a visitor whose kernel dies or is culled
sees a clear message with "Start again" (Chromium); the server turns visitors away with a
friendly page beyond its kernel ceiling; preheated kernels still honour the address (through
the protocol and in Chromium)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from backcare_lib.server import IPC_PATH_MAX, UnixSocketKernelManager
from backcare_lib.ui import address
from backcare_testkit import ROOT
from backcare_testkit.dashboard import LOAD_TIMEOUT_MS, DashboardPage, step_marker
from backcare_testkit.servers import kernel_connection, start_voila

sys.path.insert(0, str(ROOT / "benchmarks"))

from voila_protocol import Visitor  # noqa: E402

NOTEBOOK = "app/dashboard.ipynb"
LOST = "This page has stopped"  # the template's message (kernel_lost.html.j2)


def wait_until(condition, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_a_plain_kernel_reads_the_address_without_loading_the_voila_server():
    """Without preheating, Voila gives the kernel the request in its environment: reading it
    must not import voila.utils (the whole server, seconds on every page load)."""
    code = (
        "import sys\n"
        "from backcare_lib.ui import address\n"
        "print(address.choices(), 'voila' in sys.modules)\n"
    )
    env = {**os.environ, "VOILA_KERNEL_ID": "k1", "VOILA_PREHEAT": "False"}
    env["QUERY_STRING"] = "lang=es&region=uk"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["{'lang':", "'es',", "'region':", "'uk'}", "False"]


def test_address_choices_take_only_what_the_kit_has():
    assert address.choices("lang=es&region=uk") == {"lang": "es", "region": "uk"}
    assert address.choices("lang=ES") == {"lang": "es"}
    assert address.choices("lang=fr&region=<script>&x=1") == {}
    assert address.choices("") == {}


@pytest.mark.browser
def test_a_killed_kernel_shows_a_message_with_start_again(page):
    with start_voila(NOTEBOOK, log_name="voila-kernel-kill.log") as server:
        dashboard = DashboardPage(page, server.url).open()
        dashboard.next("safety")
        kernels = server.kernels()
        assert len(kernels) == 1
        os.kill(kernels[0], signal.SIGKILL)
        message = page.get_by_role("alertdialog")
        expect(message).to_be_visible(timeout=30_000)
        expect(message).to_contain_text(LOST)
        restart = page.get_by_role("button", name="Start again", exact=True)
        expect(restart).to_be_focused()
        restart.click()  # reloads the page: a new kernel runs the notebook (a page load)
        expect(page.get_by_text(step_marker("welcome"))).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        expect(page.get_by_role("alertdialog")).to_have_count(0)
        dashboard.next("safety")  # the new kernel answers


@pytest.mark.browser
def test_a_kernel_that_cannot_start_ends_in_a_message_not_an_endless_spinner(page, tmp_path):
    """A kernel that dies as it starts is ended, not restarted five times; Voila then keeps
    the page loading for ever, so after 75 s (page time, fast-forwarded) the page says it
    could not start, in the address's language, with "Start again"."""
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "raise SystemExit(3)", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3 (ipykernel)", "language": "python"})
    )
    with start_voila(
        NOTEBOOK, log_name="voila-kernel-fails.log", jupyter_path=(tmp_path,)
    ) as server:
        page.clock.install()
        page.goto(server.url + "?lang=es", wait_until="commit")
        wait_until(lambda: "removing from map" in server.log(), what="the dead kernel to end")
        page.wait_for_function("document.body !== null")
        expect(page.get_by_role("alertdialog")).to_have_count(0)
        page.clock.fast_forward(80_000)
        message = page.get_by_role("alertdialog")
        expect(message).to_contain_text("Esta página no pudo empezar")
        expect(page.get_by_role("button", name="Empezar de nuevo", exact=True)).to_be_focused()
        assert "restarting kernel" not in server.log()
        assert not server.kernels()


@pytest.mark.browser
def test_a_culled_kernel_shows_the_message_too(page):
    with start_voila(
        NOTEBOOK,
        "--MappingKernelManager.cull_idle_timeout=3",
        "--MappingKernelManager.cull_interval=1",
        "--MappingKernelManager.cull_connected=True",
        log_name="voila-kernel-cull.log",
    ) as server:
        DashboardPage(page, server.url).open()
        wait_until(lambda: not server.kernels(), what="the idle kernel to be culled")
        expect(page.get_by_role("alertdialog")).to_contain_text(LOST, timeout=30_000)


@pytest.mark.browser  # a real Voila server (run with the browser tests, under the heavy lock)
def test_beyond_the_kernel_ceiling_visitors_get_a_friendly_busy_page():
    with start_voila(
        NOTEBOOK, "--CappedKernelManager.max_kernels=2", log_name="voila-ceiling.log"
    ) as server:
        visitors = [Visitor(server.url, fetch_assets=False) for _ in range(2)]
        for visitor in visitors:
            visitor.open_page()
        assert len(server.kernels()) == 2
        # Kernels talk to the server over Unix sockets (voila.json): two kernels starting at
        # the same moment cannot race for a TCP port.
        assert {kernel_connection(pid)["transport"] for pid in server.kernels()} == {"ipc"}
        busy = requests.get(server.url, timeout=60)
        assert busy.status_code == 503
        assert "Sorry, we are busy right now" in busy.text and "Traceback" not in busy.text
        assert len(server.kernels()) == 2, "no kernel was started for the turned-away visitor"
        visitors[0].leave()
        wait_until(lambda: len(server.kernels()) < 2, what="the first visitor's kernel to end")
        again = Visitor(server.url, fetch_assets=False)
        again.open_page()
        again.connect()
        again.load_widgets()
        again.leave()
        visitors[1].leave()


def preheat_args(pool: int, fill_delay: float) -> list[str]:
    """The Voila options ``make dashboard POOL=… POOL_FILL_DELAY=…`` adds (read from make's
    dry run, so the test serves exactly what the Makefile would)."""
    dry = subprocess.run(
        ["make", "-s", "-n", "dashboard", f"POOL={pool}", f"POOL_FILL_DELAY={fill_delay}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in dry.splitlines() if "voila app/dashboard.ipynb" in x)
    args = [a for a in line.split() if a.startswith("--") and not a.startswith("--port")]
    assert args == [
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={pool}",
        f"--VoilaKernelManager.fill_delay={fill_delay}",
    ], args
    assert (
        "preheat"
        not in subprocess.run(
            ["make", "-s", "-n", "dashboard"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    ), "without POOL the dashboard starts no preheated kernels"
    return args


@pytest.mark.browser
def test_a_preheated_kernel_still_honours_the_address(page):
    """One preheating server as ``make dashboard POOL=1`` starts it (refilling 1 s after a
    kernel is taken): a protocol visitor, then a plain one once the pool refilled, then
    Chromium asking for Spanish and the US by the address."""
    with start_voila(NOTEBOOK, *preheat_args(1, 1), log_name="voila-preheat.log") as server:
        wait_until(lambda: "is filled with 1 kernel" in server.log(), what="the kernel pool")
        pooled = set(server.kernels())
        visitor = Visitor(server.url, fetch_assets=False)
        visitor.open_page("lang=es&region=uk")
        visitor.connect()
        visitor.load_widgets()
        root = visitor.widgets[visitor.root_ids[-1]]
        assert {"bc-dashboard", "bc-lang-es", "bc-region-uk"} <= set(root.classes)
        assert visitor.kernel_id and pooled, "the visitor was served by a preheated kernel"
        visitor.leave()
        # A visitor with no choice in the address gets the prebuilt dashboard, defaults on.
        wait_until(lambda: server.log().count("is filled with 1 kernel") >= 2, what="refill")
        plain = Visitor(server.url, fetch_assets=False)
        plain.open_page()
        plain.connect()
        plain.load_widgets()
        assert "bc-lang-en" in plain.widgets[plain.root_ids[-1]].classes
        plain.leave()
        # In the browser: the page's language and the Welcome step's choices follow the address.
        wait_until(lambda: server.log().count("is filled with 1 kernel") >= 3, what="refill")
        dash = DashboardPage(page, server.url, lang="es", region="us").open("?lang=es&region=us")
        expect(page.locator("html")).to_have_attribute("lang", "es", timeout=10_000)
        # ipywidgets' Dropdown gives each option its label as value.
        expect(page.get_by_label(dash.text("choose.language"))).to_have_value("Español")
        region = dash.kb.region_info.name
        expect(page.get_by_label(dash.text("choose.region"))).to_have_value(region)


def test_kernels_use_unix_sockets_where_the_socket_names_fit():
    """Voila's connection files live in a short temporary folder: Unix sockets. A folder too
    deep for a socket name (as some Macs' temporary folders are) falls back to TCP."""
    short = Path("/tmp/voila_11o79dmg/kernel-7d865325-3e84-4244-b88d-208e43cf12fe.json")
    assert UnixSocketKernelManager(connection_file=str(short)).transport == "ipc"
    deep = short.parent / ("d" * (IPC_PATH_MAX - len(str(short)) + 5)) / short.name
    manager = UnixSocketKernelManager(connection_file=str(deep))
    assert manager.transport == "tcp" and manager.ip == "127.0.0.1"
    assert UnixSocketKernelManager().transport == "tcp", "no connection file yet: TCP"
