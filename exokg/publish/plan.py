"""The publish stage, first half: every file of the site planned in memory, every internal link checked.

Nothing is written here; :mod:`exokg.publish.write` writes a checked plan. Templates receive plain data
(text, relative links), never RDF terms. The site is made by the sections of :data:`SECTIONS`, in order.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser

from pyoxigraph import NamedNode

from exokg.publish.dataset import plan_dumps
from exokg.publish.docs import plan_docs
from exokg.publish.indexes import plan_indexes
from exokg.publish.resources import plan_resources
from exokg.publish.search import plan_search
from exokg.publish.serving import plan_serving, signposting
from exokg.publish.site import Render, Site, SiteInput, SitePlan, page_file
from exokg.publish.view import compact

__all__ = ["SECTIONS", "SiteInput", "SitePlan", "check_labels", "check_links", "page_file", "plan_site"]

Section = Callable[[Site], None]
# In this order: later sections may read what earlier ones planned (the rules list every page).
SECTIONS: tuple[Section, ...] = (plan_resources, plan_docs, plan_indexes, plan_search, plan_dumps, plan_serving)


def plan_site(data: SiteInput, render: Render, sections: Sequence[Section] = SECTIONS) -> SitePlan:
    """Every file of the site, planned by ``sections`` in order, with the dangling links as warnings."""
    site = Site(data, render)
    site.head_links.append(lambda iri, path: signposting(site, iri, path))
    for section in sections:
        section(site)
    site.plan.warnings.extend(check_labels(site))
    site.plan.warnings.extend(check_links(site.plan.files))
    return site.plan


def check_labels(site: Site) -> list[str]:
    """Resources the site names by their IRI for want of a label, as warnings.

    A resource needs a label when it has a page, or when it is under the base and something links to
    it: its heading and every link to it would otherwise show the bare IRI (what ``GraphView.label``
    falls back to). Files published as they are (the dumps) are not resources and need none.
    """
    view, iris = site.view, site.iris
    linked = {t.object.value for t in view.triples
              if isinstance(t.object, NamedNode) and t.object.value.startswith(iris.base)}
    problems = []
    for iri in sorted(linked.union(view.pages())):
        page = page_file(iris, iri)
        if page is None or not page.endswith(".html"):
            continue
        label = view.label(iri)
        if label.strip() and label != compact(iri):
            continue
        described = iri.split("#", 1)[0] in view.by_page
        problems.append(f"{iri}: no label (rdfs:label, skos:prefLabel, dcterms:title or foaf:name), so its "
                        f"page and the links to it show the IRI"
                        + ("" if described else "; the graph links to it but says nothing about it"))
    return problems


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def check_links(files: dict[str, bytes]) -> list[str]:
    """Every relative link of every HTML file must name a planned file: the dangling ones, as warnings."""
    problems = []
    for path in sorted(p for p in files if p.endswith(".html")):
        parser = _Links()
        parser.feed(files[path].decode("utf-8"))
        for target in parser.targets:
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", target, re.I):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target.split("#")[0]))
            if resolved not in files:
                problems.append(f"{path}: link to {target} does not resolve to a file of the site")
    return problems
