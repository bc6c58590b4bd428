"""Index pages: the home page with the article list, and the not-found page."""

from __future__ import annotations

from exokg.graph.namespaces import EXO, FABIO
from exokg.publish.resources import article_summary
from exokg.publish.site import RDF_TYPE, Site


def plan_indexes(site: Site) -> None:
    view = site.view
    context = site.common(site.iris.base, "index.html")
    context["articles"] = [article_summary(site, a, "index.html")
                           for a in sorted(view.subjects_with(RDF_TYPE, str(EXO.Article)),
                                           key=lambda a: (view.label(a).lower(), a))]
    context["dataset"] = site.link(site.iris.dataset(), "index.html")
    context["counts"] = {
        "articles": len(context["articles"]),
        "works": len(view.subjects_with(RDF_TYPE, str(FABIO.Expression))),
        "triples": len(site.input.triples),
    }
    site.add_page("index.html", "index.html", context)
    site.add_page("404.html", "404.html", site.common(site.iris.base, "404.html", label="Not found"))
