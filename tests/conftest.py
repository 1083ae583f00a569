"""Shared fixtures come from the kit's test harness, ``backcare_testkit`` (also used by the
benchmarks): a real Voila server on 127.0.0.1, Debian's Chromium driven by Playwright, a
network log that fails a test whose page reached beyond this machine, and a dashboard page
object. ``pytester`` lets the harness test itself. ``content_copy`` is a copy of the kit's
content folder that a test may edit to see what the loader does with a bad file."""

import shutil
from pathlib import Path

import pytest

from backcare_lib import knowledge

pytest_plugins = ["backcare_testkit.pytest_plugin", "pytester"]


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(knowledge.CONTENT_DIR, dest)
    return dest
