"""The concept scheme file: well-formed SKOS, the identifiers the issue names, composites, and load errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from exokg.claims import ConceptScheme, Parts, load_scheme
from exokg.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT / "ontology" / "concepts.ttl"
BASE = "https://w3id.org/exokg/concept/"


@pytest.fixture(scope="module")
def scheme() -> ConceptScheme:
    return load_scheme(PATH)


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(PATH)


def test_every_concept_has_one_preferred_label_its_rdfs_label_and_is_in_the_scheme(graph: rdflib.Graph) -> None:
    scheme_iri = rdflib.URIRef(BASE)
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 300
    for concept in concepts:
        prefs = list(graph.objects(concept, SKOS.prefLabel))
        assert len(prefs) == 1, concept
        assert list(graph.objects(concept, RDFS.label)) == prefs, concept
        assert (concept, SKOS.inScheme, scheme_iri) in graph, concept
        assert str(concept).startswith(BASE) and str(concept)[len(BASE):].replace("-", "").isalnum(), concept


def test_mappings_the_issue_names(graph: rdflib.Graph) -> None:
    def exact(key: str) -> set[str]:
        return {str(o) for o in graph.objects(rdflib.URIRef(BASE + key), SKOS.exactMatch)}

    assert exact("msc") >= {"http://purl.obolibrary.org/obo/CL_0000134", "http://id.nlm.nih.gov/mesh/D059630"}
    assert "http://purl.obolibrary.org/obo/GO_0070062" in exact("exosome")
    assert "http://purl.obolibrary.org/obo/GO_1903561" in exact("extracellular-vesicle")


def test_every_concept_falls_under_exactly_one_category(scheme: ConceptScheme) -> None:
    assert set(scheme.top) == {"anatomical-entity", "biological-process", "cell", "disease", "intervention",
                               "molecule", "outcome", "property", "secreted-product", "therapy"}
    assert all(scheme.category(key) in scheme.top for key in scheme.concepts)
    assert scheme.category("renal-fibrosis") == "disease"  # a disease and a process: the disease wins


def test_no_label_names_two_concepts(scheme: ConceptScheme) -> None:
    clashes = {words: {e.key for e in entries} for words, entries in scheme.labels.items()
               if len({e.key for e in entries}) > 1}
    assert clashes == {}


@pytest.mark.parametrize(("words", "written", "key"), [
    (("msc",), ["MSCs"], "msc"),
    (("bmsc",), ["BMSCs"], "bm-msc"),
    (("huc", "msc"), ["hUC", "MSC"], "uc-msc"),
    (("exo",), ["Exos"], "exosome"),
    (("sev",), ["sEVs"], "small-ev"),
    (("ev",), ["EVs"], "extracellular-vesicle"),
    (("ev",), ["evs"], None),  # acronyms keep their casing
    (("tumor", "formation"), ["tumor", "formation"], "tumour-formation"),
    (("myocardial", "infarction"), ["Myocardial", "Infarction"], "myocardial-infarction"),
])
def test_labels_synonyms_and_abbreviations(scheme: ConceptScheme, words: tuple[str, ...], written: list[str],
                                           key: str | None) -> None:
    assert scheme.lookup(words, written) == ([key] if key else [])


def test_composites_are_found_by_their_parts_and_generalise_along_broader(scheme: ConceptScheme) -> None:
    assert scheme.parts("msc-exosome") == Parts("exosome", "msc")
    assert scheme.parts("hypoxic-msc-exosome") == Parts("exosome", "msc", "hypoxic-preconditioning")
    assert scheme.composite(Parts("small-ev", "bm-msc")) == "bm-msc-sev"
    assert scheme.composite(Parts("exosome", "bm-msc", "hypoxic-preconditioning")) == "hypoxic-msc-exosome"
    assert scheme.composite(Parts("exosome", "cardiomyocyte")) == "cardiomyocyte-exosome"
    assert scheme.composite(Parts("exosome", "hepatocyte")) is None  # never generalised into another cell family
    assert scheme.is_within("bm-msc-exosome", "exosome") and scheme.is_within("bm-msc-exosome", "msc-exosome")
    assert not scheme.is_within("tumour-cell-exosome", "msc-exosome")


def test_a_stimulus_names_its_preconditioning(scheme: ConceptScheme) -> None:
    assert scheme.modifier_for("hypoxia") == "hypoxic-preconditioning"
    assert scheme.modifier_for("ifn-gamma") == "inflammatory-priming"
    assert scheme.modifier_for("apoptosis") is None


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"concepts\.ttl: the concept scheme does not exist"):
        load_scheme(tmp_path / "concepts.ttl")


def test_invalid_turtle_is_named(tmp_path: Path) -> None:
    path = tmp_path / "concepts.ttl"
    path.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:prefLabel ", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"concepts\.ttl: the concept scheme is not valid Turtle"):
        load_scheme(path)


def test_a_dangling_broader_and_a_double_preferred_label_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "concepts.ttl"
    path.write_text(f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{BASE}a> a skos:Concept ; skos:prefLabel "a" ; skos:broader <{BASE}missing> .
<{BASE}b> a skos:Concept ; skos:prefLabel "b", "bee" .
""", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_scheme(path)
    message = str(error.value)
    assert str(path) in message
    assert "'a' points to 'missing'" in message and "'b' has 2 skos:prefLabel values" in message


def test_a_broader_cycle_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "concepts.ttl"
    path.write_text(f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{BASE}top> a skos:Concept ; skos:prefLabel "top" .
<{BASE}a> a skos:Concept ; skos:prefLabel "a" ; skos:broader <{BASE}b> .
<{BASE}b> a skos:Concept ; skos:prefLabel "b" ; skos:broader <{BASE}a> .
""", encoding="utf-8")
    with pytest.raises(ConfigError, match="cycle"):
        load_scheme(path)
