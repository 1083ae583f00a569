"""Shared fixtures: a real Voila server on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags keep Chromium from calling home: this machine (and a clinic) may have no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(
    argv: list[str], *, port: int, ready_path: str, log_name: str, env: dict | None = None
) -> ServerProcess:
    """Start a server (in its own process group), wait until ``ready_path`` answers."""
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{argv[0]} exited with {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            with urllib.request.urlopen(url + ready_path, timeout=2):
                return ServerProcess(url, process, log_path)
        except OSError:
            time.sleep(0.25)
    stop_process(process)
    raise RuntimeError(f"{argv[0]} did not answer on {url} within 60 s:\n{log_path.read_text()}")


def start_voila(notebook: str, *extra: str, log_name: str = "voila.log") -> ServerProcess:
    """Start Voila the way `make dashboard` does (voila.json in the repo root is its config)."""
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    return start_server(
        [str(voila), notebook, f"--port={port}", *extra],
        port=port,
        ready_path="voila/static/voila.js",
        log_name=log_name,
        env={"JUPYTER_PATH": str(ROOT / "share" / "jupyter")},
    )


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server and everything it started (its kernels), by its process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def dashboard_server() -> Iterator[ServerProcess]:
    server = start_voila("app/dashboard.ipynb", log_name="voila-dashboard.log")
    yield server
    stop_process(server.process)


def _require_chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    pytest.fail(
        f"Chromium not found at {CHROMIUM}. `make test` installs Debian's chromium package when "
        "run as root; otherwise run: sudo apt-get install chromium",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = _require_chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class NetworkLog:
    """Every request and websocket a page opened, to prove nothing leaves this machine."""

    urls: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        bad = []
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme in {"data", "blob", "about"}:
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                bad.append(url)
        return bad


@pytest.fixture
def network_log() -> NetworkLog:
    return NetworkLog()


@pytest.fixture
def page(browser, network_log: NetworkLog):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.on("request", lambda request: network_log.urls.append(request.url))
    context.on("page", lambda p: p.on("websocket", lambda ws: network_log.urls.append(ws.url)))
    # Anything bound for another host is recorded above and then refused, so a test can never
    # hang on (or leak to) the internet; the network assertion still sees it.
    context.route(
        lambda url: urlparse(url).hostname not in LOCAL_HOSTS and not url.startswith("data:"),
        lambda route: route.abort(),
    )
    page = context.new_page()
    page.on("websocket", lambda ws: network_log.urls.append(ws.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()
    assert not network_log.foreign(), f"requests left 127.0.0.1: {network_log.foreign()}"


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
