"""Every SHACL node shape has a conforming and non-conforming examples, in tests/data/shapes/<ShapeName>/.

- ``ok.ttl`` is a small, realistic graph that conforms to *all* shapes and holds a focus node of its shape.
- each ``bad-<what>.ttl`` breaks one rule of its shape. Its first lines say what the test expects:
  ``# expect: <path IRI>`` (or ``# expect: none`` for a node-level constraint or an inverse path, which the
  report gives no path for); the file must not conform, and at least one violation must come from its shape
  with that path.

The examples are found from the shapes file itself: a node shape added without examples fails the tests.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from exokg.validate import ValidationReport, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
DATA = Path(__file__).resolve().parent / "data" / "shapes"
EXOSH = "https://w3id.org/exokg/shapes/"
NO_PATH = "none"

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# SHACL terms on a shape that are not constraints: everything else in the sh: namespace is one.
_NOT_CONSTRAINTS = {
    *_TARGETS,
    SH.property,
    SH.path,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.prefixes,
    SH.declare,
    SH.rule,
}


@cache
def _shapes() -> rdflib.Graph:
    return load_shapes(SHAPES_DIR)


def _node_shapes() -> dict[str, rdflib.URIRef]:
    """The named node shapes of the shapes file, by local name: declared ones and any shape with a target."""
    g = _shapes()
    nodes = set(g.subjects(RDF.type, SH.NodeShape))
    for target in _TARGETS:
        nodes.update(g.subjects(target, None))
    return {str(s).removeprefix(EXOSH): s for s in nodes if isinstance(s, rdflib.URIRef)}


def _constraints(shape: rdflib.term.Node) -> list[rdflib.term.Node]:
    """The constraint parameters stated directly on a shape (sh:minCount, sh:or, sh:sparql, ...)."""
    return [p for p in _shapes().predicates(shape, None) if str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS]


def _constraints_by_path(shape: rdflib.URIRef) -> Counter[str]:
    """How many constraint parameters the shape has per result path, as the report names it (IRI or "none")."""
    g = _shapes()
    counts: Counter[str] = Counter()
    node_level = _constraints(shape)
    if node_level:
        counts[NO_PATH] += len(node_level)
    for prop in g.objects(shape, SH.property):
        path = g.value(prop, SH.path)
        key = str(path) if isinstance(path, rdflib.URIRef) else NO_PATH
        counts[key] += len(_constraints(prop))
    return counts


def _header(path: Path) -> dict[str, str]:
    """The ``# key: value`` lines at the top of an example file."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep and key.strip() == "expect":
            assert key.strip() not in fields, f"{path}: two '# {key.strip()}:' lines"
            fields[key.strip()] = value.strip()
    return fields


def _expected_path(path: Path) -> str:
    expect = _header(path).get("expect")
    assert expect, f"{path}: a bad example needs a '# expect: <path IRI>|none' line at the top"
    return expect


def _bad_files(shape: str) -> list[Path]:
    return sorted((DATA / shape).glob("bad-*.ttl"))


def _params(files: list[tuple[str, Path]]) -> list[object]:
    return [pytest.param(shape, path, id=f"{shape}/{path.name}") for shape, path in files]


SHAPE_NAMES = sorted(_node_shapes())
OK_FILES = _params([(s, DATA / s / "ok.ttl") for s in SHAPE_NAMES])
BAD_FILES = _params([(s, p) for s in SHAPE_NAMES for p in _bad_files(s)])


def _validate(path: Path) -> tuple[rdflib.Graph, ValidationReport]:
    data = rdflib.Graph().parse(path, format="turtle")
    return data, validate_graph(data, _shapes())


