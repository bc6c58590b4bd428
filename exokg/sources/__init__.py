"""Saved article pages in, :class:`~exokg.model.Article` records out.

``read_page`` reads one saved page, ``read_records`` one file of any kind (a page, or a saved efetch
``PubmedArticleSet`` XML file with one record per article), ``read_corpus`` many (collecting the
unreadable ones as failures), ``parse_text`` parses text already in memory. Layouts are tried in
registration order — saved HTML, PubMed, article-listing sites — and the generic layout takes the
rest, with a warning.
A third-party layout is one class with ``name``, ``detect`` and ``parse``, registered with
:func:`register_layout` exactly as the built-ins are below.
"""

from __future__ import annotations

from exokg.sources.generic import GenericLayout
from exokg.sources.html_meta import HtmlPageLayout
from exokg.sources.listing import ListingLayout
from exokg.sources.pubmed import PubMedLayout
from exokg.sources.reading import decode_page, parse_text, read_corpus, read_page, read_records
from exokg.sources.references import parse_reference
from exokg.sources.registry import DEFAULT_REGISTRY, Layout, LayoutRegistry, layouts, register_layout

register_layout(HtmlPageLayout(DEFAULT_REGISTRY))
register_layout(PubMedLayout())
register_layout(ListingLayout())

__all__ = [
    "DEFAULT_REGISTRY",
    "GenericLayout",
    "HtmlPageLayout",
    "Layout",
    "LayoutRegistry",
    "ListingLayout",
    "PubMedLayout",
    "decode_page",
    "layouts",
    "parse_reference",
    "parse_text",
    "read_corpus",
    "read_page",
    "read_records",
    "register_layout",
]
