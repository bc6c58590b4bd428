"""Validation of a rebuild: the report kept for the previous build's graph, brought up to date by checking again
only the focus nodes that the change between the two graphs can reach.

What a focus node's results depend on is bounded by the shapes (:func:`exokg.validate.shapes_reach`): its own
triples both ways, the triples along a fixed set of paths from it, and predicates read everywhere. A triple the
change added or removed at step *i* of a path is reached by every focus node that the path's first *i* steps
lead back to in this build's graph. Where a removed triple was reached through other removed triples, the one
nearest the focus node is reached through triples both graphs hold, so walking back in this build's graph alone
finds every focus node whose results may differ. Their results are worked out again on the whole store; every
other result is the previous report's. The report equals what validating the whole graph gives, which the tests
check change by change.

Reports are kept in the build cache by the SHA-256 of the graph's N-Triples, so a report is only ever used for
the graph it was made from. Only the compiled path's reports are kept (docs/decisions/0009): a graph validated by
pyshacl is one that path refused, and so would the next one be.
"""

from __future__ import annotations

import hashlib
import logging
import platform
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple, Variable
from rdflib.namespace import SH

from exokg.cache import MISSING, Cache, add_folder, code_digest
from exokg.graph.change import Change
from exokg.graph.store import Loaded
from exokg.validate import Reach, shapes_reach, validate_compiled, validate_partitioned
from exokg.validate.results import ValidationReport, make_report
from exokg.validate.sparql import Unsupported, altered_literals, validate_store

log = logging.getLogger("exokg")

KIND = "validation"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
# Nodes met while walking back from a change, beyond which validating the whole graph is the quicker way.
_MAX_WALKED = 100_000
# The libraries whose reading of terms makes the report's text (pyshacl's rules, rdflib's lexical forms).
_LIBRARIES = ("pyoxigraph", "rdflib", "pyshacl")
_Node = NamedNode | BlankNode | Literal | Triple  # what a triple's subject or object can be


class KeptReports:
    """The compiled path's reports in the build cache, each under the digest of the graph it is the report of."""

    def __init__(self, cache: Cache, shapes_dir: Path) -> None:
        digest = hashlib.sha256(code_digest().encode("ascii") + b"\0")
        digest.update(" ".join([platform.python_version(), *(f"{name}={version(name)}" for name in _LIBRARIES)])
                      .encode("utf-8") + b"\0")
        add_folder(digest, shapes_dir, "*.ttl")
        self.section = cache.section(KIND, digest.hexdigest(), "validation reports")

    def get(self, graph: str) -> ValidationReport | None:
        found = self.section.get(graph.encode("ascii"))
        return None if found is MISSING else ValidationReport(found)

    def put(self, graph: str, report: ValidationReport) -> None:
        self.section.put(graph.encode("ascii"), report.results)


def validate_build(triples: Sequence[Triple], shapes: rdflib.Graph, loaded: Loaded, *,
                   kept: KeptReports | None = None, cache_dir: Path | None = None) -> ValidationReport:
    """What ``exokg build`` runs: the report kept for this graph, else the previous graph's report brought up to
    date by ``loaded.change`` (:func:`revalidate`), else the whole graph validated
    (:func:`exokg.validate.validate_triples`). ``loaded`` holds ``triples``."""
    if kept is None:
        return _whole(triples, shapes, loaded, None, cache_dir)
    report = kept.get(loaded.digest)
    if report is not None:
        log.info("validation: the graph is unchanged since its report was kept")
    elif loaded.change is not None and (before := kept.get(loaded.change.previous)) is not None:
        try:
            report = revalidate(loaded.store, shapes, before, loaded.change)
        except Unsupported as exc:
            log.debug("validation: the change is not followed (%s)", exc)
        if report is not None:
            kept.put(loaded.digest, report)
    if report is None:
        report = _whole(triples, shapes, loaded, kept, cache_dir)
    kept.section.done()
    return report


