"""What the publish stage starts from, and the builder its sections share.

The site is made by *sections* (:mod:`exokg.publish.resources`, :mod:`exokg.publish.indexes`,
:mod:`exokg.publish.dataset`, …), each a function of a :class:`Site` that adds files to its plan.
They run in a fixed order, so a later section can read what an earlier one planned (the dataset
description needs the dumps' sizes); nothing is written until every section has run and every
internal link has been checked.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Triple

from exokg.graph.iris import Iris
from exokg.publish.view import GraphView, Slot, Value, compact
from exokg.query import QueryResult, SavedQuery
from exokg.validate import ValidationReport

if TYPE_CHECKING:
    from exokg.publish.reuse import PageReuse

Render = Callable[[str, dict[str, Any]], str]
FORMATS = (("ttl", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
           ("nt", "application/n-triples", "N-Triples"))
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class SiteInput:
    """Everything a site is made from; the publish stage reads nothing else.

    ``triples`` is the graph (what the dumps hold). ``vocabulary`` (the ontology) gets pages for its
    terms under the base but stays out of the dumps. ``shapes`` are the SHACL shapes as files
    (name -> bytes) and as triples; ``report`` the validation of this build; ``queries`` the saved
    queries with their results on this build.
    """

    triples: Sequence[Triple]
    title: str
    base_iri: str
    build_date: dt.date
    version: str
    description: str = ""
    licence: str = ""
    vocabulary: Sequence[Triple] = ()
    vocabulary_files: dict[str, bytes] = field(default_factory=dict)
    shapes: Sequence[Triple] = ()
    shapes_files: dict[str, bytes] = field(default_factory=dict)
    report: ValidationReport | None = None
    queries: Sequence[tuple[SavedQuery, QueryResult]] = ()
    assets: dict[str, bytes] = field(default_factory=dict)
    # node_modules folders searched first for the browser libraries the site ships (exokg.publish.vendor).
    vendor_dirs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PageWorkers:
    """Worker processes for the resource pages (:mod:`exokg.publish.parallel`).

    A worker renders with the templates of ``site_dir`` (:func:`exokg.publish.render.make_renderer`), so the
    site's own render must be that one. ``processes``: how many besides this process, ``None`` for one per
    idle core. Below ``min_pages`` pages, starting one costs more than it gives back. ``here=False`` leaves
    every page the workers can make to them, and this process only waits (so a test knows who made what).
    """

    site_dir: Path
    processes: int | None = None
    min_pages: int = 2000
    here: bool = True


@dataclass
class SitePlan:
    """The site as bytes by relative path, and the problems found while planning it."""

    files: MutableMapping[str, bytes] = field(default_factory=dict)
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    page_workers: int = 0  # worker processes started for the resource pages (exokg.publish.parallel)


def page_file(iris: Iris, iri: str) -> str | None:
    """Site-relative file of the HTML page of a resource under the base (``work/doi-x.html``)."""
    local = iris.local_path(iri)
    if local is None:
        return None
    if local == "" or local.endswith("/"):
        return local + "index.html"
    if re.search(r"\.(ttl|nt|jsonld|html|gz|trig|nq)$", local):
        return local  # a file the site publishes as it is (a dump), not a resource page
    return local + ".html"


def web_href(iri: str) -> str | None:
    """An IRI as a link target when a browser can safely follow it (http, https); else None, shown as text.

    IRIs come from the data: a ``javascript:`` or ``data:`` IRI in a hostile graph must never become a link.
    """
    return iri if re.match(r"https?://", iri, re.IGNORECASE) else None


def href(from_path: str, to_path: str) -> str:
    """The relative link from one site file to another."""
    # A page makes hundreds of links, and posixpath.relpath resolves both paths against the working folder
    # each time. Site paths are plain relative paths, where the common prefix of their folders gives the
    # same answer; anything else (``..``, ``.``, absolute, empty) takes relpath itself.
    start, target = _plain_parts(posixpath.dirname(from_path)), _plain_parts(to_path)
    if start is None or target is None or not target:
        return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    common = 0
    for a, b in zip(start, target, strict=False):
        if a != b:
            break
        common += 1
    parts = ("..",) * (len(start) - common) + target[common:]
    return "/".join(parts) if parts else "."


@functools.lru_cache(maxsize=65536)
def _plain_parts(path: str) -> tuple[str, ...] | None:
    """The components of a plain relative path (empty ones dropped, as normpath drops them), else None."""
    if path.startswith("/"):
        return None
    parts = tuple(p for p in path.split("/") if p)
    return None if "." in parts or ".." in parts else parts


class Site:
    """The shared state of one site build: the input, a view of the graph, the renderer and the plan."""

    def __init__(self, data: SiteInput, render: Render, files: MutableMapping[str, bytes] | None = None, *,
                 workers: PageWorkers | None = None, reuse: PageReuse | None = None) -> None:
        self.input = data
        self.iris = Iris(data.base_iri)
        self.view = GraphView([*data.triples, *data.vocabulary], self.iris.base)
        self.render = render
        # ``files``: where the plan keeps its files (a dict, or exokg.publish.write.StagedFiles).
        self.plan = SitePlan(files={} if files is None else files)
        self.plan.files.update(data.assets)
        # Sections add to these; every page's head shows them (see ``common``).
        self.head_links: list[Callable[[str, str], list[dict[str, str]]]] = []
        # Worker processes that may make resource pages meanwhile (exokg.publish.parallel), or None; the link
        # targets of the pages read where they were made or kept (plan.check_links), until a page is planned over.
        self.workers = workers
        self.known_links: dict[str, list[str]] = {}
        # The previous build's pages that this one may take as they are (exokg.publish.reuse), or None.
        self.reuse = reuse
        # The pages exokg.publish.resources makes, each with its three RDF files: known before any is made.
        self.resource_paths: frozenset[str] = frozenset()
        self._targets: dict[str, tuple[str | None, str | None]] = {}

    def link(self, iri: str, from_path: str) -> Value:
        """A labelled link to a resource: its page when the graph describes it, else the IRI itself."""
        if self.view.reads is not None:  # where the link leads depends on it, though it is worked out once
            self.view.describes(iri)
        target = self._targets.get(iri)
        if target is None:
            # Where a link to the resource leads, from the site's root: a page is linked from many others.
            page = page_file(self.iris, iri) if self.view.describes(iri) else None
            target = self._targets[iri] = (page, None if page else web_href(iri))
        page, web = target
        return Value(self.view.label(iri), iri, href=href(from_path, page) if page else web)

    def common(self, iri: str, path: str, label: str | None = None) -> dict[str, Any]:
        """The context every template gets: site title, root, labels, alternates and dump links."""
        stem = path[: -len(".html")]
        resource = self.view.describes(iri) or path in self.plan.files
        links = [link for make in self.head_links for link in make(iri, path)]
        return {
            "site_title": self.setting("title"),
            "iri": iri,
            "root": href(path, "index.html").removesuffix("index.html"),
            "label": label if label is not None else self.view.label(iri),
            "types": [compact(t) for t in self.view.types(iri)],
            "alternates": [{"href": href(path, f"{stem}.{ext}"), "type": media, "name": name}
                           for ext, media, name in FORMATS] if resource and iri.startswith(self.iris.base)
            and iri != self.iris.base else [],
            "head_links": links,
            "jsonld": None,
            "dumps": [{"href": href(path, f"dump.{ext}"), "name": name} for ext, name in
                      (("ttl", "Turtle"), ("nt", "N-Triples"), ("nt.gz", "N-Triples, gzipped"), ("jsonld", "JSON-LD"))],
        }

    def setting(self, name: str) -> Any:
        """One of the input's settings (``title``, ``build_date``, …), read as a slot ``("i", name)`` of what a
        page reads (:attr:`GraphView.reads`)."""
        if self.view.reads is not None:
            self.view.reads.add(("i", name))
        return getattr(self.input, name)

    def held(self, slot: Slot) -> str:
        """What a slot a page read holds now: a setting's value, or what :meth:`GraphView.held` says."""
        return repr(getattr(self.input, slot[1])) if slot[0] == "i" else self.view.held(slot)

    def add_page(self, path: str, template: str, context: dict[str, Any]) -> str:
        """Render one HTML page into the plan; the page as text."""
        page = self.render(template, context)
        self.add_file(path, page.encode("utf-8"))
        self.plan.pages += 1
        return page

    def add_file(self, path: str, content: bytes) -> None:
        """Plan one file (over one planned before, if any)."""
        self.plan.files[path] = content
        self.known_links.pop(path, None)

    def warn(self, message: str) -> None:
        self.plan.warnings.append(message)
