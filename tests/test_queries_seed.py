"""The cookbook on the five seed pages: every saved query gives its expected rows, the same rows as an
independent SPARQL engine (rdflib) and as a computation straight from the triples, and the same rows
through ``--endpoint`` on a real Oxigraph server holding the same graph."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import oxigraph_server
import pytest
import rdflib
import requests
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Store, Triple, parse_query_results

from exokg.cli import cli
from exokg.config import load_config
from exokg.graph.store import memory_store, ntriples
from exokg.pipeline import read_graph
from exokg.query import SavedQuery, bind, execute, format_result, load_queries, materialise, run, sparql_term
from exokg.remote import Endpoint

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = Path(__file__).parent / "data" / "queries" / "seed"
B = "https://w3id.org/exokg/"
W = B + "work/"
K = B + "keyword/"
C = B + "claim/"
CONCEPT = B + "concept/"
EXO = B + "ontology/"
REVIEW_2024 = W + "doi-10.1016_j.reth.2024.01.009"
FOCUS_2017 = W + "doi-10.1155_2017_6305295"
PARADIGM_2019 = W + "pmid-30992990"
LAI_2015 = W + "doi-10.1016_j.semcdb.2015.03.001"
MENDT_2019 = W + "doi-10.1038_s41409-019-0616-z"
SQUILLARO = W + "doi-10.3727_096368915x689622"
EXO_MEDIATES = C + "msc-exosome.mediates.therapeutic-effect"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
CITES = "http://purl.org/spar/cito/cites"


@pytest.fixture(scope="module")
def triples() -> list[Triple]:
    return read_graph(load_config(ROOT, environ={})).triples


@pytest.fixture(scope="module")
def store(triples: list[Triple]) -> Store:
    return memory_store(triples)


@pytest.fixture(scope="module")
def queries() -> dict[str, SavedQuery]:
    return load_queries(ROOT / "queries")


def rows(store: Store, queries: dict[str, SavedQuery], name: str, **params: str) -> list[tuple[Any, ...]]:
    return list(run(store, queries[name], params).rows)


# Expected rows ---------------------------------------------------------------------------------------------------


def test_every_cookbook_query_has_its_expected_rows(store: Store, queries: dict[str, SavedQuery]) -> None:
    # tests/data/queries/seed/NAME.tsv: each query's rows with its default parameters, in the SPARQL TSV
    # results format, so the expected terms keep their kinds (IRI, typed literal, language, unbound).
    assert sorted(p.stem for p in EXPECTED.glob("*.tsv")) == sorted(queries)
    for name, query in queries.items():
        expected = materialise(parse_query_results(path=EXPECTED / f"{name}.tsv", format=QueryResultsFormat.TSV))
        found = run(store, query)
        assert found.variables == expected.variables, name
        assert found.terms == expected.terms, name


def test_article_references(store: Store, queries: dict[str, SavedQuery]) -> None:
    assert rows(store, queries, "article-references") == [
        (PARADIGM_2019, "Exosomes from Mesenchymal Stem/stromal Cells: a New Therapeutic Paradigm", 5, 5),
        (REVIEW_2024, "Exosomes from preconditioned mesenchymal stem cells: Tissue repair and regeneration", 5, 5),
        (FOCUS_2017, "Focus on Mesenchymal Stem Cell-Derived Exosomes: Opportunities and Challenges in Cell-Free "
         "Therapy", 5, 5),
        (MENDT_2019, "Mesenchymal stem cell-derived exosomes for clinical use", 5, 5),
        (LAI_2015, "Mesenchymal stem cell exosomes", 0, 0),
    ]


def test_co_cited_works(store: Store, queries: dict[str, SavedQuery]) -> None:
    # Squillaro et al. 2016: with a DOI in seed 000, without one in seed 004 — one work, cited twice.
    squillaro = (SQUILLARO, "Clinical trials with mesenchymal stem cells: an update", "10.3727/096368915x689622", 2)
    assert rows(store, queries, "co-cited-works") == [squillaro]
    assert rows(store, queries, "co-cited-works", min="3") == []
    assert len(rows(store, queries, "co-cited-works", min="1")) == 19


def test_co_cited_by_reviews_with_the_claims_of_the_reviews(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = rows(store, queries, "co-cited-by-reviews")
    # Both articles citing Squillaro are reviews; each row is one claim of one of them.
    assert {(work, reviews) for work, _l, reviews, _r, _c, _s in found} == {(SQUILLARO, 2)}
    by_review: dict[str, set[str]] = defaultdict(set)
    for _w, _l, _n, review, claim, _s in found:
        by_review[review].add(claim)
    assert set(by_review) == {REVIEW_2024, MENDT_2019}
    assert C + "preconditioning.increases.exosome-production" in by_review[REVIEW_2024]
    assert C + "msc.has_property.immunomodulation" in by_review[MENDT_2019]  # a curated assertion counts too
    assert len(by_review[REVIEW_2024]) == 10 and len(by_review[MENDT_2019]) == 7
    assert rows(store, queries, "co-cited-by-reviews", min="3") == []


def test_articles_by_year_and_by_journal(store: Store, queries: dict[str, SavedQuery]) -> None:
    assert rows(store, queries, "articles-by-year") == [(2015, 1), (2017, 1), (2019, 2), (2024, 1)]
    journal = B + "journal/"
    assert rows(store, queries, "articles-by-journal-and-year") == [
        (2015, journal + "semin-cell-dev-biol", "Semin Cell Dev Biol", 1),
        (2017, journal + "stem-cells-int", "Stem Cells Int", 1),
        (2019, journal + "biomark-res", "Biomark Res", 1),
        (2019, journal + "bone-marrow-transplant", "Bone Marrow Transplant", 1),
        (2024, journal + "regen-ther", "Regen Ther", 1),
    ]


def test_keywords(store: Store, queries: dict[str, SavedQuery]) -> None:
    assert rows(store, queries, "keywords") == [
        (K + "exosome", "Exosome", 2),
        (K + "mesenchymal-stem-cell", "Mesenchymal stem cell", 2),
        (K + "extracellular-vesicle", "Extracellular vesicles", 1),
        (K + "homeostasis", "Homeostasis", 1),
        (K + "preconditioning", "Preconditioning", 1),
        (K + "tissue-repair-and-regeneration", "Tissue repair and regeneration", 1),
    ]


def test_references_without_doi_or_any_identifier(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = rows(store, queries, "references-without-doi")
    # Seed 004 prints no DOI strings; its reference 2 (Squillaro) gets one from seed 000's list.
    assert [(article, position) for article, position, _work, _text in found] == [
        (MENDT_2019, 1), (MENDT_2019, 3), (MENDT_2019, 4), (MENDT_2019, 5)]
    assert all(work.startswith(W + "ref-") for _a, _p, work, _t in found)
    assert found[0][3].startswith("Galipeau J, Sensebe L. Mesenchymal stromal cells: clinical challenges")
    # None of the four has a PMID or PMCID either.
    assert rows(store, queries, "references-without-identifiers") == found


def test_most_cited_works(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = rows(store, queries, "most-cited-works")
    # Seed 002 lists five citing works and states 189; Squillaro is in two reference lists.
    assert found[0] == (PARADIGM_2019, "Exosomes from Mesenchymal Stem/stromal Cells: a New Therapeutic Paradigm",
                        0, 5, 189)
    assert found[1] == (SQUILLARO, "Clinical trials with mesenchymal stem cells: an update", 2, 2, None)
    assert len(found) == 20 and all(r[2:] == (1, 1, None) for r in found[2:])


def test_bibliographic_coupling(store: Store, queries: dict[str, SavedQuery]) -> None:
    # Seeds 000 and 004 share one reference (Squillaro); each cites five works. The default is seed 000.
    assert rows(store, queries, "bibliographic-coupling") == [
        (MENDT_2019, "Mesenchymal stem cell-derived exosomes for clinical use", 1, 5, 5)]
    assert rows(store, queries, "bibliographic-coupling", article=MENDT_2019) == [
        (REVIEW_2024, "Exosomes from preconditioned mesenchymal stem cells: Tissue repair and regeneration", 1, 5, 5)]
    assert rows(store, queries, "bibliographic-coupling", article=LAI_2015) == []



def test_claims_by_support(store: Store, queries: dict[str, SavedQuery]) -> None:
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


def test_contested_claims(store: Store, queries: dict[str, SavedQuery]) -> None:
    # No seed article states the opposite of another's claim.
    assert rows(store, queries, "contested-claims") == []


def test_hedged_only_claims(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = {claim: (works, firmest) for claim, _s, works, firmest in rows(store, queries, "hedged-only-claims")}
    assert found[C + "msc-exosome.has_property.tumour-formation.not"] == (1, 2)  # "might represent": possible
    assert found[C + "msc-exosome.treats.liver-injury"] == (1, 1)  # "are thought to": probable
    assert found[C + "msc-exosome.increases.homeostasis"] == (1, 3)  # "We propose": hypothesised
    assert C + "msc-exosome.contains.mirna" not in found


def test_review_only_claims(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = {claim: (reviews, firm) for claim, _s, reviews, firm in rows(store, queries, "review-only-claims")}
    # Seeds 000, 001, 003 and 004 are reviews; 002 has no publication type, so its claims are not review-only.
    assert found[C + "paracrine-signalling.mediates.therapeutic-effect"] == (2, 1)  # 000 and 004
    assert found[C + "msc-exosome.treats.liver-injury"] == (1, 0)  # 001, hedged
    assert found[C + "preconditioning.increases.exosome-production"] == (1, 1)  # 000, firm
    assert EXO_MEDIATES not in found  # 002 asserts it too
    assert C + "msc.treats.myocardial-infarction" not in found  # a cited primary study's title asserts it
    assert len(found) == 25


def test_diseases_treated(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = rows(store, queries, "diseases-treated")
    # The umbilical-cord MSC exosome claim comes from a citing article's title, stated firmly.
    assert found[0] == (CONCEPT + "periodontitis", "periodontitis", 1, 1)
    assert {(label, works, firm) for _d, label, works, firm in found[1:]} == {
        ("brain injury", 1, 0), ("cancer", 1, 0), ("disease", 1, 0), ("drug addiction", 1, 0),
        ("liver injury", 1, 0), ("myocardial infarction", 1, 0), ("status epilepticus", 1, 0)}
    # All MSC vesicles: the microvesicle claims from reference titles join, both stated firmly.
    wider = rows(store, queries, "diseases-treated", product=CONCEPT + "msc-ev")
    assert wider[:2] == [(CONCEPT + "acute-kidney-injury", "acute kidney injury", 1, 1),
                         (CONCEPT + "periodontitis", "periodontitis", 1, 1)]
    assert len(wider) == 9
    assert rows(store, queries, "diseases-treated", product=CONCEPT + "msc-secretome") == [
        (CONCEPT + "lung-injury", "lung injury", 1, 1)]


def test_preconditioning_effects(store: Store, queries: dict[str, SavedQuery]) -> None:
    precondition = CONCEPT + "preconditioning"
    assert rows(store, queries, "preconditioning-effects") == [
        (precondition, "MSC preconditioning", "increases", CONCEPT + "exosome-production", "exosome production", 1,
         C + "preconditioning.increases.exosome-production"),
        (precondition, "MSC preconditioning", "increases", CONCEPT + "term/stable-functionality",
         "stable functionality", 1, C + "preconditioning.increases.term_stable-functionality"),
        (precondition, "MSC preconditioning", "increases", CONCEPT + "therapeutic-effect", "therapeutic effect", 1,
         C + "preconditioning.increases.therapeutic-effect"),
    ]
    # No seed sentence names a particular method such as hypoxia.
    assert rows(store, queries, "preconditioning-effects", intervention=CONCEPT + "hypoxic-preconditioning") == []


def test_concept_cooccurrence(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = rows(store, queries, "concept-cooccurrence")
    assert found[:2] == [
        (CONCEPT + "msc-exosome", "mesenchymal stem cell-derived exosome", CONCEPT + "therapeutic-effect",
         "therapeutic effect", 1, 2),
        (CONCEPT + "paracrine-signalling", "paracrine signalling", CONCEPT + "therapeutic-effect", "therapeutic effect",
         1, 2),
    ]
    assert len(found) == 51 and all(r[4:] == (1, 1) for r in found[2:])
    assert all(a < b for a, _l, b, _o, _c, _w in found)  # each pair once
    with_preconditioning = rows(store, queries, "concept-cooccurrence", concept=CONCEPT + "preconditioning")
    assert {(a, b) for a, _l, b, _o, _c, _w in with_preconditioning} == {
        (CONCEPT + "exosome-production", CONCEPT + "preconditioning"),
        (CONCEPT + "preconditioning", CONCEPT + "term/stable-functionality"),
        (CONCEPT + "preconditioning", CONCEPT + "therapeutic-effect")}


def test_uncorroborated_articles(store: Store, queries: dict[str, SavedQuery]) -> None:
    # Seed 001's six "treats" claims are its own; every other article shares at least one claim.
    assert rows(store, queries, "uncorroborated-articles") == [
        (FOCUS_2017, "Focus on Mesenchymal Stem Cell-Derived Exosomes: Opportunities and Challenges in Cell-Free "
         "Therapy", 6)]


def test_claims_about_a_concept(store: Store, queries: dict[str, SavedQuery]) -> None:
    found = rows(store, queries, "claims-about-concept")
    assert found[0] == (EXO_MEDIATES, "mesenchymal stem cell-derived exosome mediates therapeutic effect", "subject",
                        2, False)
    assert {role for _c, _s, role, _n, _x in found} == {"subject"}
    mi = rows(store, queries, "claims-about-concept", concept=CONCEPT + "myocardial-infarction")
    assert [(claim, role) for claim, _s, role, _n, _x in mi] == [
        (C + "msc.treats.myocardial-infarction", "object"), (C + "msc-exosome.treats.myocardial-infarction", "object")]


def test_claim_evidence(store: Store, queries: dict[str, SavedQuery]) -> None:
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


# Independent routes ----------------------------------------------------------------------------------------------


def _plain(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        value = term.toPython()
        return value if isinstance(value, int | float | bool | str) else str(term)
    return str(term)


def test_rdflib_gives_the_same_rows_for_every_query(triples: list[Triple], store: Store,
                                                    queries: dict[str, SavedQuery]) -> None:
    # A second SPARQL engine, its parameters bound its own way (initBindings), over the exported N-Triples.
    graph = rdflib.Graph()
    graph.parse(data=ntriples(triples).decode("utf-8"), format="nt")
    for name, query in queries.items():
        bindings: dict[str, rdflib.term.Identifier] = {}
        for p in query.parameters:
            if p.default is not None:
                term = p.term(p.default)
                bindings[p.variable] = rdflib.URIRef(term.value) if isinstance(term, NamedNode) else \
                    rdflib.Literal(term.value, datatype=term.datatype.value)
        theirs = [tuple(_plain(t) for t in row) for row in graph.query(query.text, initBindings=bindings)]
        assert list(run(store, query).rows) == theirs, name


def test_values_binding_means_what_grlcs_substitution_means(store: Store, queries: dict[str, SavedQuery]) -> None:
    # grlc writes a parameter's value into the query text in place of the variable; exokg binds it in a VALUES
    # block instead. Both give the same rows for every query with parameters.
    for name, query in queries.items():
        if not query.parameters:
            continue
        text = query.text
        for p in query.parameters:
            if p.default is not None:
                text = re.sub(rf"[?$]{re.escape(p.variable)}(?!\w)", sparql_term(p.term(p.default)), text)
        assert run(store, query).terms == execute(store, text).terms, name


class Index:
    """The seed graph as plain Python maps, to work out what a query should find without SPARQL."""

    def __init__(self, triples: list[Triple]) -> None:
        self.by: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.values: dict[tuple[str, str], Any] = {}
        for t in triples:
            obj = t.object.value
            self.by[t.predicate.value][t.subject.value].add(obj)
            if isinstance(t.object, Literal):
                self.values[(t.subject.value, t.predicate.value)] = obj

    def objects(self, subject: str, predicate: str) -> set[str]:
        return self.by[predicate].get(subject, set())

    def subjects(self, predicate: str, obj: str | None = None) -> set[str]:
        return {s for s, objects in self.by[predicate].items() if obj is None or obj in objects}

    def broader_closure(self, top: str) -> set[str]:
        found, todo = {top}, [top]
        while todo:
            current = todo.pop()
            for narrower in self.subjects(SKOS + "broader", current) - found:
                found.add(narrower)
                todo.append(narrower)
        return found

    def works_of(self) -> dict[str, set[str]]:
        works: dict[str, set[str]] = defaultdict(set)
        for assertion, claims in self.by[EXO + "asserts"].items():
            for claim in claims:
                works[claim] |= self.objects(assertion, EXO + "assertedIn")
        return works

    def is_review(self, work: str) -> bool:
        return "http://purl.org/spar/fabio/ReviewArticle" in self.objects(work, RDF_TYPE) or any(
            re.search("review|meta-analys", t, re.IGNORECASE) for t in self.objects(work, EXO + "publicationType"))


@pytest.fixture(scope="module")
def index(triples: list[Triple]) -> Index:
    return Index(triples)


def test_review_only_and_uncorroborated_as_computed_from_the_triples(
        index: Index, store: Store, queries: dict[str, SavedQuery]) -> None:
    works = index.works_of()
    review_only = {c for c, ws in works.items() if all(index.is_review(w) for w in ws)}
    assert {r[0] for r in rows(store, queries, "review-only-claims")} == review_only
    articles = index.subjects(RDF_TYPE, EXO + "Article")
    claims_of: dict[str, set[str]] = defaultdict(set)
    for claim, ws in works.items():
        for work in ws:
            claims_of[work].add(claim)
    alone = {(a, len(claims_of[a])) for a in articles if claims_of[a] and all(works[c] == {a} for c in claims_of[a])}
    assert {(r[0], r[2]) for r in rows(store, queries, "uncorroborated-articles")} == alone


def test_diseases_and_preconditioning_as_computed_from_the_triples(
        index: Index, store: Store, queries: dict[str, SavedQuery]) -> None:
    products = index.broader_closure(CONCEPT + "msc-exosome")
    firm_assertions = index.subjects(EXO + "hedgeLevel", EXO + "asserted")
    expected: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for assertion, claims in index.by[EXO + "asserts"].items():
        for claim in claims:
            if (index.objects(claim, EXO + "subject") & products
                    and index.objects(claim, EXO + "relation") & {EXO + "treats", EXO + "protects_against"}
                    and index.values[(claim, EXO + "negated")] == "false"):
                for disease in index.objects(claim, EXO + "object"):
                    work = index.objects(assertion, EXO + "assertedIn")
                    expected[disease][0].update(work)
                    if assertion in firm_assertions:
                        expected[disease][1].update(work)
    assert {(d, n, f) for d, _l, n, f in rows(store, queries, "diseases-treated")} == {
        (d, len(ws), len(firm)) for d, (ws, firm) in expected.items()}
    methods = index.broader_closure(CONCEPT + "preconditioning")
    changed = {(m, claim) for claim in index.subjects(RDF_TYPE, EXO + "Claim")
               if index.objects(claim, EXO + "relation") & {EXO + "increases", EXO + "decreases"}
               for subject in index.objects(claim, EXO + "subject")
               for m in ({subject} | index.objects(subject, SKOS + "related")) & methods}
    assert {(r[0], r[6]) for r in rows(store, queries, "preconditioning-effects")} == changed


def test_citation_queries_as_computed_from_the_triples(
        index: Index, store: Store, queries: dict[str, SavedQuery]) -> None:
    articles = index.subjects(RDF_TYPE, EXO + "Article")
    cites = index.by[CITES]
    for a in articles:
        coupled = {(b, len(cites[a] & cites[b]), len(cites[a]), len(cites[b]))
                   for b in articles if b != a and cites.get(a, set()) & cites.get(b, set())}
        assert {(r[0], *r[2:]) for r in rows(store, queries, "bibliographic-coupling", article=a)} == coupled, a
    cited = {w for ws in cites.values() for w in ws}
    counts = {w: (len({a for a in articles if w in cites.get(a, ())}), len({c for c, ws in cites.items() if w in ws}))
              for w in cited}
    assert {(r[0], r[2], r[3]) for r in rows(store, queries, "most-cited-works")} == {
        (w, *n) for w, n in counts.items()}
    identifiers = ("http://prismstandard.org/namespaces/basic/2.0/doi", "http://purl.org/spar/fabio/hasPubMedId",
                   "http://purl.org/spar/fabio/hasPubMedCentralId")
    entries = {(article, entry) for article in articles for entry in index.objects(article, "http://purl.org/vocab/frbr/core#part")}
    lacking = {(a, work) for a, entry in entries for work in index.objects(entry, "http://purl.org/spar/biro/references")
               if not any(index.objects(work, p) for p in identifiers)}
    assert {(r[0], r[2]) for r in rows(store, queries, "references-without-identifiers")} == lacking


def test_cooccurrence_as_computed_from_the_triples(index: Index, store: Store, queries: dict[str, SavedQuery]) -> None:
    works = index.works_of()
    pairs: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for claim in index.subjects(RDF_TYPE, EXO + "Claim"):
        for s in index.objects(claim, EXO + "subject"):
            for o in index.objects(claim, EXO + "object"):
                if s != o:
                    pairs[(min(s, o), max(s, o))][0].add(claim)
                    pairs[(min(s, o), max(s, o))][1].update(works[claim])
    assert {(r[0], r[2], r[4], r[5]) for r in rows(store, queries, "concept-cooccurrence")} == {
        (a, b, len(cs), len(ws)) for (a, b), (cs, ws) in pairs.items()}


# The same cookbook on a SPARQL server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(triples: list[Triple], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server holding the seed graph, on a free port; stopped afterwards."""
    work = tmp_path_factory.mktemp("oxigraph")
    (work / "seed.nt").write_bytes(ntriples(triples))
    oxigraph_server.load(work / "db", work / "seed.nt")
    with oxigraph_server.running(work / "db", read_only=True) as url:
        yield f"{url}/query"


