"""Spanish, complete: every English text has a Spanish one (and the reverse) with the same
``{fields}``, and the Spanish patient texts read easily (Fernández-Huerta, textstat 0.7.8)."""

from __future__ import annotations

import re
import statistics
import string
from pathlib import Path

import pytest
import textstat
import yaml

from backcare_lib import knowledge

CONTENT = knowledge.CONTENT_DIR
SPANISH = CONTENT / "lang" / "es"


def content_files() -> list[str]:
    """Every content file a language overlay may translate (relative paths)."""
    skip = {"lang", "regions"}
    return sorted(
        str(p.relative_to(CONTENT))
        for p in CONTENT.rglob("*.yaml")
        if not skip.intersection(p.relative_to(CONTENT).parts[:1])
        and p.name not in knowledge.UNTRANSLATED_FILES
    )


def read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def texts(rel: str, root: Path) -> dict[str, str]:
    not_text = frozenset() if rel == knowledge.TEXTS else knowledge.NOT_TEXT
    return knowledge.text_leaves(read(root / rel), rel, not_text)


def pairs() -> list[tuple[str, dict[str, str], dict[str, str]]]:
    return [(rel, texts(rel, CONTENT), texts(rel, SPANISH)) for rel in content_files()]


def fields(text: str) -> list[str]:
    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name)


# While the translation is under way, the files still being translated are listed here; every
# other file must be complete. A file listed here that is complete fails too, so the list only
# shrinks. Empty: every English text has Spanish.
PENDING: frozenset[str] = frozenset()


def missing_by_file() -> dict[str, list[str]]:
    return {rel: sorted(set(en) - set(es)) for rel, en, es in pairs() if set(en) - set(es)}


def test_every_english_text_has_a_spanish_text():
    missing = {rel: ids for rel, ids in missing_by_file().items() if rel not in PENDING}
    count = sum(len(ids) for ids in missing.values())
    assert not missing, f"{count} English texts have no Spanish text: {missing}"


def test_the_files_still_in_translation_are_listed_honestly():
    incomplete = set(missing_by_file())
    done = sorted(PENDING - incomplete)
    assert not done, f"complete now, take them off PENDING: {done}"
    assert all((CONTENT / rel).is_file() for rel in PENDING), "PENDING names content files"


def test_every_spanish_text_has_an_english_text():
    extra = []
    for _rel, english, spanish in pairs():
        extra += sorted(set(spanish) - set(english))
    assert not extra, f"Spanish texts with no English text (stale?): {extra[:40]}"


def test_spanish_texts_keep_the_same_format_fields():
    differ = []
    for _rel, english, spanish in pairs():
        for where in set(english) & set(spanish):
            if fields(english[where]) != fields(spanish[where]):
                differ.append((where, fields(english[where]), fields(spanish[where])))
    assert not differ, f"format fields differ: {differ}"


def test_every_region_has_the_same_terms_in_both_languages():
    for path in sorted((CONTENT / "regions").glob("*.yaml")):
        terms = read(path)["terms"]
        assert set(terms) == set(knowledge.LANGUAGES), path.name
        assert set(terms["es"]) == set(terms["en"]), path.name
        for name, value in terms["en"].items():
            assert bool(value) == bool(terms["es"][name]), (path.name, name)


def test_the_spanish_kit_loads_for_every_region_and_keeps_the_rules():
    for region in knowledge.REGIONS:
        es, en = knowledge.load("es", region), knowledge.load("en", region)
        assert [(q.id, q.section, q.ask_if) for q in es.triage.questions] == [
            (q.id, q.section, q.ask_if) for q in en.triage.questions
        ]
        assert [(r.id, r.when, r.tier, r.source) for r in es.triage.rules] == [
            (r.id, r.when, r.tier, r.source) for r in en.triage.rules
        ]
        assert es.care.schedule == en.care.schedule
        assert es.text("plan.greeting") != en.text("plan.greeting")


# -- readability -------------------------------------------------------------------------------
@pytest.fixture
def spanish_textstat():
    """textstat counts syllables by language; set Spanish, and give English back after."""
    textstat.set_lang("es")
    yield textstat
    textstat.set_lang("en_US")


def spanish_texts(region: str) -> list[tuple[str, str]]:
    """The patient texts of the Spanish kit that are in Spanish (a text not yet translated is
    the English one, and is not measured as Spanish)."""
    english = dict(knowledge.load("en", region).patient_texts())
    return [
        (where, text)
        for where, text in knowledge.load("es", region).patient_texts()
        if text != english.get(where)
    ]


def spanish_scores(ts) -> list[tuple[str, float]]:
    scores = {}
    for region in knowledge.REGIONS:
        for where, text in spanish_texts(region):
            if len(text.split()) >= 30:
                scores[(where, text)] = ts.fernandez_huerta(text)
    return [(where, score) for (where, _text), score in scores.items()]


def test_spanish_patient_text_reads_fairly_easily(spanish_textstat):
    scores = spanish_scores(spanish_textstat)
    # While files are still in translation, fewer texts are Spanish yet.
    assert len(scores) >= (20 if PENDING else 100), "most long texts are measured"
    hard = sorted((round(s, 1), w) for w, s in scores if s < 60)
    assert not hard, f"Spanish texts below Fernández-Huerta 60: {hard}"
    median = statistics.median(s for _w, s in scores)
    assert median >= 70, f"median Fernández-Huerta {median:.1f} is below 70"


def test_the_spanish_measure_tells_hard_from_easy(spanish_textstat):
    hard = (
        "No obstante la considerable heterogeneidad metodológica, las intervenciones "
        "farmacológicas demostraron mejorías estadísticamente significativas en la "
        "sintomatología lumbar de los participantes institucionalizados."
    )
    easy = "Use hielo. Pare si le duele. Camine un poco cada día. Tome agua."
    assert (
        spanish_textstat.fernandez_huerta(hard)
        < 40
        < 90
        < (spanish_textstat.fernandez_huerta(easy))
    )


def test_spanish_uses_usted_not_tu():
    tu = re.compile(r"\b(tú|tienes|puedes|debes|haz|estás|quieres|tu espalda)\b", re.I)
    found = [
        (where, tu.search(text).group(0)) for where, text in spanish_texts("us") if tu.search(text)
    ]
    assert not found, f"these speak as tú, the kit says usted: {found}"


def test_not_sure_cannot_be_read_as_no_in_any_language():
    """ "Not sure" never counts as no (safety check): its button must not look like "No" at a
    glance, so its label may not begin with the word for no."""
    for lang in ("en", "es"):
        answers = knowledge.load(lang=lang).triage.answers
        first = answers.not_sure.split()[0].strip("¿?¡!.,").lower()
        assert first != answers.no.lower(), (
            f"{lang}: {answers.not_sure!r} begins like {answers.no!r}"
        )
