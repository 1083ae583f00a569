"""`make bench` keeps working: one short run prints its figures as ratios (no timing is
asserted; the figures are for people to compare)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser


def test_benchmark_script_reports_ratios_against_the_trivial_notebook(tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/run.py",
            "--loads",
            "1",
            "--import-repeats",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "time to first widget" in result.stdout and "ratio" in result.stdout
    figures = json.loads(out.read_text())
    assert figures["time_to_first_widget_s"]["ratio"] > 0
    assert figures["kernel_rss_mb"]["ratio"] > 0
    assert figures["kernel_rss_after_walkthrough_mb"]["dashboard"] > 0
    assert figures["render_pdf_ms"] > 0
