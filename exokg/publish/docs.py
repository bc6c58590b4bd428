"""The ontology, the SHACL shapes and the validation report as pages.

The ontology overview (``ontology/index.html``) lists every class, property and named individual of the
vocabulary with what the ontology says of it and which shapes constrain it; each term's own page shows the
same in full. The shapes page summarises every node shape, and the validation page this build's report. The
ontology and shapes files are published as they are beside their pages, so a reader can check one against the
other (and as N-Triples and JSON-LD, for tools that read no Turtle).

Shapes are made of blank nodes, whose labels change from one parse to the next: nothing here orders by a
blank node's label or writes one out, so two builds of the same input stay byte-identical.
"""

from __future__ import annotations

import math
import posixpath
import re
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
)

from exokg.graph import store
from exokg.graph.mapping import triple_order
from exokg.graph.namespaces import PREFIXES
from exokg.publish.site import FORMATS, Site, SiteInput, href, page_file
from exokg.publish.view import compact as view_compact
from exokg.validate import ValidationReport, ValidationResult

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
VANN = "http://purl.org/vocab/vann/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = RDF + "type"

CLASS_TYPES = (OWL + "Class", RDFS + "Class")
# The kinds of property, most specific first: a term typed with several is shown as the first.
PROPERTY_KINDS = ((OWL + "ObjectProperty", "object property"), (OWL + "DatatypeProperty", "datatype property"),
                  (OWL + "AnnotationProperty", "annotation property"), (RDF + "Property", "property"))
INDIVIDUAL = OWL + "NamedIndividual"
ONTOLOGY = OWL + "Ontology"
# Every resource typed with one of these gets the term page (resources.py picks the template by type); the
# ontology's own page is the overview.
TERM_TYPES = frozenset({*CLASS_TYPES, *(t for t, _ in PROPERTY_KINDS), INDIVIDUAL, ONTOLOGY})

OVERVIEW_PAGE = "ontology/index.html"
SHAPES_PAGE = "shapes/index.html"
VALIDATION_PAGE = "validation.html"
SEVERITIES = ("Violation", "Warning", "Info")

# Prefixes the graph's own list lacks but shapes and ontologies use.
_EXTRA_PREFIXES = {"sh": SH, "vann": VANN, "dc": "http://purl.org/dc/elements/1.1/"}
_TURTLE_PREFIXES = {**PREFIXES, **_EXTRA_PREFIXES}
_LABELS = (RDFS + "label", SKOS + "prefLabel", SH + "name", DCTERMS + "title")
_COMMENTS = (RDFS + "comment", SKOS + "definition", DCTERMS + "description", SH + "description")
_TARGETS = {SH + "targetClass": "class", SH + "targetNode": "node", SH + "targetSubjectsOf": "subjects of",
            SH + "targetObjectsOf": "objects of", SH + "target": "target"}
_LOGICAL = (SH + "or", SH + "and", SH + "xone", SH + "not")
# Shape predicates that structure a shape rather than constrain values; every other sh: predicate is shown.
_NOT_CONSTRAINTS = frozenset({SH + p for p in ("path", "message", "name", "description", "order", "group",
                                              "severity", "deactivated", "defaultValue", "property", "sparql",
                                              "declare", "prefixes", "targetClass", "targetNode",
                                              "targetSubjectsOf", "targetObjectsOf", "target")})
# Constraints in the order a reader looks for them (cardinality, then kind of value); the rest by name.
_FIRST = tuple(SH + p for p in ("minCount", "maxCount", "datatype", "class", "nodeKind", "in", "hasValue",
                                "pattern", "flags", "minLength", "maxLength", "minInclusive", "maxInclusive",
                                "minExclusive", "maxExclusive"))
_MAX_DEPTH = 4
_NAMES = {SH + "or": "at least one of", SH + "xone": "exactly one of", SH + "and": "all of", SH + "not": "not",
          SH + "in": "one of"}

Term = NamedNode | BlankNode | Literal


def compact(iri: str) -> str:
    """A prefixed name where a known prefix fits, else the IRI."""
    short = view_compact(iri)
    if short != iri:
        return short
    for prefix, namespace in _EXTRA_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def _words(iri: str) -> str:
    """``…shacl#minCount`` -> ``min count``: constraint names as a reader says them."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", _local(iri)).lower()


def _anchor(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "x"


def _safe_file_name(name: str) -> str:
    """A published file's name: its base name, with anything unsafe in a path or URL replaced."""
    base = posixpath.basename(name.replace("\\", "/"))
    return re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".") or "file.ttl"


