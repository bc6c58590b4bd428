"""One request in, one response out: the whole behaviour of ``exokg serve``, with or without a socket.

Paths are taken both as they are and below the base IRI's path (``/exokg/work/x`` as well as
``/work/x`` for the base ``https://w3id.org/exokg/``), so any published IRI can be tried locally by its
path, whatever host the base names. A path that tries to leave the site (``..`` or ``.`` segments, raw
or percent-encoded, encoded slashes or backslashes, NUL) is refused with 400 before any file is looked at.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from exokg.graph.iris import Iris
from exokg.query import SavedQuery
from exokg.serve.files import SiteFiles, file_response
from exokg.serve.messages import Request, Response
from exokg.serve.negotiation import choose
from exokg.serve.page import CONTENT_SECURITY_POLICY, query_page
from exokg.serve.pool import Limits, QueryPool
from exokg.serve.sparql import CORS, PREFLIGHT, Query, read_query, service_description

log = logging.getLogger("exokg")
ENDPOINT = "sparql"
_ALWAYS = (("X-Content-Type-Options", "nosniff"),)


class BadPath(ValueError):
    pass


def split_path(raw: str) -> list[str]:
    """The decoded segments of a request path (``/a/b/`` -> ``["a", "b", ""]``), refusing ways out of the site."""
    if not raw.startswith("/"):
        raise BadPath("the path must start with '/'")
    segments = []
    parts = raw[1:].split("/")
    for i, part in enumerate(parts):
        try:
            segment = unquote(part, errors="strict")
        except UnicodeDecodeError as exc:
            raise BadPath("the path is not valid UTF-8 percent-encoding") from exc
        if segment in (".", "..") or any(c in segment for c in "/\\\0"):
            raise BadPath("the path may not hold '.', '..', encoded slashes, backslashes or NUL")
        if segment == "" and i != len(parts) - 1:
            raise BadPath("the path may not hold empty segments ('//')")
        segments.append(segment)
    return segments


class App:
    """The site folder, the query pool and what the query page shows; :meth:`handle` answers a request."""

    def __init__(self, site_dir: Path, base_iri: str, pool: QueryPool, *, title: str = "exokg",
                 queries: Sequence[SavedQuery] = ()) -> None:
        self.files = SiteFiles(site_dir)
        self.base_iri = base_iri
        self.pool = pool
        self.limits: Limits = pool.limits
        self.title = title
        self.queries = tuple(queries)
        # The base IRI's path as segments: "https://w3id.org/exokg/" -> ["exokg"].
        self.prefix = [unquote(s) for s in urlsplit(base_iri).path.strip("/").split("/") if s]

    def handle(self, request: Request) -> Response:
        response = self._answer(request)
        return Response(response.status, (*response.headers, *_ALWAYS), response.body, response.file)

    def _answer(self, request: Request) -> Response:
        target = urlsplit(request.target)
        try:
            segments = split_path(target.path or "/")
        except BadPath as exc:
            return Response.text(400, f"bad path {request.target[:200]!r}: {exc}")
        candidates = [("", segments)]
        n = len(self.prefix)
        if n and segments[:n] == self.prefix:
            candidates.append(("/" + "/".join(self.prefix), segments[n:]))
        for mount, rest in candidates:
            rel = "/".join(rest)
            if rel == ENDPOINT:
                return self._endpoint(request, mount, target.query)
            if not rest:  # the base path without its final slash: "/exokg"
                return Response.text(301, f"moved to {mount}/", ("Location", f"{mount}/"))
            found = self.files.find(rel)
            if found is None:
                continue
            if request.method not in ("GET", "HEAD"):
                return Response.text(405, f"{request.method} is not allowed here: the site is read-only",
                                     ("Allow", "GET, HEAD"))
            return file_response(found, mount, request.header("accept"))
        page = self.files.not_found_page(candidates[-1][0])
        if page is None:
            return Response.text(404, f"nothing at {target.path}")
        return Response(404, (("Content-Type", "text/html; charset=utf-8"),), page)

    def _endpoint(self, request: Request, mount: str, url_query: str) -> Response:
        if request.method == "OPTIONS":
            return Response(204, PREFLIGHT)
        if request.method not in ("GET", "HEAD", "POST"):
            return Response.text(405, f"the SPARQL endpoint takes GET and POST, not {request.method}",
                                 ("Allow", "GET, HEAD, POST, OPTIONS"), *CORS)
        if len(request.body) > self.limits.max_query_bytes:
            return self.too_long()
        found = read_query(request, url_query)
        if isinstance(found, Response):
            return found
        if isinstance(found, Query):
            reply = self.pool.run(found.text, request.header("accept"))
            headers = (("Content-Type", reply.content_type), *reply.headers, *CORS)
            if reply.status == 200:
                headers = (*headers, ("Vary", "Accept"), ("Cache-Control", "no-store"))
            return Response(reply.status, headers, reply.body)
        return self._describe_endpoint(request, mount)

    def _describe_endpoint(self, request: Request, mount: str) -> Response:
        """A GET without a query: the query page for a browser, else the service description."""
        host = request.header("host") or "localhost"
        endpoint = f"http://{host}{mount}/{ENDPOINT}"
        accept = request.header("accept")
        if choose(accept, [("text/html", "page"), ("application/xhtml+xml", "page"), ("text/turtle", "sd"),
                           ("application/ld+json", "sd"), ("application/n-triples", "sd")]) == "page":
            body = query_page(self.title, endpoint, self.queries, self.limits.timeout, self.limits.max_rows)
            return Response(200, (("Content-Type", "text/html; charset=utf-8"), ("Vary", "Accept"),
                                  ("Content-Security-Policy", CONTENT_SECURITY_POLICY), *CORS), body)
        described = service_description(endpoint, Iris(self.base_iri).dataset(), accept)
        if described is None:
            return Response.text(406, "the endpoint describes itself as text/html, text/turtle, application/ld+json "
                                      f"or application/n-triples; the Accept header ({accept}) takes none of them",
                                 ("Vary", "Accept"), *CORS)
        return described

    def too_long(self) -> Response:
        return Response.text(413, f"the request body is longer than {self.limits.max_query_bytes:,} bytes, "
                                  "the most this endpoint reads", *CORS)
