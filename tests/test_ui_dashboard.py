"""Widget-state tests: build the dashboard's components, set values, check what they show."""

from __future__ import annotations

import html
import logging
import subprocess
import sys
from datetime import datetime, time, timedelta

import pytest

from backcare_lib.triage import RED_FLAGS, Urgency
from backcare_lib.ui import common, steps
from backcare_lib.ui.dashboard import Dashboard
from backcare_lib.ui.profile_form import ProfileForm
from backcare_lib.ui.redflags import SafetyCheck
from tests.profiles import answers

NOW = datetime(2026, 11, 27, 9, 0)


def fixed_now():
    return NOW


def filled(*yes: str, age: str = "40", area: str = "lower") -> Dashboard:
    """A dashboard with every question answered (``yes`` Yes, the rest No) and About you done."""
    dash = Dashboard(now=fixed_now)
    dash.form.age.value = age
    dash.form.area.value = area
    dash.checklist.value = answers(*yes)
    return dash


def test_safety_check_asks_every_question_with_no_answer_chosen():
    check = SafetyCheck()
    assert list(check.controls) == list(RED_FLAGS), "emergency questions first, in content order"
    for qid, control in check.controls.items():
        assert control.value is None, f"{qid} has no default answer"
        assert control.description == RED_FLAGS[qid].question, "the question is the visible label"
        assert [label for label, _v in control.options] == ["Yes", "No", "Not sure"]
    assert "Self-care is safe" not in check.verdict.value
    assert "Safety check not finished" in check.verdict.value
    assert check.rows["pregnancy_warning_signs"].layout.display == "none", "asked only if pregnant"


def test_safety_check_updates_the_verdict_and_shows_help_for_not_sure():
    check = SafetyCheck()
    check.controls["saddle_numbness"].value = "yes"
    assert check.assessment.level is Urgency.emergency, "the emergency shows at once"
    assert 'role="alert"' in check.verdict.value
    assert "Numbness around your bottom or genitals" in check.verdict.value
    check.controls["saddle_numbness"].value = "not_sure"
    assert check.value["saddle_numbness"] is None and check.not_sure == ("saddle_numbness",)
    assert "How to find out" in check.help["saddle_numbness"].value
    assert "toilet paper" in check.help["saddle_numbness"].value
    check.value = answers()
    check.set_facts(age=40, area="lower", days_since_start=1)
    assert check.assessment.level is Urgency.self_care and check.assessment.complete
    check.controls["night_pain"].value = "not_sure"
    assert not check.assessment.complete and "Self-care is safe" not in check.verdict.value
    check.controls["pregnant"].value = "yes"
    assert check.rows["pregnancy_warning_signs"].layout.display is None
    check.set_facts(age=15, area="lower", days_since_start=1)
    assert check.rows["sexual_dysfunction_new"].layout.display == "none", "no sex questions <16"
    with pytest.raises(ValueError, match="unknown question id"):
        check.value = {"sore_toe": True}
    check.reset()
    assert all(v is None for v in check.value.values()) and check.assessment.level is None


def test_the_verdict_shows_under_the_answer_that_changed_it():
    """A long check: the verdict also appears right under the answer that changed it (an
    emergency as an alert), and only there; an answer that changes nothing moves nothing."""
    check = SafetyCheck()
    shown = lambda: {q for q, h in check.nearby.items() if h.value}  # noqa: E731
    assert shown() == set() and check.changed_by is None
    check.controls["saddle_numbness"].value = "yes"
    assert shown() == {"saddle_numbness"} and check.changed_by == "saddle_numbness"
    nearby = check.nearby["saddle_numbness"].value
    assert 'role="alert"' in nearby and "emergency nearby" in nearby and "<ul>" not in nearby
    assert html.escape(check.assessment.advice) in nearby, "its label and advice only"
    check.controls["chest_pain"].value = "yes"  # still an emergency: it stays where it was
    assert shown() == {"saddle_numbness"}
    check.controls["saddle_numbness"].value = "no"
    check.controls["chest_pain"].value = "no"  # the emergency ends here: say so here
    assert shown() == {"chest_pain"} and "Emergency" not in check.nearby["chest_pain"].value
    assert 'role="status"' in check.nearby["chest_pain"].value
    check.value = answers()
    check.set_facts(age=40, area="lower", days_since_start=1)
    assert shown() == set(), "answers set from code or new facts: no answer changed it"
    check.controls["numbness_one_leg"].value = "yes"
    assert shown() == {"numbness_one_leg"}
    assert "see_gp nearby" in check.nearby["numbness_one_leg"].value
    check.reset()
    assert shown() == set()