class _Graph:
    """Triples indexed both ways by term, for walking shapes and class expressions made of blank nodes."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.inv: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            if isinstance(t.subject, Triple) or isinstance(t.object, Triple):
                continue  # RDF-star quoted triples are neither shapes nor ontology terms
            self.out[t.subject][t.predicate.value].append(t.object)
            self.inv[t.object][t.predicate.value].append(t.subject)

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        return self.out[subject].get(predicate, []) if subject in self.out else []

    def subjects(self, predicate: str, obj: Term) -> list[Term]:
        return self.inv[obj].get(predicate, []) if obj in self.inv else []

    def iris(self, subject: Term, predicate: str) -> list[str]:
        return sorted({o.value for o in self.objects(subject, predicate) if isinstance(o, NamedNode)})

    def subject_iris(self, predicate: str, obj: Term) -> list[str]:
        return sorted({s.value for s in self.subjects(predicate, obj) if isinstance(s, NamedNode)})

    def items(self, node: Term) -> list[Term] | None:
        """The members of an RDF list, or None when ``node`` is not one (or is malformed)."""
        members: list[Term] = []
        seen: set[Term] = set()
        while not (isinstance(node, NamedNode) and node.value == RDF + "nil"):
            first, rest = self.objects(node, RDF + "first"), self.objects(node, RDF + "rest")
            if node in seen or len(first) != 1 or len(rest) != 1:
                return None
            seen.add(node)
            members.append(first[0])
            node = rest[0]
        return members

    def text(self, subject: Term, predicates: Sequence[str]) -> str | None:
        """The first of ``predicates`` with a literal: English or untagged preferred, then any language."""
        for predicate in predicates:
            found = [o for o in self.objects(subject, predicate) if isinstance(o, Literal)]
            if found:
                return min(found, key=lambda o: (0 if o.language in (None, "en") or
                                                 (o.language or "").startswith("en-") else 1, o.value)).value
        return None


# ---------------------------------------------------------------------------------------------------------
# The shapes, read once into plain structures (no blank node survives the reading).


@dataclass(frozen=True)
class _Path:
    text: str
    iris: tuple[str, ...]
    simple: bool = False  # one property, forwards
    inverse: bool = False  # one property, backwards


@dataclass(frozen=True)
class _Constraint:
    predicate: str
    name: str
    # IRIs and literals are linked or shown per page; a nested shape is already summarised as text.
    values: tuple[NamedNode | Literal | str, ...]


@dataclass(frozen=True)
class _PropertyShape:
    path: _Path
    constraints: tuple[_Constraint, ...]
    messages: tuple[str, ...]
    severity: str | None
    note: str = ""  # how it applies when it is one branch of a logical constraint
    order: float = math.inf  # sh:order, the shape author's order for display; unordered ones come last
    anchor: str = ""


@dataclass
class _NodeShape:
    iri: str | None
    name: str
    label: str | None
    comment: str | None
    targets: tuple[tuple[str, NamedNode | Literal | str], ...]
    constraints: tuple[_Constraint, ...]
    messages: tuple[str, ...]
    severity: str | None
    sparql: tuple[tuple[str, str], ...]
    properties: tuple[_PropertyShape, ...]
    nested: tuple[_PropertyShape, ...]  # property shapes inside sh:or/sh:and/…, for the terms they constrain
    anchor: str = ""


def _value_text(term: NamedNode | Literal | str) -> str:
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, Literal):
        return term.value
    return term


class _ShapesReader:
    def __init__(self, triples: Sequence[Triple]) -> None:
        self.g = _Graph(triples)

    def path(self, node: Term, depth: int = 0) -> _Path:
        g = self.g
        if isinstance(node, NamedNode):
            return _Path(compact(node.value), (node.value,), simple=True)
        if depth > _MAX_DEPTH or isinstance(node, Literal):
            return _Path("…", ())
        for predicate, wrap in ((SH + "inversePath", "^{}"), (SH + "zeroOrMorePath", "{}*"),
                                (SH + "oneOrMorePath", "{}+"), (SH + "zeroOrOnePath", "{}?")):
            inner = g.objects(node, predicate)
            if inner:
                sub = self.path(inner[0], depth + 1)
                text = sub.text if sub.simple else f"({sub.text})"
                return _Path(wrap.format(text), sub.iris, inverse=predicate == SH + "inversePath" and sub.simple)
        alternatives = g.objects(node, SH + "alternativePath")
        members = g.items(alternatives[0]) if alternatives else g.items(node)
        if members:
            parts = [self.path(m, depth + 1) for m in members]
            text = (" | " if alternatives else " / ").join(p.text for p in parts)
            return _Path(f"({text})" if alternatives else text,
                         tuple(sorted({i for p in parts for i in p.iris})))
        return _Path("(unreadable path)", ())

    def constraints(self, node: Term, depth: int = 0) -> tuple[_Constraint, ...]:
        found = []
        for predicate in self.g.out.get(node, {}):
            if not predicate.startswith(SH) or predicate in _NOT_CONSTRAINTS:
                continue
            values: list[NamedNode | Literal | str] = []
            for obj in self._sorted(self.g.objects(node, predicate), depth):
                members = self.g.items(obj) if isinstance(obj, BlankNode) else None
                if members is not None:
                    values.extend(self._one(m, depth) for m in members)  # a list keeps its order
                else:
                    values.append(self._one(obj, depth))
            found.append(_Constraint(predicate, _NAMES.get(predicate) or _words(predicate), tuple(values)))
        order = {p: i for i, p in enumerate(_FIRST)}
        return tuple(sorted(found, key=lambda c: (order.get(c.predicate, len(order)), c.name,
                                                  [_value_text(v) for v in c.values])))

    def _one(self, term: Term, depth: int) -> NamedNode | Literal | str:
        return self.summary(term, depth + 1) if isinstance(term, BlankNode) else term

    def _sorted(self, terms: list[Term], depth: int) -> list[Term]:
        # Several values of one constraint have no order of their own: sort them by what they say.
        return sorted(set(terms), key=lambda t: _value_text(self._one(t, depth)) if isinstance(t, BlankNode)
                      else (t.value if isinstance(t, NamedNode | Literal) else ""))

    def summary(self, node: Term, depth: int = 0) -> str:
        """A nested shape (or class expression) as one line of text."""
        if not isinstance(node, BlankNode):
            return _value_text(node) if isinstance(node, NamedNode | Literal) else "…"
        if depth > _MAX_DEPTH:
            return "…"
        members = self.g.items(node)
        if members is not None:
            return "(" + ", ".join(_value_text(self._one(m, depth)) for m in members) + ")"
        parts = [f"{c.name} {', '.join(_value_text(v) for v in c.values)}".strip()
                 for c in self.constraints(node, depth)]
        for prop in self._sorted(self.g.objects(node, SH + "property"), depth):
            parts.append(f"property [{self.summary(prop, depth + 1)}]")
        text = "; ".join(parts) or "any value"
        paths = self.g.objects(node, SH + "path")
        return f"{self.path(paths[0]).text}: {text}" if paths else f"[{text}]"

    def property_shape(self, node: Term, note: str = "") -> _PropertyShape:
        g = self.g
        paths = g.objects(node, SH + "path")
        return _PropertyShape(
            path=self.path(paths[0]) if paths else _Path("(no path)", ()),
            constraints=self.constraints(node),
            messages=tuple(sorted({o.value for o in g.objects(node, SH + "message") if isinstance(o, Literal)})),
            severity=_severity(g.iris(node, SH + "severity")),
            note=note,
            order=_number(g.objects(node, SH + "order")),
        )

    def node_shapes(self) -> list[_NodeShape]:
        g = self.g
        shapes = []
        for subject, by_predicate in list(g.out.items()):
            types = {o.value for o in by_predicate.get(RDF_TYPE, []) if isinstance(o, NamedNode)}
            targeted = any(p in _TARGETS for p in by_predicate)
            is_shape = SH + "NodeShape" in types or targeted or (SH + "PropertyShape" in types and
                                                                 isinstance(subject, NamedNode))
            # A blank node shape used inside another (sh:node, sh:or, …) is shown where it is used.
            if not is_shape or (isinstance(subject, BlankNode) and subject in g.inv and not targeted):
                continue
            shapes.append(self.node_shape(subject, types))
        shapes.sort(key=lambda s: (s.iri is None, s.iri or "", _shape_key(s)))
        used: set[str] = set()
        for number, shape in enumerate(shapes, start=1):
            shape.anchor = _unique(_anchor(_local(shape.iri)) if shape.iri else f"shape-{number}", used)
            properties = []
            for prop in shape.properties:
                anchor = _unique(f"{shape.anchor}--{_anchor(prop.path.text)}", used)
                properties.append(replace(prop, anchor=anchor))
            shape.properties = tuple(properties)
        return shapes

    def node_shape(self, subject: Term, types: set[str]) -> _NodeShape:
        g = self.g
        iri = subject.value if isinstance(subject, NamedNode) else None
        targets: list[tuple[str, NamedNode | Literal | str]] = []
        for predicate, kind in _TARGETS.items():
            targets.extend((kind, self._one(o, 0)) for o in self._sorted(g.objects(subject, predicate), 0))
        if iri and any(t in types for t in CLASS_TYPES):
            targets.append(("class", NamedNode(iri)))  # an implicit class target: the shape is the class
        if SH + "PropertyShape" in types and g.objects(subject, SH + "path"):
            own = [self.property_shape(subject)]
            constraints: tuple[_Constraint, ...] = ()
        else:
            own = []
            constraints = self.constraints(subject)
        properties = own + [self.property_shape(p) for p in g.objects(subject, SH + "property")]
        nested = []
        for logical in _LOGICAL:
            for obj in g.objects(subject, logical):
                for member in g.items(obj) or [obj]:
                    if g.objects(member, SH + "path"):
                        nested.append(self.property_shape(member, f"one branch of {compact(logical)}"))
        sparql = []
        for constraint in g.objects(subject, SH + "sparql"):
            message = g.text(constraint, (SH + "message",)) or "SPARQL constraint"
            query = g.text(constraint, (SH + "select", SH + "ask")) or ""
            sparql.append((message, _dedent(query)))
        return _NodeShape(
            iri=iri, name=_local(iri) if iri else "anonymous shape",
            label=g.text(subject, _LABELS), comment=g.text(subject, _COMMENTS),
            targets=tuple(targets), constraints=constraints,
            messages=tuple(sorted({o.value for o in g.objects(subject, SH + "message") if isinstance(o, Literal)})),
            severity=_severity(g.iris(subject, SH + "severity")),
            sparql=tuple(sorted(sparql)),
            properties=tuple(sorted(properties, key=lambda p: (p.order, _property_key(p)))),
            nested=tuple(sorted(nested, key=_property_key)),
        )


def _number(values: list[Term]) -> float:
    for value in values:
        if isinstance(value, Literal):
            try:
                return float(value.value)
            except ValueError:
                continue
    return math.inf


def _severity(iris: list[str]) -> str | None:
    return _local(iris[0]) if iris else None


def _dedent(query: str) -> str:
    lines = [line.rstrip() for line in query.strip("\n").splitlines()]
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines).strip()


def _property_key(p: _PropertyShape) -> tuple[str, str, str]:
    return (p.path.text, repr([(c.name, [_value_text(v) for v in c.values]) for c in p.constraints]),
            repr(p.messages))


def _shape_key(s: _NodeShape) -> str:
    return repr((s.label, [(k, _value_text(v)) for k, v in s.targets], [_property_key(p) for p in s.properties],
                 [(c.name, [_value_text(v) for v in c.values]) for c in s.constraints], s.messages))


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate, number = f"{name}-{number}", number + 1
    used.add(candidate)
    return candidate


# ---------------------------------------------------------------------------------------------------------
# Everything the pages need, computed once per site.


@dataclass(frozen=True)
class _Published:
    """A source file as the site publishes it: each form as (site path, name of the form, content)."""

    source: str
    name: str
    forms: tuple[tuple[str, str, bytes], ...]


@dataclass
class _Docs:
    vocab: _Graph
    ontologies: list[str]
    classes: list[str]
    properties: list[str]
    individuals: list[str]
    shapes: list[_NodeShape]
    vocabulary_files: list[_Published] = field(default_factory=list)
    shapes_files: list[_Published] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shapes_by_iri: dict[str, _NodeShape] = field(default_factory=dict)
    # term IRI -> (owner shape, what constrains it)
    by_class: dict[str, list[_NodeShape]] = field(default_factory=lambda: defaultdict(list))
    by_property: dict[str, list[tuple[_NodeShape, _PropertyShape]]] = field(default_factory=lambda: defaultdict(list))
    class_of: dict[str, list[tuple[_NodeShape, _PropertyShape]]] = field(default_factory=lambda: defaultdict(list))
    allowed_in: dict[str, list[tuple[_NodeShape, _PropertyShape]]] = field(default_factory=lambda: defaultdict(list))

    def label(self, iri: str) -> str | None:
        return self.vocab.text(NamedNode(iri), (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title"))

    def comment(self, iri: str) -> str | None:
        return self.vocab.text(NamedNode(iri), (RDFS + "comment", SKOS + "definition", DCTERMS + "description"))


_CACHE: weakref.WeakKeyDictionary[Site, _Docs] = weakref.WeakKeyDictionary()


def _docs(site: Site) -> _Docs:
    found = _CACHE.get(site)
    if found is None:
        found = _CACHE[site] = _read_docs(site.input)
    return found


def _read_docs(data: SiteInput) -> _Docs:
    g = _Graph(data.vocabulary)
    typed: dict[str, set[str]] = defaultdict(set)
    for subject, by_predicate in g.out.items():
        if isinstance(subject, NamedNode):
            typed[subject.value] = {o.value for o in by_predicate.get(RDF_TYPE, []) if isinstance(o, NamedNode)}
    ontologies = sorted(s for s, types in typed.items() if ONTOLOGY in types)
    classes = sorted(s for s, types in typed.items() if types & set(CLASS_TYPES))
    properties = sorted(s for s, types in typed.items() if types & {t for t, _ in PROPERTY_KINDS})
    terms = {*ontologies, *classes, *properties}
    individuals = sorted(s for s, types in typed.items() if s not in terms and
                         (INDIVIDUAL in types or types & set(classes)))
    shapes = _ShapesReader(data.shapes).node_shapes()
    docs = _Docs(g, ontologies, classes, properties, individuals, shapes)
    docs.vocabulary_files = _published(data.vocabulary_files, "ontology/", docs.warnings)
    docs.shapes_files = _published(data.shapes_files, "shapes/", docs.warnings)
    for shape in shapes:
        if shape.iri:
            docs.shapes_by_iri[shape.iri] = shape
        for kind, target in shape.targets:
            if kind == "class" and isinstance(target, NamedNode):
                docs.by_class[target.value].append(shape)
        for prop in (*shape.properties, *shape.nested):
            for iri in prop.path.iris:
                docs.by_property[iri].append((shape, prop))
            for constraint in prop.constraints:
                for value in constraint.values:
                    if isinstance(value, NamedNode) and constraint.predicate == SH + "class":
                        docs.class_of[value.value].append((shape, prop))
                    if isinstance(value, NamedNode) and constraint.predicate == SH + "in":
                        docs.allowed_in[value.value].append((shape, prop))
    return docs


# ---------------------------------------------------------------------------------------------------------
# Template data: plain dicts of text and relative links, made for the page they appear on.


def _ref(site: Site, iri: str, path: str) -> dict[str, Any]:
    """A labelled link to a term: its page on this site, else the IRI itself (only when it is a web address)."""
    value = site.link(iri, path)
    link = value.href
    if link and re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I) and not re.match(r"^https?://", link, re.I):
        link = None  # never an href of another scheme (javascript:, data:) from an ontology's IRIs
    short = compact(iri)
    text = value.text if value.text != iri else short
    # The prefixed name beside a label says which term it is; a bare IRI beside it would only repeat the link.
    return {"text": text, "href": link, "code": short if short not in (text, iri) else "", "iri": iri}


def _refs(site: Site, iris: Iterable[str], path: str) -> list[dict[str, Any]]:
    return sorted((_ref(site, i, path) for i in set(iris)), key=lambda r: (r["text"].lower(), r["iri"]))


def _value(site: Site, value: NamedNode | Literal | str, path: str) -> dict[str, Any]:
    """A constraint's argument: a linked term, a literal (shown as code) or a nested shape's summary."""
    if isinstance(value, NamedNode):
        return {**_ref(site, value.value, path), "literal": False}
    if isinstance(value, Literal):
        return {"text": value.value, "href": None, "code": "", "iri": None, "literal": True}
    return {"text": value, "href": None, "code": "", "iri": None, "literal": False}


def _expression(site: Site, docs: _Docs, node: Term, path: str) -> dict[str, Any]:
    """A domain, range or superclass: a named class, or a union/intersection of named classes."""
    if isinstance(node, NamedNode):
        return {"op": "", "members": [_ref(site, node.value, path)]}
    for predicate, op in ((OWL + "unionOf", "union of"), (OWL + "intersectionOf", "intersection of")):
        lists = docs.vocab.objects(node, predicate)
        members = docs.vocab.items(lists[0]) if lists else None
        if members is not None:
            named = [m.value for m in members if isinstance(m, NamedNode)]
            return {"op": op, "members": _refs(site, named, path)}
    for predicate, op in ((OWL + "complementOf", "complement of"), (OWL + "onProperty", "a restriction on")):
        named = docs.vocab.iris(node, predicate)
        if named:
            return {"op": op, "members": _refs(site, named, path)}
    return {"op": "an anonymous class", "members": []}


def _expressions(site: Site, docs: _Docs, iri: str, predicate: str, path: str) -> list[dict[str, Any]]:
    found = [_expression(site, docs, o, path) for o in docs.vocab.objects(NamedNode(iri), predicate)]
    return sorted(found, key=lambda e: (e["op"], [m["text"].lower() for m in e["members"]]))


def _shape_ref(shape: _NodeShape, path: str, anchor: str | None = None) -> dict[str, Any]:
    return {"text": shape.name, "href": f"{href(path, SHAPES_PAGE)}#{anchor or shape.anchor}", "code": "",
            "iri": shape.iri}


def _constraints(site: Site, constraints: Sequence[_Constraint], path: str) -> list[dict[str, Any]]:
    return [{"name": c.name, "args": [_value(site, v, path) for v in c.values]} for c in constraints]


def _property_context(site: Site, owner: _NodeShape, prop: _PropertyShape, path: str) -> dict[str, Any]:
    return {
        "shape": _shape_ref(owner, path, prop.anchor or None),
        "anchor": prop.anchor,
        "path": prop.path.text,
        "path_refs": _refs(site, prop.path.iris, path),
        "simple": prop.path.simple,
        "inverse": prop.path.inverse,
        "constraints": _constraints(site, prop.constraints, path),
        "messages": list(prop.messages),
        "severity": prop.severity,
        "note": prop.note,
    }


def _shape_context(site: Site, shape: _NodeShape, path: str) -> dict[str, Any]:
    return {
        "ref": _shape_ref(shape, path),
        "anchor": shape.anchor,
        "name": shape.name,
        "iri": shape.iri,
        "label": shape.label,
        "comment": shape.comment,
        "targets": [{"kind": kind, "value": _value(site, value, path)} for kind, value in shape.targets],
        "constraints": _constraints(site, shape.constraints, path),
        "messages": list(shape.messages),
        "severity": shape.severity,
        "sparql": [{"message": m, "query": q} for m, q in shape.sparql],
        "properties": [_property_context(site, shape, p, path) for p in shape.properties],
    }


def _uses(site: Site, found: Sequence[tuple[_NodeShape, _PropertyShape]], path: str) -> list[dict[str, Any]]:
    rows = [_property_context(site, owner, prop, path) for owner, prop in found]
    return sorted(rows, key=lambda r: (r["shape"]["text"], r["path"], r["note"], repr(r["constraints"])))


def _kind(types: set[str]) -> str:
    if types & set(CLASS_TYPES):
        return "class"
    for iri, name in PROPERTY_KINDS:
        if iri in types:
            return name
    if ONTOLOGY in types:
        return "ontology"
    return "individual"


def _term_entry(site: Site, docs: _Docs, iri: str, path: str) -> dict[str, Any]:
    """What the ontology and the shapes say of one term, for its page and its row of the overview."""
    g, node = docs.vocab, NamedNode(iri)
    types = set(g.iris(node, RDF_TYPE))
    vocabulary_classes, individuals = set(docs.classes), set(docs.individuals)
    return {
        "ref": _ref(site, iri, path),
        "iri": iri,
        "code": compact(iri),
        "anchor": _anchor(_local(iri)),
        "kind": _kind(types),
        "label": docs.label(iri),
        "comment": docs.comment(iri),
        "defined_by": _refs(site, g.iris(node, RDFS + "isDefinedBy"), path),
        "types": _refs(site, [t for t in types if t in vocabulary_classes or t not in TERM_TYPES], path),
        "superclasses": _expressions(site, docs, iri, RDFS + "subClassOf", path),
        "subclasses": _refs(site, g.subject_iris(RDFS + "subClassOf", node), path),
        "equivalent": _expressions(site, docs, iri, OWL + "equivalentClass", path),
        "domain": _expressions(site, docs, iri, RDFS + "domain", path),
        "range": _expressions(site, docs, iri, RDFS + "range", path),
        "superproperties": _refs(site, g.iris(node, RDFS + "subPropertyOf"), path),
        "subproperties": _refs(site, g.subject_iris(RDFS + "subPropertyOf", node), path),
        "inverse": _refs(site, {*g.iris(node, OWL + "inverseOf"), *g.subject_iris(OWL + "inverseOf", node)}, path),
        "domain_of": _refs(site, g.subject_iris(RDFS + "domain", node), path),
        "range_of": _refs(site, g.subject_iris(RDFS + "range", node), path),
        "instances": _refs(site, [i for i in g.subject_iris(RDF_TYPE, node) if i in individuals], path),
        "node_shapes": [_shape_context(site, s, path) for s in sorted(docs.by_class.get(iri, []),
                                                                      key=lambda s: s.anchor)],
        "property_shapes": _uses(site, docs.by_property.get(iri, []), path),
        "class_of": _uses(site, docs.class_of.get(iri, []), path),
        "allowed_in": _uses(site, docs.allowed_in.get(iri, []), path),
    }


def _ontology_entry(site: Site, docs: _Docs, iri: str, path: str) -> dict[str, Any]:
    g, node = docs.vocab, NamedNode(iri)
    return {
        "ref": _ref(site, iri, path),
        "iri": iri,
        "label": docs.label(iri) or compact(iri),
        "comment": docs.comment(iri),
        "version": g.text(node, (OWL + "versionInfo",)),
        "version_iri": _refs(site, g.iris(node, OWL + "versionIRI"), path),
        "licence": _refs(site, g.iris(node, DCTERMS + "license"), path),
        "prefix": g.text(node, (VANN + "preferredNamespacePrefix",)),
        "namespace": g.text(node, (VANN + "preferredNamespaceUri",)),
        "imports": _refs(site, g.iris(node, OWL + "imports"), path),
    }


def _doc_links(path: str) -> dict[str, str]:
    return {"overview": href(path, OVERVIEW_PAGE), "shapes": href(path, SHAPES_PAGE),
            "validation": href(path, VALIDATION_PAGE)}


def _file_links(published: Sequence[_Published], path: str) -> list[dict[str, Any]]:
    return [{"name": p.name, "forms": [{"href": href(path, file), "name": label} for file, label, _ in p.forms]}
            for p in published]


def _overview(site: Site, docs: _Docs, path: str) -> dict[str, Any]:
    used = {"classes", "properties", "individuals"}  # the section headings' ids
    groups = {}
    for group, iris in (("classes", docs.classes), ("properties", docs.properties), ("individuals", docs.individuals)):
        entries = [_term_entry(site, docs, iri, path) for iri in iris]
        for entry in entries:  # two vocabularies may share a local name; a page's ids may not
            entry["anchor"] = _unique(entry["anchor"], used)
        groups[group] = entries
    return {"ontologies": [_ontology_entry(site, docs, o, path) for o in docs.ontologies], **groups,
            "files": _file_links(docs.vocabulary_files, path)}


def term_context(site: Site, page: str, path: str) -> dict[str, Any]:
    """What an ontology term's page shows beyond its statements (the ontology's own page: the overview)."""
    docs = _docs(site)
    if page in docs.ontologies and path == OVERVIEW_PAGE:
        return {"term": None, "overview": _overview(site, docs, path), "docs": _doc_links(path)}
    return {"term": _term_entry(site, docs, page, path), "overview": None, "docs": _doc_links(path)}


# ---------------------------------------------------------------------------------------------------------
# The section.


def plan_docs(site: Site) -> None:
    """The ontology's overview page, the published ontology and shapes files, the shapes and validation pages."""
    docs = _docs(site)
    for warning in docs.warnings:
        site.warn(warning)
    for published in (*docs.vocabulary_files, *docs.shapes_files):
        for file, _, content in published.forms:
            if file in site.plan.files:
                site.warn(f"{file}: {published.source} would replace a file of the same name; not published")
            else:
                site.add_file(file, content)
    if OVERVIEW_PAGE not in site.plan.files:
        # The ontology is not under the site's base (or there is none): the overview gets its page anyway.
        iri = docs.ontologies[0] if docs.ontologies else site.iris.base + "ontology/"
        context = site.common(iri, OVERVIEW_PAGE, label=docs.label(iri) or "Ontology")
        data = _canonical(site.input.vocabulary)
        context.update(alternates=_add_rdf(site, OVERVIEW_PAGE, iri, context["label"], data), statements=[],
                       term=None, overview=_overview(site, docs, OVERVIEW_PAGE), docs=_doc_links(OVERVIEW_PAGE))
        site.add_page(OVERVIEW_PAGE, "term.html", context)
    elif not any(page_file(site.iris, o) == OVERVIEW_PAGE for o in docs.ontologies):
        site.warn(f"{OVERVIEW_PAGE}: the page of a resource that is not the ontology; the ontology overview is "
                  "not published")
    _plan_shapes_page(site, docs)
    _plan_validation_page(site, docs)


