"""Shared fixtures come from the kit's test harness, ``backcare_testkit`` (also used by the
benchmarks): a real Voila server on 127.0.0.1, Debian's Chromium driven by Playwright, a
network log that fails a test whose page reached beyond this machine, and a dashboard page
object. ``pytester`` lets the harness test itself."""

pytest_plugins = ["backcare_testkit.pytest_plugin", "pytester"]
