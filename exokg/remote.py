"""Saved queries on any SPARQL 1.1 server (``exokg query --endpoint URL``), by the SPARQL 1.1 Protocol.

A project that outgrows the embedded store moves its graph to Oxigraph server, Fuseki, QLever, GraphDB or
Virtuoso and keeps its cookbook: the query text is bound exactly as for the embedded store
(:func:`exokg.query.bind`) and the answer is read into the same :class:`~exokg.query.QueryResult`, so
the rows, and every output format, are the same.

Decisions:

* The query is POSTed as ``application/sparql-query``. A server that answers 415 (it takes only forms)
  gets it again as an ``application/x-www-form-urlencoded`` form, and one that answers 405 (GET only) as
  ``?query=``: the three ways the protocol allows, in the order that carries the least risk (a long query
  in a URL meets length limits).
* Results are asked for as SPARQL JSON, XML second; graphs as N-Triples, then Turtle, RDF/XML or JSON-LD.
  The answer is parsed by pyoxigraph's own readers, the same code that reads the embedded store's
  terms, and whatever is wrong with it is an error naming the endpoint — never a traceback.
* Every failure (no connection, no answer within the timeout, an HTTP error status, a body that is not
  what was asked for) is a :class:`RemoteError` that names the endpoint, the status and the server's own
  message. Its exit code is 4, as for ``exokg push``: the server, not the project, failed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from exokg import __version__
from exokg.config import DEFAULT_BASE_IRI
from exokg.errors import ExokgError, QueryError
from exokg.query import QueryResult, SavedQuery, bind, materialise

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7"
_RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
# Virtuoso and some proxies label N-Triples as plain text.
_GRAPH_ALIASES = {"text/plain": "application/n-triples"}
_MESSAGE_LIMIT = 400
_TAG = re.compile(r"<[^>]*>")


class RemoteError(ExokgError):
    """The endpoint could not be reached, refused the query or sent an answer that cannot be read (exit 4)."""

    exit_code = 4


def user_agent(contact: str | None) -> str:
    """The same polite User-Agent the API clients send (:class:`exokg.sources.http.HttpClient`)."""
    return f"exokg/{__version__} (+{DEFAULT_BASE_IRI}; mailto:{contact or 'unknown'})"


def check_endpoint(url: str) -> str:
    """The endpoint URL, refused with a clear message unless it is an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"--endpoint {url!r} is not an http:// or https:// URL",
                         "give the server's SPARQL query URL, e.g. http://localhost:7878/query")
    return url


class Endpoint:
    """One SPARQL 1.1 query endpoint. Use as a context manager, or call :meth:`close`."""

    def __init__(self, url: str, *, timeout: float = 60.0, contact: str | None = None,
                 session: requests.Session | None = None) -> None:
        self.url = check_endpoint(url)
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent(contact)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def run(self, query: SavedQuery, values: Mapping[str, str] | None = None) -> QueryResult:
        """Run a saved query with its parameters bound, exactly as :func:`exokg.query.run` does locally."""
        return self.query(bind(query, values or {}), query.form)

    def query(self, text: str, form: str) -> QueryResult:
        graph = form in ("CONSTRUCT", "DESCRIBE")
        response = self._send(text, GRAPH_ACCEPT if graph else RESULTS_ACCEPT)
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if graph:
            return self._graph(response.content, media)
        return self._results(response.content, media, form)

    def _send(self, text: str, accept: str) -> requests.Response:
        headers = {"Accept": accept}
        body = text.encode("utf-8")
        response = self._request("POST", data=body,
                                 headers={**headers, "Content-Type": "application/sparql-query; charset=utf-8"})
        if response.status_code == 415:
            response = self._request("POST", data={"query": text}, headers=headers)
        elif response.status_code == 405:
            response = self._request("GET", params={"query": text}, headers=headers)
        if response.status_code >= 400:
            raise RemoteError(f"{self.url}: HTTP {response.status_code} {response.reason or ''}".rstrip()
                              + f": {_message(response)}",
                              "check the endpoint URL and that the server holds the graph"
                              if response.status_code in (404, 401, 403) else None)
        return response

    def _request(self, method: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, self.url, timeout=(min(10.0, self.timeout), self.timeout), **kwargs)
        except requests.Timeout as exc:
            raise RemoteError(f"{self.url}: no answer within {self.timeout:g} seconds",
                              "raise --timeout, or check that the server is up") from exc
        except requests.ConnectionError as exc:
            raise RemoteError(f"{self.url}: cannot connect: {_reason(exc)}",
                              "check the endpoint URL and that the server is running") from exc
        except requests.RequestException as exc:
            raise RemoteError(f"{self.url}: the request failed: {_reason(exc)}") from exc

    def _results(self, body: bytes, media: str, form: str) -> QueryResult:
        fmt = _RESULT_TYPES.get(media)
        if fmt is None:
            raise RemoteError(f"{self.url}: answered {media or 'without a Content-Type'}, not SPARQL results "
                              "(JSON, XML or TSV)", "is this the server's SPARQL query URL?")
        try:
            result = materialise(parse_query_results(body, format=fmt))
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{self.url}: the answer is not valid SPARQL results ({media}): {exc}") from exc
        if (result.form == "ASK") != (form == "ASK"):
            got = "a boolean" if result.form == "ASK" else "rows"
            raise RemoteError(f"{self.url}: answered a {form} query with {got}")
        return result

    def _graph(self, body: bytes, media: str) -> QueryResult:
        try:
            fmt = RdfFormat.from_media_type(_GRAPH_ALIASES.get(media, media))
        except ValueError:
            fmt = None
        if fmt is None:
            raise RemoteError(f"{self.url}: answered {media or 'without a Content-Type'}, not an RDF graph")
        try:
            return materialise(parse(body, format=fmt))
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"{self.url}: the answer is not valid {fmt}: {exc}") from exc


def _message(response: requests.Response) -> str:
    """The server's explanation, short and on one line (servers send plain text, JSON or an HTML page)."""
    text = response.content.decode(response.encoding or "utf-8", errors="replace")
    text = " ".join(_TAG.sub(" ", text).split())
    if not text:
        return "(no message)"
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"


def _reason(exc: Exception) -> str:
    # requests nests the socket error several levels deep; its last line says what happened.
    text = str(exc) or str(exc.__cause__)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return match.group(1).strip() if match else text