def test_form_checks_each_field_and_shows_the_message_beside_it():
    form = ProfileForm(now=fixed_now)
    assert set(form.errors) == {"age", "area"}, "no silent default for age or area"
    assert form.facts() == {"age": None, "area": None, "days_since_start": 0}
    form.age.value = "200"
    assert "age must be a whole number of years from 0 to 120" in form.messages["age"].value.lower()
    form.age.value = "40"
    form.area.value = "lower"
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
    profile = form.profile(answers={"night_pain": True})
    assert profile.first_name == "Ana" and profile.answers == {"night_pain": True}
    assert profile.age == 40 and profile.area == "lower"
    assert all(field.description for field in form.fields.values()), "every field is labelled"


def test_no_plan_until_the_check_is_complete():
    dash = Dashboard(now=fixed_now)
    dash.go("first_days")
    assert "Safety check not finished" in dash.panels["first_days"].value
    assert "data:image/svg+xml" not in dash.panels["first_days"].value, "no ice and heat chart"
    dash.go("plan")
    assert dash.take_home.layout.display == "none", "no download before the check is done"
    dash.form.age.value = "40"
    dash.form.area.value = "lower"
    dash.checklist.value = {**answers(), "bowel_incontinence": None}
    assert "Safety check not finished" in dash.panels["plan"].children[0].value
    assert "Have you lost control of your bowels" in dash.panels["plan"].children[0].value
    dash.checklist.controls["bowel_incontinence"].value = "no"
    assert dash.take_home.layout.display is None


def test_pain_over_12_weeks_shows_lasting_advice_not_the_ice_plan():
    dash = filled()
    dash.form.started.value = NOW - timedelta(days=100)
    dash.go("first_days")
    panel = dash.panels["first_days"].value
    assert "Pain that has lasted more than 12 weeks" in panel
    assert "data:image/svg+xml" not in panel and "Ice: 20 minutes" not in panel


def test_dashboard_walks_through_six_steps():
    dash = filled()
    assert dash.step == "welcome" and dash.back.disabled and not dash.next.disabled
    assert "Step 1 of 6" in dash.panels["welcome"].children[0].value
    assert "does not take the place of a doctor" in dash.panels["welcome"].children[0].value
    dash.next.click()
    assert dash.step == "safety" and dash.step_picker.value == "safety" and not dash.back.disabled
    dash.go("first_days")
    assert "Your first days: ice" not in dash.panels["first_days"].value  # the chart is an image
    assert "data:image/svg+xml;base64," in dash.panels["first_days"].value
    assert "Night-time painkillers have paracetamol in them" in dash.panels["first_days"].value
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
        "from backcare_lib import triage\n"
        "from backcare_lib.ui.dashboard import Dashboard\n"
        "d = Dashboard()\n"
        "d.form.age.value = '40'\n"
        "d.form.area.value = 'lower'\n"
        "d.checklist.value = triage.answers_from_yes([])\n"
        "d.go('plan')\n"
        "[d.make_file(f) for f in ('pdf', 'html', 'ics')]\n"
        "assert all('class=\"download\"' in link.value for link in d.links.values())\n"
        "print(sorted(m for m in ('matplotlib', 'weasyprint') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_emergency_shows_the_banner_and_withholds_the_plan():
    dash = filled()
    dash.go("safety")
    dash.checklist.controls["bladder_problems"].value = "yes"
    assert 'role="alert"' in dash.banner.value and "Emergency: get help now" in dash.banner.value
    assert dash.next.disabled
    dash.go("plan")
    assert "will not give you a self-care plan" in dash.panels["plan"].children[0].value
    assert dash.take_home.layout.display == "none", "no download is offered"
    dash.checklist.controls["bladder_problems"].value = "no"
    assert dash.banner.value == ""
    assert dash.take_home.layout.display is None


def test_same_day_keeps_the_walkthrough_going_with_urgent_advice():
    dash = filled("fever_or_unwell")
    dash.go("safety")
    assert not dash.next.disabled and dash.banner.value == ""
    dash.go("plan")
    assert "See a doctor today" in dash.panels["plan"].children[0].value
    dash.go("first_days")
    assert "will not give you a self-care plan" in dash.panels["first_days"].value


def test_bad_field_blocks_the_plan_with_a_pointer_to_the_field():
    dash = filled()
    dash.go("about")
    dash.form.bedtime.value = dash.form.wake.value
    dash.go("first_days")
    assert "Please fix the fields marked in red" in dash.panels["first_days"].value


