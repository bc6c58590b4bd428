"""The vocabularies exokg writes, as closed namespaces: a misspelt term is an error, not a new IRI.

``EXO`` lists exokg's own terms; a test checks that it and ``ontology/exokg.ttl`` agree.
"""

from __future__ import annotations

from pyoxigraph import NamedNode
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

EXO_IRI = "https://w3id.org/exokg/ontology/"
# Concepts are shared vocabulary, like the ontology: their IRIs do not change with a project's base.
CONCEPT_IRI = "https://w3id.org/exokg/concept/"


class EXO(DefinedNamespace):
    _NS = Namespace(EXO_IRI)
    _fail = True

    Article: URIRef
    Authorship: URIRef
    AbstractSection: URIRef
    SourceRecord: URIRef
    Retrieval: URIRef
    Claim: URIRef
    Assertion: URIRef
    Relation: URIRef
    HedgeLevel: URIRef
    # The closed relation vocabulary and the hedge levels (individuals).
    increases: URIRef
    decreases: URIRef
    treats: URIRef
    protects_against: URIRef
    causes: URIRef
    mediates: URIRef
    contains: URIRef
    has_property: URIRef
    is_a: URIRef
    asserted: URIRef
    probable: URIRef
    possible: URIRef
    hypothesised: URIRef
    # Claims and assertions.
    subject: URIRef
    relation: URIRef
    object: URIRef
    negated: URIRef
    asserts: URIRef
    assertedIn: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    section: URIRef
    hedgeLevel: URIRef
    hedgeCue: URIRef
    studyDesign: URIRef
    comparator: URIRef
    qualifier: URIRef
    extractionMethod: URIRef
    assertingArticles: URIRef
    firmArticles: URIRef
    hedgedArticles: URIRef
    contested: URIRef
    negationOf: URIRef
    # MeSH headings of PubMed records.
    MeshHeading: URIRef
    meshHeading: URIRef
    descriptor: URIRef
    meshQualifier: URIRef
    majorTopic: URIRef
    # Which record gave each field of an article merged from several.
    fieldProvenance: URIRef
    field: URIRef
    abstractSection: URIRef
    affiliationAsPrinted: URIRef
    agent: URIRef
    authorListComplete: URIRef
    authorship: URIRef
    layout: URIRef
    service: URIRef
    matchKey: URIRef
    nameAsPrinted: URIRef
    publicationDateAsPrinted: URIRef
    publicationType: URIRef
    sha256: URIRef
    statedCitationCount: URIRef
    text: URIRef


FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
BIRO = Namespace("http://purl.org/spar/biro/")
C4O = Namespace("http://purl.org/spar/c4o/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
SCHEMA = Namespace("http://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")

# Prefixes written into every Turtle file, in this order.
PREFIXES: dict[str, str] = {
    "exo": EXO_IRI,
    "biro": str(BIRO),
    "c4o": str(C4O),
    "cito": str(CITO),
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "fabio": str(FABIO),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "frbr": str(FRBR),
    "owl": "http://www.w3.org/2002/07/owl#",
    "prism": str(PRISM),
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": str(SCHEMA),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": str(VOID),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class Terms:
    """The terms of a namespace as pyoxigraph nodes, each made once, for the code that writes the triples.

    ``Terms(EXO).Article`` is ``NamedNode(str(EXO.Article))``: a closed namespace still refuses a misspelt
    term. rdflib's attribute look-up and a new node per triple cost more than the rest of writing a triple;
    here the first look-up stores the node as a plain attribute, so every later one is a dictionary read.
    """

    def __init__(self, namespace: Namespace | type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):  # copy, pickle and friends probe for special methods
            raise AttributeError(name)
        node = NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self.__dict__.get(name)
        return node if isinstance(node, NamedNode) else self.__getattr__(name)
