"""The claim queries give their expected rows on a small graph built by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from graph_fixtures import INFO, small_corpus
from pyoxigraph import Store

from exokg.graph.claims import StatedClaim, map_claims
from exokg.graph.iris import Iris
from exokg.graph.mapping import map_bibliography
from exokg.graph.store import memory_store
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