def test_start_again_clears_everything():
    dash = filled("chest_pain")
    dash.form.first_name.value = "Cara"
    dash.form.notes.value = "private"
    dash.go("plan")
    dash.restart.click()
    assert dash.step == "welcome" and dash.banner.value == ""
    assert all(v is None for v in dash.checklist.value.values())
    assert dash.form.first_name.value == "" and dash.form.notes.value == ""
    assert dash.form.age.value == "" and dash.form.area.value is None
    assert dash.plan is None and all(link.value == "" for link in dash.links.values())


def test_the_buttons_under_a_step_bring_the_new_step_into_view():
    """Back, Next and Start again sit under the step: each asks the page to show the new step's
    top and focus its heading (the browser test checks the page does); the step buttons above
    the step need not."""
    dash = filled()
    titles = {s.id: s.title for s in dash.content.steps}
    dash.go("safety")
    assert dash.step_focus.moves == 0, "a step button moves nothing"
    dash.next.click()
    assert (dash.step, dash.step_focus.moves) == ("about", 1)
    assert dash.step_focus.heading == titles["about"]
    dash.back.click()
    assert (dash.step_focus.heading, dash.step_focus.moves) == (titles["safety"], 2)
    dash.restart.click()
    assert (dash.step_focus.heading, dash.step_focus.moves) == (titles["welcome"], 3)


def test_an_unexpected_error_becomes_a_friendly_message_and_a_server_log(caplog, monkeypatch):
    dash = filled()

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
    assert "“" not in html
    assert 'Sources: <span lang="en">Percogesic' in html, "citations keep their own language"
    shown = common.message_html('<b onclick="x">', "error")
    assert "&lt;b onclick=&#34;x&#34;&gt;" in shown and 'role="alert"' in shown


def test_withheld_panels_keep_their_step_header_and_show_a_same_day_verdict():
    dash = filled("iv_drug_use")
    dash.go("moving")
    panel = dash.panels["moving"].value
    assert "Step 5 of 6" in panel and "See a doctor today" in panel
    dash.checklist.value = answers("chest_pain")
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


def test_upper_back_and_age_reach_the_check_from_about_you():
    dash = filled(area="upper")
    assert dash.assessment.level is Urgency.same_day and "upper_back" in dash.assessment.rules
    dash.form.area.value = "lower"
    dash.form.age.value = "15"
    assert "under_16" in dash.assessment.rules
    dash.go("first_days")
    assert "will not give you a self-care plan" in dash.panels["first_days"].value


def test_the_first_view_waits_to_build_the_safety_check_until_its_step_opens():
    """The check is about 300 widgets: the first view (and every page load) leaves it out,
    its step builds it once, and a plan step still says the check is not done."""
    dash = Dashboard(now=fixed_now)
    check_step = next(
        s.id for s in dash.content.steps if any(b.tool == "safety_check" for b in s.blocks)
    )
    assert dash._checklist is None
    assert not dash.assessment.complete and dash.assessment.level is None
    dash.go(dash.step_ids[-1])
    assert dash.plan is None and dash._checklist is None
    dash.go(check_step)
    panel = dash.panels[check_step]
    assert isinstance(panel.children[-1], SafetyCheck) and panel.children[-1] is dash.checklist
    dash.go(dash.step_ids[0])
    dash.go(check_step)
    assert sum(isinstance(c, SafetyCheck) for c in panel.children) == 1, "built once"


def test_about_you_records_start_back_and_heat_only_and_the_plan_follows():
    from backcare_lib import knowledge

    kb = knowledge.load()
    dash = filled()
    form = dash.form
    assert form.start_back.description == kb.care.start_back.label  # a visible label
    assert dict(form.start_back.options) == {v: k for k, v in kb.care.start_back.options.items()}
    assert form.start_back.value == "not_done" and form.heat_only.value is False
    care_plan = dash._current_plan()
    assert care_plan.profile.start_back == "not_done"
    assert {s.kind for s in care_plan.sessions} == {"ice", "heat"}
    form.start_back.value = "high"
    form.heat_only.value = True
    care_plan = dash._current_plan()  # a change makes a new plan
    assert care_plan.profile.start_back == "high" and care_plan.profile.heat_only
    assert {s.kind for s in care_plan.sessions} == {"heat"}
    dash.go("plan")
    last = " ".join(dash.panels["plan"].children[0].value.split())
    assert " ".join(kb.care.start_back.follow_up["high"].split()) in last
    assert kb.kit.safety_net.emergency_numbers in last
    dash.go("first_days")
    assert kb.care.heat_only_note in dash.panels["first_days"].value
    dash.restart.click()
    assert form.start_back.value == "not_done" and form.heat_only.value is False