def _published(files: dict[str, bytes], folder: str, warnings: list[str]) -> list[_Published]:
    """Each file as it is and, for Turtle, its triples as N-Triples and JSON-LD, under ``folder``."""
    found: list[_Published] = []
    taken: set[str] = set()
    for name in sorted(files):
        safe = _safe_file_name(name)
        if safe in taken:
            warnings.append(f"{folder}{safe}: two files ({name} and another) have this name once made safe; "
                            f"{name} is not published")
            continue
        taken.add(safe)
        content = files[name]
        forms = [(folder + safe, "Turtle, as written" if safe.endswith(".ttl") else "as written", content)]
        if safe.endswith(".ttl"):
            triples = _canonical_triples(content)
            if triples is None:
                warnings.append(f"{folder}{safe}: not valid Turtle; published as it is, without N-Triples or "
                                "JSON-LD")
            else:
                stem = folder + safe.removesuffix(".ttl")
                forms += [(f"{stem}.nt", "N-Triples", store.ntriples(triples)),
                          (f"{stem}.jsonld", "JSON-LD", store.jsonld(triples))]
        found.append(_Published(name, safe, tuple(forms)))
    return found


def _canonical_triples(content: bytes) -> list[Triple] | None:
    """A Turtle file's triples, canonical (see :func:`_canonical`), or None when it is not valid Turtle."""
    try:
        triples = [Triple(q.subject, q.predicate, q.object) for q in parse(input=content, format=RdfFormat.TURTLE)]
    except (SyntaxError, ValueError):
        return None
    return _canonical(triples)


