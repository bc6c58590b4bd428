"""The publish stage, first half: every file of the site planned in memory, every internal link checked.

Nothing is written here; :mod:`exokg.publish.write` writes a checked plan. Templates receive plain data
(text, relative links), never RDF terms. The site is made by the sections of :data:`SECTIONS`, in order.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence

from pyoxigraph import NamedNode

from exokg.model import heap_frozen
from exokg.publish.dataset import plan_dumps
from exokg.publish.docs import plan_docs
from exokg.publish.indexes import plan_indexes
from exokg.publish.links import check_links, page_links, parser_links
from exokg.publish.resources import plan_resources
from exokg.publish.reuse import PageReuse
from exokg.publish.search import plan_search
from exokg.publish.serving import plan_serving, signposting
from exokg.publish.site import PageWorkers, Render, Site, SiteInput, SitePlan, page_file
from exokg.publish.sparql import plan_sparql
from exokg.publish.view import compact

__all__ = ["SECTIONS", "PageWorkers", "SiteInput", "SitePlan", "check_labels", "check_links", "open_site",
           "page_file", "page_links", "parser_links", "plan_site"]

Section = Callable[[Site], None]
# In this order: later sections may read what earlier ones planned (the rules list every page).
SECTIONS: tuple[Section, ...] = (plan_resources, plan_docs, plan_indexes, plan_search, plan_sparql, plan_dumps,
                                 plan_serving)


def plan_site(data: SiteInput, render: Render, sections: Sequence[Section] = SECTIONS,
              workers: PageWorkers | None = None, files: MutableMapping[str, bytes] | None = None,
              reuse: PageReuse | None = None) -> SitePlan:
    """Every file of the site, planned by ``sections`` in order, with the dangling links as warnings.

    ``workers``: worker processes that make resource pages meanwhile; the plan is the same with or without.
    ``files``: where the plan keeps its files, a dict unless given (:class:`~exokg.publish.write.StagedFiles`
    writes them to a staging folder as they are made). ``reuse``: the previous build's resource pages, taken
    as they are where nothing they are made from has changed (the plan is the same with or without).
    """
    site = open_site(data, render, files, workers=workers, reuse=reuse)
    with heap_frozen():  # the graph and its view, read by every page, are not walked by each collection
        for section in sections:
            section(site)
        site.plan.warnings.extend(check_labels(site))
        site.plan.warnings.extend(check_links(site.plan.files, known=site.known_links))
    return site.plan


def open_site(data: SiteInput, render: Render, files: MutableMapping[str, bytes] | None = None, *,
              workers: PageWorkers | None = None, reuse: PageReuse | None = None) -> Site:
    """A site to plan ``data`` into, with what every page's head links (the same in a worker process)."""
    site = Site(data, render, files, workers=workers, reuse=reuse)
    site.head_links.append(lambda iri, path: signposting(site, iri, path))
    return site


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
