"""The independent GP and pharmacist review's SHOULD items, each checked where a reader meets it
(the plan, the take-home web page, the lessons' teaching points) in every language and region:

- a reader who is or may be pregnant is told to rest on her side, never flat on her back;
- one follow-up time across the plan: a check-up at about 2 weeks if not getting better, a
  doctor if not better after 4 weeks, sooner if worse;
- the acetaminophen (paracetamol) limit line puts the label first;
- the pregnancy and warfarin cautions name Percogesic, which holds acetaminophen too;
- the pathways (pregnancy, older adults) and their age threshold are content, checked on load;
- the 2-, 4- and 6-week check-ups are events in the take-home calendar file, with reminders;
- the take-home plan prints the under-50 kg line, and the warfarin lines name the medicine first.
"""

from __future__ import annotations

import ast
import base64
import dataclasses
import re
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from backcare_lib import handout, knowledge
from backcare_lib import plan as plan_module
from backcare_lib.plan import build_plan
from backcare_lib.ui.tools import SchedulePlanner
from tests.profiles import complete_profile

NOW = datetime(2026, 11, 27, 9, 10)
STARTED = NOW - timedelta(hours=18)
PLACES = [(lang, region) for lang in knowledge.LANGUAGES for region in knowledge.REGIONS]
ON_THE_BACK = {"en": "on your back", "es": "boca arriba"}
ON_THE_SIDE = {"en": "on your side", "es": "de lado"}
WAKE = {"en": "If you wake up on your back", "es": "Si se despierta boca arriba"}
NAPS = {"en": "naps too", "es": "también las siestas"}
TURN = {"en": "turn onto your side", "es": "vuélvase de lado"}
BETWEEN_KNEES = {"en": "pillow between your knees", "es": "almohada entre las rodillas"}


def _plan(lang="en", region="intl", **fields):
    return build_plan(complete_profile(STARTED, lang=lang, region=region, **fields), now=NOW)


# 1. Resting position in pregnancy -------------------------------------------------------


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_a_reader_who_is_pregnant_rests_on_her_side_not_her_back(lang, region):
    """The plan's resting advice (dashboard step and take-home plan) is on her side with a
    pillow between the knees, and says not flat on her back."""
    plan = _plan(lang, region, yes=["pregnant"])
    rest = plan.rest_advice
    assert ON_THE_SIDE[lang] in rest and BETWEEN_KNEES[lang] in rest
    assert "28" in rest  # from about 28 weeks, go to sleep on her side
    # lying on the back is named only as "not flat on your back" and "if you wake up on your
    # back, just turn onto your side" (start every sleep on your side, naps too)
    woke = [s for s in re.split(r"(?<=[.?!]) ", rest) if WAKE[lang] in s]
    assert len(woke) == 1 and TURN[lang] in woke[0]
    assert NAPS[lang] in rest
    assert rest.replace(woke[0], "").count(ON_THE_BACK[lang]) == 1
    assert re.search(r"\b(not|no)\b[^.]{0,10}" + ON_THE_BACK[lang], rest)
    page = handout.render_html(plan)
    assert BETWEEN_KNEES[lang] in page
    for area in ("lower", "upper"):
        assert plan.kb.care.rest_positions[area] not in page


@pytest.mark.parametrize("area", ["lower", "upper"])
def test_not_sure_about_pregnancy_counts_as_may_be_pregnant_for_resting(area):
    """A "not sure" answer never makes a plan (the safety check is incomplete), but the resting
    advice itself treats it as "may be pregnant", like the cautions do."""
    profile = complete_profile(STARTED, area=area)
    profile = dataclasses.replace(profile, answers={**profile.answers, "pregnant": None})
    kb = knowledge.load()
    pathways = plan_module._pathways(profile, kb)
    assert plan_module._rest_advice(profile, kb, pathways) == kb.care.rest_positions["pregnant"]


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_a_reader_who_is_not_pregnant_keeps_the_position_for_her_area(lang, region):
    plan = _plan(lang, region)  # every answer no
    assert plan.rest_advice == plan.kb.care.rest_positions["lower"]