def _canonical(triples: Iterable[Triple]) -> list[Triple]:
    """The triples in a fixed order, blank nodes relabelled by RDFC-1.0 (so that builds agree)."""
    dataset = Dataset(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted({Triple(q.subject, q.predicate, q.object) for q in dataset}, key=triple_order)


def _add_rdf(site: Site, page: str, iri: str, label: str, triples: list[Triple]) -> list[dict[str, str]]:
    """The page's own data beside it (``x.ttl`` for ``x.html``), as the page's alternates.

    The page's IRI is labelled in it, so the data says what it is even when there is nothing else to say.
    """
    triples = sorted({Triple(NamedNode(iri), NamedNode(RDFS + "label"), Literal(label)), *triples}, key=triple_order)
    stem = page.removesuffix(".html")
    content = {"ttl": store.turtle(triples, _TURTLE_PREFIXES), "jsonld": store.jsonld(triples),
               "nt": store.ntriples(triples)}
    alternates = []
    for ext, media, name in FORMATS:
        if f"{stem}.{ext}" in site.plan.files:
            site.warn(f"{stem}.{ext}: already a file of the site; the data of {page} is not published there")
            continue
        site.add_file(f"{stem}.{ext}", content[ext])
        alternates.append({"href": href(page, f"{stem}.{ext}"), "type": media, "name": name})
    return alternates


def _plan_shapes_page(site: Site, docs: _Docs) -> None:
    path = SHAPES_PAGE
    if path in site.plan.files:
        site.warn(f"{path}: taken by a resource; the shapes page is not published")
        return
    iri = site.iris.base + "shapes/"
    context = site.common(iri, path, label="SHACL shapes")
    context.update(
        alternates=_add_rdf(site, path, iri, "SHACL shapes", _canonical(site.input.shapes)),
        shapes=[_shape_context(site, s, path) for s in docs.shapes],
        files=_file_links(docs.shapes_files, path),
        property_count=sum(len(s.properties) for s in docs.shapes),
        docs=_doc_links(path),
    )
    site.add_page(path, "shapes.html", context)


def _plan_validation_page(site: Site, docs: _Docs) -> None:
    path = VALIDATION_PAGE
    if path in site.plan.files:
        site.warn(f"{path}: taken by a resource; the validation report page is not published")
        return
    report = site.input.report
    results = report.results if report is not None else ()
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for r in results:
        counts[r.severity] = counts.get(r.severity, 0) + 1
    rows = sorted((_result_row(site, docs, r, path) for r in results), key=lambda row: row["key"])
    iri = site.iris.base + "validation"
    context = site.common(iri, path, label="Validation report")
    context.update(
        alternates=_add_rdf(site, path, iri, "Validation report",
                            _report_triples(iri, report, [row["result"] for row in rows])),
        validated=report is not None,
        conforms=report.conforms if report is not None else None,
        counts=[{"severity": s, "count": n, "css": _severity_class(s)} for s, n in counts.items()],
        results=rows,
        shape_count=len(docs.shapes),
        files=_file_links(docs.shapes_files, path),
        build_date=site.input.build_date.isoformat(),
        docs=_doc_links(path),
    )
    site.add_page(path, "validation.html", context)


def _severity_class(severity: str) -> str:
    return severity.lower() if severity in SEVERITIES else "other"


def _is_iri(text: str) -> bool:
    return re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I) is not None


