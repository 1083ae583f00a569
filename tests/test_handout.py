"""The take-home plan: HTML, PDF (real WeasyPrint, checked with pdftoppm) and calendar file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar
from pypdf import PdfReader

from backcare_lib import handout, knowledge, schedule
from backcare_lib.plan import build_plan, profile_from_mapping
from tests.profiles import complete_profile

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
NOW = datetime.now().replace(second=0, microsecond=0)


def example_plan():
    profile = profile_from_mapping(yaml.safe_load((ROOT / "examples/profile.yaml").read_text()))
    return build_plan(profile, now=NOW)


class Structure(HTMLParser):
    """Tags, attributes and text of a page, to compare pages and find what is active in them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(a for a, _ in attrs))))
        self.attrs += [(tag, a, v or "") for a, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    parser.close()
    return parser


def pdf_pages_as_png(pdf: bytes, tmp_path: Path, dpi: int = 50) -> list[Path]:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (Debian's poppler-utils) is needed: `make test` installs it as root"
    (tmp_path / "plan.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", "plan.pdf", "page"], cwd=tmp_path, check=True)
    return sorted(tmp_path.glob("page-*.png"))


def test_html_has_every_part_and_is_self_contained():
    plan = example_plan()
    html = handout.render_html(plan)
    page = parse(html)
    text = " ".join(" ".join(page.text).split())
    for part in [
        "Ana's back care plan",
        "Get help now",
        "Your first days",
        "Ice, 20 minutes at most",
        "Moving again",
        "start on your knees. Hold 20 seconds",
        "Stop rule:",
        "Drinks and food",
        "Stop the next one",
        "Notes from your clinician",
        "Sources",
        "does not take the place of a doctor",
        f"Made on {NOW:%A %d %B %Y}",
    ]:
        assert part in text, part
    assert not [t for t, _a in page.tags if t in {"script", "iframe", "object", "link", "base"}]
    for tag, attr, value in page.attrs:
        assert not attr.startswith("on"), (tag, attr)
        if attr in {"src", "href"}:
            assert value.startswith("data:"), (tag, attr, value[:40])
    img = next(v for t, a, v in page.attrs if t == "img" and a == "alt")
    assert img.startswith("Ice ") and "moist heat" in img, "the chart's alt text is its summary"


def test_urgent_plan_shows_the_advice_and_no_self_care_plan():
    profile = complete_profile(NOW - timedelta(hours=5), yes=["saddle_numbness"])
    text = " ".join(parse(handout.render_html(build_plan(profile, now=NOW))).text)
    assert "Emergency: get help now" in text and "emergency department now" in text
    assert "Call 112 (or your local emergency number) now" in text
    assert "Numbness around your bottom or genitals" in text
    assert "Your first days" not in text and "Moving again" not in text
    assert "Get help now" in text


def test_pdf_is_four_pages_and_renders_to_images(tmp_path):
    pdf = handout.render_pdf(example_plan())
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(__import__("io").BytesIO(pdf))
    assert len(reader.pages) == 4
    first = reader.pages[0].extract_text()
    assert "Ana's back care plan" in first and "Get help now" in first
    assert "See a doctor today" in first and "Book a doctor's visit" in first  # all three tiers
    pngs = pdf_pages_as_png(pdf, tmp_path)
    assert len(pngs) == 4 and all(p.stat().st_size > 5_000 for p in pngs)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pngs[0], ARTIFACTS / "handout-page-1.png")


def structure_elements(node) -> list:
    """Every element of a tagged PDF's structure tree, depth first, as PDF dictionaries."""
    node = node.get_object()
    found = [node] if "/S" in node else []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object()
        if hasattr(kid, "get"):  # marked-content ids are plain numbers
            found += structure_elements(kid)
    return found


