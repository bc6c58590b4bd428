"""Dataset-level files: the dumps of the whole graph."""

from __future__ import annotations

from typing import Any

from exokg.graph import store
from exokg.publish.site import Site


def plan_dumps(site: Site) -> None:
    triples = site.input.triples
    site.add_file("dump.ttl", store.turtle(triples))
    site.add_file("dump.nt", store.ntriples(triples))
    site.add_file("dump.jsonld", store.jsonld(triples))


def dataset_context(site: Site, page: str, path: str) -> dict[str, Any]:
    """What the dataset's page shows beyond its statements."""
    return {}
