"""The shapes compiled to SPARQL queries over the store: every constraint checked for all focus nodes at once.

pyshacl walks the focus nodes one by one in Python (≈ 5,000 triples/s here); Oxigraph answers one query per
constraint over the whole graph in native code. The report must be exactly the one pyshacl gives, so:

* only the SHACL features the compiler knows are accepted; anything else (another constraint component, a
  complex path, a shape without ``sh:message``, blank nodes in the data ...) raises :class:`Unsupported` and
  the caller validates with pyshacl instead;
* where SPARQL and pyshacl could judge a value differently (ill-typed literals, comparisons across datatypes,
  Python regular expressions), the query only sets aside the values that certainly conform, and the rest are
  judged in Python with pyshacl's own rules;
* a SPARQL constraint is evaluated once for the whole graph, not once per focus node, only when that gives the
  same rows: ``$this`` bound by a triple pattern of the main group, grouped by ``$this`` if it aggregates, and
  no sub-query, ``MINUS``, ``VALUES`` or ``BIND`` that could see it unbound.

``tests/test_validate_sparql.py`` checks the report against pyshacl's on every shape example and on built
graphs; ``docs/decisions/0009-validation-compiled-to-sparql.md`` has the figures.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal

import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Store, Triple, Variable
from pyshacl.rdfutil.compare import compare_literal
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from exokg.query import sparql_term, with_values
from exokg.validate.results import ValidationReport, ValidationResult, focus_name, make_report

Term = NamedNode | BlankNode | Literal
Judge = Callable[[rdflib.term.Node, list[rdflib.term.Node]], bool]  # (value, compared values) -> conforms


class Unsupported(Exception):
    """The shapes use something the compiler does not translate; validate with pyshacl instead."""


@dataclass(frozen=True)
class Check:
    """One constraint as a query. Its rows are ``?this`` and, for value constraints, ``?value`` (and ``?other``
    for a pair constraint, whose judge sees all of a value's ``?other`` at once); ``judge``, when set, decides
    each value in Python (values it accepts are no result)."""

    shape: str
    path: str | None
    severity: str
    messages: tuple[str, ...]
    query: str
    node_value: bool = False  # the result's value is the focus node (node-level constraints)
    judge: Judge | None = None


@dataclass
class _Compiled:
    # The classes whose instances are instances of a class: itself and its subclasses in the data. Asking the data
    # once per class lets each query match rdf:type directly; a property path per row was several times slower.
    subclasses: Callable[[str], list[str]]
    checks: list[Check] = field(default_factory=list)
    counter: int = 0  # numbers the class variables of instance patterns

    def instance(self, variable: str, cls: rdflib.term.Node) -> str:
        """A pattern that holds when the variable is an instance of the class (``rdf:type/rdfs:subClassOf*``)."""
        classes = self.subclasses(str(cls))
        if len(classes) == 1:
            return f"{variable} rdf:type <{classes[0]}> ."
        self.counter += 1
        return (f"{variable} rdf:type ?_class{self.counter} . "
                f"FILTER (?_class{self.counter} IN ({', '.join(f'<{c}>' for c in classes)}))")


_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_NODE_KEYS = frozenset({RDF.type, RDFS.label, RDFS.comment, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                        SH.targetObjectsOf, SH.property, SH["or"], SH["class"], SH.message, SH.severity, SH.sparql,
                        SH.name, SH.description})
_PROPERTY_KEYS = frozenset({RDF.type, RDFS.label, RDFS.comment, SH.path, SH.minCount, SH.maxCount, SH.minLength,
                            SH.nodeKind, SH["class"], SH.datatype, SH.pattern, SH["in"], SH.minInclusive,
                            SH.lessThan, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group})
_SPARQL_KEYS = frozenset({RDF.type, SH.select, SH.message, SH.prefixes, RDFS.comment, RDFS.label})
_PROLOGUE = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")
# Lexical forms that pyshacl certainly accepts for a datatype; any other value of the path is judged in Python.
_CERTAIN_LEXICAL = {
    XSD.integer: "^[0-9]{1,18}$",
    XSD.boolean: "^(true|false)$",
    XSD.gYear: "^[1-9][0-9]{3}$",
    XSD.date: "^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
}


def _iri(node: rdflib.term.Node) -> str:
    return f"<{node}>"


def compile_shapes(shapes: rdflib.Graph, subclasses: Callable[[str], list[str]] | None = None) -> list[Check]:
    """The checks of every targeted node shape; :class:`Unsupported` if any part cannot be translated exactly.
    ``subclasses`` gives a class and its subclasses in the data (without it, a class has none)."""
    compiled = _Compiled(subclasses or (lambda cls: [cls]))
    if any(shapes.subjects(SH.rule, None)) or any(shapes.objects(None, SH.deactivated)):
        raise Unsupported("rules or deactivated shapes")
    targeted = sorted({s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                       for s in shapes.subjects(p, None)}, key=str)
    if any(shapes.subjects(RDF.type, RDFS.Class)) or any(shapes.subjects(SH.node, None)):
        raise Unsupported("implicit class targets or sh:node")
    for shape in targeted:
        if not isinstance(shape, rdflib.URIRef):
            raise Unsupported("a targeted shape that is a blank node")
        _node_shape(shapes, shape, compiled)
    return compiled.checks


def _one(shapes: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> rdflib.term.Node | None:
    values = list(shapes.objects(node, predicate))
    if len(values) > 1:
        raise Unsupported(f"{node}: more than one {predicate}")
    return values[0] if values else None


def _severity(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    severity = _one(shapes, node, SH.severity)
    if severity is None:
        return "Violation"
    if not isinstance(severity, rdflib.URIRef) or severity not in _SEVERITY:
        raise Unsupported(f"{node}: severity {severity}")
    return _SEVERITY[severity]


def _messages(shapes: rdflib.Graph, node: rdflib.term.Node) -> tuple[str, ...]:
    found = []
    for message in shapes.objects(node, SH.message):
        if not isinstance(message, rdflib.Literal) or not isinstance(message.value, str):
            raise Unsupported(f"{node}: a message that is not a string")
        found.append(str(message.value))
    return tuple(sorted(found))


def _focus(shapes: rdflib.Graph, shape: rdflib.URIRef, compiled: _Compiled) -> str:
    """A group pattern binding ?this to every focus node of the shape once (as pyshacl finds them, without
    inference)."""
    branches = []
    for cls in shapes.objects(shape, SH.targetClass):
        branches.append(compiled.instance("?this", cls))
    for node in shapes.objects(shape, SH.targetNode):
        if isinstance(node, rdflib.BNode):
            raise Unsupported(f"{shape}: a blank-node target")
        branches.append(f"VALUES ?this {{ {node.n3()} }}")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        branches.append(f"?this {_iri(p)} [] .")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        branches.append(f"[] {_iri(p)} ?this .")
    if len(branches) == 1 and "FILTER" not in branches[0] and "VALUES" not in branches[0] and "[]" not in branches[0]:
        return branches[0]  # one rdf:type triple per focus node: no duplicates to remove
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join("{ " + b + " }" for b in branches) + " } }"


def _path(shapes: rdflib.Graph, prop: rdflib.term.Node) -> tuple[str, str | None]:
    """The path as a SPARQL path expression, and what the report names as its path (None unless an IRI)."""
    path = _one(shapes, prop, SH.path)
    if isinstance(path, rdflib.URIRef):
        return _iri(path), str(path)
    if isinstance(path, rdflib.BNode):
        keys = set(shapes.predicates(path, None))
        inverse = _one(shapes, path, SH.inversePath)
        if keys == {SH.inversePath} and isinstance(inverse, rdflib.URIRef):
            return f"^{_iri(inverse)}", None
    raise Unsupported(f"{prop}: a path other than a predicate or its inverse")


def _node_shape(shapes: rdflib.Graph, shape: rdflib.URIRef, compiled: _Compiled) -> None:
    keys = set(shapes.predicates(shape, None))
    if keys - _NODE_KEYS:
        raise Unsupported(f"{shape}: {sorted(map(str, keys - _NODE_KEYS))}")
    focus = _focus(shapes, shape, compiled)
    name = str(shape)
    severity = _severity(shapes, shape)
    messages = _messages(shapes, shape)
    node_checks = []
    cls = _one(shapes, shape, SH["class"])
    if cls is not None:
        typed = compiled.instance("?this", cls)
        node_checks.append(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {typed} }} }}")
    alternatives = _one(shapes, shape, SH["or"])
    if alternatives is not None:
        exists = []
        for member in rdflib.collection.Collection(shapes, alternatives):
            if set(shapes.predicates(member, None)) != {SH.path, SH.minCount} \
                    or _one(shapes, member, SH.minCount) != rdflib.Literal(1):
                raise Unsupported(f"{shape}: sh:or of anything but 'at least one value of a path'")
            expression, _ = _path(shapes, member)
            exists.append(f"EXISTS {{ ?this {expression} [] }}")
        node_checks.append(f"SELECT ?this WHERE {{ {focus} FILTER (!({' || '.join(exists)})) }}")
    if node_checks and not messages:
        raise Unsupported(f"{shape}: no sh:message (pyshacl would make one up)")
    for query in node_checks:
        compiled.checks.append(Check(name, None, severity, messages, _PROLOGUE + query, node_value=True))
    for constraint in shapes.objects(shape, SH.sparql):
        compiled.checks.append(_sparql_check(shapes, shape, constraint, focus, severity, messages))
    for prop in shapes.objects(shape, SH.property):
        owners = set(shapes.subjects(SH.property, prop))
        if len(owners) != 1:
            raise Unsupported(f"{prop}: a property shape shared by several node shapes")
        owner = name if isinstance(prop, rdflib.BNode) else str(prop)
        compiled.checks.extend(_property_checks(shapes, prop, owner, focus, compiled))


def _property_checks(shapes: rdflib.Graph, prop: rdflib.term.Node, owner: str, focus: str,
                     compiled: _Compiled) -> list[Check]:
    keys = set(shapes.predicates(prop, None))
    if keys - _PROPERTY_KEYS:
        raise Unsupported(f"{prop}: {sorted(map(str, keys - _PROPERTY_KEYS))}")
    path, named = _path(shapes, prop)
    severity = _severity(shapes, prop)
    messages = _messages(shapes, prop)
    if not messages:
        raise Unsupported(f"{prop}: no sh:message (pyshacl would make one up)")
    values = f"{focus} ?this {path} ?value ."
    queries: list[tuple[str, Judge | None]] = []

    def count(parameter: rdflib.URIRef, having: str) -> None:
        bound = _one(shapes, prop, parameter)
        if bound is None:
            return
        if not isinstance(bound, rdflib.Literal) or not isinstance(bound.value, int):
            raise Unsupported(f"{prop}: {parameter} is not an integer")
        # The common bounds as plain patterns: a group and a count per focus node cost 2-4x as much.
        if parameter == SH.minCount and bound.value == 1:
            queries.append((f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} [] }} }}", None))
            return
        if parameter == SH.maxCount and bound.value == 1:
            queries.append((f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?value, ?other . "
                            "FILTER (!sameTerm(?value, ?other)) }", None))
            return
        queries.append((f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this "
                        f"HAVING (COUNT(DISTINCT ?value) {having} {bound.value})", None))

    count(SH.minCount, "<")
    count(SH.maxCount, ">")
    cls = _one(shapes, prop, SH["class"])
    if cls is not None:
        typed = compiled.instance("?value", cls)
        queries.append((f"SELECT ?this ?value WHERE {{ {values} FILTER NOT EXISTS {{ {typed} }} }}", None))
    kind = _one(shapes, prop, SH.nodeKind)
    if kind is not None:
        tests = {SH.IRI: "isIRI(?value)", SH.Literal: "isLiteral(?value)", SH.BlankNode: "isBlank(?value)",
                 SH.BlankNodeOrIRI: "!isLiteral(?value)", SH.IRIOrLiteral: "!isBlank(?value)",
                 SH.BlankNodeOrLiteral: "!isIRI(?value)"}
        if not isinstance(kind, rdflib.URIRef) or kind not in tests:
            raise Unsupported(f"{prop}: node kind {kind}")
        queries.append((f"SELECT ?this ?value WHERE {{ {values} FILTER (!({tests[kind]})) }}", None))
    datatype = _one(shapes, prop, SH.datatype)
    if datatype is not None:
        if not isinstance(datatype, rdflib.URIRef):
            raise Unsupported(f"{prop}: a datatype that is not an IRI")
        certain = f"isLiteral(?value) && DATATYPE(?value) = {_iri(datatype)}"
        if datatype in _CERTAIN_LEXICAL:
            certain += f' && REGEX(STR(?value), "{_CERTAIN_LEXICAL[rdflib.URIRef(datatype)]}")'
        elif datatype != XSD.string:
            certain = "false"
        queries.append((f"SELECT ?this ?value WHERE {{ {values} FILTER (!({certain})) }}", _datatype(datatype)))
    length = _one(shapes, prop, SH.minLength)
    if length is not None:
        if not isinstance(length, rdflib.Literal) or not isinstance(length.value, int) or length.value < 0:
            raise Unsupported(f"{prop}: sh:minLength is not a non-negative integer")
        queries.append((f"SELECT ?this ?value WHERE {{ {values} FILTER (isBlank(?value) || "
                        f"STRLEN(STR(?value)) < {length.value}) }}", _min_length(length.value)))
    pattern = _one(shapes, prop, SH.pattern)
    if pattern is not None:
        if not isinstance(pattern, rdflib.Literal):
            raise Unsupported(f"{prop}: sh:pattern is not a literal")
        # Every value is judged in Python: Rust's and Python's regular expressions need not agree.
        queries.append((f"SELECT ?this ?value WHERE {{ {values} }}", _pattern(str(pattern))))
    allowed = _one(shapes, prop, SH["in"])
    if allowed is not None:
        members = list(rdflib.collection.Collection(shapes, allowed))
        if any(isinstance(m, rdflib.BNode) for m in members):
            raise Unsupported(f"{prop}: sh:in with a blank node")
        same = " || ".join(f"sameTerm(?value, {m.n3()})" for m in members) or "false"
        queries.append((f"SELECT ?this ?value WHERE {{ {values} FILTER (!({same})) }}", _member(members)))
    minimum = _one(shapes, prop, SH.minInclusive)
    if minimum is not None:
        if not isinstance(minimum, rdflib.Literal):
            raise Unsupported(f"{prop}: sh:minInclusive is not a literal")
        certain = "false"
        if minimum.datatype == XSD.integer and isinstance(minimum.value, int):
            certain = f"{_plain_integer('value')} && xsd:integer(STR(?value)) >= {minimum.value}"
        queries.append((f"SELECT ?this ?value WHERE {{ {values} FILTER (!({certain})) }}", _min_inclusive(minimum)))
    other = _one(shapes, prop, SH.lessThan)
    if other is not None:
        if not isinstance(other, rdflib.URIRef):
            raise Unsupported(f"{prop}: sh:lessThan is not an IRI")
        certain = (f"{_plain_integer('value')} && {_plain_integer('other')} && "
                   "xsd:integer(STR(?value)) < xsd:integer(STR(?other))")
        queries.append((f"SELECT ?this ?value ?other WHERE {{ {values} ?this {_iri(other)} ?other . "
                        f"FILTER (!({certain})) }}", _less_than))
    return [Check(owner, named, severity, messages, _PROLOGUE + q, judge=judge) for q, judge in queries]


def _plain_integer(variable: str) -> str:
    return (f"isLiteral(?{variable}) && DATATYPE(?{variable}) = xsd:integer && "
            f'REGEX(STR(?{variable}), "{_CERTAIN_LEXICAL[XSD.integer]}")')


# --- pyshacl's rules, for the values a query could not settle ------------------------------------------------------

def _datatype(datatype: rdflib.URIRef) -> Judge:
    def judge(v: rdflib.term.Node, _: list[rdflib.term.Node]) -> bool:
        if not isinstance(v, rdflib.Literal):
            return False
        if v.datatype == datatype:
            if getattr(v, "ill_typed", None) is True:
                return False
            return _actual(v, datatype)
        if datatype == RDFS.Literal:
            return True
        if datatype == RDFS.Datatype and v.datatype:
            return True
        if v.datatype is None and v.language is None and datatype == XSD.string:
            return _actual(v, datatype)
        if datatype == RDF.langString and v.language:
            return _actual(v, datatype)
        return False
    return judge


def _actual(v: rdflib.Literal, datatype: rdflib.URIRef) -> bool:
    import datetime

    value = v.value
    expected: dict[rdflib.URIRef, type | tuple[type, ...]] = {
        XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
        XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
        XSD.dateTime: datetime.datetime}
    return isinstance(value, expected[datatype]) if datatype in expected else True


def _as_string(v: rdflib.term.Node) -> str:
    if isinstance(v, rdflib.Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _min_length(length: int) -> Judge:
    def judge(v: rdflib.term.Node, _: list[rdflib.term.Node]) -> bool:
        return length == 0 or (not isinstance(v, rdflib.BNode) and len(_as_string(v)) >= length)
    return judge


def _pattern(pattern: str) -> Judge:
    compiled = re.compile(pattern)

    def judge(v: rdflib.term.Node, _: list[rdflib.term.Node]) -> bool:
        if isinstance(v, rdflib.BNode):
            return False
        text = _as_string(v)
        return bool(compiled.match(text) or compiled.search(text))
    return judge


def _member(members: list[rdflib.term.Node]) -> Judge:
    allowed = set(members)

    def judge(v: rdflib.term.Node, _: list[rdflib.term.Node]) -> bool:
        return v in allowed
    return judge


def _min_inclusive(minimum: rdflib.Literal) -> Judge:
    minimum_is_string = isinstance(minimum.value, str)

    def judge(v: rdflib.term.Node, _: list[rdflib.term.Node]) -> bool:
        if not isinstance(v, rdflib.Literal) or minimum_is_string != isinstance(v.value, str):
            return False
        try:
            return bool(compare_literal(v, minimum) >= 0)  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False
    return judge


def _less_than(v: rdflib.term.Node, others: list[rdflib.term.Node]) -> bool:
    # A value breaks sh:lessThan once however many of the other values it fails against: pyshacl reports each
    # (focus, value) once.
    if isinstance(v, rdflib.URIRef):
        value: object = str(v)
        value_is_string = True
    elif isinstance(v, rdflib.Literal) and isinstance(v.value, str):
        value, value_is_string = v.value, True
    else:
        value, value_is_string = v, False
    for other in others:
        compare: object = other
        compare_is_string = False
        if isinstance(other, rdflib.URIRef):
            compare, compare_is_string = str(other), True
        elif isinstance(other, rdflib.Literal) and isinstance(other.value, str):
            compare, compare_is_string = other.value, True
        if value_is_string != compare_is_string:
            return False
        try:
            if not value < compare:  # type: ignore[operator]
                return False
        except TypeError:
            return False
    return True


# --- SPARQL-based constraints ---------------------------------------------------------------------------------------

def _sparql_check(shapes: rdflib.Graph, shape: rdflib.URIRef, constraint: rdflib.term.Node, focus: str,
                  severity: str, shape_messages: tuple[str, ...]) -> Check:
    keys = set(shapes.predicates(constraint, None))
    if keys - _SPARQL_KEYS:
        raise Unsupported(f"{shape}: a SPARQL constraint with {sorted(map(str, keys - _SPARQL_KEYS))}")
    select = _one(shapes, constraint, SH.select)
    if not isinstance(select, rdflib.Literal):
        raise Unsupported(f"{shape}: a SPARQL constraint without one sh:select")
    messages = tuple(sorted(set(_messages(shapes, constraint)) | set(shape_messages)))
    if not messages or any("{?" in m or "{$" in m for m in messages):
        raise Unsupported(f"{shape}: a SPARQL constraint without messages, or with placeholders in them")
    prefixes = _prefixes(shapes, constraint)
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    try:
        parsed = prepareQuery(str(select), initNs=prefixes)
    except Exception as exc:  # rdflib's parser raises pyparsing errors
        raise Unsupported(f"{shape}: the SPARQL constraint does not parse: {exc}") from exc
    _check_global(parsed.algebra, shape)
    # $this and ?this are one variable in SPARQL: the constraint's own text runs unchanged inside the join.
    query = f"{_PROLOGUE}{prologue}SELECT ?this ?value WHERE {{ {focus} {{ {select} }} }}"
    return Check(str(shape), None, severity, messages, query, node_value=True)


def _prefixes(shapes: rdflib.Graph, constraint: rdflib.term.Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = _one(shapes, declaration, SH.prefix), _one(shapes, declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise Unsupported("a prefix declaration without sh:prefix or sh:namespace")
            found[str(prefix)] = str(namespace)
    return found


_OPAQUE = frozenset({"ToMultiSet", "Minus", "values", "Graph", "Service", "Slice"})


def _check_global(algebra: CompValue, shape: rdflib.URIRef) -> None:
    """Refuse a query whose rows could differ between one run over the graph and one run per focus node."""
    this = rdflib.Variable("this")
    project = algebra.p if algebra.name == "SelectQuery" else algebra
    if project.name != "Project" or this not in project.PV:
        raise Unsupported(f"{shape}: the SPARQL constraint does not select $this")
    node = project.p
    grouped = False
    while True:
        if node.name in ("Filter", "OrderBy", "Distinct", "Reduced"):
            node = node.p
        elif node.name == "Extend" and (node.var != this or str(node.expr).startswith("__agg_")):
            # rdflib projects a grouped $this through a sample aggregate; a BIND of $this itself is refused.
            node = node.p
        elif node.name == "AggregateJoin":
            grouped = True
            node = node.p
        elif node.name == "Group":
            if node.expr is None or this not in list(node.expr):
                raise Unsupported(f"{shape}: the SPARQL constraint aggregates without grouping by $this")
            grouped = True
            node = node.p
        else:
            break
    for sub in _walk(node):
        if sub.name in _OPAQUE or (sub.name == "Extend" and sub.var == this):
            raise Unsupported(f"{shape}: the SPARQL constraint uses {sub.name}")
    if not _binds(node, this):
        raise Unsupported(f"{shape}: $this is not bound by a triple pattern of the main group")
    if not grouped and _aggregates(project):
        raise Unsupported(f"{shape}: the SPARQL constraint aggregates without GROUP BY $this")


def _walk(node: object) -> Iterable[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _walk(item)


def _binds(node: CompValue, variable: rdflib.Variable) -> bool:
    """Whether every solution of the pattern binds the variable from a triple pattern."""
    if node.name == "BGP":
        return any(variable in triple for triple in node.triples)
    if node.name == "Join":
        return _binds(node.p1, variable) or _binds(node.p2, variable)
    if node.name == "LeftJoin":
        return _binds(node.p1, variable)
    if node.name == "Union":
        return _binds(node.p1, variable) and _binds(node.p2, variable)
    if node.name == "Filter":
        return _binds(node.p, variable)
    return False


def _aggregates(project: CompValue) -> bool:
    return any(sub.name.startswith("Aggregate_") for sub in _walk(project))


# --- running the checks ---------------------------------------------------------------------------------------------

_PLAIN = frozenset({str(XSD.string), str(RDF.langString)})


def altered_literals(triples: Iterable[Triple]) -> list[Literal]:
    """The typed literals whose value a store would report differently from pyshacl.

    Oxigraph keeps numbers, booleans and dates by value and gives them back in its canonical form ("1.0" comes
    back "1"); rdflib, under pyshacl, normalises them its own way ("Z" becomes "+00:00", "1.0" stays). Where the
    two readings of a literal agree, the compiled checks report what pyshacl reports."""
    typed = sorted({o for o in (t.object for t in triples) if type(o) is Literal and o.datatype.value not in _PLAIN},
                   key=str)
    if not typed:
        return []
    probe, predicate = Store(), NamedNode("urn:x-exokg:value")
    probe.bulk_extend(Quad(NamedNode(f"urn:x-exokg:probe:{i}"), predicate, o, DefaultGraph())
                      for i, o in enumerate(typed))
    kept = {q.subject.value: q.object for q in probe.quads_for_pattern(None, predicate, None)
            if isinstance(q.subject, NamedNode) and isinstance(q.object, Literal)}
    return [o for i, o in enumerate(typed) if _text(kept[f"urn:x-exokg:probe:{i}"]) != _text(o)]


def _text(term: Term) -> str:
    """A term as pyshacl's report gives it: a literal's lexical form as rdflib normalises it."""
    return str(rdflib_term(term)) if isinstance(term, Literal) else term.value


def has_blank_nodes(store: Store) -> bool:
    return bool(store.query("ASK { { ?s ?p ?o FILTER (isBlank(?s)) } UNION { ?s ?p ?o FILTER (isBlank(?o)) } }"))


def rdflib_term(term: Term) -> rdflib.term.Node:
    """The rdflib term pyshacl would see for a store term (a simple literal has no datatype in rdflib)."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return rdflib.Literal(term.value, datatype=None if datatype == str(XSD.string) else rdflib.URIRef(datatype))


def subclasses_in(store: Store) -> Callable[[str], list[str]]:
    """A class and its subclasses by ``rdfs:subClassOf`` in the store (what pyshacl follows without inference)."""
    def subclasses(cls: str) -> list[str]:
        rows = store.query(_PROLOGUE + "SELECT DISTINCT ?c ?cls WHERE { ?c rdfs:subClassOf* ?cls }",
                           substitutions={Variable("cls"): NamedNode(cls)})
        assert isinstance(rows, QuerySolutions)
        return sorted({cls} | {row["c"].value for row in rows if isinstance(row["c"], NamedNode)})
    return subclasses


def validate_store(store: Store, shapes: rdflib.Graph, within: Collection[NamedNode] | None = None) -> ValidationReport:
    """The shapes checked on the store; the same report pyshacl gives for the same graph and shapes.

    ``within``, when given, are the only focus nodes checked: the report holds the results of those of them the
    shapes target, and the caller knows the store holds no blank node.

    Raises :class:`Unsupported` when the shapes do not compile exactly or the data has blank nodes (pyshacl's
    report would name them by its own ids).
    """
    checks = compile_shapes(shapes, subclasses_in(store))
    if within is None:
        if has_blank_nodes(store):
            raise Unsupported("blank nodes in the data")
    else:
        if not within:
            return make_report([])
        # Each check answers for the given nodes only: a VALUES block in its group and in each sub-SELECT that
        # names ?this, so that the engine starts from them rather than from every focus node.
        values = [[sparql_term(node)] for node in sorted(within, key=lambda n: n.value)]
        checks = [replace(check, query=with_values(check.query, ["?this"], values)) for check in checks]
    # Oxigraph evaluates without holding the GIL, so the queries run side by side (2 cores: 15.6 s -> 7.9 s at
    # 1,000 articles); map keeps the checks' order, so the report does not depend on which finished first.
    with ThreadPoolExecutor(max_workers=max(1, min(len(checks), os.cpu_count() or 1))) as pool:
        answers = list(pool.map(lambda check: _rows(store, check), checks))
    found: list[tuple[Check, Term, Term | None]] = []
    for check, rows in zip(checks, answers, strict=True):
        if check.judge is None:
            found.extend((check, this, this if value is None and check.node_value else value)
                         for this, value, _ in rows)
            continue
        grouped: dict[tuple[Term, Term], list[rdflib.term.Node]] = defaultdict(list)
        for this, value, other in rows:
            assert value is not None
            if other is not None:
                grouped[(this, value)].append(rdflib_term(other))
            else:
                grouped.setdefault((this, value), [])
        for (this, value), others in grouped.items():
            if not check.judge(rdflib_term(value), others):
                found.append((check, this, value))
    labels = _labels(store, {this for _, this, _ in found})
    results = [ValidationResult(focus=_text(this), focus_label=labels[this], path=check.path,
                                severity=check.severity, message=message, shape=check.shape,
                                value=_text(value) if value is not None else None)
               for check, this, value in found for message in check.messages]
    return make_report(results)


def _rows(store: Store, check: Check) -> list[tuple[Term, Term | None, Term | None]]:
    solutions = store.query(check.query)
    assert isinstance(solutions, QuerySolutions)
    names = {v.value for v in solutions.variables}
    value, other = "value" in names, "other" in names
    return [(row["this"], row["value"] if value else None, row["other"] if other else None) for row in solutions]


def _labels(store: Store, nodes: set[Term]) -> dict[Term, str]:
    label = NamedNode(str(RDFS.label))
    found = {}
    for node in nodes:
        labels = [] if isinstance(node, Literal) else \
            [q.object.value for q in store.quads_for_pattern(node, label, None) if not isinstance(q.object, Triple)]
        found[node] = focus_name(labels, _text(node))
    return found
