"""Languages and regions: ``knowledge.load(lang, region)``, the overlays, and every output that
must follow them (plan, handout, calendar, command line, dashboard)."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from backcare_lib import handout, knowledge, plan, triage
from backcare_lib.__main__ import main
from backcare_lib.knowledge import ContentError
from tests.profiles import answers, complete_profile

NOW = datetime(2026, 11, 27, 9, 0)
EMERGENCY = {"us": "911", "uk": "999", "intl": "112"}


def all_texts(data, where="") -> list[tuple[str, str]]:
    """Every string in a dumped knowledge base, with where it is."""
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in all_texts(v, f"{where}.{k}")]
    if isinstance(data, (list, tuple)):
        return [t for i, v in enumerate(data) for t in all_texts(v, f"{where}[{i}]")]
    return [(where, data)] if isinstance(data, str) else []


def content_texts(kb) -> list[tuple[str, str]]:
    """Every text the kit says in its own voice (not citations, not what the article said)."""
    dumped = kb.model_dump(exclude={"references", "region", "plan"})  # plan: point ids
    return [
        (w, t)
        for w, t in all_texts(dumped)
        if not w.endswith(".article_says")
        and re.sub(r"\[\d+\]$", "", w).rsplit(".", 1)[-1]
        not in knowledge.NOT_TEXT | knowledge.ID_LISTS
    ]


# -- load() ----------------------------------------------------------------------------------
def test_load_defaults_to_english_for_an_international_reader():
    kb = knowledge.load()
    assert (kb.lang, kb.region) == ("en", "intl")
    assert knowledge.load("en", "intl") is kb, "cached"
    assert knowledge.load(lang="es", region="us").region == "us"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lang": "fr"}, r"lang must be one of \['en', 'es'\], got 'fr'"),
        ({"lang": ["es"]}, r"lang must be one of \['en', 'es'\]"),
        ({"lang": "ES"}, r"lang must be one of"),
        ({"region": "eu"}, r"region must be one of \['us', 'uk', 'intl'\], got 'eu'"),
        ({"region": None}, r"region must be one of"),
        ({"region": {"us": 1}}, r"region must be one of"),
    ],
)
def test_load_refuses_what_it_does_not_have_naming_what_is_allowed(kwargs, message):
    with pytest.raises(ValueError, match=message):
        knowledge.load(**kwargs)


# -- regions: numbers, routes, names ---------------------------------------------------------
@pytest.mark.parametrize("lang", knowledge.LANGUAGES)
@pytest.mark.parametrize("region", knowledge.REGIONS)
def test_every_call_for_emergency_help_names_the_regions_number(lang, region):
    kb = knowledge.load(lang, region)
    number = EMERGENCY[region]
    texts = content_texts(kb)
    assert not [w for w, t in texts if "{region." in t], "every region term is filled in"
    assert not [w for w, t in texts if "emergency services" in t.lower()], "name the number"
    calls = [
        (w, t)
        for w, t in texts
        if re.search(r"\b(call|llame)\b", t, re.I) and re.search(r"emergenc|A&E", t, re.I)
    ]
    assert len(calls) >= 4
    missing = [w for w, t in calls if number not in t]
    assert not missing, f"these say to call for help without {number}: {missing}"
    advice = kb.triage.tiers
    assert number in advice["emergency"].advice and number in advice["same_day"].advice
    assert number in kb.kit.help_now.text


def test_each_region_has_its_own_urgent_route():
    same_day = {r: knowledge.load("en", r).triage.tiers["same_day"].advice for r in EMERGENCY}
    assert "urgent care center" in same_day["us"] and "doctor's office" in same_day["us"]
    assert "111" in same_day["uk"] and "GP" in same_day["uk"]
    assert "urgent care" not in same_day["uk"] + same_day["intl"]
    assert "your doctor" in same_day["intl"] and "112" in same_day["intl"]
    emergency = {r: knowledge.load("en", r).triage.tiers["emergency"].advice for r in EMERGENCY}
    assert "A&E" in emergency["uk"] and "emergency room" in emergency["us"]
    assert "local emergency number" in emergency["intl"]


def test_medicine_names_follow_the_region():
    us, uk, intl = (knowledge.load("en", r) for r in ("us", "uk", "intl"))
    assert us.point("med_acetaminophen").title == "Acetaminophen (Tylenol)"
    assert "Tylenol" in us.point("med_percogesic").takeaway
    for kb in (uk, intl):
        texts = " ".join(t for _w, t in content_texts(kb))
        assert "Tylenol" not in texts, "a brand not sold there is not taught as if it were"
        assert "paracetamol" in kb.point("med_percogesic").text
        # Percogesic and Flexall stay the article's examples; outside the US we say what they are.
        assert "sold in the US" in kb.point("med_percogesic").text
        assert "night-time painkillers mix paracetamol with a sleeping medicine" in (
            kb.point("med_percogesic").text
        )
        assert "Other menthol rubs" in kb.point("med_flexall").text
    assert "acetaminophen" not in " ".join(t for _w, t in content_texts(uk)).lower()
    assert "sold in the US" not in us.point("med_percogesic").text
    es = {r: knowledge.load("es", r).region_info.terms["acetaminophen"] for r in EMERGENCY}
    assert es == {"us": "acetaminofén", "uk": "paracetamol", "intl": "paracetamol"}


def test_regions_change_words_never_tiers_rules_numbers_or_sources():
    def skeleton(kb):
        return {
            "questions": [(q.id, q.section, q.ask_if, q.min_age) for q in kb.triage.questions],
            "rules": [(r.id, r.when, r.tier, r.source, r.plan) for r in kb.triage.rules],
            "points": [(p.id, p.sources, p.evidence_level) for _m, p in kb.iter_points()],
            "quiz": [(q.id, q.correct_index) for m in kb.modules for q in m.quiz],
            "care": kb.care.schedule.model_dump(),
            "plank": (kb.care.plank.start_seconds, kb.care.plank.cap_seconds),
            "foods": [(f.id, f.calcium_mg, f.potassium_mg) for f in kb.foods.foods],
            "steps": [s.id for s in kb.dashboard.steps],
        }

    base = skeleton(knowledge.load())
    for lang in knowledge.LANGUAGES:
        for region in knowledge.REGIONS:
            assert skeleton(knowledge.load(lang, region)) == base, (lang, region)
    answers = triage.answers_from_yes(["night_pain", "fever_or_unwell"])
    levels = set()
    for lang in knowledge.LANGUAGES:
        for region in knowledge.REGIONS:
            with knowledge.localized(lang, region):
                levels.add(triage.assess(answers, age=40, area="lower").level)
    assert levels == {triage.Urgency.same_day}


def test_paper_and_drink_units_follow_the_region():
    us, uk, intl = (knowledge.load("en", r).region_info for r in ("us", "uk", "intl"))
    assert (us.paper, uk.paper, intl.paper) == ("letter", "A4", "A4")
    assert us.volume(240) == "8 fl oz" and uk.volume(240) == "240 ml"
    assert us.volume(1920) == "65 fl oz" and intl.volume(1920) == "1920 ml"
    with pytest.raises(ValueError, match="millilitres must be a number"):
        us.volume("a lot")
    with pytest.raises(ValueError, match="0 or more"):
        us.volume(-1)


# -- the overlays refuse what would change more than words -------------------------------------
def write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_language_overlay_replaces_words_and_leaves_the_rest(content_copy):
    write(
        content_copy / "lang" / "es" / "modules" / "2_first_days.yaml",
        {"points": [{"id": "ice_how_to", "title": "Hielo: 20 minutos"}]},
    )
    kb = knowledge.load_from(content_copy, lang="es", region="uk")
    point = kb.point("ice_how_to")
    assert point.title == "Hielo: 20 minutos"
    assert point.sources == knowledge.load().point("ice_how_to").sources
    assert kb.point("ice_safety").title == knowledge.load().point("ice_safety").title


@pytest.mark.parametrize(
    "overlay, message",
    [
        ({"points": [{"id": "ice_how_to", "sources": ["article"]}]}, "may not change 'sources'"),
        (
            {"points": [{"id": "ice_how_to", "evidence_level": "good"}]},
            "may not change 'evidence_level'",
        ),
        ({"points": [{"id": "no_such_point", "title": "x"}]}, "'no_such_point' is not in the"),
        ({"subtitle": "x"}, "'subtitle' is not in the English file"),
        (
            {"quiz": [{"id": "q_ice_time", "choices": [{"text": "a"}]}]},
            "has 1 items; the English file has 3",
        ),
        (
            {"quiz": [{"id": "q_ice_time", "choices": [{"correct": False}, {}, {}]}]},
            "may replace text only",
        ),
    ],
)
def test_a_language_overlay_may_not_change_ids_rules_or_numbers(content_copy, overlay, message):
    write(content_copy / "lang" / "es" / "modules" / "2_first_days.yaml", overlay)
    with pytest.raises(ContentError, match=message):
        knowledge.load_from(content_copy, lang="es")


def test_a_region_overlay_may_not_change_numbers_in_care(content_copy):
    write(content_copy / "lang" / "es" / "care.yaml", {"schedule": {"ice_minutes": 30}})
    with pytest.raises(ContentError, match="may replace text only"):
        knowledge.load_from(content_copy, lang="es")


def test_an_unknown_region_term_is_reported_with_the_known_ones(content_copy):
    path = content_copy / "kit.yaml"
    data = yaml.safe_load(path.read_text())
    data["disclaimer"] += " Call {region.ambulance}."
    write(path, data)
    with pytest.raises(ContentError, match=r"kit.yaml.*unknown region term \{region.ambulance\}"):
        knowledge.load_from(content_copy)


def test_a_region_without_words_for_a_language_is_reported(content_copy):
    path = content_copy / "regions" / "uk.yaml"
    data = yaml.safe_load(path.read_text())
    del data["terms"]["es"]
    write(path, data)
    with pytest.raises(ContentError, match="needs the words for 'es'"):
        knowledge.load_from(content_copy, lang="es", region="uk")
    knowledge.load_from(content_copy, lang="en", region="uk")


def test_region_terms_are_capitalised_at_the_start_of_a_sentence():
    terms = {"x": "paracetamol"}
    assert knowledge.fill_terms("{region.x} helps.", terms, "t") == "Paracetamol helps."
    assert knowledge.fill_terms("Yes. {region.x} helps.", terms, "t") == "Yes. Paracetamol helps."
    assert knowledge.fill_terms("Take {region.x}.", terms, "t") == "Take paracetamol."
    assert knowledge.fill_terms("Today: {region.x}.", terms, "t") == "Today: paracetamol."


def test_untranslated_text_keeps_its_english_terms(content_copy):
    """A text with no translation yet is wholly English, never half Spanish."""
    kb = knowledge.load_from(content_copy, lang="es", region="us")
    assert "the emergency room" in knowledge.load("en", "us").triage.tiers["emergency"].advice
    for _where, text in content_texts(kb):
        if "Call 911" in text:
            assert "sala de emergencias" not in text


# -- the language and region in force -------------------------------------------------------
def test_localized_sets_what_active_gives_and_restores_it():
    assert knowledge.active() is knowledge.load()
    with knowledge.localized("es", "uk") as kb:
        assert knowledge.active() is kb is knowledge.load("es", "uk")
        with knowledge.localized(region="us"):
            assert knowledge.active_locale() == ("es", "us")
        assert knowledge.active_locale() == ("es", "uk")
    assert knowledge.active_locale() == ("en", "intl")
    with pytest.raises(ValueError, match="lang must be one of"):
        with knowledge.localized("de"):
            pass


# -- plan, handout, calendar, command line ------------------------------------------------------
def profile(*, yes=(), **kw):
    values = {"started": NOW - timedelta(hours=3), "first_name": "Ana", "wake": time(7)}
    return complete_profile(**{**values, **kw}, yes=yes)


def test_the_profile_takes_lang_and_region_and_checks_them():
    assert profile(lang="es", region="us").lang == "es"
    with pytest.raises(ValueError, match=r"lang must be one of \['en', 'es'\], got 'pt'"):
        profile(lang="pt")
    with pytest.raises(ValueError, match=r"region must be one of"):
        profile(region="UK")
    p = plan.profile_from_mapping({"started": "2026-11-27 06:00", "lang": "es", "region": "uk"})
    assert (p.lang, p.region) == ("es", "uk")


@pytest.mark.parametrize("region, size", [("us", (612, 792)), ("uk", (595, 842))])
def test_pdf_paper_follows_the_region(region, size):
    care_plan = plan.build_plan(profile(region=region), now=NOW)
    reader = PdfReader(io.BytesIO(handout.render_pdf(care_plan)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    spanish = plan.build_plan(profile(region=region, lang="es"), now=NOW)
    root = PdfReader(io.BytesIO(handout.render_pdf(spanish))).trailer["/Root"]
    assert root["/Lang"] == "es", "a screen reader reads the plan with a Spanish voice"


@pytest.mark.parametrize("region", knowledge.REGIONS)
def test_urgent_handout_names_the_regions_number_and_its_language(region):
    care_plan = plan.build_plan(profile(region=region, yes=("chest_pain",)), now=NOW)
    page = handout.render_html(care_plan)
    assert f"Call {EMERGENCY[region]}" in page
    assert '<html lang="en">' in page
    es = plan.build_plan(profile(region=region, lang="es", yes=("chest_pain",)), now=NOW)
    assert '<html lang="es">' in handout.render_html(es)
    assert es.kb is knowledge.load("es", region)


def test_plan_text_follows_the_region_even_outside_a_localized_block():
    care_plan = plan.build_plan(profile(region="uk", yes=("fever_or_unwell",)), now=NOW)
    assert "111" in care_plan.assessment.advice
    assert "999" in care_plan.help_now.text
    us = plan.build_plan(profile(region="us"), now=NOW)
    assert "Tylenol" in " ".join(p.takeaway or "" for p in us.medicines)


def test_cli_lang_and_region_flags_win_over_the_profile(tmp_path, capsys):
    prof = tmp_path / "p.yaml"
    prof.write_text(
        "started: now\nage: 40\narea: lower\nregion: uk\nlang: en\n"
        f"red_flags: [chest_pain]\nsafety_check_version: {triage.VERSION}\n"
    )
    out = tmp_path / "plan.html"
    assert main(["handout", "--profile", str(prof), "--out", str(out)]) == 0
    assert "Call 999" in out.read_text()
    assert main(["handout", "--profile", str(prof), "--out", str(out), "--region", "us"]) == 0
    page = out.read_text()
    assert "Call 911" in page and "Call 999" not in page
    assert main(["handout", "--profile", str(prof), "--out", str(out), "--lang", "es"]) == 0
    assert '<html lang="es">' in out.read_text()
    pdf = tmp_path / "plan.pdf"
    assert main(["handout", "--profile", str(prof), "--out", str(pdf), "--region", "us"]) == 0
    box = PdfReader(pdf).pages[0].mediabox
    assert round(float(box.width)) == 612


def test_cli_bad_lang_or_region_is_one_clear_line(tmp_path, capsys):
    prof = tmp_path / "p.yaml"
    prof.write_text("started: now\nregion: mars\n")
    assert main(["handout", "--profile", str(prof), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "region must be one of ['us', 'uk', 'intl'], got 'mars'" in err
    with pytest.raises(SystemExit) as stop:
        main(["handout", "--profile", str(prof), "--out", "x.pdf", "--lang", "fr"])
    assert stop.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


# -- dashboard: address, server default, switching -------------------------------------------
def fixed_now():
    return NOW


def test_the_address_chooses_language_and_region():
    from backcare_lib.ui import address

    assert address.choices("lang=es&region=uk") == {"lang": "es", "region": "uk"}
    assert address.choices("") == {}
    assert address.choices("region=US&foo=1") == {"region": "us"}
    # What the kit does not have is ignored, never shown or used (a visitor typed it).
    assert address.choices("lang=klingon&region=<b>x</b>") == {}


def test_the_server_default_comes_from_its_configuration(monkeypatch):
    from backcare_lib.ui import address
    from backcare_lib.ui.dashboard import Dashboard

    monkeypatch.setenv("BACKCARE_LANG", "es")
    monkeypatch.setenv("BACKCARE_REGION", "us")
    assert address.server_default() == ("es", "us")
    assert Dashboard(now=fixed_now).locale == ("es", "us")
    assert Dashboard(now=fixed_now, region="uk").locale == ("es", "uk"), "the address wins"
    monkeypatch.setenv("BACKCARE_REGION", "atlantis")  # a bad setting falls back, never breaks
    assert Dashboard(now=fixed_now).locale == ("es", "intl")


def test_switching_language_and_region_keeps_everything_typed():
    from backcare_lib.ui.dashboard import Dashboard

    dash = Dashboard(region="uk", now=fixed_now)
    assert "bc-lang-en" in dash._dom_classes and "bc-region-uk" in dash._dom_classes
    dash.go("safety")
    dash.checklist.value = answers("fever_or_unwell")
    dash.go("about")
    dash.form.first_name.value = "Ana"
    dash.form.age.value = "40"
    dash.form.area.value = "lower"
    dash.form.bedtime.value = time(23, 30)
    dash.go("plan")
    assert "111" in dash.panels["plan"].children[0].value
    dash.go("welcome")
    dash.region_picker.value = "us"
    assert dash.locale == ("en", "us") and dash.step == "welcome"
    assert dash.step_focus.focus == ".bc-region select"  # the menu gets the focus back
    assert dash.checklist.value == answers("fever_or_unwell")
    assert dash.form.first_name.value == "Ana" and dash.form.bedtime.value == time(23, 30)
    assert dash.form.age.value == "40"
    dash.go("plan")
    panel = dash.panels["plan"].children[0].value
    assert "urgent care center" in panel and "911" in panel and "111" not in panel
    dash.language.value = "es"
    assert dash.locale == ("es", "us") and dash.lang == "es"
    assert dash.step_focus.focus == ".bc-language select"
    assert "bc-lang-es" in dash._dom_classes and "bc-lang-en" not in dash._dom_classes
    assert 'lang="es"' in dash.panels["plan"].children[0].value
    assert dash.form.first_name.value == "Ana"
    assert dash.checklist.value == answers("fever_or_unwell")
    assert dash.plan is not None and dash.plan.profile.lang == "es"


def test_an_emergency_answer_still_shows_after_a_switch():
    from backcare_lib.ui.dashboard import Dashboard

    dash = Dashboard(now=fixed_now, region="intl")
    dash.go("safety")
    dash.checklist.value = {"chest_pain": True}
    assert "112" in dash.banner.value
    dash.switch(region="uk")
    assert "999" in dash.banner.value and 'role="alert"' in dash.banner.value
    assert dash.step == "safety" and dash.next.disabled