@pytest.mark.parametrize("lang", knowledge.LANGUAGES)
def test_the_lessons_resting_point_tells_a_pregnant_reader_to_rest_on_her_side(lang):
    """The lesson (and the dashboard's teaching point) that teaches pillows under the knees
    says, in the same text, what a pregnant reader does instead, with its sources."""
    kb = knowledge.load(lang)
    for point_id in ("rest_positions", "pregnancy_pathway"):
        point = kb.point(point_id)
        assert ON_THE_SIDE[lang] in point.text and BETWEEN_KNEES[lang] in point.text
        assert "28" in point.text
        assert "cec_side_sleeping" in point.sources  # side-sleeping from 28 weeks
    assert "nhs_pregnancy_back_pain" in kb.point("pregnancy_pathway").sources


# 2. One follow-up time across the plan ---------------------------------------------------

# Every text that tells a reader when to come back states the same two times: a check-up at
# about 2 weeks if not getting better, a doctor if not better after 4 weeks.
FOLLOW_UP_TEXTS = {
    "point expect_when_to_come_back": lambda kb: kb.point("expect_when_to_come_back").text,
    "point review_plan": lambda kb: kb.point("review_plan").text,
    "STarT Back low": lambda kb: kb.care.start_back.follow_up["low"],
    "STarT Back not done": lambda kb: kb.care.start_back.follow_up["not_done"],
    "lesson 'talk to a professional'": lambda kb: kb.text("lesson.talk_text"),
    "2-week check-up in the calendar": lambda kb: kb.care.calendar.reviews.events[0].description,
}
WEEKS = {"en": ("2 weeks", "4 weeks"), "es": ("2 semanas", "4 semanas")}


@pytest.mark.parametrize("lang", knowledge.LANGUAGES)
@pytest.mark.parametrize("name", FOLLOW_UP_TEXTS)
def test_every_follow_up_text_gives_the_same_two_times(lang, name):
    text = " ".join(FOLLOW_UP_TEXTS[name](knowledge.load(lang)).split())
    two, four = WEEKS[lang]
    assert two in text and four in text, f"{name} ({lang}): {text}"
    assert text.index(two) < text.index(four)  # the check-up comes first


@pytest.mark.parametrize("region", knowledge.REGIONS)
def test_no_english_text_gives_another_follow_up_time(region):
    """Across every patient text: "not getting better" goes with about 2 weeks (a check-up),
    "not better" with 4 weeks (a doctor); no other number of weeks."""
    found = []
    pattern = re.compile(
        r"not (getting )?better (?:in|after|within|by|at|at about) (?:about )?(\d+) weeks"
    )
    for where, text in knowledge.load("en", region).patient_texts():
        for match in pattern.finditer(" ".join(text.split())):
            weeks = int(match.group(2))
            if weeks != (2 if match.group(1) else 4):
                found.append((where, match.group(0)))
    assert not found


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_take_home_plan_says_when_to_come_back_once_and_the_same_way(lang, region):
    plan = _plan(lang, region)
    page = " ".join(handout.render_html(plan).split())
    two, four = WEEKS[lang]
    assert two in page and four in page
    assert " ".join(plan.follow_up.split()) in page


# 3. The acetaminophen limit, label first --------------------------------------------------

LIMIT_WORDS = {
    "en": ["label", "4,000 mg (4 g)", "24 hours", "all your medicines together", "alcohol",
           "50 kg", "liver", "pharmacist"],
    "es": ["etiqueta", "4000 mg (4 g)", "24 horas", "todas sus medicinas", "alcohol",
           "50 kg", "hígado", "farmacéutico"],
}  # fmt: skip
OTHER_NAME = {"us": "paracetamol", "uk": "acetaminophen", "intl": None}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_acetaminophen_limit_puts_the_label_first(lang, region):
    kb = knowledge.load(lang, region)
    point = kb.point("med_acetaminophen_limit")
    text = " ".join(point.text.split())
    for words in LIMIT_WORDS[lang]:
        assert words in text, f"{lang}-{region}: missing {words!r}"
    first_sentence = text.split(". ")[0]
    assert LIMIT_WORDS[lang][0] in first_sentence  # follow the label, first
    assert LIMIT_WORDS[lang][1] in point.takeaway and LIMIT_WORDS[lang][0] in point.takeaway
    name = kb.region_info.terms["acetaminophen"]
    assert name in point.title.lower() and name in text
    if OTHER_NAME[region]:  # the UK says paracetamol only; the US, acetaminophen
        assert OTHER_NAME[region] not in f"{point.title} {text} {point.takeaway}".lower()
    assert {"dailymed_acetaminophen", "nhs_paracetamol_adults"} <= set(point.sources)
    assert point.evidence_level == "safety"
    plan = _plan(lang, region)
    assert point in plan.medicines
    assert " ".join(point.takeaway.split()) in " ".join(handout.render_html(plan).split())


