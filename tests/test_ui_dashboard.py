"""Widget-state tests: build the dashboard's components, set values, check what they show."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import datetime, time, timedelta

import pytest

from backcare_lib.triage import Urgency
from backcare_lib.ui import common, steps
from backcare_lib.ui.dashboard import Dashboard
from backcare_lib.ui.profile_form import ProfileForm
from backcare_lib.ui.redflags import RedFlagChecklist

NOW = datetime(2026, 11, 27, 9, 0)


def fixed_now():
    return NOW


def test_checklist_asks_every_question_and_updates_the_verdict():
    checklist = RedFlagChecklist()
    assert len(checklist.checkboxes) == 19
    assert all(box.description.endswith("?") for box in checklist.checkboxes.values())
    assert "Self-care is safe for now" in checklist.verdict.value
    checklist.checkboxes["saddle_numbness"].value = True
    assert checklist.assessment.level is Urgency.emergency
    assert 'role="alert"' in checklist.verdict.value
    assert "Numbness around the genitals" in checklist.verdict.value
    checklist.value = ["night_pain"]
    assert checklist.value == ("night_pain",) and checklist.assessment.level is Urgency.see_gp
    with pytest.raises(ValueError, match="unknown red-flag id"):
        checklist.value = ["sore_toe"]
    checklist.reset()
    assert checklist.value == () and checklist.assessment.level is Urgency.self_care


def test_form_checks_each_field_and_shows_the_message_beside_it():
    form = ProfileForm(now=fixed_now)
    assert form.errors == {} and form.profile() is not None
    form.bedtime.value = time(7)
    assert "Bedtime must differ" in form.messages["bedtime"].value
    assert form.profile() is None
    form.bedtime.value = time(22)
    form.first_name.value = "<img src=x onerror=alert(1)>"
    assert "not part of a name" in form.messages["first_name"].value
    assert "<img" not in form.messages["first_name"].value, "the message escapes what was typed"
    form.first_name.value = "Ana"
    form.started.value = NOW + timedelta(days=1)
    assert "is in the future" in form.messages["started"].value
    form.started.value = None
    assert "Please enter the date and time" in form.messages["started"].value
    form.started.value = NOW - timedelta(hours=2)
    form.notes.value = "x" * 2001
    assert "notes is 2001 characters long" in form.messages["notes"].value.lower()
    form.notes.value = "Call on Friday"
    profile = form.profile(red_flags=["night_pain"])
    assert profile.first_name == "Ana" and profile.red_flags == ("night_pain",)
    assert all(field.description for field in form.fields.values()), "every field is labelled"


def test_dashboard_walks_through_six_steps():
    dash = Dashboard(now=fixed_now)
    assert dash.step == "welcome" and dash.back.disabled and not dash.next.disabled
    assert "Step 1 of 6" in dash.panels["welcome"].value
    assert "does not take the place of a doctor" in dash.panels["welcome"].value
    dash.next.click()
    assert dash.step == "safety" and dash.step_picker.value == "safety" and not dash.back.disabled
    dash.go("first_days")
    assert "Your first days: ice" not in dash.panels["first_days"].value  # the chart is an image
    assert "data:image/svg+xml;base64," in dash.panels["first_days"].value
    assert "Percogesic has acetaminophen" in dash.panels["first_days"].value
    dash.go("moving")
    assert "Walking: 5 minutes twice a day" in dash.panels["moving"].value
    dash.step_picker.value = "plan"
    assert dash.step == "plan" and dash.next.disabled
    # The files are made only when asked: one button each, then a download link beside it.
    assert dash.take_home.layout.display is None
    assert all(link.value == "" for link in dash.links.values())
    for fmt in ("pdf", "html", "ics"):
        dash.make_buttons[fmt].click()
        assert 'class="download"' in dash.links[fmt].value
    assert 'href="data:application/pdf;base64,JVBER' in dash.links["pdf"].value
    assert 'href="data:text/calendar;base64,' in dash.links["ics"].value
    # Changing an answer makes a new plan: the old files are withdrawn.
    dash.form.first_name.value = "Bo"
    assert all(link.value == "" for link in dash.links.values())


def test_the_pdf_and_the_chart_are_made_outside_the_kernel():
    """matplotlib and WeasyPrint load only in short-lived child processes (memory)."""
    code = (
        "import sys\n"
        "from backcare_lib.ui.dashboard import Dashboard\n"
        "d = Dashboard()\n"
        "d.go('plan')\n"
        "[d.make_file(f) for f in ('pdf', 'html', 'ics')]\n"
        "assert all('class=\"download\"' in link.value for link in d.links.values())\n"
        "print(sorted(m for m in ('matplotlib', 'weasyprint') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_emergency_shows_the_banner_and_withholds_the_plan():
    dash = Dashboard(now=fixed_now)
    dash.go("safety")
    dash.checklist.checkboxes["bladder_problems"].value = True
    assert 'role="alert"' in dash.banner.value and "Emergency: get help now" in dash.banner.value
    assert dash.next.disabled
    dash.go("plan")
    assert "will not give you a self-care plan" in dash.panels["plan"].children[0].value
    assert dash.take_home.layout.display == "none", "no download is offered"
    dash.checklist.checkboxes["bladder_problems"].value = False
    assert dash.banner.value == ""
    assert dash.take_home.layout.display is None


def test_same_day_keeps_the_walkthrough_going_with_urgent_advice():
    dash = Dashboard(now=fixed_now)
    dash.checklist.value = ["fever_or_unwell"]
    dash.go("safety")
    assert not dash.next.disabled and dash.banner.value == ""
    dash.go("plan")
    assert "See a doctor today" in dash.panels["plan"].children[0].value
    dash.go("first_days")
    assert "will not give you a self-care plan" in dash.panels["first_days"].value


def test_bad_field_blocks_the_plan_with_a_pointer_to_the_field():
    dash = Dashboard(now=fixed_now)
    dash.go("about")
    dash.form.bedtime.value = dash.form.wake.value
    dash.go("first_days")
    assert "Please fix the fields marked in red" in dash.panels["first_days"].value


def test_start_again_clears_everything():
    dash = Dashboard(now=fixed_now)
    dash.checklist.value = ["chest_pain"]
    dash.form.first_name.value = "Cara"
    dash.form.notes.value = "private"
    dash.go("plan")
    dash.restart.click()
    assert dash.step == "welcome" and dash.banner.value == "" and dash.checklist.value == ()
    assert dash.form.first_name.value == "" and dash.form.notes.value == ""
    assert dash.plan is None and all(link.value == "" for link in dash.links.values())


def test_an_unexpected_error_becomes_a_friendly_message_and_a_server_log(caplog, monkeypatch):
    dash = Dashboard(now=fixed_now)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(steps, "step_html", broken)
    with caplog.at_level(logging.ERROR, logger="backcare_lib.ui"):
        dash.go("first_days")
    assert "Sorry, something went wrong" in dash.status.value
    assert "Traceback" not in dash.status.value and "disk on fire" not in dash.status.value
    assert "disk on fire" in caplog.text


def test_point_html_escapes_and_names_sources():
    html = common.point_html("med_percogesic")
    assert "What the article we teach from says (in our words):" in html
    assert "“" not in html and "Sources: Percogesic" in html
    assert common.esc('<b onclick="x">') == "&lt;b onclick=&quot;x&quot;&gt;"


def test_withheld_panels_keep_their_step_header_and_show_a_same_day_verdict():
    dash = Dashboard(now=fixed_now)
    dash.checklist.value = ["iv_drug_use"]
    dash.go("moving")
    panel = dash.panels["moving"].value
    assert "Step 5 of 6" in panel and "See a doctor today" in panel
    dash.checklist.value = ["chest_pain"]
    panel = dash.panels["moving"].value
    assert "Step 5 of 6" in panel and "Emergency" not in panel, "the banner above shows it"
    assert "Emergency: get help now" in dash.banner.value


def test_the_guessed_start_time_is_the_one_the_intro_announces():
    from backcare_lib import knowledge

    text = knowledge.load().dashboard
    form = ProfileForm(now=fixed_now)
    assert form.started.value == NOW - timedelta(hours=text.start_hours_ago)
    about = next(s for s in text.steps if s.id == "about")
    assert f"{text.start_hours_ago} hours ago" in about.intro
