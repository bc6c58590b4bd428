"""The validate stage: SHACL shapes checked with pyshacl, results returned as a typed report.

Data that does not conform is a result (a :class:`ValidationReport`), not an exception; shapes that
cannot be read are a :class:`~exokg.errors.ShapesError`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import RDFS, SH

from exokg.errors import ShapesError
from exokg.graph.mapping import triple_order
from exokg.graph.store import memory_store, ntriples, to_rdflib
from exokg.validate.results import ValidationReport as ValidationReport
from exokg.validate.results import ValidationResult as ValidationResult
from exokg.validate.results import focus_name, make_report
from exokg.validate.sparql import Unsupported, altered_literals, validate_store

log = logging.getLogger("exokg")
_SEVERITY: dict[object, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_RESULTS = """
SELECT ?result ?focus ?path ?message ?severity ?shape ?value WHERE {
  ?report sh:result ?result .
  ?result sh:focusNode ?focus ; sh:resultSeverity ?severity ; sh:sourceShape ?shape .
  OPTIONAL { ?result sh:resultPath ?path }
  OPTIONAL { ?result sh:resultMessage ?message }
  OPTIONAL { ?result sh:value ?value }
}
"""


def load_shapes(shapes_dir: Path) -> rdflib.Graph:
    """Every ``*.ttl`` file of the shapes folder, as one graph."""
    files = sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []
    if not files:
        raise ShapesError(f"{shapes_dir}: no SHACL shapes (*.ttl) found", "add a shapes file or fix [paths] shapes")
    shapes = rdflib.Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise ShapesError(f"{path}: the shapes file is not valid Turtle: {exc}") from exc
    return shapes


def validate(triples: Sequence[Triple], shapes: rdflib.Graph) -> ValidationReport:
    """Check the graph against the shapes."""
    return validate_graph(to_rdflib(triples), shapes)


# Parsed SPARQL constraints by text and prefixes, kept across validations (partitions, rebuilds in one process).
_PREPARED: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}


class _PreparedQueries(rdflib.Graph):
    """The data graph as pyshacl sees it, sharing the caller's store: a SPARQL constraint's text is parsed once,
    not once per focus node. pyshacl sends the same text for every focus node (``$this`` is an initial binding)
    and rdflib's parser took ~90 % of the SPARQL constraints' time; rdflib's own prepared queries are meant to
    be evaluated again with other bindings, so the results are the same."""

    def __init__(self, data: rdflib.Graph) -> None:
        super().__init__(store=data.store, identifier=data.identifier, namespace_manager=data.namespace_manager)

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
              initNs: Any = None, initBindings: Any = None, use_store_provided: bool = True,
              **kwargs: Any) -> rdflib.query.Result:
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            namespaces = dict(initNs) if initNs else dict(self.namespaces())
            key = (query_object, tuple(sorted((k, str(v)) for k, v in namespaces.items())))
            prepared = _PREPARED.get(key)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery

                if len(_PREPARED) > 256:  # the shapes' constraints are a handful; this only bounds a long session
                    _PREPARED.clear()
                prepared = _PREPARED[key] = prepareQuery(query_object, initNs=namespaces)
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph) -> ValidationReport:
    try:
        _conforms, report, _text = pyshacl_validate(
            # pyshacl adds triples to the shapes graph it is given: a copy keeps the caller's (and its hash) as read.
            _PreparedQueries(data), shacl_graph=_copy(shapes), inference="none", advanced=True, allow_warnings=True,
            # Without rules nothing writes to the data graph, so pyshacl's defensive copy of it is not needed.
            inplace=not any(shapes.subjects(SH.rule, None)),
        )
    except Exception as exc:  # pyshacl reports broken shapes with its own exception types
        raise ShapesError(f"the SHACL shapes could not be applied: {exc}") from exc
    if not isinstance(report, rdflib.Graph):  # pyshacl refused the shapes, e.g. a SPARQL constraint with MINUS
        raise ShapesError(f"the SHACL shapes could not be applied: {_text}")
    results = []
    for row in report.query(_RESULTS, initNs={"sh": SH}):
        _result, focus, path, message, severity, shape, value = row  # type: ignore[misc]
        results.append(
            ValidationResult(
                focus=str(focus),
                focus_label=_label(data, focus),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                severity=_SEVERITY.get(severity, str(severity)),
                message=str(message) if message is not None else "does not conform",
                shape=_shape_name(shapes, shape),
                value=str(value) if value is not None else None,
            )
        )
    return make_report(results)


def _copy(graph: rdflib.Graph) -> rdflib.Graph:
    copy = rdflib.Graph(namespace_manager=graph.namespace_manager)
    copy += graph
    return copy


def _label(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    return focus_name([str(label) for label in graph.objects(node, RDFS.label)], str(node))


def _shape_name(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    # A property shape is a blank node: name the node shape that holds it.
    if isinstance(shape, rdflib.BNode):
        owner = shapes.value(predicate=SH.property, object=shape)
        if owner is not None:
            return str(owner)
    return str(shape)


# --- Partitioned validation -------------------------------------------------------------------------------------
#
# pyshacl's cost grows faster than the graph: the SPARQL constraints are evaluated once per focus node against
# the whole graph. Every constraint of the shapes only reads triples reachable from its focus node along fixed
# predicates, so the focus nodes are split into partitions, each validated against the triples its focus nodes
# can reach; the merged results are those of the whole graph (docs/decisions/0007-validation-at-scale.md).
# What the constraints can reach is worked out from the shapes themselves; shapes whose reach cannot be bounded
# (recursive paths, SPARQL targets, custom components ...) are validated whole.

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_TARGET_ANY = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Constraint parameters that only look at the value nodes themselves, and shape terms that constrain nothing.
_LOCAL = frozenset(SH[name] for name in (
    "minCount", "maxCount", "datatype", "nodeKind", "pattern", "flags", "minLength", "maxLength", "minInclusive",
    "maxInclusive", "minExclusive", "maxExclusive", "in", "hasValue", "languageIn", "uniqueLang", "message",
    "severity", "deactivated", "name", "description", "order", "group", "defaultValue", "path", "targetClass",
    "targetNode", "targetSubjectsOf", "targetObjectsOf", "prefixes", "declare", "ignoredProperties",
    "qualifiedMinCount", "qualifiedMaxCount"))
_MAX_DEPTH = 8
_MAX_BRANCHES = 64
# Focus nodes per partition on average: big enough that pyshacl's fixed cost per call is small, small enough that
# the per-focus-node SPARQL cost (linear in the partition) stays low. Boundaries are content-defined (a hash of
# the IRI), so adding or changing one article moves no boundary elsewhere and the cache keeps its other entries.
DEFAULT_BATCH = 500
CACHE_VERSION = "1"
# Partitions validated one by one at most (their triples are held in memory until then); more go whole.
_MAX_PENDING = 32

Step = tuple[str | None, bool]  # (predicate IRI, or None for any; True when followed from object to subject)
Path_ = tuple[Step, ...]


class _Unbounded(Exception):
    """The shapes use something whose reach is not a fixed set of predicate paths."""


@dataclass(frozen=True)
class Reach:
    """What a focus node's constraints read: paths from it, and predicates read everywhere (e.g. subclass links)."""

    paths: frozenset[Path_]
    everywhere: frozenset[str]


