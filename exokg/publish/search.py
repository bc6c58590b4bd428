"""Client-side full-text search: an index of titles, abstracts, claims and concepts, and its page."""

from __future__ import annotations

from exokg.publish.site import Site


def plan_search(site: Site) -> None:
    """The search index, the search page and the search library's files."""
