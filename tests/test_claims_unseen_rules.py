"""General rules found on unseen abstracts: open questions, containment direction, degree terms, cell sources.

Every sentence here is invented for the rule it tests; ``tests/data/claims/cases.json`` holds the exact claims
of whole invented abstracts for the same rules.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exokg.claims import ConceptScheme, extract, load_scheme
from exokg.claims.lexicon import FINITE
from exokg.claims.phrases import Slot, items, mint
from exokg.claims.questions import questioned_tokens
from exokg.claims.recognise import recognise
from exokg.claims.tokens import CueText, tokenize
from exokg.model import Article, Assertion, Source
from exokg.sources import read_page

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "data" / "claims" / "cases.json").read_text(encoding="utf-8"))["cases"]
TITLE = "Mesenchymal stem cell-derived exosomes in organ repair"


@pytest.fixture(scope="module")
def scheme() -> ConceptScheme:
    return load_scheme(ROOT / "ontology" / "concepts.ttl")


def _claims(scheme: ConceptScheme, abstract: str, title: str = TITLE) -> list[Assertion]:
    article = Article(Source("t", "0" * 64), "test", title=title, abstract=abstract)
    return [a for a in extract(article, scheme) if a.section != "title"]


def _triples(scheme: ConceptScheme, abstract: str, title: str = TITLE) -> list[tuple[str, str, str, bool]]:
    return [(a.subject.key, a.relation, a.object.key, a.negated) for a in _claims(scheme, abstract, title)]


# --- 1. open questions are not claims ---------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "However, whether hypoxic preconditioning enhances the anti-inflammatory effects of MSC-EVs remains unclear.",
    "Whether MSC exosomes reduce fibrosis in patients is still unknown.",
    "It is unclear whether MSC-derived exosomes cross the blood-brain barrier.",
    "It remains unknown if MSC-EVs suppress T cell proliferation in vivo.",
    "Little is known about how MSC exosomes promote angiogenesis.",
    "We investigated whether MSC-derived exosomes attenuate renal fibrosis.",
    "We asked whether exosomes from BMSCs reduce apoptosis of cardiomyocytes.",
    "To explore whether MSC-EVs inhibit ferroptosis, kidneys were analysed.",
    "Do MSC-derived exosomes reduce infarct size?",
    "The role of exosomal miR-21 in cardioprotection is poorly understood.",
    "The mechanisms by which MSC exosomes reduce inflammation remain to be determined.",
    "How MSC-EVs promote tendon healing has not been elucidated.",
])
def test_a_question_or_a_statement_of_ignorance_makes_no_claim(scheme: ConceptScheme, sentence: str) -> None:
    assert _claims(scheme, sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("MSC-EVs reduced fibrosis, but whether they act through miR-21 remains unclear.",
     [("msc-ev", "decreases", "fibrosis", False)]),
    ("MSC-EVs reduced fibrosis; the mechanism by which they suppress inflammation remains unknown.",
     [("msc-ev", "decreases", "fibrosis", False)]),
    ("Although MSC-EVs reduce inflammation, their long-term safety has not been established.",
     [("msc-ev", "decreases", "inflammation", False)]),
    ("To test whether MSC exosomes act through miR-29b, we silenced it and found that MSC exosomes still reduced "
     "apoptosis.", [("msc-exosome", "decreases", "apoptosis", False)]),
    ("MSC-EVs reduced fibrosis whether or not the mice received TGF-beta.",
     [("msc-ev", "decreases", "fibrosis", False)]),
])
def test_the_findings_around_a_question_are_kept(scheme: ConceptScheme, sentence: str,
                                                  expected: list[tuple[str, str, str, bool]]) -> None:
    assert _triples(scheme, sentence) == expected


def test_a_question_region_runs_from_its_cue_to_a_return_to_findings() -> None:
    tokens = tokenize("To test whether X reduces Y, we silenced it and found that X reduced Y.")
    found = questioned_tokens(CueText(tokens))
    assert [tokens[i].text for i in sorted(found)] == ["whether", "X", "reduces", "Y", ",", "we", "silenced",
                                                        "it", "and"]
    tokens = tokenize("Is X a vesicle?")
    assert questioned_tokens(CueText(tokens)) == set(range(len(tokens)))


def test_a_minted_term_never_holds_a_finite_verb(scheme: ConceptScheme) -> None:
    tokens = tokenize("their tubular protection remains unclear")
    slot = Slot(tokens, recognise(tokens, scheme, []), set(), scheme.category, frozenset(scheme.top))
    found = items(slot, 0, len(tokens))
    assert [i.minted.label if i.minted else None for i in found] == ["tubular protection"]
    assert mint(tokens, list(range(1, len(tokens)))) is None
    assert mint(tokenize("exosome production was"), [0, 1, 2]) is None


def test_no_minted_term_of_any_case_or_page_holds_a_finite_verb(scheme: ConceptScheme) -> None:
    articles = [Article(Source(c["id"], "0" * 64), "test", title=c["title"], abstract=c["abstract"]) for c in CASES]
    articles += [read_page(p) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    for article in articles:
        for a in extract(article, scheme):
            for ref in (a.subject, a.object):
                if not ref.curated:
                    assert not set(ref.label.lower().split()) & FINITE, (ref.label, a.evidence)


# --- 2. containment: which side holds the other -----------------------------------------------------


@pytest.mark.parametrize(("sentence", "expected"), [
    ("miR-210 was enriched in hypoxic exosomes.", ("hypoxic-msc-exosome", "mir-210")),
    ("miR-21 was highly enriched in MSC-derived exosomes.", ("msc-exosome", "mir-21")),
    ("miR-146a is packaged into BMSC-derived exosomes.", ("bm-msc-exosome", "mir-146a")),
    ("miR-125b is selectively sorted into MSC-EVs.", ("msc-ev", "mir-125b")),
    ("Let-7c was loaded into MSC-derived exosomes by electroporation.", ("msc-exosome", "let-7c")),
    ("miR-126 is encapsulated in MSC-derived exosomes.", ("msc-exosome", "mir-126")),
    ("miR-223 is carried by MSC-EVs.", ("msc-ev", "mir-223")),
    ("miR-24 was found in MSC-derived exosomes.", ("msc-exosome", "mir-24")),
    ("miR-22 was detected in MSC exosomes.", ("msc-exosome", "mir-22")),
    ("MSC-derived exosomes are enriched in miR-21.", ("msc-exosome", "mir-21")),
    ("MSC-derived exosomes are rich in miR-21.", ("msc-exosome", "mir-21")),
    ("MSC-derived exosomes are loaded with miR-21.", ("msc-exosome", "mir-21")),
    ("MSC-derived exosomes carry miR-21.", ("msc-exosome", "mir-21")),
    ("MSC-EVs harbour miR-21.", ("msc-ev", "mir-21")),
])
def test_the_vesicle_contains_the_cargo_whichever_way_the_sentence_runs(scheme: ConceptScheme, sentence: str,
                                                                        expected: tuple[str, str]) -> None:
    assert [(s, o) for s, r, o, _ in _triples(scheme, sentence) if r == "contains"] == [expected]


def test_a_contained_cargo_keeps_its_own_verbs_and_places_make_no_container(scheme: ConceptScheme) -> None:
    assert _triples(scheme, "miR-125b was carried by BMSC-EVs and suppressed apoptosis.") == [
        ("bm-msc-ev", "contains", "mir-125b", False), ("mir-125b", "decreases", "apoptosis", False)]
    assert _triples(scheme, "miR-21 was not detected in MSC-derived exosomes.") == [
        ("msc-exosome", "contains", "mir-21", True)]
    assert _triples(scheme, "IL-6 was detected in the serum of treated mice.") == []
    assert _triples(scheme, "Exosomes were found in the infarcted myocardium.") == []


# --- 3. a degree makes a narrower term ----------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "key", "label", "text"), [
    ("MSC-derived exosomes have low immunogenicity.", "low-immunogenicity", "low immunogenicity",
     "low immunogenicity"),
    ("MSC-derived exosomes have high immunogenicity.", "high-immunogenicity", "high immunogenicity",
     "high immunogenicity"),
    ("MSC-EVs showed lower immunogenicity than their parent cells.", "low-immunogenicity", "low immunogenicity",
     "lower immunogenicity"),
    ("MSC-EVs showed greater immunogenicity than liposomes.", "high-immunogenicity", "high immunogenicity",
     "greater immunogenicity"),
    ("MSC-derived exosomes exhibited poor targeting.", "low-targeting-ability", "low targeting ability",
     "poor targeting"),
    ("MSC-derived exosomes are a cell-free therapy with minimal immunogenicity.", "low-immunogenicity",
     "low immunogenicity", "minimal immunogenicity"),
])
def test_a_property_with_a_degree_is_a_minted_term_narrower_than_the_property(
        scheme: ConceptScheme, sentence: str, key: str, label: str, text: str) -> None:
    found = [a for a in _claims(scheme, sentence) if a.relation == "has_property"]
    assert [(a.object.key, a.object.label, a.object.text, a.object.curated) for a in found] == [
        (key, label, text, False)]
    assert found[0].object.broader is not None and found[0].object.broader in scheme.concepts
    assert sentence[found[0].start:found[0].end] == found[0].evidence


def test_high_and_low_immunogenicity_are_different_claims(scheme: ConceptScheme) -> None:
    found = _triples(scheme, "MSC-EVs have low immunogenicity. BMSC-EVs have high immunogenicity.")
    assert found == [("msc-ev", "has_property", "low-immunogenicity", False),
                     ("bm-msc-ev", "has_property", "high-immunogenicity", False)]


def test_a_property_without_a_degree_stays_the_scheme_concept(scheme: ConceptScheme) -> None:
    found = _claims(scheme, "MSC-derived exosomes lack immunogenicity.")
    assert [(a.object.key, a.object.curated, a.negated) for a in found] == [("immunogenicity", True, True)]


# --- 5. cell sources: the most specific composite, and other cells' vesicles never become MSC ones ------


@pytest.mark.parametrize(("written", "cell"), [
    ("ADSC", "ad-msc"), ("ADSCs", "ad-msc"), ("ADMSC", "ad-msc"), ("AD-MSC", "ad-msc"), ("AT-MSC", "ad-msc"),
    ("hucMSC", "uc-msc"), ("hUCMSC", "uc-msc"), ("hUC-MSC", "uc-msc"), ("HUCMSC", "uc-msc"),
    ("BMSC", "bm-msc"), ("BM-MSC", "bm-msc"), ("DPSC", "dp-msc"), ("DP-MSC", "dp-msc"),
])
def test_cell_abbreviations_make_their_own_composites(scheme: ConceptScheme, written: str, cell: str) -> None:
    for sentence in (f"{written}-derived exosomes reduced apoptosis.", f"{written} exosomes reduced apoptosis.",
                     f"Exosomes from {written} reduced apoptosis."):
        found = _claims(scheme, sentence)
        assert [a.relation for a in found] == ["decreases"], sentence
        parts = scheme.parts(found[0].subject.key)
        assert parts is not None and parts.source == cell, sentence


def test_a_defined_long_form_the_scheme_lacks_takes_the_concept_of_its_known_short_form(
        scheme: ConceptScheme) -> None:
    abstract = ("Human adipose-derived mesenchymal stromal cells (hADSCs) suppress T cell proliferation. "
                "Small extracellular vesicles from hADSCs reduced fibrosis. ADSC-derived sEVs did not cause tumour "
                "formation. ADSC exosomes reduced scar formation.")
    assert [s for s, *_ in _triples(scheme, abstract, "Adipose stem cells")] == [
        "ad-msc", "ad-msc-sev", "ad-msc-sev", "ad-msc-exosome"]


def test_a_short_form_defined_as_something_else_is_not_the_schemes(scheme: ConceptScheme) -> None:
    abstract = ("Apoptosis-associated speck-like protein (ASC) levels rose in septic mice. "
                "MSC-EVs reduced ASC expression.")
    assert all(scheme.category(s) != "cell" for s, *_ in _triples(scheme, abstract) if s in scheme.concepts)


def test_tumour_exosomes_make_claims_but_never_msc_claims(scheme: ConceptScheme) -> None:
    abstract = ("hucMSC-EVs attenuated tubular injury. Tumor-derived exosomes, in contrast, increased renal "
                "inflammation. hucMSC-EVs protect against acute kidney injury.")
    found = _triples(scheme, abstract, "Umbilical cord MSC-derived extracellular vesicles in kidney injury")
    assert ("tumour-cell-exosome", "increases", "inflammation", False) in found
    msc_like = ("msc", "msc-exosome", "msc-ev", "msc-sev")
    for subject, *_ in found:
        parts = scheme.parts(subject)
        from_msc = parts is not None and parts.source is not None and scheme.is_within(parts.source, "msc")
        assert from_msc == (subject != "tumour-cell-exosome"), subject
        assert subject == "tumour-cell-exosome" or any(scheme.is_within(subject, k) for k in msc_like)
    assert found[-1] == ("uc-msc-ev", "protects_against", "acute-kidney-injury", False)