def test_pdf_is_tagged_with_language_title_and_chart_text(tmp_path):
    """A screen reader gets headings, lists, tables, the chart's text and the reading order."""
    plan = example_plan()
    (tmp_path / "plan.pdf").write_bytes(handout.render_pdf(plan))
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "pdfinfo (Debian's poppler-utils) is needed: `make test` installs it as root"
    info = subprocess.run(
        [pdfinfo, "plan.pdf"], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Title:\s+Ana's back care plan$", info, re.M), info

    root = PdfReader(tmp_path / "plan.pdf").trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # title, not file name
    elements = structure_elements(root["/StructTreeRoot"])
    kinds = [e["/S"] for e in elements]
    assert kinds.count("/H1") == 1 and kinds.count("/H2") >= 6
    assert {"/L", "/LI", "/Table", "/TH", "/TD"} <= set(kinds)
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [f.get("/Alt") for f in figures] == [schedule.summarize(plan.sessions)]

    # Text in reading order: the headings come out in the order the page shows them.
    text = subprocess.run(
        ["pdftotext", "plan.pdf", "-"], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout
    headings = [
        "Ana's back care plan",
        "Get help now",
        "Your first days",
        "Moving again",
        "Drinks and food",
        "Stop the next one",
        "Notes from your clinician",
        "We will call you on Friday.",
        "Sources",
    ]
    positions = [text.find(h) for h in headings]
    order = dict(zip(headings, positions, strict=True))
    assert -1 not in positions and positions == sorted(positions), order


def test_calendar_file_matches_the_plan():
    plan = example_plan()
    cal = Calendar.from_ical(handout.render_ics(plan))
    assert len(cal.walk("VEVENT")) == len(plan.sessions) + len(plan.reviews)  # + check-ups
    assert [r.days for r in plan.reviews] == [14, 28, 42]
    assert str(cal["X-WR-CALNAME"]) == "Ana's back care plan"


def test_render_and_filename_check_their_input():
    plan = example_plan()
    assert handout.filename(plan, "pdf") == f"back-care-plan-{NOW:%Y-%m-%d}.pdf"
    assert "Ana" not in handout.filename(plan, "ics")
    with pytest.raises(ValueError, match=r"format must be one of \['pdf', 'html', 'ics'\]"):
        handout.render(plan, "docx")
    with pytest.raises(ValueError, match="plan must be a CarePlan"):
        handout.render_html({"name": "Ana"})


def run_cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "backcare_lib", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "fmt, magic", [("pdf", b"%PDF-"), ("html", b"<!DOCTYPE html>"), ("ics", b"BEGIN:VCALENDAR")]
)
def test_cli_writes_each_format(tmp_path, fmt, magic):
    out = tmp_path / f"plan.{fmt}"
    result = run_cli("handout", "--profile", "examples/profile.yaml", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(magic)
    assert f"wrote {out}" in result.stdout


def test_cli_format_flag_and_stdout(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "backcare_lib",
            "handout",
            "--profile",
            "examples/profile.yaml",
            "--format",
            "ics",
            "--out",
            "-",
        ],
        cwd=ROOT,
        capture_output=True,
    )
    assert result.returncode == 0 and result.stdout.startswith(b"BEGIN:VCALENDAR")


def test_cli_takes_start_back_and_heat_only_from_the_file_or_the_flags(tmp_path):
    kb = knowledge.load()
    path = tmp_path / "profile.yaml"
    base = "started: now\nage: 40\narea: lower\nred_flags: []\nsafety_check_version: 2\n"
    path.write_text(base + "start_back: not done\nheat_only: yes\n")
    result = run_cli("handout", "--profile", str(path), "--format", "html", "--out", "-")
    assert result.returncode == 0, result.stderr
    page = " ".join(result.stdout.split())
    assert " ".join(kb.care.start_back.follow_up["not_done"].split()) in page
    assert kb.care.heat_only_note in page
    path.write_text(base)
    result = run_cli(
        "handout", "--profile", str(path), "--format", "html", "--out", "-",
        "--start-back", "high", "--heat-only",
    )  # fmt: skip
    page = " ".join(result.stdout.split())
    assert " ".join(kb.care.start_back.follow_up["high"].split()) in page
    assert kb.care.heat_only_note in page


@pytest.mark.parametrize(
    "profile, message",
    [
        (
            "started: now\nstart_back: very high\n",
            "start_back must be low, medium, high or not done",
        ),
        ("started: now\nheat_only: sometimes\n", "heat_only must be true or false"),
        ("started: tomorrow\n", "started must be a date and time"),
        ("started: now\nbedtime: '07:00'\n", "bedtime must differ from wake time"),
        (
            "started: now\nage: 40\narea: lower\nred_flags: [sore_toe]\nsafety_check_version: 2\n",
            "unknown question id 'sore_toe'",
        ),
        (
            "started: now\nage: 40\narea: lower\nred_flags: []\n",
            "has no safety_check_version; the current safety check is version 2. "
            "Questions added since: sudden_severe_pain_faint, tearing_pain",
        ),
        (
            "started: now\nage: 40\narea: lower\nred_flags: []\nsafety_check_version: 1\n",
            "is from safety check version 1",
        ),
        (
            "started: now\narea: lower\nred_flags: []\nsafety_check_version: 2\n",
            "safety check is not finished, so no plan can be made; still needed: age",
        ),
        (
            "started: now\nage: 40\nred_flags: []\nsafety_check_version: 2\n",
            "still needed: area",
        ),
        (
            "started: now\nage: 40\narea: lower\nanswers: {chest_pain: no}\n",
            "still needed: bladder_problems",
        ),
        (
            "started: now\nage: 40\narea: lower\nanswers: {chest_pain: maybe}\n",
            "answer to 'chest_pain' must be yes, no or not sure",
        ),
        ("started: now\nage: 200\n", "age must be a whole number of years from 0 to 120"),
        ("started: now\nfavourite_colour: red\n", "unknown profile field(s) ['favourite_colour']"),
        ("first_name: Ana\n", "started is required"),
        ("started: [unclosed\n", "not valid YAML"),
        ("started: now\nfirst_name: " + "x" * 60 + "\n", "first name is 60 characters long"),
    ],
)
def test_cli_bad_profile_is_one_clear_line(tmp_path, profile, message):
    path = tmp_path / "profile.yaml"
    path.write_text(profile)
    result = run_cli("handout", "--profile", str(path), "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {path}:")
    assert not (tmp_path / "x.pdf").exists()


BUSY = ["pain_stops_daily_life", "numbness_one_leg", "spasms_keep_coming_back"]


@pytest.mark.parametrize(
    "hour, yes, age",
    [(0, BUSY, 40), (9, BUSY, 70), (21, BUSY, 40), (9, ["pregnant", "blood_thinners"], 30)],
)
def test_a_busy_plan_still_fits_four_or_five_pages(hour, yes, age):
    """Three see-a-doctor reasons (or pregnancy with blood thinners), a long name, notes, a
    7-day schedule and the high-risk follow-up. Every plan carries its medicine cautions, all
    three tiers of warning signs, what to expect and the pathways that apply: 4 pages, or 5
    when pregnancy adds its pathway and its medicine and exercise cautions."""
    now = datetime(2026, 11, 27, hour, 17)
    profile = complete_profile(
        now - timedelta(minutes=30),
        first_name="Maximiliana-Josephine",
        notes="We will call you on Friday.\nBring this sheet next time.",
        yes=yes,
        age=age,
        start_back="high",
        wake=datetime.min.time().replace(hour=6),
        bedtime=datetime.min.time().replace(hour=23, minute=30),
    )
    pdf = handout.render_pdf(build_plan(profile, now=now))
    pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    assert pages <= (5 if "pregnant" in yes else 4)
