"""schema.org JSON-LD embedded in pages, for search engines and dataset crawlers."""

from __future__ import annotations

from markupsafe import Markup

from exokg.publish.site import Site


def embedded_jsonld(site: Site, page: str, path: str) -> Markup | None:
    """The schema.org description of a resource as a ``<script type="application/ld+json">`` body."""
    return None