def _sentences(text):
    return re.split(r"(?<=[.?!])\s+", " ".join(text.split()))


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_take_home_plan_tells_a_light_reader_she_may_need_less(lang, region):
    """What the patient takes home (the web page and PDF print each point's takeaway, not its
    text) says that under 50 kg, drinking most days or liver disease may need less, to ask a
    pharmacist; and its limit line names the medicine it is about."""
    kb = knowledge.load(lang, region)
    page = " ".join(handout.render_html(_plan(lang, region)).split())
    ask_first = " ".join(kb.point("med_acetaminophen_ask_first").takeaway.split())
    assert ask_first in page and "50 kg" in ask_first
    assert {"en": "need less", "es": "necesitar menos"}[lang] in ask_first
    limit = " ".join(kb.point("med_acetaminophen_limit").takeaway.split())
    assert limit in page
    name = kb.region_info.terms["acetaminophen"]
    amount = {"en": "4,000 mg (4 g) of ", "es": "4000 mg (4 g) de "}[lang]
    assert amount + name in limit  # the cap is on this medicine, not on all medicines
    assert "sumando" not in limit


EVERY_DAY = {"en": "every day", "es": "todos los días"}
PRONOUN_FIRST = {"en": ["Taken every day", "Their labels"], "es": ["Si lo toma", "Sus etiquetas"]}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_warfarin_lines_name_the_medicine_before_every_day(lang, region):
    """ "Taken every day, it…" could point at warfarin or Percogesic: each sentence about taking
    it every day names the medicine first, in the warfarin caution on the take-home plan and
    in the lesson's point (lesson 02 is built from it)."""
    plan = _plan(lang, region, yes=["blood_thinners"])
    kb = plan.kb
    name = kb.region_info.terms["acetaminophen"]
    caution = next(m for m in plan.caution_messages("acetaminophen") if "warfarin" in m)
    lesson = kb.point("med_acetaminophen_ask_first").text
    assert " ".join(caution.split()) in " ".join(handout.render_html(plan).split())
    for text in (caution, lesson):
        said = [s for s in _sentences(text) if EVERY_DAY[lang] in s]
        assert said, text
        for sentence in said:
            assert name in sentence[: sentence.index(EVERY_DAY[lang])], sentence
        assert not any(p in text for p in PRONOUN_FIRST[lang])


# 4. Percogesic in the pregnancy and warfarin cautions ------------------------------------

PERCOGESIC_CAUTION = {
    ("pregnant", "en"): ["breast-feeding"],
    ("pregnant", "es"): ["dando pecho"],
    ("blood_thinners", "en"): ["warfarin", "every day"],
    ("blood_thinners", "es"): ["warfarina", "todos los días"],
}


@pytest.mark.parametrize(("lang", "region"), PLACES)
@pytest.mark.parametrize("answer", ["pregnant", "blood_thinners"])
def test_the_pregnancy_and_warfarin_cautions_name_percogesic(lang, region, answer):
    """Percogesic holds acetaminophen: a caution about acetaminophen in pregnancy or on warfarin
    names it (in the US; elsewhere the night-time painkillers like it), on the plan's medicines
    step and the take-home plan, in every language."""
    plan = _plan(lang, region, yes=[answer])
    beside_medicines = plan.caution_messages("acetaminophen", "sedating")
    words = [plan.kb.region_info.terms["percogesic"], *PERCOGESIC_CAUTION[answer, lang]]
    hits = [m for m in beside_medicines if all(w in m for w in words)]
    assert hits, beside_medicines
    page = " ".join(handout.render_html(plan).split())
    assert " ".join(hits[0].split()) in page
    if answer == "pregnant":
        assert {"acetaminophen", "sedating"} <= plan.cautions.ask_first


@pytest.mark.parametrize("lang", knowledge.LANGUAGES)
def test_the_percogesic_point_asks_first_in_pregnancy_and_on_warfarin(lang):
    point = knowledge.load(lang).point("med_percogesic_cautions")
    pregnant, warfarin = {"en": ("pregnant", "warfarin"), "es": ("embarazada", "warfarina")}[lang]
    assert pregnant in point.text and warfarin in point.text
    assert pregnant[:7] in point.takeaway.lower() or "embarazo" in point.takeaway
    assert warfarin in point.takeaway


# 5. The pathways and the age threshold are content -----------------------------------------


