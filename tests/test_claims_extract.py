"""The claim extractor on invented sentences (exact claims) and on the five seed pages (offsets, seed claims)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from exokg.claims import METHOD, ConceptScheme, extract, load_scheme
from exokg.model import HEDGE_LEVELS, RELATIONS, Article, Assertion, Reference, Source
from exokg.sources import read_page

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "data" / "claims" / "cases.json").read_text(encoding="utf-8"))["cases"]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
PAGES = sorted(p for p in (ROOT / "tests" / "data" / "pages").iterdir()
               if p.name not in ("empty.txt", "whitespace_only.txt", "recipe.txt"))


@pytest.fixture(scope="module")
def scheme() -> ConceptScheme:
    return load_scheme(ROOT / "ontology" / "concepts.ttl")


def _article(case: dict[str, Any]) -> Article:
    references = tuple(Reference(text=t, title=t) for t in case["reference_titles"])
    return Article(Source(case["id"], "0" * 64), "test", title=case["title"], abstract=case["abstract"],
                   references=references)


def _as_record(a: Assertion) -> dict[str, Any]:
    record = {"evidence": a.evidence, "start": a.start, "end": a.end, "section": a.section,
              "asserted_by": a.asserted_by, "subject": a.subject.key, "relation": a.relation, "object": a.object.key,
              "object_curated": a.object.curated, "negated": a.negated, "hedge_level": a.hedge_level,
              "hedge_cues": list(a.hedge_cues), "qualifiers": [list(q) for q in a.qualifiers]}
    if a.object.broader is not None:  # a term narrower than a scheme concept: "low immunogenicity"
        record.update(object_broader=a.object.broader, object_text=a.object.text)
    return record


def _field(article: Article, a: Assertion) -> str:
    if a.asserted_by == "article":
        return (article.title if a.section == "title" else article.abstract) or ""
    kind, n = a.asserted_by.split(":")
    entries = article.references if kind == "reference" else article.cited_by
    return entries[int(n) - 1].title or ""


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_invented_sentences_give_exactly_the_expected_claims(scheme: ConceptScheme, case: dict[str, Any]) -> None:
    found = [_as_record(a) for a in extract(_article(case), scheme)]
    assert found == case["claims"]


def test_every_case_field_is_covered() -> None:
    covered = " ".join(c["covers"] for c in CASES)
    for topic in ("negation", "hedges", "passive", "coordination", "abbreviation", "composites", "without vesicles",
                  "reference", "design", "comparator"):
        assert topic in covered, topic


def test_hedge_levels_all_occur_in_the_cases() -> None:
    levels = {c["hedge_level"] for case in CASES for c in case["claims"]}
    assert levels == set(HEDGE_LEVELS)


def test_tumour_and_cardiac_exosomes_are_never_msc_exosomes(scheme: ConceptScheme) -> None:
    case = next(c for c in CASES if c["id"] == "composite-sources")
    subjects = [a.subject.key for a in extract(_article(case), scheme)]
    assert subjects == ["hypoxic-msc-exosome", "cardiac-progenitor-cell-exosome", "tumour-cell-exosome",
                        "tumour-cell-exosome"]


def test_msc_cells_without_vesicles_stay_cells(scheme: ConceptScheme) -> None:
    case = next(c for c in CASES if c["id"] == "cells-without-vesicles")
    assert {a.subject.key for a in extract(_article(case), scheme)} == {"bm-msc", "msc"}


@pytest.mark.parametrize("page", SEEDS + PAGES, ids=[p.name for p in SEEDS + PAGES])
def test_evidence_is_the_field_slice_the_offsets_name(scheme: ConceptScheme, page: Path) -> None:
    article = read_page(page)
    assertions = extract(article, scheme)
    for a in assertions:
        assert _field(article, a)[a.start:a.end] == a.evidence
        assert a.relation in RELATIONS and a.hedge_level in HEDGE_LEVELS
        assert a.method == METHOD
        assert a.subject.curated is False or a.subject.key in scheme.concepts
        assert a.object.curated is False or a.object.key in scheme.concepts
        assert all(value in scheme.concepts for kind, value in a.qualifiers if kind == "comparator")
    assert extract(article, scheme) == assertions  # deterministic


def test_assertions_are_sorted_by_section_then_offset(scheme: ConceptScheme) -> None:
    article = read_page(ROOT / "corpus" / "002_1498dab3321b66eb.txt")
    order = {"title": 0, "abstract": 1, "reference_title": 2, "cited_by_title": 3}
    keys = [(order[a.section], int(a.asserted_by.split(":")[1]) if ":" in a.asserted_by else 0, a.start)
            for a in extract(article, scheme)]
    assert keys == sorted(keys)
    assert {a.section for a in extract(article, scheme)} == {"abstract", "reference_title", "cited_by_title"}


def _claims_of(scheme: ConceptScheme, page: str, sentence_start: str) -> list[tuple[object, ...]]:
    article = read_page(ROOT / "corpus" / page)
    return [(a.subject.key, a.relation, a.object.key, a.negated, a.hedge_level, a.hedge_cues, a.qualifiers,
             a.start, a.end) for a in extract(article, scheme) if a.evidence.startswith(sentence_start)]


def test_seed_contains_coordinated_cargo(scheme: ConceptScheme) -> None:
    claims = _claims_of(scheme, "002_1498dab3321b66eb.txt", "MSC-derived exosomes contain")
    assert [(s, r, o) for s, r, o, *_ in claims] == [
        ("msc-exosome", "contains", "cytokine"), ("msc-exosome", "contains", "growth-factor"),
        ("msc-exosome", "contains", "lipid"), ("msc-exosome", "contains", "mrna"),
        ("msc-exosome", "contains", "mirna")]
    assert {(start, end) for *_, start, end in claims} == {(318, 424)}


def test_seed_no_risk_of_tumour_formation_and_lower_immunogenicity(scheme: ConceptScheme) -> None:
    claims = _claims_of(scheme, "002_1498dab3321b66eb.txt", "Increasing evidence suggests")
    assert claims == [
        ("msc-exosome", "is_a", "cell-free-therapy", False, "possible", ("suggests", "might"), (), 425, 626),
        ("msc-exosome", "has_property", "tumour-formation", True, "possible", ("suggests", "might"),
         (("comparator", "msc"),), 425, 626),
        ("msc-exosome", "has_property", "low-immunogenicity", False, "possible", ("suggests", "might"),
         (("comparator", "msc"), ("degree", "lower")), 425, 626)]


def test_seed_they_resolves_to_the_articles_msc_exosomes(scheme: ConceptScheme) -> None:
    claims = _claims_of(scheme, "001_198188e5e58b3eba.txt", "They are also thought")
    assert [(s, r, o, h, c, q) for s, r, o, _, h, c, q, _, _ in claims] == [
        ("msc-exosome", "treats", key, "probable", ("are also thought to",), (("resolved_from", "They"),))
        for key in ("brain-injury", "liver-injury", "cancer")]


def test_seed_not_through_differentiation_but_through_exosomes(scheme: ConceptScheme) -> None:
    claims = _claims_of(scheme, "003_96a32d462d26ac30.txt", "However, the lack of correlation")
    assert [(s, r, o, n, h) for s, r, o, n, h, *_ in claims] == [
        ("msc-exosome", "is_a", "extracellular-vesicle", False, "asserted"),
        ("differentiation", "mediates", "therapeutic-effect", True, "hypothesised"),
        ("msc-exosome", "mediates", "therapeutic-effect", False, "hypothesised")]


def test_seed_hypothesis_opened_by_we_propose_hedges_the_next_sentence(scheme: ConceptScheme) -> None:
    claims = _claims_of(scheme, "003_96a32d462d26ac30.txt", "Like their cell source")
    assert claims == [("msc-exosome", "increases", "homeostasis", False, "hypothesised", ("We propose",), (),
                       599, 697)]


def test_seed_coordinated_verbs_share_their_subject(scheme: ConceptScheme) -> None:
    claims = _claims_of(scheme, "000_b0dba30be5b40557.txt", "However, MSC preconditioning")
    assert [(s, r, o) for s, r, o, *_ in claims] == [
        ("preconditioning", "increases", "exosome-production"),
        ("preconditioning", "increases", "stable-functionality"),
        ("preconditioning", "increases", "therapeutic-effect")]


def test_seed_participle_after_a_comma_keeps_the_subject_and_its_hedge(scheme: ConceptScheme) -> None:
    claims = _claims_of(scheme, "004_c660c23f5c855c09.txt", "The use of MSC-derived exosomes")
    assert [(s, r, o, h, c) for s, r, o, _, h, c, *_ in claims] == [
        ("msc-exosome", "has_property", "advantage", "possible", ("may",)),
        ("msc-exosome", "decreases", "side-effect", "possible", ("may", "potentially")),
        ("msc-exosome", "decreases", "toxicity", "possible", ("may", "potentially"))]


def test_reference_and_citing_titles_are_asserted_by_those_works(scheme: ConceptScheme) -> None:
    article = read_page(ROOT / "corpus" / "002_1498dab3321b66eb.txt")
    titles = [(a.asserted_by, a.subject.key, a.relation, a.object.key) for a in extract(article, scheme)
              if a.asserted_by != "article"]
    assert ("reference:1", "msc-microvesicle", "protects_against", "acute-kidney-injury") in titles
    assert ("cited_by:1", "uc-msc-exosome", "treats", "periodontitis") in titles
    assert ("cited_by:3", "msc-exosome", "contains", "mir-148a-3p") in titles


def test_an_article_without_text_has_no_claims(scheme: ConceptScheme) -> None:
    assert extract(Article(Source("x", "0" * 64), "test"), scheme) == ()


def test_structured_abstract_sections_keep_offsets_into_the_whole_abstract(scheme: ConceptScheme) -> None:
    article = read_page(ROOT / "tests" / "data" / "pages" / "pmc_article.txt")
    found = [a for a in extract(article, scheme) if a.section.startswith("abstract")]
    assert {a.section for a in found} == {"abstract_results", "abstract_conclusions"}
    for a in found:
        assert (article.abstract or "")[a.start:a.end] == a.evidence