def _whole(triples: Sequence[Triple], shapes: rdflib.Graph, loaded: Loaded, kept: KeptReports | None,
           cache_dir: Path | None) -> ValidationReport:
    try:
        report = validate_compiled(triples, shapes, loaded.store)
    except Unsupported as exc:
        log.info("validating with pyshacl: the shapes do not compile to SPARQL exactly (%s)", exc)
        return validate_partitioned(triples, shapes, cache_dir=cache_dir)
    if kept is not None:
        kept.put(loaded.digest, report)
    return report


def revalidate(store: Store, shapes: rdflib.Graph, before: ValidationReport, change: Change) -> ValidationReport | None:
    """The report of the graph in ``store``, from ``before`` (the report of the graph ``change`` leads from) and
    the focus nodes the change can reach checked again. ``None`` when that cannot be bounded (the shapes' reach,
    a predicate read everywhere changed, literal focus nodes) or would be slower than validating the whole
    graph; :class:`Unsupported` when the compiled checks refuse the shapes."""
    reach = shapes_reach(shapes)
    if reach is None:
        return None
    removed, added = change.removed_triples(), change.added_triples()
    changed = removed + added
    if any(t.predicate.value in reach.everywhere or t.predicate.value == _SUBCLASS for t in changed):
        return None  # a subclass link changes which nodes are targeted and what sh:class accepts, anywhere
    if altered_literals(added) or _literal_focus(store, shapes):
        return None
    affected = reached(store, reach, changed)
    if affected is None:
        return None
    found = validate_store(store, shapes, within=affected)
    again = {node.value for node in affected}
    log.info("validation: %s focus node(s) checked again after %s changed triple(s); the other results kept",
             f"{len(affected):,}", f"{len(changed):,}")
    return make_report([*(r for r in before.results if r.focus not in again), *found.results])


def _literal_focus(store: Store, shapes: rdflib.Graph) -> bool:
    """Whether a literal can be a focus node, whose results a report names by its text alone (like an IRI's)."""
    if any(isinstance(node, rdflib.Literal) for node in shapes.objects(None, SH.targetNode)):
        return True
    return any(bool(store.query("ASK { [] ?p ?o FILTER (isLiteral(?o)) }",
                                substitutions={Variable("p"): NamedNode(str(p))}))
               for p in shapes.objects(None, SH.targetObjectsOf) if isinstance(p, rdflib.URIRef))


def reached(store: Store, reach: Reach, changed: Iterable[Triple]) -> set[NamedNode] | None:
    """The nodes whose results may differ after ``changed`` (triples added or removed): the changed triples'
    own subjects and objects, and every node that a reach path leads from to a changed triple it follows, walked
    back in ``store``. ``None`` beyond :data:`_MAX_WALKED` nodes."""
    changed = list(changed)
    found: set[_Node] = {term for t in changed for term in (t.subject, t.object)}
    walked = 0
    for path in sorted(reach.paths):
        for i, (predicate, inverse) in enumerate(path):
            if i == 0:
                continue  # the node a path starts from is the changed triple's own subject or object
            frontier: set[_Node] = {t.object if inverse else t.subject for t in changed
                                   if predicate is None or t.predicate.value == predicate}
            for back, back_inverse in reversed(path[:i]):
                frontier = _back(store, frontier, back, back_inverse)
                walked += len(frontier)
                if walked > _MAX_WALKED:
                    return None
            found |= frontier
    return {node for node in found if isinstance(node, NamedNode)}


def _back(store: Store, nodes: set[_Node], predicate: str | None, inverse: bool) -> set[_Node]:
    """The nodes one step of a path leads from to ``nodes``: subjects linking to them by ``predicate``, or for an
    inverse step the objects they link to."""
    p = NamedNode(predicate) if predicate is not None else None
    found: set[_Node] = set()
    for node in nodes:
        if inverse:
            if not isinstance(node, Literal):
                found.update(q.object for q in store.quads_for_pattern(node, p, None))
        else:
            found.update(q.subject for q in store.quads_for_pattern(None, p, node))
    return found
