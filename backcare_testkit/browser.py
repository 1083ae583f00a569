"""Debian's Chromium driven by Playwright, offline: launch flags, and a log of every request
a page makes so a test can prove nothing left 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from backcare_testkit import ARTIFACTS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags keep Chromium from calling home: a clinic network may have no internet.
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
MISSING_BROWSER = (
    "Chromium not found at {path}. `make test` installs Debian's chromium package when run as "
    "root; otherwise run: sudo apt-get install chromium"
)


class BrowserMissing(RuntimeError):
    pass


def find_chromium() -> str:
    """The Chromium executable (Debian's; never one downloaded by ``playwright install``)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    raise BrowserMissing(MISSING_BROWSER.format(path=CHROMIUM))


def launch(playwright, **kwargs):
    """Launch headless Chromium with the offline flags."""
    return playwright.chromium.launch(
        executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True, **kwargs
    )


# Schemes a request can leave the machine by. Any other (data:, blob:, about:, or JupyterLab's
# attachment: that a markdown image carries for a moment before it is resolved) never does.
NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme not in NETWORK_SCHEMES or parsed.hostname in LOCAL_HOSTS


@dataclass
class NetworkLog:
    """Every request and websocket the pages of a browser context opened."""

    urls: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        """Record every request of ``context`` (and its pages' websockets), and refuse any that
        is bound for another host, so a test can never hang on (or leak to) the internet; the
        refused request is still recorded for :meth:`foreign`."""
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", lambda p: p.on("websocket", lambda ws: self.urls.append(ws.url)))
        context.route(lambda url: not is_local(url), lambda route: route.abort())

    def foreign(self) -> list[str]:
        return [url for url in self.urls if not is_local(url)]

    def check(self) -> None:
        """Raise AssertionError naming every request that left 127.0.0.1."""
        __tracebackhide__ = True
        bad = self.foreign()
        if bad:
            raise AssertionError(f"requests left 127.0.0.1: {bad}")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