def _edit_plan_yaml(content, change):
    path = content / "plan.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_pathways_are_read_from_plan_yaml(content_copy):
    """The age threshold and the pathway points come from content: raising the age in
    plan.yaml takes the older adults' pathway off a 67-year-old's plan; plan.py names no
    pathway and no age."""
    profile = complete_profile(STARTED, age=67)
    kb = knowledge.load()
    assert [p.point for p in plan_module._pathways(profile, kb)] == ["older_adults_pathway"]
    assert _plan(age=67).pathways == (kb.point("older_adults_pathway"),)

    def older_at_70(data):
        for pathway in data["pathways"]:
            if "age_at_least" in pathway["when"]:
                pathway["when"]["age_at_least"] = 70

    _edit_plan_yaml(content_copy, older_at_70)
    edited = knowledge.load_from(content_copy)
    assert plan_module._pathways(profile, edited) == ()
    source = Path(plan_module.__file__).read_text()
    tree = ast.parse(source)
    constants = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert not {"pregnancy_pathway", "older_adults_pathway", "pregnant", 65} & constants


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["pathways"][0].update(point="no_such_point"), "pathways.*no_such_point"),
        (
            lambda d: d["pathways"][0]["when"].update(answer="pregnnt"),
            "pathway 'pregnancy'.*when.answer.*unknown question 'pregnnt'",
        ),
        (
            lambda d: d["pathways"][0].update(rest="on_a_chair"),
            "pathway 'pregnancy'.*unknown resting position 'on_a_chair'",
        ),
        (lambda d: d["pathways"][1].update(id="pregnancy"), "'pregnancy' is used twice"),
        (
            lambda d: d["pathways"][1]["when"].update(answer="pregnant"),
            "exactly one of answer or age_at_least",
        ),
    ],
)
def test_the_loader_refuses_a_bad_pathway(content_copy, change, message):
    _edit_plan_yaml(content_copy, change)
    with pytest.raises(knowledge.ContentError, match=message):
        knowledge.load_from(content_copy)


def test_the_loader_refuses_a_caution_on_an_unknown_question(content_copy):
    path = content_copy / "cautions.yaml"
    data = yaml.safe_load(path.read_text())
    data["rules"][0]["when"]["answer"] = "pregant"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(knowledge.ContentError, match="unknown question 'pregant'"):
        knowledge.load_from(content_copy)


# 6. The check-ups in the take-home calendar ----------------------------------------------

EMERGENCY = {"us": "911", "uk": "999", "intl": "112"}


def _review_events(plan):
    cal = Calendar.from_ical(handout.render_ics(plan))
    summaries = {e.days: e.summary for e in plan.kb.care.calendar.reviews.events}
    events = [e for e in cal.walk("VEVENT") if str(e["summary"]) in summaries.values()]
    return events, summaries


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_calendar_file_holds_the_2_4_and_6_week_check_ups(lang, region):
    """Dated from the day the pain began, an hour after the wake time, each with the emergency
    line and the region's number, like the ice and heat events, and with reminders of its own:
    one 2 days ahead (time to book a visit) and one at its start, never the ice and heat
    wording."""
    plan = _plan(lang, region, wake=time(6, 30))
    events, summaries = _review_events(plan)
    assert [str(e["summary"]) for e in events] == [summaries[14], summaries[28], summaries[42]]
    reviews = plan.kb.care.calendar.reviews.events
    warning = " ".join(plan.kb.care.calendar.warning.split())
    for event, review in zip(events, reviews, strict=True):
        start = event["dtstart"].dt
        assert start == datetime.combine(STARTED.date() + timedelta(days=review.days), time(7, 30))
        assert event["dtend"].dt - start == timedelta(minutes=15)
        description = str(event["description"])
        assert description.startswith(" ".join(review.description.split()))
        assert warning in description and EMERGENCY[region] in description
        alarms = list(event.walk("VALARM"))
        assert [a["trigger"].dt for a in alarms] == [-timedelta(days=2), timedelta(0)]
        said = [str(a["description"]) for a in alarms]
        assert all(str(event["summary"]) in a for a in said)
        assert not any(a.startswith(plan.kb.care.calendar.reminder) for a in said)
        assert "2" in said[0]  # in 2 days
    two, four = WEEKS[lang]
    assert two in str(events[0]["description"]) and four in str(events[0]["description"])
    every = list(Calendar.from_ical(handout.render_ics(plan)).walk("VEVENT"))
    assert len({str(e["uid"]) for e in every}) == len(every) == len(plan.sessions) + 3


