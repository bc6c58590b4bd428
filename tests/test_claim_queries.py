"""The claim queries give their expected rows on small graphs built by hand: contested, negated and hedged
claims, reviews and primary works, products narrower than the one asked for, and claims no one else makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from graph_fixtures import INFO, small_corpus
from pyoxigraph import Store

from exokg.graph.claims import StatedClaim, map_claims
from exokg.graph.iris import Iris
from exokg.graph.mapping import map_bibliography
from exokg.graph.store import memory_store, read_turtle_files
from exokg.model import Assertion, ConceptRef
from exokg.query import load_queries, run
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]
B = "https://w3id.org/exokg/"
REVIEW, LISTING = "doi:10.1016/j.reth.2024.01.009", "pmid:30992990"
EXO = ConceptRef("msc-exosome", "MSC-derived exosome", "MSC exosomes")
TUMOUR = ConceptRef("tumour-formation", "tumour formation", "tumor formation")
IMMUNO = ConceptRef("immunogenicity", "immunogenicity", "immunogenicity")
NOT_CAUSE = B + "claim/msc-exosome.causes.tumour-formation.not"
CAUSE = B + "claim/msc-exosome.causes.tumour-formation"
PROPERTY = B + "claim/msc-exosome.has_property.immunogenicity"


def stated(work: str, relation: str, obj: ConceptRef, negated: bool, hedge: str, evidence: str, at: int) -> StatedClaim:
    return StatedClaim(work, "x.txt", Assertion(EXO, relation, obj, negated, hedge, (), evidence, at,
                                                at + len(evidence), "abstract"))


@pytest.fixture(scope="module")
def store() -> Store:
    claims = [
        stated(REVIEW, "causes", TUMOUR, True, "possible", "They might carry no risk of tumours.", 0),
        stated(LISTING, "causes", TUMOUR, True, "asserted", "They carry no risk of tumours.", 10),
        stated(LISTING, "causes", TUMOUR, False, "probable", "They appear to cause tumours.", 50),
        stated(REVIEW, "has_property", IMMUNO, False, "possible", "They may be less immunogenic.", 40),
    ]
    iris = Iris(INFO.base_iri)
    return memory_store(map_bibliography(resolve(small_corpus()), INFO) + map_claims(claims, iris, B + "software/x"))


def rows(store: Store, name: str, **params: str) -> list[tuple[object, ...]]:
    """The rows of a cookbook query, plain values."""
    return list(run(store, load_queries(ROOT / "queries")[name], params).rows)


def test_claims_about_a_concept(store: Store) -> None:
    assert rows(store, "claims-about-concept") == [
        (NOT_CAUSE, "MSC-derived exosome does not cause tumour formation", "subject", 2, True),
        (CAUSE, "MSC-derived exosome causes tumour formation", "subject", 1, True),
        (PROPERTY, "MSC-derived exosome has the property immunogenicity", "subject", 1, False),
    ]
    assert [r[2] for r in rows(store, "claims-about-concept", concept=B + "concept/immunogenicity")] == ["object"]
    assert rows(store, "claims-about-concept", concept=B + "concept/nothing") == []


def test_claims_by_support(store: Store) -> None:
    assert [(r[0], r[2], r[3], r[4]) for r in rows(store, "claims-by-support")] == [
        (NOT_CAUSE, 2, 1, True), (CAUSE, 1, 0, True), (PROPERTY, 1, 0, False)]


def test_contested_claims(store: Store) -> None:
    assert rows(store, "contested-claims") == [
        (CAUSE, "MSC-derived exosome causes tumour formation", 1, NOT_CAUSE,
         "MSC-derived exosome does not cause tumour formation", 2)]


def test_hedged_only_claims(store: Store) -> None:
    assert rows(store, "hedged-only-claims") == [
        (CAUSE, "MSC-derived exosome causes tumour formation", 1, 1),
        (PROPERTY, "MSC-derived exosome has the property immunogenicity", 1, 2),
    ]


def test_claim_evidence(store: Store) -> None:
    assert rows(store, "claim-evidence", claim=NOT_CAUSE) == [
        (B + "work/pmid-30992990", "Exosomes from Mesenchymal Stem/stromal Cells: a New Therapeutic Paradigm",
         "abstract", "asserted", "They carry no risk of tumours.", 10, 40),
        (B + "work/doi-10.1016_j.reth.2024.01.009", "Exosomes from preconditioned mesenchymal stem cells",
         "abstract", "possible", "They might carry no risk of tumours.", 0, 36),
    ]


# A second graph, with the concept scheme, for the queries that follow its hierarchy --------------------------------

CONCEPT = B + "concept/"
PERIO = "doi:10.2147/ijn.s502192"  # known only as a work citing the listing article
HYPOXIC_EXO = ConceptRef("hypoxic-msc-exosome", "hypoxic MSC exosome", "hypoxia-preconditioned MSC exosomes")
HYPOXIA = ConceptRef("hypoxic-preconditioning", "hypoxic preconditioning", "hypoxic preconditioning")
UC_EXO = ConceptRef("uc-msc-exosome", "UC-MSC exosome", "umbilical cord MSC exosomes")
MICROVESICLE = ConceptRef("msc-microvesicle", "MSC microvesicle", "MSC microvesicles")


def concept(key: str) -> ConceptRef:
    return ConceptRef(key, key.replace("-", " "), key.replace("-", " "))


def claim_iri(subject: str, relation: str, obj: str, negated: bool = False) -> str:
    return f"{B}claim/{subject}.{relation}.{obj}{'.not' if negated else ''}"


def said(work: str, subject: ConceptRef, relation: str, obj: ConceptRef, negated: bool, hedge: str) -> StatedClaim:
    evidence = f"{subject.text} {'do not ' if negated else ''}{relation} {obj.text}."
    return StatedClaim(work, "x.txt", Assertion(subject, relation, obj, negated, hedge, (), evidence, 0,
                                                len(evidence), "abstract"))


@pytest.fixture(scope="module")
def schemed() -> Store:
    claims = [
        said(REVIEW, HYPOXIC_EXO, "increases", concept("angiogenesis"), False, "asserted"),
        said(REVIEW, EXO, "has_property", IMMUNO, False, "possible"),
        said(REVIEW, EXO, "treats", concept("cancer"), False, "probable"),
        said(LISTING, HYPOXIA, "decreases", concept("apoptosis"), True, "asserted"),
        said(LISTING, EXO, "treats", concept("myocardial-infarction"), False, "asserted"),
        said(LISTING, EXO, "treats", concept("cancer"), True, "asserted"),
        said(LISTING, MICROVESICLE, "protects_against", concept("acute-kidney-injury"), False, "asserted"),
        said(PERIO, UC_EXO, "treats", concept("periodontitis"), False, "asserted"),
        said(PERIO, EXO, "treats", concept("myocardial-infarction"), False, "possible"),
    ]
    iris = Iris(INFO.base_iri)
    scheme = read_turtle_files([ROOT / "ontology" / "concepts.ttl"], "concept scheme")
    return memory_store(map_bibliography(resolve(small_corpus()), INFO) + map_claims(claims, iris, B + "software/x")
                        + scheme)


def test_review_only_claims(schemed: Store) -> None:
    # The review's own claims; the listing article (no publication type) and a citing work are no reviews.
    assert [(r[0], r[2], r[3]) for r in rows(schemed, "review-only-claims")] == [
        (claim_iri("hypoxic-msc-exosome", "increases", "angiogenesis"), 1, 1),
        (claim_iri("msc-exosome", "has_property", "immunogenicity"), 1, 0),
        (claim_iri("msc-exosome", "treats", "cancer"), 1, 0),
    ]


def test_diseases_treated_follow_the_product_hierarchy(schemed: Store) -> None:
    # UC-MSC exosomes are MSC exosomes; "does not treat cancer" does not count; microvesicles are not exosomes.
    assert rows(schemed, "diseases-treated") == [
        (CONCEPT + "myocardial-infarction", "myocardial infarction", 2, 1),
        (CONCEPT + "periodontitis", "periodontitis", 1, 1),
        (CONCEPT + "cancer", "cancer", 1, 0),
    ]
    assert [r[0] for r in rows(schemed, "diseases-treated", product=CONCEPT + "msc-ev")] == [
        CONCEPT + "myocardial-infarction", CONCEPT + "acute-kidney-injury", CONCEPT + "periodontitis",
        CONCEPT + "cancer"]
    assert rows(schemed, "diseases-treated", product=CONCEPT + "uc-msc-exosome") == [
        (CONCEPT + "periodontitis", "periodontitis", 1, 1)]


def test_preconditioning_effects_through_products_and_narrower_methods(schemed: Store) -> None:
    expected = [
        (CONCEPT + "hypoxic-preconditioning", "hypoxic preconditioning", "increases", CONCEPT + "angiogenesis",
         "angiogenesis", 1, claim_iri("hypoxic-msc-exosome", "increases", "angiogenesis")),
        (CONCEPT + "hypoxic-preconditioning", "hypoxic preconditioning", "does not decrease", CONCEPT + "apoptosis",
         "apoptosis", 1, claim_iri("hypoxic-preconditioning", "decreases", "apoptosis", negated=True)),
    ]
    assert rows(schemed, "preconditioning-effects") == expected
    assert rows(schemed, "preconditioning-effects", intervention=CONCEPT + "hypoxic-preconditioning") == expected
    assert rows(schemed, "preconditioning-effects", intervention=CONCEPT + "engineering") == []


def test_concept_cooccurrence_counts_claims_and_works(schemed: Store) -> None:
    found = [(r[0], r[2], r[4], r[5]) for r in rows(schemed, "concept-cooccurrence")]
    assert found == [
        # treats cancer and does not treat cancer: two claims, two works
        (CONCEPT + "cancer", CONCEPT + "msc-exosome", 2, 2),
        (CONCEPT + "msc-exosome", CONCEPT + "myocardial-infarction", 1, 2),
        (CONCEPT + "acute-kidney-injury", CONCEPT + "msc-microvesicle", 1, 1),
        (CONCEPT + "angiogenesis", CONCEPT + "hypoxic-msc-exosome", 1, 1),
        (CONCEPT + "apoptosis", CONCEPT + "hypoxic-preconditioning", 1, 1),
        (CONCEPT + "immunogenicity", CONCEPT + "msc-exosome", 1, 1),
        (CONCEPT + "periodontitis", CONCEPT + "uc-msc-exosome", 1, 1),
    ]
    assert [(r[0], r[2]) for r in rows(schemed, "concept-cooccurrence", concept=CONCEPT + "msc-exosome")] == [
        (CONCEPT + "cancer", CONCEPT + "msc-exosome"), (CONCEPT + "msc-exosome", CONCEPT + "myocardial-infarction"),
        (CONCEPT + "immunogenicity", CONCEPT + "msc-exosome")]


def test_uncorroborated_articles(schemed: Store) -> None:
    # The review's three claims are its own; the listing article's "treats myocardial infarction" is also the
    # citing work's claim, so it is corroborated (even though its other claims are not).
    assert rows(schemed, "uncorroborated-articles") == [
        (B + "work/doi-10.1016_j.reth.2024.01.009", "Exosomes from preconditioned mesenchymal stem cells", 3)]


def test_contested_claims_with_hedges(schemed: Store) -> None:
    assert rows(schemed, "contested-claims") == [
        (claim_iri("msc-exosome", "treats", "cancer"), "MSC-derived exosome treats cancer", 1,
         claim_iri("msc-exosome", "treats", "cancer", negated=True), "MSC-derived exosome does not treat cancer", 1)]