def shapes_reach(shapes: rdflib.Graph) -> Reach | None:
    """The reach of all targeted shapes, or None when it cannot be bounded (then only whole-graph validation is
    exact)."""
    if any(shapes.subjects(SH.target, None)) or any(shapes.subjects(rdflib.RDF.type, SH.ConstraintComponent)):
        return None
    paths: set[Path_] = set()
    everywhere: set[str] = set()
    targeted = {s for p in _TARGET_ANY for s in shapes.subjects(p, None)}
    targeted |= {s for s in shapes.subjects(rdflib.RDF.type, SH.NodeShape)
                 if (s, rdflib.RDF.type, RDFS.Class) in shapes}
    try:
        for shape in sorted(targeted, key=str):
            _walk(shapes, shape, (), paths, everywhere, 0)
    except _Unbounded:
        return None
    return Reach(frozenset(paths), frozenset(everywhere))


def _walk(g: rdflib.Graph, shape: rdflib.term.Node, prefix: Path_, paths: set[Path_], everywhere: set[str],
          depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise _Unbounded
    path = g.value(shape, SH.path)
    values = [prefix + p for p in _path_steps(g, path)] if path is not None else [prefix]
    paths.update(v for v in values if v)
    for predicate, obj in g.predicate_objects(shape):
        if not str(predicate).startswith(str(SH)) or predicate in _LOCAL:
            continue
        if predicate == SH["class"]:
            paths.update((*v, (_RDF_TYPE, False)) for v in values)
            everywhere.add(_SUBCLASS)
        elif predicate in (SH.node, SH.qualifiedValueShape, SH.property, SH["not"]):
            for v in values:
                _walk(g, obj, v, paths, everywhere, depth + 1)
        elif predicate in (SH["or"], SH["and"], SH.xone):
            for member in _list(g, obj):
                for v in values:
                    _walk(g, member, v, paths, everywhere, depth + 1)
        elif predicate in (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals):
            paths.add((*prefix, (str(obj), False)))
        elif predicate == SH.closed:
            paths.update((*v, (None, False)) for v in values)
        elif predicate == SH.sparql and path is None:
            found, anywhere = _sparql_reach(g, obj)
            paths.update(prefix + p for p in found if prefix + p)
            everywhere.update(anywhere)
        else:
            raise _Unbounded


def _list(g: rdflib.Graph, node: rdflib.term.Node) -> list[rdflib.term.Node]:
    return list(rdflib.collection.Collection(g, node))


def _path_steps(g: rdflib.Graph, path: rdflib.term.Node) -> list[Path_]:
    """The step sequences a SHACL property path can follow (alternatives give several)."""
    if isinstance(path, rdflib.URIRef):
        return [((str(path), False),)]
    inverse = g.value(path, SH.inversePath)
    if isinstance(inverse, rdflib.URIRef):
        return [((str(inverse), True),)]
    alternatives = g.value(path, SH.alternativePath)
    if alternatives is not None and inverse is None:
        return [s for member in _list(g, alternatives) for s in _path_steps(g, member)]
    if inverse is None and g.value(path, rdflib.RDF.first) is not None:
        sequences: list[Path_] = [()]
        for member in _list(g, path):
            sequences = [s + t for s in sequences for t in _path_steps(g, member)]
        return sequences
    raise _Unbounded  # zero-or-more, one-or-more, zero-or-one and inverses of complex paths


def _sparql_reach(g: rdflib.Graph, constraint: rdflib.term.Node) -> tuple[set[Path_], set[str]]:
    """Paths from ``$this`` that the SELECT's triple patterns can match, branch by branch of its UNIONs."""
    from rdflib.plugins.sparql import prepareQuery

    select = g.value(constraint, SH.select)
    if select is None:
        raise _Unbounded
    prefixes = {}
    for declared in g.objects(constraint, SH.prefixes):
        for decl in g.objects(declared, SH.declare):
            prefix, namespace = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = rdflib.Namespace(str(namespace))
    try:
        algebra = prepareQuery(str(select), initNs=prefixes).algebra
    except Exception as exc:  # a query pyshacl cannot run either: let the whole-graph path report it
        raise _Unbounded from exc
    paths: set[Path_] = set()
    everywhere: set[str] = set()
    for patterns in _branches(algebra, top=True):
        _connect(patterns, paths, everywhere)
    return paths, everywhere


def _branches(node: object, *, top: bool = False) -> list[list[tuple[object, object, object]]]:
    """The conjunctive branches of an algebra tree: each a list of the triple patterns one solution matches."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        name = node.name
        if name in ("ServiceGraphPattern", "Minus", "Graph") or (name == "SelectQuery" and not top) \
                or (name == "Project" and not top and _has_subselect(node)):
            raise _Unbounded
        if name in ("MinusGraphPattern", "GraphGraphPattern", "SubSelect", "InlineData"):
            raise _Unbounded
        if name == "BGP":
            return [list(node["triples"])]
        if name == "TriplesBlock":  # the untranslated form inside FILTER (NOT) EXISTS: flat s p o runs
            flat = [term for run in node["triples"] for term in run]
            return [[(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat) - 2, 3)]]
        if name == "Union":
            return _branches(node["p1"]) + _branches(node["p2"])
        if name == "GroupOrUnionGraphPattern":
            return [b for member in node["graph"] for b in _branches(member)]
        children = [v for k, v in node.items() if k not in ("PV", "_vars")]
    elif isinstance(node, (list, tuple)):
        children = list(node)
    else:
        return [[]]
    result: list[list[tuple[object, object, object]]] = [[]]
    for child in children:
        if isinstance(child, (CompValue, list, tuple)):
            result = [a + b for a in result for b in _branches(child)]
            if len(result) > _MAX_BRANCHES:
                raise _Unbounded
    return result


def _has_subselect(node: object) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return any(_has_subselect(v) or (isinstance(v, CompValue) and v.name == "SelectQuery") for v in node.values())
    return isinstance(node, (list, tuple)) and any(_has_subselect(v) for v in node)


def _connect(patterns: list[tuple[object, object, object]], paths: set[Path_], everywhere: set[str]) -> None:
    """Every simple chain of patterns from ``$this``; patterns no chain reaches are read everywhere."""
    for _s, p, _o in patterns:
        if not isinstance(p, (rdflib.URIRef, rdflib.Variable)):
            raise _Unbounded  # a property path
    this = rdflib.Variable("this")
    used: set[int] = set()

    def extend(node: object, path: Path_, taken: frozenset[int]) -> None:
        if len(path) > _MAX_DEPTH:
            raise _Unbounded
        for i, (s, p, o) in enumerate(patterns):
            if i in taken:
                continue
            predicate = str(p) if isinstance(p, rdflib.URIRef) else None
            for here, there, inverse in ((s, o, False), (o, s, True)):
                if here == node:
                    step = (*path, (predicate, inverse))
                    paths.add(step)
                    used.add(i)
                    if isinstance(there, rdflib.Variable):
                        extend(there, step, taken | {i})

    extend(this, (), frozenset())
    for i, (_s, p, _o) in enumerate(patterns):
        if i not in used:
            if not isinstance(p, rdflib.URIRef):
                raise _Unbounded
            everywhere.add(str(p))


def focus_nodes(triples: Sequence[Triple], shapes: rdflib.Graph) -> set[NamedNode | BlankNode | Literal]:
    """Every node some shape targets in the graph."""
    classes = {str(c) for c in shapes.objects(None, SH.targetClass)}
    classes |= {str(s) for s in shapes.subjects(rdflib.RDF.type, SH.NodeShape)
                if (s, rdflib.RDF.type, RDFS.Class) in shapes}
    subjects_of = {str(p) for p in shapes.objects(None, SH.targetSubjectsOf)}
    objects_of = {str(p) for p in shapes.objects(None, SH.targetObjectsOf)}
    sub: dict[str, set[str]] = {}
    for t in triples:
        if t.predicate.value == _SUBCLASS and isinstance(t.object, NamedNode) and isinstance(t.subject, NamedNode):
            sub.setdefault(t.object.value, set()).add(t.subject.value)
    todo = list(classes)
    while todo:  # a target class also targets the instances of its subclasses
        for child in sub.get(todo.pop(), ()):
            if child not in classes:
                classes.add(child)
                todo.append(child)
    found: set[NamedNode | BlankNode | Literal] = set()
    for t in triples:
        p = t.predicate.value
        if p == _RDF_TYPE and isinstance(t.object, NamedNode) and t.object.value in classes:
            found.add(t.subject)  # type: ignore[arg-type]  # no quoted triples in exokg's graphs
        if p in subjects_of:
            found.add(t.subject)  # type: ignore[arg-type]
        if p in objects_of:
            found.add(t.object)  # type: ignore[arg-type]
    for node in shapes.objects(None, SH.targetNode):
        found.add(NamedNode(str(node)) if isinstance(node, rdflib.URIRef) else _literal(node))
    return found


def _literal(node: rdflib.term.Node) -> Literal:
    if isinstance(node, rdflib.Literal):
        if node.language:
            return Literal(str(node), language=node.language)
        return Literal(str(node), datatype=NamedNode(str(node.datatype))) if node.datatype else Literal(str(node))
    raise _Unbounded


class _Index:
    """Triples by subject and by object, then by predicate, to follow the reach paths."""

    def __init__(self, triples: Sequence[Triple]) -> None:
        self.out: dict[object, dict[str, list[Triple]]] = {}
        self.into: dict[object, dict[str, list[Triple]]] = {}
        self.by_predicate: dict[str, list[Triple]] = {}
        for t in triples:
            p = t.predicate.value
            self.out.setdefault(t.subject, {}).setdefault(p, []).append(t)
            self.into.setdefault(t.object, {}).setdefault(p, []).append(t)
            self.by_predicate.setdefault(p, []).append(t)

    def step(self, node: object, predicate: str | None, inverse: bool) -> list[Triple]:
        table = (self.into if inverse else self.out).get(node, {})
        if predicate is None:
            return [t for ts in table.values() for t in ts]
        return table.get(predicate, [])

    def reach(self, focus: object, reach: Reach) -> set[Triple]:
        # A focus node's own triples, both ways: its types and labels, and whatever its targets read.
        found = set(self.step(focus, None, False)) | set(self.step(focus, None, True))
        for path in reach.paths:
            frontier = {focus}
            for predicate, inverse in path:
                following: set[object] = set()
                for node in frontier:
                    for t in self.step(node, predicate, inverse):
                        found.add(t)
                        following.add(t.subject if inverse else t.object)
                frontier = following
                if not frontier:
                    break
        return found


def _node_key(node: object) -> str:
    return f"{type(node).__name__}:{node}"


def partitions(triples: Sequence[Triple], shapes: rdflib.Graph, reach: Reach,
               batch: int = DEFAULT_BATCH) -> Iterator[tuple[list[str], bytes]]:
    """(the focus nodes a partition answers for, as N-Triples terms; its triples as sorted N-Triples)."""
    index = _Index(triples)
    shared: set[Triple] = {t for p in sorted(reach.everywhere) for t in index.by_predicate.get(p, [])}
    nodes = sorted(focus_nodes(triples, shapes), key=_node_key)
    group: list[NamedNode | BlankNode | Literal] = []
    for i, node in enumerate(nodes):
        group.append(node)
        digest = hashlib.sha256(_node_key(node).encode("utf-8")).digest()
        boundary = int.from_bytes(digest[:4], "big") % max(1, batch) == 0
        if boundary or len(group) >= 4 * batch or i == len(nodes) - 1:
            found = set(shared)
            for focus in group:
                found |= index.reach(focus, reach)
            yield [n.value for n in group], ntriples(sorted(found, key=triple_order))
            group = []


_WORKER_SHAPES: rdflib.Graph | None = None


def _init_worker(shapes_nt: str) -> None:
    global _WORKER_SHAPES
    _WORKER_SHAPES = rdflib.Graph().parse(data=shapes_nt, format="nt")


def _validate_partition(owned: list[str], data: bytes) -> list[ValidationResult]:
    assert _WORKER_SHAPES is not None
    graph = rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")
    mine = set(owned)
    return [r for r in validate_graph(graph, _WORKER_SHAPES).results if r.focus in mine]


def validate_partitioned(triples: Sequence[Triple], shapes: rdflib.Graph, *, cache_dir: Path | None = None,
                         batch: int = DEFAULT_BATCH, workers: int | None = None,
                         partition_all: bool = False) -> ValidationReport:
    """The same report as :func:`validate`, computed only for partitions whose triples changed since the last
    run when ``cache_dir`` keeps their results, in parallel. When most partitions changed (a first build), the
    whole graph is validated at once and its results fill the cache, unless ``partition_all``."""
    global _WORKER_SHAPES
    reach = shapes_reach(shapes)
    if reach is None or any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
        # Blank node labels are not kept by the N-Triples round trip a partition takes: validate whole.
        return validate(triples, shapes)
    shapes_nt = b"".join(sorted(line + b"\n" for line in shapes.serialize(format="nt", encoding="utf-8").splitlines()
                                if line.strip())).decode("utf-8")
    import pyshacl

    engine = hashlib.sha256(f"{CACHE_VERSION}\0{pyshacl.__version__}\0{shapes_nt}".encode()).hexdigest()
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    results: list[ValidationResult] = []
    kept: set[str] = set()
    pending: list[tuple[str, list[str], bytes]] = []

    def cached(key: str) -> list[ValidationResult] | None:
        if cache_dir is None:
            return None
        path = cache_dir / f"{key}.json"
        try:
            return [ValidationResult(**r) for r in json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError):
            return None

    for owned, data in partitions(triples, shapes, reach, batch):
        key = hashlib.sha256(engine.encode() + b"\0" + "\n".join(owned).encode() + b"\0" + data).hexdigest()
        kept.add(key)
        hit = cached(key)
        if hit is not None:
            results.extend(hit)
        else:
            # Only a few partitions' triples are kept: past that, the whole graph is validated instead.
            pending.append((key, owned, data if partition_all or len(pending) < _MAX_PENDING else b""))
    fresh: list[tuple[str, list[ValidationResult]]] = []
    if not partition_all and (len(pending) > _MAX_PENDING or len(pending) * 4 > len(kept)):
        # Most of the graph changed (a first build): one whole-graph run is cheaper than many partition runs,
        # whose fixed cost per pyshacl call dominates. Its results fill the cache partition by partition.
        whole = validate(triples, shapes)
        owner = {focus: key for key, owned, _data in pending for focus in owned}
        split: dict[str, list[ValidationResult]] = {key: [] for key, _owned, _data in pending}
        for r in whole.results:
            if r.focus in owner:
                split[owner[r.focus]].append(r)
        fresh = sorted(split.items())
        results = []
        if cache_dir is not None:
            for key, found in fresh:
                _save(cache_dir, key, found)
            _prune(cache_dir, kept)
        return whole
    if len(pending) <= 1 or workers == 1:
        saved = _WORKER_SHAPES
        _init_worker(shapes_nt)
        try:
            fresh = [(key, _validate_partition(owned, data)) for key, owned, data in pending]
        finally:
            _WORKER_SHAPES = saved
    else:
        context = multiprocessing.get_context("spawn")  # forking a process that holds Rust store threads is unsafe
        with ProcessPoolExecutor(min(workers, len(pending)), mp_context=context, initializer=_init_worker,
                                 initargs=(shapes_nt,)) as pool:
            futures = [(key, pool.submit(_validate_partition, owned, data)) for key, owned, data in pending]
            fresh = [(key, future.result()) for key, future in futures]
    for key, found in fresh:
        results.extend(found)
        if cache_dir is not None:
            _save(cache_dir, key, found)
    if cache_dir is not None:
        _prune(cache_dir, kept)
    return make_report(results)


def _prune(cache_dir: Path, kept: set[str]) -> None:
    # Entries of partitions this graph no longer has would only grow the cache.
    for stale in cache_dir.glob("*.json"):
        if stale.stem not in kept:
            stale.unlink(missing_ok=True)


def _save(cache_dir: Path, key: str, found: list[ValidationResult]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".{key}.tmp"
    tmp.write_text(json.dumps([r.__dict__ for r in found], sort_keys=True), encoding="utf-8")
    tmp.replace(cache_dir / f"{key}.json")


def validate_triples(triples: Sequence[Triple], shapes: rdflib.Graph, *, cache_dir: Path | None = None,
                     store: Store | None = None) -> ValidationReport:
    """What the build runs: the shapes compiled to SPARQL over an Oxigraph store when every part of them
    translates exactly (docs/decisions/0009-validation-compiled-to-sparql.md), else pyshacl by partitions
    (0007). Both give the report :func:`validate` gives. ``store``, when given, holds exactly the triples
    (the build fills one for validation and the saved queries alike)."""
    try:
        return validate_compiled(triples, shapes, store)
    except Unsupported as exc:
        log.info("validating with pyshacl: the shapes do not compile to SPARQL exactly (%s)", exc)
        return validate_partitioned(triples, shapes, cache_dir=cache_dir)


def validate_compiled(triples: Sequence[Triple], shapes: rdflib.Graph, store: Store | None = None) -> ValidationReport:
    """The shapes compiled to SPARQL over a store of the triples (``store``, when given, holds exactly them).
    Raises :class:`Unsupported` when that would not give pyshacl's report."""
    altered = altered_literals(triples)
    if altered:
        raise Unsupported(f"{len(altered)} literal(s) not in canonical form, such as {altered[0]}")
    return validate_store(memory_store(triples) if store is None else store, shapes)