WORSE = {"en": "Worse at any time? See a doctor sooner.", "es": "Vea a un médico antes."}
SEEN_AGAIN = {"en": ("again", "clinician again"), "es": ("otra vez", "de nuevo")}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_calendar_says_what_the_plan_says_at_4_weeks_and_6(lang, region):
    """The plan says: a doctor if not better after 4 weeks, sooner if worse. The calendar has
    that 4-week point as its own event, and the 6-week event says "worse? sooner" too, without
    assuming the person was seen before."""
    plan = _plan(lang, region)
    events, _summaries = _review_events(plan)
    by_days = dict(zip((r.days for r in plan.reviews), events, strict=True))
    four_weeks = " ".join(str(by_days[28]["description"]).split())
    assert WEEKS[lang][1] in four_weeks and WORSE[lang] in four_weeks
    six_weeks = " ".join(str(by_days[42]["description"]).split("\n")[0].split())
    assert WORSE[lang] in six_weeks
    assert not any(word in six_weeks for word in SEEN_AGAIN[lang])


def test_a_check_up_already_past_is_left_out_of_the_calendar():
    started = NOW - timedelta(days=20)
    plan = build_plan(complete_profile(started), now=NOW)
    events, summaries = _review_events(plan)
    assert [str(e["summary"]) for e in events] == [summaries[28], summaries[42]]
    assert [r.days for r in plan.reviews] == [28, 42]


def test_check_ups_in_a_time_zone_are_written_in_utc():
    zone = timezone(timedelta(hours=-5))
    started, now = STARTED.replace(tzinfo=zone), NOW.replace(tzinfo=zone)
    plan = build_plan(complete_profile(started), now=now)
    events, _summaries = _review_events(plan)
    first = events[0]["dtstart"].dt
    assert first.utcoffset() == timedelta(0)
    assert first == datetime.combine(started.date() + timedelta(days=14), time(8), zone)


def test_an_urgent_result_has_no_check_ups_in_its_calendar():
    plan = build_plan(complete_profile(STARTED, yes=["fever_or_unwell"]), now=NOW)
    assert not plan.self_care and plan.reviews == ()
    assert _review_events(plan)[0] == []


def test_the_lessons_planner_calendar_holds_the_check_ups_too():
    """A learner who plans the first days in lesson 02 gets the same check-ups in the file."""
    planner = SchedulePlanner(now=lambda: NOW)
    planner.start.value = STARTED
    encoded = planner.result.value.split('href="data:text/calendar;base64,')[1].split('"')[0]
    cal = Calendar.from_ical(base64.b64decode(encoded))
    reviews = knowledge.load().care.calendar.reviews.events
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert [r.summary for r in reviews] == [
        s for s in summaries if s in {r.summary for r in reviews}
    ]
    assert len(summaries) == len(planner.sessions) + len(reviews)


# 7. The second review's SHOULD items ------------------------------------------------------


def _page(plan):
    return " ".join(handout.render_html(plan).split())


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_pregnancy_only_lines_leave_a_plan_that_said_no(lang, region):
    """A 72-year-old man who answered No to pregnancy gets no "Pregnant? No NSAIDs" line; a
    reader who is or may be pregnant keeps it (plan.yaml pathway pregnancy only_points)."""
    kb = knowledge.load(lang, region)
    line = " ".join(kb.point("med_nsaids_pregnancy").takeaway.split())
    older = _plan(lang, region, age=72)
    assert "med_nsaids_pregnancy" not in [p.id for p in older.medicines]
    assert line not in _page(older)
    pregnant = _plan(lang, region, yes=["pregnant"])
    assert "med_nsaids_pregnancy" in [p.id for p in pregnant.medicines]
    assert line in _page(pregnant)
    # the acetaminophen ask-first line is for everyone: pregnancy has its own caution
    ask_first = older.kb.point("med_acetaminophen_ask_first").takeaway
    assert {"en": "regnan", "es": "mbaraz"}[lang] not in ask_first


BLOOD_THINNER = {"en": ("Blood thinner?", "doctor"), "es": ("¿Anticoagulante?", "médico")}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_general_nsaid_line_agrees_with_the_blood_thinner_caution(lang, region):
    """On a warfarin plan the caution says: no NSAID pills unless your doctor says so. The
    general ask-first line printed beside it says the same for blood thinners (not "ask a
    pharmacist")."""
    plan = _plan(lang, region, yes=["blood_thinners"])
    takeaway = " ".join(plan.kb.point("med_nsaids_ask_first").takeaway.split())
    asked, who = BLOOD_THINNER[lang]
    after = takeaway.split(asked)[1]
    assert who in after and {"en": "pharmacist", "es": "Pregunte"}[lang] not in after
    assert takeaway in _page(plan)