def _result_row(site: Site, docs: _Docs, result: ValidationResult, path: str) -> dict[str, Any]:
    # A blank node's label differs between runs: it is neither linked nor shown, nor used to sort.
    focus = _ref(site, result.focus, path) if _is_iri(result.focus) else \
        {"text": "a blank node", "href": None, "code": "", "iri": None}
    shape = docs.shapes_by_iri.get(result.shape)
    shape_ref = None
    if shape is not None:
        anchor = next((p.anchor for p in shape.properties if p.path.simple and result.path in p.path.iris), None)
        shape_ref = _shape_ref(shape, path, anchor)
    elif _is_iri(result.shape):
        shape_ref = {"text": compact(result.shape), "href": None, "code": "", "iri": result.shape}
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES)
    return {
        "key": (rank, result.severity, focus["iri"] or "", result.path or "", result.message, result.value or "",
                shape_ref["text"] if shape_ref else ""),
        "result": result,
        "severity": result.severity,
        "css": _severity_class(result.severity),
        "focus": focus,
        "path": _ref(site, result.path, path) if result.path else None,
        "message": result.message,
        "value": result.value,
        "shape": shape_ref,
    }


def _report_triples(iri: str, report: ValidationReport | None, results: Sequence[ValidationResult]) -> list[Triple]:
    """The report in the SHACL vocabulary, its results numbered in the page's order.

    A result's offending value is left out: the report keeps it as text, which no longer says whether it
    was an IRI or a literal.
    """
    node = NamedNode(iri)
    if report is None:
        return [Triple(node, NamedNode(RDFS + "comment"), Literal("This build was not validated."))]
    out = [Triple(node, NamedNode(RDF_TYPE), NamedNode(SH + "ValidationReport")),
           Triple(node, NamedNode(SH + "conforms"), Literal(str(report.conforms).lower(),
                                                            datatype=NamedNode(XSD + "boolean")))]
    for number, result in enumerate(results, start=1):
        entry = NamedNode(f"{iri}#result-{number}")
        out += [Triple(node, NamedNode(SH + "result"), entry),
                Triple(entry, NamedNode(RDF_TYPE), NamedNode(SH + "ValidationResult")),
                Triple(entry, NamedNode(SH + "resultMessage"), Literal(result.message))]
        if result.severity in SEVERITIES:
            out.append(Triple(entry, NamedNode(SH + "resultSeverity"), NamedNode(SH + result.severity)))
        for predicate, value in ((SH + "focusNode", result.focus), (SH + "resultPath", result.path),
                                 (SH + "sourceShape", result.shape)):
            if value and _is_iri(value):
                try:
                    out.append(Triple(entry, NamedNode(predicate), NamedNode(value)))
                except ValueError:
                    continue  # not a valid IRI after all: the page still shows it
    return sorted(out, key=triple_order)
