"""Every saved query gives its expected rows on the five seed pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Store

from exokg.config import load_config
from exokg.graph.store import memory_store
from exokg.pipeline import read_graph
from exokg.query import load_queries, run

ROOT = Path(__file__).resolve().parents[1]
W = "https://w3id.org/exokg/work/"
K = "https://w3id.org/exokg/keyword/"
REVIEW_2024 = W + "doi-10.1016_j.reth.2024.01.009"
FOCUS_2017 = W + "doi-10.1155_2017_6305295"
PARADIGM_2019 = W + "pmid-30992990"
LAI_2015 = W + "doi-10.1016_j.semcdb.2015.03.001"
MENDT_2019 = W + "doi-10.1038_s41409-019-0616-z"


@pytest.fixture(scope="module")
def store() -> Store:
    return memory_store(read_graph(load_config(ROOT, environ={})).triples)


@pytest.fixture(scope="module")
def queries() -> dict[str, object]:
    return dict(load_queries(ROOT / "queries"))


def rows(store: Store, queries: dict[str, object], name: str, **params: str) -> list[tuple[object, ...]]:
    return list(run(store, queries[name], params).rows)  # type: ignore[arg-type]


def test_article_references(store: Store, queries: dict[str, object]) -> None:
    assert rows(store, queries, "article-references") == [
        (PARADIGM_2019, "Exosomes from Mesenchymal Stem/stromal Cells: a New Therapeutic Paradigm", 5, 5),
        (REVIEW_2024, "Exosomes from preconditioned mesenchymal stem cells: Tissue repair and regeneration", 5, 5),
        (FOCUS_2017, "Focus on Mesenchymal Stem Cell-Derived Exosomes: Opportunities and Challenges in Cell-Free "
         "Therapy", 5, 5),
        (MENDT_2019, "Mesenchymal stem cell-derived exosomes for clinical use", 5, 5),
        (LAI_2015, "Mesenchymal stem cell exosomes", 0, 0),
    ]


def test_co_cited_works(store: Store, queries: dict[str, object]) -> None:
    # Squillaro et al. 2016: with a DOI in seed 000, without one in seed 004 — one work, cited twice.
    squillaro = (W + "doi-10.3727_096368915x689622", "Clinical trials with mesenchymal stem cells: an update",
                 "10.3727/096368915x689622", 2)
    assert rows(store, queries, "co-cited-works") == [squillaro]
    assert rows(store, queries, "co-cited-works", min_citing="3") == []
    assert len(rows(store, queries, "co-cited-works", min_citing="1")) == 19


def test_articles_by_year(store: Store, queries: dict[str, object]) -> None:
    assert rows(store, queries, "articles-by-year") == [(2015, 1), (2017, 1), (2019, 2), (2024, 1)]


def test_keywords(store: Store, queries: dict[str, object]) -> None:
    assert rows(store, queries, "keywords") == [
        (K + "exosome", "Exosome", 2),
        (K + "mesenchymal-stem-cell", "Mesenchymal stem cell", 2),
        (K + "extracellular-vesicle", "Extracellular vesicles", 1),
        (K + "homeostasis", "Homeostasis", 1),
        (K + "preconditioning", "Preconditioning", 1),
        (K + "tissue-repair-and-regeneration", "Tissue repair and regeneration", 1),
    ]


def test_references_without_doi(store: Store, queries: dict[str, object]) -> None:
    found = rows(store, queries, "references-without-doi")
    # Seed 004 prints no DOI strings; its reference 2 (Squillaro) gets one from seed 000's list.
    assert [(article, position) for article, position, _work, _text in found] == [
        (MENDT_2019, 1), (MENDT_2019, 3), (MENDT_2019, 4), (MENDT_2019, 5)]
    assert all(work.startswith(W + "ref-") for _a, _p, work, _t in found)
    assert found[0][3].startswith("Galipeau J, Sensebe L. Mesenchymal stromal cells: clinical challenges")


C = "https://w3id.org/exokg/claim/"
EXO_MEDIATES = C + "msc-exosome.mediates.therapeutic-effect"


def test_claims_by_support(store: Store, queries: dict[str, object]) -> None:
    found = rows(store, queries, "claims-by-support")
    # Two claims are stated by two works each: the same proposition from different abstracts is one claim.
    assert found[:2] == [
        (EXO_MEDIATES, "mesenchymal stem cell-derived exosome mediates therapeutic effect", 2, 1, False),
        (C + "paracrine-signalling.mediates.therapeutic-effect", "paracrine signalling mediates therapeutic effect",
         2, 1, False),
    ]
    assert all(works == 1 for _c, _s, works, _f, _x in found[2:])
    assert (C + "msc-exosome.contains.mirna", "mesenchymal stem cell-derived exosome contains microRNA", 1, 1,
            False) in found


def test_contested_claims(store: Store, queries: dict[str, object]) -> None:
    # No seed article states the opposite of another's claim.
    assert rows(store, queries, "contested-claims") == []


def test_hedged_only_claims(store: Store, queries: dict[str, object]) -> None:
    found = {claim: (works, firmest) for claim, _s, works, firmest in rows(store, queries, "hedged-only-claims")}
    assert found[C + "msc-exosome.has_property.tumour-formation.not"] == (1, 2)  # "might represent": possible
    assert found[C + "msc-exosome.treats.liver-injury"] == (1, 1)  # "are thought to": probable
    assert found[C + "msc-exosome.increases.homeostasis"] == (1, 3)  # "We propose": hypothesised
    assert C + "msc-exosome.contains.mirna" not in found


def test_claims_about_a_concept(store: Store, queries: dict[str, object]) -> None:
    found = rows(store, queries, "claims-about-concept")
    assert found[0] == (EXO_MEDIATES, "mesenchymal stem cell-derived exosome mediates therapeutic effect", "subject",
                        2, False)
    assert {role for _c, _s, role, _n, _x in found} == {"subject"}
    mi = rows(store, queries, "claims-about-concept", concept="https://w3id.org/exokg/concept/myocardial-infarction")
    assert [(claim, role) for claim, _s, role, _n, _x in mi] == [
        (C + "msc.treats.myocardial-infarction", "object"), (C + "msc-exosome.treats.myocardial-infarction", "object")]


def test_claim_evidence(store: Store, queries: dict[str, object]) -> None:
    found = rows(store, queries, "claim-evidence")
    assert [(work, section, hedge) for work, _t, section, hedge, _e, _s, _n in found] == [
        (PARADIGM_2019, "abstract", "asserted"), (LAI_2015, "abstract", "hypothesised")]
    assert found[0][4].startswith("Their therapeutic effects are largely mediated by paracrine factors")


def test_curated_claims_are_published_with_their_provenance(store: Store) -> None:
    found = store.query("""
        PREFIX exo: <https://w3id.org/exokg/ontology/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?claim ?source WHERE {
          ?a exo:extractionMethod "curated" ; exo:asserts ?claim ; prov:wasDerivedFrom ?source .
        } ORDER BY ?claim ?source""")
    assert [(row["claim"].value, row["source"].value) for row in found] == [
        (C + "msc.has_property.immunomodulation", "https://w3id.org/exokg/source/004_c660c23f5c855c09.txt"),
        (C + "msc.has_property.immunomodulation", "https://w3id.org/exokg/source/curation.yaml"),
        (C + "msc.has_property.regeneration", "https://w3id.org/exokg/source/004_c660c23f5c855c09.txt"),
        (C + "msc.has_property.regeneration", "https://w3id.org/exokg/source/curation.yaml"),
    ]
