"""The built site over HTTP: files as they are, resources by content negotiation, the site's 404 page.

A resource IRI such as ``…/work/doi-10.1038_nri855`` has four files in the site (``.html``, ``.ttl``,
``.jsonld``, ``.nt``); a request for the IRI's path gets the one its Accept header prefers, with
``Vary: Accept``, the chosen file in ``Content-Location`` and the others in ``Link`` headers. The rules
are those of the generated nginx and Apache configuration (docs/decisions/0005-content-negotiation.md),
so a published IRI answers locally as it will when deployed: HTML on a tie and when no representation is
acceptable, and the same Content-Type for every file.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from exokg.publish.serving import media_type
from exokg.publish.site import FORMATS
from exokg.serve.messages import Response
from exokg.serve.negotiation import choose

# Representations of a resource, in the order that breaks ties (so ``*/*`` gets HTML), as deployed. No
# aliases (``application/json`` for JSON-LD): the deployed rules have none, and the two must agree.
REPRESENTATIONS = (("html", "text/html", "HTML"), *FORMATS)
_OFFERS = tuple((media, ext) for ext, media, _ in REPRESENTATIONS)


def content_type(rel: str) -> str:
    """The Content-Type of a site file: the deployed site's table, else the platform's guess."""
    known = media_type(rel)
    if known is not None:
        return known
    guessed = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


@dataclass(frozen=True)
class Found:
    """What a site-relative path names: a file, a resource (its representations) or a folder to redirect to."""

    kind: str  # "file", "resource" or "folder"
    rel: str
    files: tuple[tuple[str, Path], ...] = ()  # a resource's representations: (extension, file)


class SiteFiles:
    """The files of one built site folder, found by site-relative paths already checked to stay inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def find(self, rel: str) -> Found | None:
        """``rel`` is ``work/x`` (no leading slash; ``""`` or ``dir/`` for folders)."""
        if rel == "" or rel.endswith("/"):
            stem = rel + "index"
            files = self._representations(stem)
            return Found("resource", stem, files) if files else None
        path = self._inside(rel)
        if path is not None and path.is_file():
            return Found("file", rel, (("", path),))
        files = self._representations(rel)
        if files:
            return Found("resource", rel, files)
        if path is not None and path.is_dir() and self._representations(rel + "/index"):
            return Found("folder", rel)
        return None

    def not_found_page(self, mount: str) -> bytes | None:
        """The site's 404 page, with a ``<base>`` so its relative links work at any depth of the path."""
        path = self._inside("404.html")
        if path is None or not path.is_file():
            return None
        page = path.read_text(encoding="utf-8")
        base = f'<base href="{mount}/">'
        head = re.search(r"<head[^>]*>", page, re.IGNORECASE)
        page = page[: head.end()] + base + page[head.end():] if head else base + page
        return page.encode("utf-8")

    def _representations(self, stem: str) -> tuple[tuple[str, Path], ...]:
        found = []
        for ext, _, _ in REPRESENTATIONS:
            path = self._inside(f"{stem}.{ext}")
            if path is not None and path.is_file():
                found.append((ext, path))
        return tuple(found)

    def _inside(self, rel: str) -> Path | None:
        """The file of ``rel``, or None when it would leave the site (a symbolic link pointing out of it)."""
        path = self.root / rel
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return None
        return resolved if resolved == self.root or self.root in resolved.parents else None


def file_response(found: Found, mount: str, accept: str | None) -> Response:
    """The response for what :meth:`SiteFiles.find` found; ``mount`` is the path prefix the request used."""
    if found.kind == "folder":
        where = _url(f"{mount}/{found.rel}/")
        return Response.text(301, f"moved to {where}", ("Location", where))
    if found.kind == "file":
        path = found.files[0][1]
        return Response(200, (("Content-Type", content_type(found.rel)),), file=path)
    available = dict(found.files)
    key = choose(accept, [(media, ext) for media, ext in _OFFERS if ext in available])
    if key is None and "html" in available:
        key = "html"  # nothing acceptable: the page, which links to every other form (as deployed)
    links = [(ext, _url(f"{mount}/{found.rel}.{ext}"), media) for ext, media, _ in REPRESENTATIONS if ext in available]
    if key is None:
        listed = "\n".join(f"  {media}: {url}" for _, url, media in links)
        return Response.text(406, f"this resource is available as:\n{listed}\n"
                                  f"and the Accept header ({accept}) takes none of these types",
                             ("Vary", "Accept"), *_link_headers(links, None))
    headers = (("Content-Type", content_type(f"x.{key}")), ("Vary", "Accept"),
               ("Content-Location", _url(f"{mount}/{found.rel}.{key}")), *_link_headers(links, key))
    return Response(200, headers, file=available[key])


def _link_headers(links: list[tuple[str, str, str]], chosen: str | None) -> tuple[tuple[str, str], ...]:
    value = ", ".join(f'<{url}>; rel="alternate"; type="{media}"' for ext, url, media in links if ext != chosen)
    return (("Link", value),) if value else ()


def _url(path: str) -> str:
    # Headers are Latin-1 and a Link target must not hold spaces, '<' or '>': percent-encode the path.
    return quote(path, safe="/~.-_!$&'()*+,;=:@")