def test_every_query_gives_the_same_rows_on_the_server(endpoint: str, store: Store,
                                                       queries: dict[str, SavedQuery]) -> None:
    with Endpoint(endpoint, timeout=30) as server:
        for name, query in queries.items():
            local = run(store, query)
            remote = server.run(query)
            assert remote.variables == local.variables, name
            # Every cookbook query orders its rows completely, so even the order must agree.
            assert remote.terms == local.terms, name
        for name, params in (("claims-about-concept", {"concept": CONCEPT + "myocardial-infarction"}),
                             ("co-cited-works", {"min": "1"}), ("diseases-treated", {"product": CONCEPT + "msc-ev"}),
                             ("concept-cooccurrence", {"concept": CONCEPT + "preconditioning"})):
            assert server.run(queries[name], params) == run(store, queries[name], params), name


def test_the_command_line_prints_the_same_on_the_server(endpoint: str, store: Store,
                                                        queries: dict[str, SavedQuery]) -> None:
    for name, fmt in (("diseases-treated", "json"), ("claims-by-support", "tsv"), ("most-cited-works", "xml"),
                      ("concept-cooccurrence", "csv")):
        result = CliRunner().invoke(cli, ["query", name, str(ROOT), "--endpoint", endpoint, "--format", fmt],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes.decode("utf-8") == format_result(run(store, queries[name]), fmt), name
    result = CliRunner().invoke(cli, ["query", "co-cited-works", str(ROOT), "--endpoint", endpoint,
                                      "--param", "min=3 } ; DROP ALL"], catch_exceptions=False)
    assert result.exit_code == 2 and "min must be integer" in result.stderr


def test_the_servers_own_errors_reach_the_user(endpoint: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("#+ summary: broken\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", str(broken), str(ROOT), "--endpoint", endpoint],
                                catch_exceptions=False)
    assert result.exit_code == 4
    assert f"{endpoint}: HTTP 400" in result.stderr and "Traceback" not in result.stderr
    wrong = endpoint.replace("/query", "/nowhere")
    result = CliRunner().invoke(cli, ["query", "keywords", str(ROOT), "--endpoint", wrong], catch_exceptions=False)
    assert result.exit_code == 4 and f"{wrong}: HTTP 404" in result.stderr


def test_json_results_from_the_server_parse_as_ours(endpoint: str, store: Store,
                                                    queries: dict[str, SavedQuery]) -> None:
    # The server's own SPARQL JSON for a bound query and ours describe the same terms.
    text = bind(queries["claim-evidence"], {})
    answer = requests.post(endpoint, data=text.encode(), timeout=30, headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    ours = json.loads(format_result(run(store, queries["claim-evidence"]), "json"))
    assert json.loads(answer.content) == ours
