"""Hostile text as the name and the notes: rejected with a clear message, or shown only as
text. Even if the checks were bypassed, the HTML keeps its structure, the PDF renders and the
calendar file stays valid."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from backcare_lib import handout, schedule
from backcare_lib.plan import PatientProfile, build_plan
from tests.profiles import complete_profile
from tests.test_handout import parse

NOW = datetime(2026, 11, 27, 9, 0)
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    '<a href="javascript:alert(1)">click me</a>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<style>body{display:none}</style>",
    "<iframe src=//evil.example></iframe>",
    "<!-- an unclosed comment",
    "<div><p>broken <b>html",
    "&lt;script&gt;already escaped&lt;/script&gt;",
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "${7*7}",
    "\u202eevil\u202c right-to-left override",
    "Ana\u200fBob",
    "😀👍🏽🇬🇧 family 👨‍👩‍👧",
    "x" * 10_000,
    "<" * 10_000,
    "Ana\x00Bob",
    "Ana\r\nBob",
    "Ana\r\nATTACH:http://evil.example\r\nBEGIN:VEVENT",
    "\\; , : ; backslash and calendar specials",
    "O'Brien-Smith",
    "Zoë Łukasz Nguyễn 李小龙 محمد",
    "<base href=http://evil.example/>",
    "<meta http-equiv=refresh content=0;url=http://evil.example>",
    "url(javascript:alert(1))",
    "@import 'http://evil.example/x.css';",
    "\t\v\f control characters",
    "%00%0d%0a percent-encoded",
]
IDS = [repr(s[:24]) for s in HOSTILE]
BASE = complete_profile(NOW - timedelta(hours=6), first_name="Ana", notes="Call Friday.")
BASE_PAGE = parse(handout.render_html(build_plan(BASE, now=NOW)))


def bypass(profile: PatientProfile, **raw) -> PatientProfile:
    """Set fields without the checks, as a bug elsewhere might: output must still be safe."""
    for key, value in raw.items():
        object.__setattr__(profile, key, value)
    return profile


def test_there_are_at_least_30_hostile_strings():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("text", HOSTILE, ids=IDS)
def test_profile_accepts_it_as_plain_text_or_rejects_it_clearly(text):
    for field, label in (("first_name", "first name"), ("notes", "notes")):
        try:
            profile = PatientProfile(started=BASE.started, **{field: text})
        except ValueError as err:
            assert label in str(err) and "allowed" in str(err)
            continue
        kept = getattr(profile, field)
        assert kept is None or kept.strip() == kept


@pytest.mark.parametrize("text", HOSTILE, ids=IDS)
def test_html_holds_it_only_as_text(text):
    profile = bypass(
        complete_profile(BASE.started, first_name="Ana", notes="Call Friday."),
        first_name=text,
        notes=text,
    )
    page = parse(handout.render_html(build_plan(profile, now=NOW)))
    # Same elements and attributes as the page for a plain name: nothing was injected.
    assert page.tags == BASE_PAGE.tags
    assert sorted(set(a[:2] for a in page.attrs)) == sorted(set(a[:2] for a in BASE_PAGE.attrs))
    shown = "".join(page.text)
    visible = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    assert visible.strip()[:200] in shown.replace("\r\n", "\n").replace("\x00", "\ufffd")


@pytest.mark.parametrize("text", HOSTILE, ids=IDS)
def test_calendar_stays_valid(text):
    ics = schedule.to_ics(build_plan(BASE, now=NOW).sessions[:3], calendar_name=text)
    lines = ics.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 3
    assert not any(line.startswith("ATTACH") for line in lines)
    cal = Calendar.from_ical(ics)
    assert len(cal.walk("VEVENT")) == 3
    name = str(cal["X-WR-CALNAME"])
    assert "\r" not in name and "\n" not in name and "\x00" not in name


def test_pdf_renders_with_every_hostile_string():
    """One PDF carries them all (as name and notes), to keep the suite fast."""
    for chunk in (HOSTILE[:12], HOSTILE[12:24], HOSTILE[24:]):
        joined = "\n".join(chunk)
        profile = bypass(
            complete_profile(BASE.started, first_name="Ana"),
            first_name=chunk[0],
            notes=joined,
        )
        pdf = handout.render_pdf(build_plan(profile, now=NOW))
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) >= 2
        text = "".join(page.extract_text() for page in reader.pages)
        assert "Get help now" in text
