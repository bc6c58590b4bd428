"""The validate stage: SHACL shapes checked with pyshacl, results returned as a typed report.

Data that does not conform is a result (a :class:`ValidationReport`), not an exception; shapes that
cannot be read are a :class:`~exokg.errors.ShapesError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import rdflib
from pyoxigraph import Triple
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import RDFS, SH

from exokg.errors import ShapesError
from exokg.graph.store import to_rdflib

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


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node, which property, what is wrong, how bad."""

    focus: str
    focus_label: str
    path: str | None
    severity: str
    message: str
    shape: str
    value: str | None


@dataclass(frozen=True)
class ValidationReport:
    results: tuple[ValidationResult, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity != "Violation")

    def as_text(self) -> str:
        """A readable list: one line per result, sorted, with labels instead of bare IRIs."""
        if not self.results:
            return "The graph conforms to the shapes: no violations, no warnings."
        lines = [f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s):"]
        for r in self.results:
            where = f" [{_short(r.path)}]" if r.path else ""
            value = f" (value: {r.value})" if r.value else ""
            lines.append(f"- {r.severity}: {r.focus_label} <{r.focus}>{where}: {r.message}{value}")
        return "\n".join(lines)


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


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph) -> ValidationReport:
    try:
        _conforms, report, _text = pyshacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
    except Exception as exc:  # pyshacl reports broken shapes with its own exception types
        raise ShapesError(f"the SHACL shapes could not be applied: {exc}") from exc
    assert isinstance(report, rdflib.Graph)
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
    # Path and value are absent for node-level results: sort them as empty rather than compare None with text.
    return ValidationReport(tuple(sorted(set(results), key=lambda r: (
        r.focus, r.path or "", r.severity, r.message, r.shape, r.value or ""))))


def _label(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else str(node).rsplit("/", 1)[-1]


def _shape_name(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    # A property shape is a blank node: name the node shape that holds it.
    if isinstance(shape, rdflib.BNode):
        owner = shapes.value(predicate=SH.property, object=shape)
        if owner is not None:
            return str(owner)
    return str(shape)


def _short(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[1] or iri
    return iri