AVOID = {"en": ("Avoid", "diphenhydramine"), "es": ("Mejor no", "difenhidramina")}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_older_adults_are_told_to_avoid_diphenhydramine(lang, region):
    """AGS Beers 2023: avoid first-generation antihistamines (diphenhydramine) from 65: the
    Percogesic line and the age caution on a 70-year-old's plan say avoid it, not only ask."""
    plan = _plan(lang, region, age=70)
    avoid, drug = AVOID[lang]
    point = plan.kb.point("med_percogesic_cautions")
    assert avoid in point.takeaway and "65" in point.takeaway
    assert drug in point.text and "ags_beers_2023" in point.sources
    caution = next(m for m in plan.caution_messages("sedating") if "65" in m)
    assert {"en": "Avoid", "es": "Evite"}[lang] in caution
    assert plan.kb.region_info.terms["percogesic"] in caution  # Percogesic in the US only
    assert " ".join(caution.split()) in _page(plan)


FEVER_PEE = {
    "en": ("fever", "pain when you pee", "today"),
    "es": ("fiebre", "dolor al orinar", "hoy"),
}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_pregnancy_text_names_a_fever_or_pain_when_peeing(lang, region):
    """The safety check treats a fever or pain when peeing in pregnancy as same day: the
    pregnancy text on the plan says so, with the side-sleeping advice as Tommy's words it."""
    plan = _plan(lang, region, yes=["pregnant"])
    point = plan.kb.point("pregnancy_pathway")
    text = " ".join(point.text.split())
    assert all(w in text for w in FEVER_PEE[lang]), text
    assert WAKE[lang] in text and NAPS[lang] in text
    assert {"cec_side_sleeping", "tommys_sleep_on_side"} <= set(point.sources)
    assert {"cec_side_sleeping", "tommys_sleep_on_side"} <= set(
        plan.kb.point("rest_positions").sources
    )
    assert point in plan.pathways


@pytest.mark.parametrize("lang", knowledge.LANGUAGES)
@pytest.mark.parametrize("category", ["medium", "high"])
def test_physical_therapy_follow_ups_say_when_to_see_a_doctor(lang, category):
    text = " ".join(knowledge.load(lang).care.start_back.follow_up[category].split())
    assert WEEKS[lang][1] in text
    assert {"en": "See a doctor", "es": "Vea a un médico"}[lang] in text


@pytest.mark.parametrize("lang", knowledge.LANGUAGES)
def test_the_clinician_note_says_exactly_what_happens_from_6_and_12_weeks(lang):
    kb = knowledge.load(lang)
    note = " ".join(kb.point("expect_when_to_come_back").clinician_note.split())
    assert kb.triage.tiers["see_gp"].label in note
    assert "lasted_over_6_weeks" in note and "lasted_over_12_weeks" in note
    assert "deja el autocuidado" not in note and "leaves self-care" not in note


def test_the_spanish_wording_the_reviewer_asked_for():
    """E4, E7, E8, E11: the resting line says the back is on a slope (not "the body raised"),
    the check-up line asks for one, the emergency line reads "llame al …" in every region, and
    one word for a medicine that makes you sleepy."""
    kb = knowledge.load("es")
    assert "cuerpo levantado" not in kb.point("rest_positions").takeaway
    assert "espalda inclinada" in kb.point("rest_positions").takeaway
    assert "Pida una revisión" in kb.point("expect_when_to_come_back").takeaway
    for region in knowledge.REGIONS:
        kb = knowledge.load("es", region)
        assert kb.kit.safety_net.emergency_numbers.startswith("Emergencias: llame al ")
        for where, text in kb.patient_texts():
            assert "un medicamento que da sueño" not in text, where


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_a_pregnant_readers_calendar_carries_the_pregnancy_warning_signs(lang, region):
    """Every event in a pregnant reader's calendar file (ice, heat, check-ups) carries the
    pregnancy warning signs after the general emergency line; other readers' files do not."""
    pregnant = _plan(lang, region, yes=["pregnant"])
    signs = " ".join(pregnant.kb.care.calendar.pathway_warnings["pregnancy"].split())
    assert all(w in signs for w in FEVER_PEE[lang][:2])
    events = list(Calendar.from_ical(handout.render_ics(pregnant)).walk("VEVENT"))
    assert len(events) == len(pregnant.sessions) + len(pregnant.reviews)
    for event in events:
        description = " ".join(str(event["description"]).split())
        assert signs in description and EMERGENCY[region] in description
    other = _plan(lang, region)
    for event in Calendar.from_ical(handout.render_ics(other)).walk("VEVENT"):
        assert signs not in " ".join(str(event["description"]).split())


