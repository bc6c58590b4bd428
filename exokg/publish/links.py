"""The links of the site's pages: read from their HTML, and checked against the planned files."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def parser_links(page: str) -> list[str]:
    """The ``href`` and ``src`` values of a page as :mod:`html.parser` reads them: the reference for
    :func:`page_links`, which must find exactly these (the tests compare the two on built sites)."""
    parser = _Links()
    parser.feed(page)
    return parser.targets


# The pages are the templates' output: every printed value is escaped, so no attribute value holds a bare
# ``<``, ``>`` or quote, and a start tag ends at the first ``>`` outside quotes. html.parser's tokeniser spends
# most of its time on text, end tags and line counting that links do not need; these expressions read only
# what it would report for ``href``/``src`` (start tags naming neither are passed over by the expression
# itself). Comments and the raw text of ``script``/``style`` (JSON-LD) are skipped as html.parser skips them.
_IN_TAG = r"""(?:[^>"']|"[^"]*"|'[^']*')"""  # a character of a start tag, or a whole quoted value
_TOKENS = re.compile(rf"<!--.*?(?:-->|\Z)|<(script|style)\b({_IN_TAG}*)>.*?(?:</\1|\Z)"
                     rf"|<[a-zA-Z][^\t\n\r\f />\x00]*({_IN_TAG}*?(?:href|src){_IN_TAG}*)>", re.S | re.I)
_LINK_HINT = re.compile(r"href|src", re.I)
# html.parser's own attribute grammar (``attrfind_tolerant``), so names and values split where it splits them.
_ATTR = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")


def page_links(page: str) -> list[str]:
    """The ``href`` and ``src`` values of the start tags of a page, in document order, unescaped."""
    targets = []
    for token in _TOKENS.finditer(page):
        attrs = token.group(2) if token.group(1) else token.group(3)
        if not attrs or not _LINK_HINT.search(attrs):
            continue
        # The attribute grammar needs what precedes a name: the tag name ends where the attributes begin.
        text = " " + attrs.lstrip(" \t\n\r\f/")
        position = 1
        while position < len(text):
            found = _ATTR.match(text, position)
            if not found or found.end() == position:
                break
            position = found.end()
            name, value = found.group(1).lower(), found.group(3)
            if name not in ("href", "src") or not value:
                continue
            if value[:1] == value[-1:] and value[:1] in ("'", '"'):
                value = value[1:-1]
            if "&" in value:
                value = html.unescape(value)
            if value:
                targets.append(value)
    return targets


_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:|^#|^//", re.I)


def check_links(files: Mapping[str, bytes], links: Callable[[str], list[str]] = page_links,
                known: Mapping[str, list[str]] | None = None) -> list[str]:
    """Every relative link of every HTML file must name a planned file: the dangling ones, as warnings.

    ``links`` reads a page's link targets; :func:`parser_links` is the slow reference it can be checked with.
    ``known``: the targets of pages already read where they were made (a worker process); the caller
    drops a page from it when the page is planned over (:meth:`Site.add_file`).
    """
    problems = []
    # Most links repeat from page to page (the stylesheet, the index, shared resources): one resolution per
    # folder and target.
    resolved_in: dict[tuple[str, str], str | None] = {}
    for path in sorted(p for p in files if p.endswith(".html")):
        folder = posixpath.dirname(path)
        read = known.get(path) if known else None
        targets = read if read is not None else links(files[path].decode("utf-8"))
        for target in targets:
            key = (folder, target)
            if key not in resolved_in:
                resolved_in[key] = None if _EXTERNAL.match(target) else posixpath.normpath(
                    posixpath.join(folder, target.split("#")[0]))
            resolved = resolved_in[key]
            if resolved is not None and resolved not in files:
                problems.append(f"{path}: link to {target} does not resolve to a file of the site")
    return problems
