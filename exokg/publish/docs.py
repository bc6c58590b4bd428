"""The ontology, the SHACL shapes and the validation report as pages."""

from __future__ import annotations

from typing import Any

from exokg.publish.site import Site

OWL = "http://www.w3.org/2002/07/owl#"
TERM_TYPES = frozenset({OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty",
                        "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property", OWL + "AnnotationProperty"})


def plan_docs(site: Site) -> None:
    """The ontology's overview page, the published shapes and the validation report page."""


def term_context(site: Site, page: str, path: str) -> dict[str, Any]:
    """What an ontology term's page shows beyond its statements."""
    return {}