# Review leftovers by region (G6/E6, G7, G11, E10) ----------------------------------------

NIGHT_PAINKILLERS = {
    "en": "night-time painkillers that mix paracetamol with a sleeping medicine",
    "es": "analgésicos de noche que mezclan paracetamol con una medicina para dormir",
}
OTHER_PARACETAMOL = {
    "en": ("any other medicine with paracetamol", "Cold and flu remedies"),
    "es": ("otra medicina que tenga paracetamol", "resfriado y la gripe"),
}
TOO_NARROW = {"en": "Never take it with paracetamol tablets", "es": "Nunca lo tome con pastillas"}


def _before_sources(plan):
    """The take-home page without its list of sources (citations keep their own titles)."""
    return _page(plan).split(plan.kb.text("handout.sources"))[0]


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_percogesic_is_named_only_in_the_us(lang, region):
    """G6/E6: Percogesic is a US brand. Outside the US, every caution and medicine line on the
    take-home plan says what kind of medicine it is (night-time painkillers that mix paracetamol
    with a sleeping medicine) and warns about any other medicine with paracetamol (cold and flu
    remedies, co-codamol), not only paracetamol tablets. The US plan keeps the brand."""
    pregnant_on_warfarin = _plan(lang, region, yes=["pregnant", "blood_thinners"])
    older = _plan(lang, region, age=70)
    pages = [_before_sources(pregnant_on_warfarin), _before_sources(older)]
    kb = older.kb
    cautions = [
        *pregnant_on_warfarin.caution_messages("acetaminophen", "sedating"),
        *older.caution_messages("sedating"),
    ]
    if region == "us":
        assert all("Percogesic" in page for page in pages)
        assert all(NIGHT_PAINKILLERS[lang] not in page for page in pages)
        assert sum("Percogesic" in c for c in cautions) >= 3  # pregnancy, warfarin, 65+
        return
    for page in pages:
        assert "Percogesic" not in page
        assert TOO_NARROW[lang] not in page
    for caution in cautions:
        assert "Percogesic" not in caution
    named = [c for c in cautions if NIGHT_PAINKILLERS[lang] in c]
    assert len(named) >= 3, cautions  # pregnancy, warfarin and 65+ name the kind of medicine
    warfarin = next(c for c in cautions if "warfarin" in c)
    assert all(words in warfarin for words in OTHER_PARACETAMOL[lang])
    if region == "uk":
        assert "co-codamol" in warfarin
    assert all(" ".join(c.split()) in pages[0] + pages[1] for c in cautions)
    # the lesson's points: the brand only as "one of these, sold in the US", or in the
    # article's own words that the correction answers
    for where, text in kb.patient_texts():
        if "Percogesic" in text and not where.endswith((".correction", ".article_says")):
            assert where.endswith("med_percogesic"), where
            assert NIGHT_PAINKILLERS[lang].split(" que ")[0].split(" that ")[0] in text.lower()
            assert {"en": "sold in the US", "es": "Se vende en Estados Unidos"}[lang] in text
    text = kb.point("med_percogesic").text
    assert all(words in text for words in OTHER_PARACETAMOL[lang]) and TOO_NARROW[lang] not in text
    assert "nhs_paracetamol_adults" in kb.point("med_percogesic").sources


UK_DOSE = {
    "en": [
        "1 or 2 tablets of 500 mg",
        "at least 4 hours apart",
        "no more than 8 tablets in 24 hours",
    ],
    "es": [
        "1 o 2 pastillas de 500 mg",
        "al menos 4 horas entre tomas",
        "más de 8 pastillas en 24 horas",
    ],
}
UK_ASK = {
    "en": ["14 units of alcohol a week", "kidney", "epilepsy", "TB"],
    "es": ["14 unidades de alcohol a la semana", "riñón", "epilepsia", "tuberculosis"],
}
US_ALCOHOL = {"en": "3 or more alcoholic drinks a day", "es": "3 o más bebidas con alcohol al día"}


