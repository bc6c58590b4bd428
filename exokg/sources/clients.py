"""Europe PMC, Crossref and OpenCitations (Index API v2) requests, through the polite client.

Every function returns what the server said (raw :class:`Response` bodies for records, so they can be
saved unchanged) or plain ids; parsing into :class:`~exokg.model.Article` is the parsers' job.
Reference and citation lists are not saved to the corpus: they stay in the HTTP cache, which is
enough to repeat a fetch offline; what the corpus gains from them is the linked articles' records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from exokg.errors import InputError
from exokg.model import Source
from exokg.sources.europepmc import parse_citations, parse_references
from exokg.sources.http import HttpClient, Response, Service, json_body

PAGE_SIZE = 1000  # Europe PMC's largest page for /references and /citations
MAX_PAGES = 100


@dataclass(frozen=True)
class Linked:
    """A linked work as ids: whichever of PMID and DOI the source gave."""

    pmid: str | None = None
    doi: str | None = None


def crossref_work(client: HttpClient, service: Service, doi: str) -> Response:
    """``/works/{doi}``; a 404 comes back as ``Response.not_found``."""
    return client.get(service, f"works/{quote(doi, safe='/')}", validate=json_body)


def europepmc_by_pmcid(client: HttpClient, service: Service, pmcid: str) -> Response:
    """The ``core`` search result of one PMCID (``hitCount`` 0 when Europe PMC does not know it)."""
    params = {"query": f"PMCID:{pmcid}", "resultType": "core", "format": "json"}
    return client.get(service, "search", params, validate=json_body)


def europepmc_search(
    client: HttpClient, service: Service, query: str, limit: int, page_size: int = PAGE_SIZE
) -> Iterator[tuple[int, list[dict[str, Any]], Response]]:
    """Europe PMC ``search`` (``resultType=core``) paged with ``cursorMark``: yields the hit count, each
    page's results and its response, until ``limit`` results, an empty page, or a cursor that stays put."""
    cursor, seen = "*", 0
    while seen < limit:
        params: dict[str, str | int] = {"query": query, "resultType": "core", "format": "json", "cursorMark": cursor,
                  "pageSize": min(page_size, limit - seen)}
        response = client.get(service, "search", params, validate=json_body)
        doc = response.json()
        if not isinstance(doc, dict):
            raise InputError(f"Europe PMC search answered with {type(doc).__name__}, not a JSON object")
        results = [r for r in (doc.get("resultList") or {}).get("result") or [] if isinstance(r, dict)]
        results = results[: limit - seen]
        yield int(doc.get("hitCount") or 0), results, response
        seen += len(results)
        following = doc.get("nextCursorMark")
        if not results or not isinstance(following, str) or following == cursor:
            break
        cursor = following


def europepmc_links(
    client: HttpClient, service: Service, pmid: str, kind: str, page_size: int = PAGE_SIZE
) -> tuple[Linked, ...]:
    """The works a PubMed article cites (``kind="references"``) or is cited by (``"citations"``), all pages."""
    if kind not in ("references", "citations"):
        raise ValueError(f"kind is references or citations, not {kind!r}")
    parse = parse_references if kind == "references" else parse_citations
    found: list[Linked] = []
    page, seen = 1, 0
    while page <= MAX_PAGES:
        params: dict[str, str | int] = {"format": "json", "page": page, "pageSize": page_size}
        response = client.get(service, f"MED/{pmid}/{kind}", params, validate=json_body)
        if response.not_found:
            break
        listing = parse(response.json(), Source(response.url, ""))
        for item in listing.references:
            found.append(Linked(pmid=item.pmid, doi=item.doi))
        seen += len(listing.references)
        if not listing.references or seen >= listing.hit_count:
            break
        page += 1
    return tuple(found)


def opencitations_links(client: HttpClient, service: Service, doi: str, kind: str) -> tuple[Linked, ...]:
    """OpenCitations Index v2 ``references/doi:…`` (the cited side) or ``citations/doi:…`` (the citing side)."""
    if kind not in ("references", "citations"):
        raise ValueError(f"kind is references or citations, not {kind!r}")
    response = client.get(service, f"{kind}/doi:{quote(doi, safe='/')}", validate=json_body)
    if response.not_found:
        return ()
    return parse_opencitations(response.json(), "cited" if kind == "references" else "citing")


def crossref_reference_links(doc: object) -> tuple[Linked, ...]:
    """The DOIs of a Crossref ``/works`` answer's deposited ``reference[]`` (entries without a DOI are left
    out: an ``unstructured`` citation is read into the graph by the Crossref parser, not followed)."""
    message = doc.get("message") if isinstance(doc, dict) else None
    references = message.get("reference") if isinstance(message, dict) else None
    found = []
    for entry in references if isinstance(references, list) else ():
        doi = entry.get("DOI") if isinstance(entry, dict) else None
        if isinstance(doi, str) and doi.strip():
            found.append(Linked(doi=doi.strip().lower()))
    return tuple(found)


def parse_opencitations(doc: object, side: str) -> tuple[Linked, ...]:
    """The ``side`` (``citing`` or ``cited``) ids of a v2 answer: space-separated ``prefix:value`` lists."""
    if not isinstance(doc, list):
        raise InputError(f"OpenCitations answered with {type(doc).__name__}, not a JSON array")
    found = []
    for row in doc:
        field = row.get(side) if isinstance(row, dict) else None
        if not isinstance(field, str):
            continue
        ids = dict(part.split(":", 1) for part in field.split() if ":" in part)
        if ids.get("pmid") or ids.get("doi"):
            found.append(Linked(pmid=ids.get("pmid") or None, doi=(ids.get("doi") or "").lower() or None))
    return tuple(found)

