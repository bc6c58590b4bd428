"""The ontology file and the Python namespace agree, and every term is documented."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from exokg.graph.namespaces import EXO, EXO_IRI

ROOT = Path(__file__).resolve().parents[1]


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "ontology" / "exokg.ttl")


def test_namespace_and_ontology_define_the_same_terms() -> None:
    graph = _ontology()
    declared = {str(s) for s in graph.subjects(RDF.type, None) if str(s).startswith(EXO_IRI) and str(s) != EXO_IRI}
    in_python = {EXO_IRI + name for name in EXO.__annotations__}
    assert declared == in_python


def test_every_term_has_a_label_a_comment_and_a_kind() -> None:
    graph = _ontology()
    for name in EXO.__annotations__:
        term = rdflib.URIRef(EXO_IRI + name)
        assert graph.value(term, RDFS.label) is not None, name
        assert graph.value(term, RDFS.comment) is not None, name
        kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}
        assert set(graph.objects(term, RDF.type)) & kinds, name


def test_ontology_header_has_version_and_licence() -> None:
    graph = _ontology()
    ontology = rdflib.URIRef(EXO_IRI)
    assert graph.value(ontology, OWL.versionInfo) is not None
    assert graph.value(ontology, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