@pytest.mark.parametrize("lang", knowledge.LANGUAGES)
def test_the_uk_paracetamol_dose_and_alcohol_follow_the_nhs(lang):
    """G7: the UK plan gives the NHS dose (1 or 2 x 500 mg, at least 4 hours apart, no more than
    8 tablets in 24 hours) and the NHS alcohol line (more than 14 units a week), and asks people
    with kidney problems or on epilepsy or TB medicines to check first. The US keeps the label's
    words ("3 or more alcoholic drinks a day")."""
    uk = _plan(lang, "uk")
    page = _before_sources(uk)
    limit, ask = (
        uk.kb.point(p) for p in ("med_acetaminophen_limit", "med_acetaminophen_ask_first")
    )
    assert "8 × 500 mg" in limit.takeaway and " ".join(limit.takeaway.split()) in page
    assert {"en": "14 units", "es": "14 unidades"}[lang] in ask.takeaway
    assert " ".join(ask.takeaway.split()) in page
    limit_text, ask_text = (" ".join(p.text.split()).lower() for p in (limit, ask))
    assert all(words.lower() in limit_text for words in UK_DOSE[lang])
    assert all(words.lower() in ask_text for words in UK_ASK[lang])
    assert "nhs_paracetamol_adults" in limit.sources and "nhs_paracetamol_adults" in ask.sources
    # the paracetamol lines (the NSAID label's own alcohol line is not the NHS's to change)
    uk_texts = " ".join(t for w, t in uk.kb.patient_texts() if "acetaminophen" in w)
    assert US_ALCOHOL[lang] not in " ".join(uk_texts.split())
    us = knowledge.load(lang, "us")
    assert US_ALCOHOL[lang] in " ".join(us.point("med_acetaminophen_ask_first").text.split())
    us_texts = " ".join(" ".join(t for w, t in us.patient_texts() if "acetaminophen" in w).split())
    assert "14 unit" not in us_texts and "14 unidades" not in us_texts
    assert "8 × 500 mg" not in us.point("med_acetaminophen_limit").takeaway


RUB = {"en": "methyl salicylate", "es": "salicilato de metilo"}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_a_blood_thinner_plan_warns_about_wintergreen_rubs(lang, region):
    """G11: methyl salicylate (wintergreen) rubs are NSAIDs; the label says to ask a doctor
    before use with a blood thinner. The warfarin plan says so beside the NSAIDs; others not."""
    plan = _plan(lang, region, yes=["blood_thinners"])
    rub = [m for m in plan.caution_messages("nsaids") if RUB[lang] in m]
    assert len(rub) == 1 and {"en": "doctor", "es": "médico"}[lang] in rub[0]
    assert " ".join(rub[0].split()) in _before_sources(plan)
    assert RUB[lang] not in _before_sources(_plan(lang, region))
    rule = next(r for r in plan.kb.cautions.rules if r.id == "blood_thinners_ask_rubs")
    assert rule.source == "dailymed_methyl_salicylate"


def test_the_spanish_clinician_notes_the_reviewer_asked_for():
    """E10: no calque ("deja el autocuidado"), the Spanish tier label instead of "nivel ver al
    médico", and the limit note keeps "de venta libre" (the English says OTC)."""
    kb = knowledge.load("es")
    review = " ".join(kb.point("review_plan").clinician_note.split())
    assert "deja el autocuidado" not in review and "ya no es solo para el autocuidado" in review
    pregnancy = " ".join(kb.point("pregnancy_pathway").clinician_note.split())
    assert "ver al médico" not in pregnancy
    assert f"«{kb.triage.tiers['see_gp'].label}»" in pregnancy
    assert "de venta libre" in " ".join(kb.point("med_acetaminophen_limit").clinician_note.split())
    english = " ".join(knowledge.load().point("review_plan").clinician_note.split())
    assert "leaves self-care" not in english


MENTHOL_RULE = {
    "en": "Flexall and other menthol rubs: never put heat over them",
    "es": "Flexall y otras cremas de mentol: nunca ponga calor encima",
}


@pytest.mark.parametrize(("lang", "region"), PLACES)
def test_the_heat_over_a_rub_rule_covers_every_menthol_rub(lang, region):
    """Flexall is a US brand. The plan's line against heat over a rub must not read as if it
    were about Flexall alone: a reader in the UK uses other menthol rubs (it read "Flexall is
    a menthol rub. Never put heat over it")."""
    assert MENTHOL_RULE[lang] in _before_sources(_plan(lang, region))
