"""The validation report: readable, sorted, and robust to results with and without a path."""

from __future__ import annotations

from pathlib import Path

import rdflib

from exokg.validate import load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]


def test_node_level_and_property_results_on_one_node_are_reported_together() -> None:
    # An article with two titles and no identifier: a property result and a node-level one on the same node.
    data = rdflib.Graph().parse(format="turtle", data="""
        @prefix exo: <https://w3id.org/exokg/ontology/> . @prefix fabio: <http://purl.org/spar/fabio/> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/exokg/work/x> a fabio:Expression, exo:Article ; rdfs:label "X" ;
            dcterms:title "One title", "Another title" .
    """)
    report = validate_graph(data, load_shapes(ROOT / "shapes"))
    assert not report.conforms
    paths = {r.path for r in report.violations if r.focus == "https://w3id.org/exokg/work/x"}
    assert None in paths and "http://purl.org/dc/terms/title" in paths
    text = report.as_text()
    assert text.splitlines()[0].endswith("violation(s), 0 warning(s):")
    assert "- Violation: X <https://w3id.org/exokg/work/x> [title]: an article has exactly one title" in text
