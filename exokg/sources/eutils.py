"""NCBI E-utilities: esearch on the history server, and efetch of PubMed records in batches.

``esearch`` asks with ``usehistory=y`` so the hits stay on NCBI's history server (``WebEnv`` and
``QueryKey``); ``efetch_history`` then pages through them with ``retstart``/``retmax``.
``efetch_ids`` fetches known PMIDs, at most :data:`BATCH` per request. ``split_articles`` cuts an
efetch ``PubmedArticleSet`` into one small, well-formed document per article, byte for byte, so each
article can be saved to the corpus as its own file (``pubmed-<pmid>.xml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from exokg.errors import InputError
from exokg.sources.http import HttpClient, Response, Service, xml_body

BATCH = 200

_ARTICLE = re.compile(rb"<(PubmedArticle|PubmedBookArticle)\b[^>]*>.*?</\1>", re.DOTALL)
_PMID = re.compile(rb"<PMID\b[^>]*>\s*(\d+)\s*</PMID>")
_SET = re.compile(rb"<PubmedArticleSet\b[^>]*>")


@dataclass(frozen=True)
class SearchResult:
    """What esearch said: the hit count, the first ids, the history-server handle and any messages."""

    count: int
    ids: tuple[str, ...]
    webenv: str | None
    query_key: str | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def parse_esearch(body: bytes) -> SearchResult:
    """An ``eSearchResult`` document; ``ERROR`` elements raise :class:`InputError`."""
    root = ElementTree.fromstring(body)
    if root.tag != "eSearchResult":
        raise InputError(f"esearch answered with <{root.tag}>, not <eSearchResult>")
    fatal = root.findtext("ERROR")
    if fatal:
        raise InputError(f"esearch: {fatal.strip()}")

    def texts(path: str) -> tuple[str, ...]:
        return tuple(f"{e.tag}: {e.text.strip()}" for e in root.findall(path) if e.text and e.text.strip())

    count = (root.findtext("Count") or "0").strip()
    return SearchResult(
        count=int(count) if count.isdigit() else 0,
        ids=tuple((e.text or "").strip() for e in root.findall("IdList/Id") if (e.text or "").strip()),
        webenv=(root.findtext("WebEnv") or "").strip() or None,
        query_key=(root.findtext("QueryKey") or "").strip() or None,
        errors=texts("ErrorList/*"),
        warnings=texts("WarningList/*"),
    )


def esearch(client: HttpClient, service: Service, term: str, retmax: int) -> SearchResult:
    """Search PubMed for ``term``, keeping the hits on the history server."""
    params: dict[str, str | int] = {"db": "pubmed", "term": term, "usehistory": "y", "retmax": retmax}
    return parse_esearch(client.get(service, "esearch.fcgi", params, validate=xml_body).body)


def efetch_ids(client: HttpClient, service: Service, pmids: Sequence[str]) -> Response:
    """PubMed XML for at most :data:`BATCH` PMIDs (sorted, so the cache key does not depend on order)."""
    if len(pmids) > BATCH:
        raise ValueError(f"efetch takes at most {BATCH} ids at a time, got {len(pmids)}")
    ids = ",".join(sorted(set(pmids), key=int))
    return client.get(service, "efetch.fcgi", {"db": "pubmed", "retmode": "xml", "id": ids}, validate=xml_body)


def efetch_history(
    client: HttpClient, service: Service, result: SearchResult, retstart: int, retmax: int
) -> Response:
    """One page of the hits of ``result`` from the history server."""
    if not result.webenv or not result.query_key:
        raise InputError("esearch returned no WebEnv/QueryKey to page through")
    params: dict[str, str | int] = {
        "db": "pubmed", "retmode": "xml", "WebEnv": result.webenv, "query_key": result.query_key,
        "retstart": retstart, "retmax": retmax,
    }
    return client.get(service, "efetch.fcgi", params, validate=xml_body)


def batches(items: Sequence[str], size: int = BATCH) -> Iterator[Sequence[str]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def split_articles(body: bytes) -> dict[str, bytes]:
    """PMID → a ``PubmedArticleSet`` document holding only that article (its bytes copied unchanged)."""
    opening = _SET.search(body)
    head = body[: opening.end()] if opening else b'<?xml version="1.0" ?>\n<PubmedArticleSet>'
    documents: dict[str, bytes] = {}
    for match in _ARTICLE.finditer(body):
        pmid = _PMID.search(match.group(0))
        if pmid:
            documents[pmid.group(1).decode()] = head + b"\n" + match.group(0) + b"\n</PubmedArticleSet>\n"
    return documents
