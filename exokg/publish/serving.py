"""What a web server needs to serve the site as linked data: content negotiation and header rules,
signposting, sitemap and robots.txt."""

from __future__ import annotations

from exokg.publish.site import Site


def signposting(site: Site, iri: str, path: str) -> list[dict[str, str]]:
    """FAIR signposting typed links for a page's head (``rel``, ``href`` and, when known, ``type``)."""
    return []


def plan_serving(site: Site) -> None:
    """Content-negotiation rules for Apache, nginx and static hosts, ``sitemap.xml`` and ``robots.txt``."""
