"""Assertions become one claim per proposition, with counts, polarity and provenance."""

from __future__ import annotations

import rdflib
from rdflib import Literal, URIRef

from exokg.graph.claims import StatedClaim, map_claims, statement
from exokg.graph.iris import Iris
from exokg.graph.store import turtle
from exokg.model import Assertion, ConceptRef, Source

BASE = "https://w3id.org/exokg/"
EXO = "https://w3id.org/exokg/ontology/"
C = "https://w3id.org/exokg/concept/"
MSC_EXO = ConceptRef("msc-exosome", "MSC-derived exosome", "MSC-derived exosomes")
TUMOUR = ConceptRef("tumour-formation", "tumour formation", "tumor formation")
IMMUNO = ConceptRef("immunogenicity", "immunogenicity", "lower immunogenicity")
STABILITY = ConceptRef("functional-stability", "functional stability", "stable functionality", curated=False)
LOW_IMMUNO = ConceptRef("low-immunogenicity", "low immunogenicity", "lower immunogenicity", curated=False,
                        broader="immunogenicity")
SENTENCE = "MSC-derived exosomes might carry no risk of tumor formation."


def assertion(subject: ConceptRef, relation: str, obj: ConceptRef, *, negated: bool = False, hedge: str = "asserted",
              cues: tuple[str, ...] = (), evidence: str = SENTENCE, section: str = "abstract",
              qualifiers: tuple[tuple[str, str], ...] = (), method: str = "exokg-rules/1") -> Assertion:
    return Assertion(subject, relation, obj, negated, hedge, cues, evidence, 0, len(evidence), section,
                     "article", qualifiers, method)


def graph(stated: list[StatedClaim], curation: Source | None = None) -> rdflib.Graph:
    triples = map_claims(stated, Iris(BASE), BASE + "software/exokg-0.1.0", curation)
    return rdflib.Graph().parse(data=turtle(sorted(triples, key=str)).decode(), format="turtle")


def value(g: rdflib.Graph, s: str, p: str) -> object:
    found = g.value(URIRef(s), URIRef(EXO + p))
    return found.toPython() if isinstance(found, Literal) else found


def test_one_claim_many_assertions_with_counts_and_contest() -> None:
    stated = [
        StatedClaim("pmid:1", "a.txt", assertion(MSC_EXO, "causes", TUMOUR, negated=True, hedge="possible",
                                                  cues=("might",))),
        StatedClaim("pmid:2", "b.txt", assertion(MSC_EXO, "causes", TUMOUR, negated=True,
                                                  evidence="MSC exosomes carry no risk of tumour formation.")),
        StatedClaim("pmid:2", "b.txt", assertion(MSC_EXO, "causes", TUMOUR, negated=True, hedge="probable",
                                                  evidence="No tumours formed.", cues=("appears",))),
        StatedClaim("pmid:3", "c.txt", assertion(MSC_EXO, "causes", TUMOUR, evidence="Exosomes caused tumours.")),
    ]
    g = graph(stated)
    negative = BASE + "claim/msc-exosome.causes.tumour-formation.not"
    positive = BASE + "claim/msc-exosome.causes.tumour-formation"
    assert value(g, negative, "assertingArticles") == 2
    assert value(g, negative, "firmArticles") == 1
    assert value(g, negative, "hedgedArticles") == 1
    assert value(g, negative, "contested") is True and value(g, positive, "contested") is True
    assert value(g, negative, "negationOf") == URIRef(positive)
    assert str(g.value(URIRef(negative), rdflib.RDFS.label)) == "MSC-derived exosome does not cause tumour formation"
    assert value(g, negative, "subject") == URIRef(C + "msc-exosome")
    assert value(g, negative, "relation") == URIRef(EXO + "causes")
    first = BASE + "work/pmid-1#assertion-1"
    assert value(g, first, "asserts") == URIRef(negative)
    assert value(g, first, "hedgeLevel") == URIRef(EXO + "possible")
    assert value(g, first, "hedgeCue") == "might"
    assert value(g, first, "evidence") == SENTENCE
    assert (value(g, first, "evidenceStart"), value(g, first, "evidenceEnd")) == (0, len(SENTENCE))
    assert g.value(URIRef(first), rdflib.PROV.wasDerivedFrom) == URIRef(BASE + "source/a.txt")
    assert len(set(g.subjects(rdflib.RDF.type, URIRef(EXO + "Assertion")))) == 4


def test_the_same_title_read_from_two_pages_is_one_assertion() -> None:
    title = "Exosomes from MSCs attenuate experimental periodontitis"
    one = assertion(MSC_EXO, "treats", ConceptRef("periodontitis", "periodontitis", "periodontitis"),
                    evidence=title, section="reference_title")
    g = graph([StatedClaim("pmid:9", "a.txt", one), StatedClaim("pmid:9", "b.txt", one)])
    node = URIRef(BASE + "work/pmid-9#assertion-1")
    assert set(g.objects(node, rdflib.PROV.wasDerivedFrom)) == {URIRef(BASE + "source/a.txt"),
                                                                 URIRef(BASE + "source/b.txt")}
    assert len(set(g.subjects(rdflib.RDF.type, URIRef(EXO + "Assertion")))) == 1


def test_minted_terms_qualifiers_and_curation_provenance() -> None:
    curated = assertion(MSC_EXO, "has_property", IMMUNO, qualifiers=(("comparator", "msc"), ("design", "in vitro"),
                                                                      ("resolved_from", "They")), method="curated")
    minted = assertion(ConceptRef("preconditioning", "preconditioning", "preconditioning"), "increases", STABILITY)
    g = graph([StatedClaim("pmid:1", "a.txt", curated), StatedClaim("pmid:1", "a.txt", minted)],
              Source("curation.yaml", "c" * 64))
    term = URIRef(C + "term/functional-stability")
    assert (term, rdflib.RDF.type, rdflib.SKOS.Concept) in g
    assert g.value(term, rdflib.SKOS.inScheme) == URIRef(C + "term/")
    node = next(g.subjects(URIRef(EXO + "extractionMethod"), Literal("curated")))
    assert value(g, str(node), "comparator") == URIRef(C + "msc")
    assert value(g, str(node), "studyDesign") == "in vitro"
    assert value(g, str(node), "qualifier") == "resolved_from: They"
    assert URIRef(BASE + "source/curation.yaml") in set(g.objects(node, rdflib.PROV.wasDerivedFrom))
    assert g.value(node, rdflib.PROV.wasGeneratedBy) is None


def test_a_minted_term_narrows_its_scheme_concept() -> None:
    g = graph([StatedClaim("pmid:1", "a.txt", assertion(MSC_EXO, "has_property", LOW_IMMUNO))])
    term = URIRef(C + "term/low-immunogenicity")
    assert g.value(term, rdflib.SKOS.broader) == URIRef(C + "immunogenicity")
    assert (URIRef(BASE + "claim/msc-exosome.has_property.term_low-immunogenicity"), URIRef(EXO + "object"),
            term) in g


def test_statements_read_as_english() -> None:
    assert statement("MSC", "is_a", "cell type", True) == "MSC is not a cell type"
    assert statement("hypoxia", "increases", "exosome secretion", False) == "hypoxia increases exosome secretion"
    assert statement("X", "protects_against", "Y", True) == "X does not protect against Y"
