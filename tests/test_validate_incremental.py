"""A rebuild's validation: the previous graph's report brought up to date by checking again only the focus nodes
a change reaches gives the report of validating the whole new graph, and refuses where it could not."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from project_fixtures import copy_project, synthetic_project
from pyoxigraph import Literal, NamedNode, Triple
from test_validate import _project_shapes

from exokg.config import load_config
from exokg.graph.change import Change, graph_change
from exokg.graph.mapping import triple_order
from exokg.graph.store import memory_store, ntriples
from exokg.pipeline import read_graph
from exokg.validate import shapes_reach
from exokg.validate.incremental import reached, revalidate
from exokg.validate.sparql import validate_store

EXO = "https://w3id.org/exokg/ontology/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TITLE = NamedNode("http://purl.org/dc/terms/title")
ABSTRACT = NamedNode("http://purl.org/dc/terms/abstract")
POSITION = NamedNode("http://schema.org/position")
REFERENCES = NamedNode("http://purl.org/spar/biro/references")
ASSERTED_IN = NamedNode(EXO + "assertedIn")
EVIDENCE = NamedNode(EXO + "evidence")


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Triple]]:
    seed = read_graph(load_config(copy_project(tmp_path_factory.mktemp("seed") / "project"), environ={})).triples
    synthetic = tmp_path_factory.mktemp("synthetic") / "project"
    return {"seed": seed,
            "synthetic": read_graph(load_config(synthetic_project(synthetic, 12, 5), environ={})).triples}


def _first(triples: list[Triple], predicate: NamedNode, obj: object = None) -> Triple:
    return next(t for t in triples if t.predicate == predicate and (obj is None or t.object == obj))


def _without(triples: list[Triple], *gone: Triple) -> list[Triple]:
    dropped = set(gone)
    return [t for t in triples if t not in dropped]


def _label_changed(g: list[Triple]) -> list[Triple]:
    # A result names its focus node by the node's label: the node is one of the changed triple's own.
    article = _first(g, RDF_TYPE, NamedNode(EXO + "Article")).subject
    return [*(t for t in g if not (t.subject == article and t.predicate == LABEL)),
            Triple(article, LABEL, Literal("A label changed since"))]


def _title_removed(g: list[Triple]) -> list[Triple]:
    article = _first(g, RDF_TYPE, NamedNode(EXO + "Article")).subject
    return [t for t in g if not (t.subject == article and t.predicate == TITLE)]


def _position_a_string(g: list[Triple]) -> list[Triple]:
    # The author-order constraint is the work's; the work is reached from the position by one step back.
    authorship = _first(g, RDF_TYPE, NamedNode(EXO + "Authorship")).subject
    old = next(t for t in g if t.subject == authorship and t.predicate == POSITION)
    return [*_without(g, old), Triple(authorship, POSITION, Literal("1"))]


def _second_label(g: list[Triple]) -> list[Triple]:
    article = _first(g, RDF_TYPE, NamedNode(EXO + "Article")).subject
    return [*g, Triple(article, LABEL, Literal("a second label"))]


def _cited_work_untyped(g: list[Triple]) -> list[Triple]:
    # sh:class on what a reference entry references: the result is the entry's, reached from the work's type.
    cited = {t.object for t in g if t.predicate == REFERENCES}
    work = min((t.subject for t in g if t.predicate == RDF_TYPE and t.subject in cited), key=lambda n: n.value)
    return [t for t in g if not (t.subject == work and t.predicate == RDF_TYPE)]


def _abstract_changed(g: list[Triple]) -> list[Triple]:
    # The evidence check reads the abstract of the article an assertion is asserted in: two steps from it.
    article = _first(g, ASSERTED_IN).object
    return [*(t for t in g if not (t.subject == article and t.predicate == ABSTRACT)),
            Triple(article, ABSTRACT, Literal("An abstract that no evidence sentence is taken from."))]


def _evidence_elsewhere(g: list[Triple]) -> list[Triple]:
    old = _first(g, EVIDENCE)
    return [*_without(g, old), Triple(old.subject, EVIDENCE, Literal("a sentence no work contains"))]


EDITS: dict[str, Callable[[list[Triple]], list[Triple]]] = {
    "a label changed": _label_changed,
    "a title removed": _title_removed,
    "a position written as a string": _position_a_string, "a second label": _second_label,
    "a cited work's type removed": _cited_work_untyped, "an abstract changed": _abstract_changed,
    "an evidence sentence from nowhere": _evidence_elsewhere,
}


def _change(before: list[Triple], after: list[Triple], folder: Path) -> Change:
    previous = folder / "previous.nt"
    previous.write_bytes(ntriples(before))
    text = ntriples(after)
    change = graph_change(text, hashlib.sha256(text).hexdigest(), previous)
    assert change is not None and len(change) > 0
    return change


@pytest.mark.parametrize("graph", ["seed", "synthetic"])
@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("direction", ["made", "undone"])
def test_the_previous_report_brought_up_to_date_is_the_whole_graphs(
        graphs: dict[str, list[Triple]], graph: str, edit: str, direction: str, tmp_path: Path) -> None:
    shapes = _project_shapes()
    # The label is changed on an article already without a title, so that a result names it by its label.
    old = sorted(_title_removed(graphs[graph]) if edit == "a label changed" else graphs[graph], key=triple_order)
    new = sorted(EDITS[edit](old), key=triple_order)
    if direction == "undone":
        old, new = new, old
    before = validate_store(memory_store(old), shapes)
    store = memory_store(new)
    whole = validate_store(store, shapes)
    # Every edit makes or mends a violation: a change the report does not show would test nothing.
    assert whole != before
    change = _change(old, new, tmp_path)
    reach = shapes_reach(shapes)
    assert reach is not None
    again = reached(store, reach, [*change.removed_triples(), *change.added_triples()])
    subjects = {t.subject for t in new}
    assert again is not None and 0 < len(again) < len(subjects) / 10, "only a few nodes are checked again"
    assert revalidate(store, shapes, before, change) == whole


def test_a_changed_subclass_link_validates_the_whole_graph(graphs: dict[str, list[Triple]], tmp_path: Path) -> None:
    old = sorted(graphs["seed"], key=triple_order)
    new = [*old, Triple(NamedNode("https://example.org/Preprint"),
                        NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"), NamedNode(EXO + "Article"))]
    shapes = _project_shapes()
    before, store = validate_store(memory_store(old), shapes), memory_store(new)
    assert revalidate(store, shapes, before, _change(old, new, tmp_path)) is None


def test_where_a_literal_can_be_a_focus_node_the_whole_graph_is_validated(
        graphs: dict[str, list[Triple]], tmp_path: Path) -> None:
    # A report names a literal focus node by its text, as it names an IRI: results kept by text could be another
    # node's. The project's shapes target the objects of cito:cites.
    shapes = _project_shapes()
    assert any(True for _ in shapes.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#targetObjectsOf")))
    old = sorted(graphs["seed"], key=triple_order)
    article = _first(old, RDF_TYPE, NamedNode(EXO + "Article")).subject
    new = [*old, Triple(article, NamedNode("http://purl.org/spar/cito/cites"), Literal("a work named in text"))]
    before, store = validate_store(memory_store(old), shapes), memory_store(new)
    assert revalidate(store, shapes, before, _change(old, new, tmp_path)) is None


def test_checks_restricted_to_some_nodes_give_their_results_of_the_whole_graph(
        graphs: dict[str, list[Triple]]) -> None:
    # The author-order and evidence checks are SPARQL constraints with sub-SELECTs of their own: the nodes are
    # bound inside those too.
    shapes = _project_shapes()
    broken = sorted(_evidence_elsewhere(_position_a_string(_title_removed(graphs["synthetic"]))), key=triple_order)
    store = memory_store(broken)
    whole = validate_store(store, shapes)
    focus = sorted({r.focus for r in whole.results})
    assert len(focus) >= 3
    some = {NamedNode(f) for f in focus[::2]}
    assert validate_store(store, shapes, within=some).results == \
        tuple(r for r in whole.results if NamedNode(r.focus) in some)