def _focus_nodes(shape: rdflib.URIRef, data: rdflib.Graph) -> set[rdflib.term.Node]:
    g = _shapes()
    nodes: set[rdflib.term.Node] = set()
    for cls in g.objects(shape, SH.targetClass):
        nodes.update(data.subjects(RDF.type, cls))
    if (shape, RDF.type, RDFS.Class) in g:
        nodes.update(data.subjects(RDF.type, shape))
    for prop in g.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in g.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    for node in g.objects(shape, SH.targetNode):
        if (node, None, None) in data or (None, None, node) in data:
            nodes.add(node)
    return nodes


def test_the_shapes_file_has_the_expected_node_shapes() -> None:
    # Guards the data-driven tests below against a shapes file that silently failed to yield any shape.
    assert {
        "ArticleShape",
        "WorkShape",
        "CitationShape",
        "AuthorshipShape",
        "PersonShape",
        "JournalShape",
        "BibliographicReferenceShape",
        "AbstractSectionShape",
        "ConceptShape",
        "ClaimShape",
        "AssertionShape",
        "MeshHeadingShape",
        "SourceRecordShape",
        "DatasetShape",
    } <= set(SHAPE_NAMES)
    outside = [str(s) for s in _node_shapes().values() if not str(s).startswith(EXOSH)]
    assert not outside, f"node shapes outside {EXOSH}: {outside}"


def test_every_node_shape_has_examples_and_every_example_folder_a_shape() -> None:
    folders = {p.name for p in DATA.iterdir() if p.is_dir()}
    missing = [s for s in SHAPE_NAMES if not (DATA / s / "ok.ttl").is_file() or not _bad_files(s)]
    assert not missing, f"node shapes without ok.ttl and bad-*.ttl examples in {DATA}: {missing}"
    stale = sorted(folders - set(SHAPE_NAMES))
    assert not stale, f"example folders for no node shape of {SHAPES_DIR}: {stale}"
    stray = sorted(
        str(p.relative_to(DATA))
        for p in DATA.rglob("*")
        if p.is_file() and not (p.name == "ok.ttl" or (p.name.startswith("bad-") and p.suffix == ".ttl"))
    )
    assert not stray, f"files that are neither ok.ttl nor bad-*.ttl (not tested): {stray}"


@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_every_constraint_has_a_bad_example(shape: str) -> None:
    # Each path (or "none": node-level constraints and inverse paths) needs at least as many bad examples
    # as it has constraint parameters, so a new sh:property or sh:maxCount comes with a new bad file.
    needed = _constraints_by_path(_node_shapes()[shape])
    have = Counter(_expected_path(p) for p in _bad_files(shape))
    unknown = sorted(set(have) - set(needed))
    assert not unknown, f"{shape}: bad examples expect paths the shape does not constrain: {unknown}"
    short = {path: f"{have[path]} of {n}" for path, n in needed.items() if have[path] < n}
    assert not short, f"{shape}: too few bad examples for these paths (have of needed): {short}"


@pytest.mark.parametrize(("shape", "path"), OK_FILES)
def test_ok_example_conforms(shape: str, path: Path) -> None:
    assert path.is_file(), f"{shape} has no conforming example {path}"
    data, report = _validate(path)
    assert report.conforms, f"{path.relative_to(DATA)} should conform:\n{report.as_text()}"
    assert not report.results, f"{path.relative_to(DATA)} should give no warnings either:\n{report.as_text()}"
    assert _focus_nodes(_node_shapes()[shape], data), f"{path.relative_to(DATA)} has no focus node of {shape}"


@pytest.mark.parametrize(("shape", "path"), BAD_FILES)
def test_bad_example_violates_its_shape_on_the_expected_path(shape: str, path: Path) -> None:
    expect = _expected_path(path)
    _data, report = _validate(path)
    assert not report.conforms, f"{path.relative_to(DATA)} should not conform, but does"
    hits = [r for r in report.violations if r.shape == EXOSH + shape and (r.path or NO_PATH) == expect]
    assert hits, (
        f"{path.relative_to(DATA)}: no violation of {shape} on path {expect}; the report says:\n{report.as_text()}"
    )
