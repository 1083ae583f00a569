"""Every self-care plan carries the safety-netting a clinician hands over: all three tiers of
warning signs with the emergency numbers, what to expect, when to come back, return to work,
the check-ups and the STarT Back follow-up; and the cautions that follow the safety-check
answers sit where their medicine or exercise is. Checked in each output: the take-home web
page, its PDF (text via pdftotext) and the dashboard's steps."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from itertools import product

import pytest

from backcare_lib import cautions, exercise, handout, knowledge
from backcare_lib.plan import build_plan
from backcare_lib.triage import RULES
from backcare_lib.ui import steps
from tests.profiles import complete_profile

NOW = datetime(2026, 11, 27, 9, 10)
EXPECT_POINTS = knowledge.load().plan.sections.expect  # content/plan.yaml
STARTED = NOW - timedelta(hours=18)
SEE_GP_SIGNS = sorted(
    {
        r.condition[1]
        for r in RULES
        if r.tier == "see_gp" and r.condition[0] == "yes" and r.condition[1] != "pregnant"
    }
)

# Self-care plans of every shape: plain, each see-a-doctor answer alone, pregnancy, older
# adults, heat from the start, each STarT Back category, a week-old spasm and lasting pain.
PROFILES = {
    "plain": {},
    **{f"yes_{sign}": {"yes": [sign]} for sign in SEE_GP_SIGNS},
    "pregnant": {"yes": ["pregnant"], "age": 29},
    "age_78_blood_thinners": {"yes": ["blood_thinners"], "age": 78},
    "heat_only": {"heat_only": True},
    **{f"start_back_{c}": {"start_back": c} for c in ("low", "medium", "high", "not_done")},
    "week_old": {"started": NOW - timedelta(days=8)},
    "lasting_pain": {"started": NOW - timedelta(days=120)},
}


def make(name: str):
    fields = dict(PROFILES[name])
    started = fields.pop("started", STARTED)
    plan = build_plan(complete_profile(started, **fields), now=NOW)
    assert plan.self_care, f"{name} should get a self-care plan"
    return plan


def words(markup: str) -> str:
    """The text a reader sees, with whitespace collapsed."""
    markup = re.sub(r"<style.*?</style>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def must_show(plan) -> list[str]:
    """What every self-care plan says, from content (so a wording change cannot hide it)."""
    kb = plan.kb  # the plan's language and region (tests/test_regions.py checks each region)
    net = kb.kit.safety_net
    needed = [net.title, net.emergency_numbers, kb.region_info.terms["emergency_number"]]
    for tier in net.tiers:
        needed += [tier.title, tier.action, *tier.signs]
    needed += [kb.point(p).takeaway for p in EXPECT_POINTS]
    needed += [plan.follow_up, *plan.caution_messages()]
    return [flat(n) for n in needed]


def test_the_three_tiers_are_the_guideline_tiers_in_order():
    tiers = knowledge.load().kit.safety_net.tiers
    assert [t.level for t in tiers] == ["emergency", "same_day", "see_gp"]
    emergency = " ".join(tiers[0].signs).lower()
    assert "pee" in emergency and "both legs" in emergency and "bottom" in emergency
    assert "not better after 4 weeks" in " ".join(tiers[2].signs)
    assert "getting worse" in " ".join(tiers[2].signs)
    small_fall = next(s for s in tiers[1].signs if "small fall" in s)
    assert all(w in small_fall for w in ("65", "weak bones", "steroid", "blood thinners"))


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_self_care_plan_carries_the_safety_net_in_the_web_page_and_dashboard(name):
    plan = make(name)
    assert [p.id for p in plan.expect] == list(EXPECT_POINTS)
    assert {"back_to_work", "talk_to_employer", "expect_when_to_come_back"} <= {
        p.id for p in plan.expect
    }
    page = words(handout.render_html(plan))
    dashboard = words(steps.step_html("plan", plan))
    for text in must_show(plan):
        assert text in page, f"web page of {name} lacks: {text}"
        assert text in dashboard, f"dashboard's last step for {name} lacks: {text}"


@pytest.mark.parametrize("name", ["plain", "pregnant", "lasting_pain", "start_back_high"])
def test_every_self_care_plan_carries_the_safety_net_in_the_pdf(name, tmp_path):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (Debian's poppler-utils) is needed: `make test` installs it"
    plan = make(name)
    (tmp_path / "plan.pdf").write_bytes(handout.render_pdf(plan))
    # -raw keeps the document's order, so a list in two columns still reads item by item.
    text = flat(
        subprocess.run(
            [pdftotext, "-raw", "plan.pdf", "-"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    for needed in must_show(plan):
        assert needed in text, f"PDF of {name} lacks: {needed}"


def test_the_follow_up_follows_the_start_back_category_per_ng59():
    kb = knowledge.load()
    texts = {c: make(f"start_back_{c}").follow_up for c in ("low", "medium", "high", "not_done")}
    assert "get better with this plan" in texts["low"]
    assert "physical therapy" in texts["medium"] and "mood" not in texts["medium"]
    assert "physical therapy" in texts["high"] and "mood" in texts["high"]
    assert "Not getting better at about 2 weeks" in texts["not_done"]
    clinician = kb.care.start_back.clinician
    assert "physiotherapy" in clinician["medium"] and "psycholog" in clinician["high"]
    assert "nice_ng59" in kb.care.start_back.sources
    # The clinician's note is on the dashboard, never on the patient's take-home page.
    plan = make("start_back_high")
    assert plan.follow_up_clinician in words(steps.step_html("plan", plan))
    assert plan.follow_up_clinician not in words(handout.render_html(plan))
    assert "nice_ng59" in {r.key for r in plan.sources}


def test_the_pathways_follow_pregnancy_and_age():
    assert [p.id for p in make("pregnant").pathways] == ["pregnancy_pathway"]
    assert [p.id for p in make("age_78_blood_thinners").pathways] == ["older_adults_pathway"]
    assert make("plain").pathways == ()
    assert "maternity unit now" in make("pregnant").pathways[0].text
    for name, title in [("pregnant", "Back pain in pregnancy"), ("age_78_blood_thinners", "65")]:
        plan = make(name)
        assert title in words(handout.render_html(plan))
        assert title in words(steps.step_html("plan", plan))


def test_heat_from_the_start_is_a_choice_and_says_heat_has_the_better_evidence():
    plan = make("heat_only")
    assert plan.sessions and {s.kind for s in plan.sessions} == {"heat"}
    assert {s.kind for s in make("plain").sessions} == {"ice", "heat"}  # the default
    note = knowledge.load().care.heat_only_note
    assert "more research behind it than ice" in note and plan.heat_only_note == note
    for page in (handout.render_html(plan), steps.step_html("first_days", plan)):
        assert note in words(page)
    assert note not in words(handout.render_html(make("plain")))
    evidence = knowledge.load().point("heat_or_ice_evidence")
    assert "acp_2017" in evidence.sources and evidence.id in {p.id for p in plan.first_days}


CAUTION_IDS = ("pregnant", "blood_thinners", "osteoporosis", "long_term_steroids")


@pytest.mark.parametrize(
    "values, age",
    [(v, a) for v in product([True, False], repeat=len(CAUTION_IDS)) for a in (30, 70)],
)
def test_cautions_follow_the_answers_in_every_output(values, age):
    """Each combination of the answers the cautions read, at 30 and at 70: the plan, its web
    page and the dashboard's steps show exactly the cautions that apply, beside their topic;
    the plank plan is gone when it is withheld."""
    yes = [i for i, v in zip(CAUTION_IDS, values, strict=True) if v]
    plan = build_plan(complete_profile(STARTED, yes=yes, age=age), now=NOW)
    assert plan.self_care
    expected = cautions.applicable(dict(plan.profile.answers), age)
    assert plan.caution_messages() == expected.messages
    assert ("plank" in expected.withheld) == (plan.plank == ())
    page = words(handout.render_html(plan))
    first_days = words(steps.step_html("first_days", plan))
    moving = words(steps.step_html("moving", plan))
    summary = words(steps.step_html("plan", plan))
    medicine = plan.caution_messages("nsaids", "acetaminophen", "sedating")
    for message in expected.messages:
        assert flat(message) in page and flat(message) in summary
    for message in medicine:
        assert flat(message) in first_days
    for message in plan.caution_messages("plank"):
        assert flat(message) in moving
    if plan.plank:
        assert exercise.summarize_plank(plan.plank) in moving
    else:
        assert "go up on your toes" not in moving and "go up on your toes" not in page
    if not expected.rules:
        assert knowledge.load().text("plan.cautions_title") not in page
