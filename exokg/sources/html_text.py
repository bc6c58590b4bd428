"""Saved HTML pages: their ``<meta>`` tags and their text, with the standard library's parser.

Block elements become line breaks, ordered-list items get their numbers back (reference lists
depend on them), scripts, styles and hidden elements are dropped, entities are unescaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_LOOKS_LIKE_HTML = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.IGNORECASE | re.DOTALL
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_PARAGRAPH = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "blockquote",
        "table",
        "ul",
        "ol",
        "dl",
        "figure",
        "figcaption",
        "main",
        "nav",
        "form",
        "fieldset",
        "details",
        "pre",
        "hr",
    }
)
_LINE = frozenset({"div", "li", "br", "tr", "dt", "dd", "summary", "caption", "address", "label", "option"})
_CELL = frozenset({"td", "th"})


@dataclass(frozen=True)
class HtmlPage:
    """What a saved HTML page holds for a parser: meta tags in order, ``<title>`` and body text."""

    meta: tuple[tuple[str, str], ...]
    title: str | None
    text: str

    def values(self, *names: str) -> list[str]:
        """Contents of the meta tags called any of ``names`` (case-insensitive), in page order."""
        wanted = {name.lower() for name in names}
        return [content for name, content in self.meta if name in wanted]

    def first(self, *names: str) -> str | None:
        """The first non-empty content among ``names``, in the order the names are given."""
        for name in names:
            for content in self.values(name):
                if content.strip():
                    return content.strip()
        return None


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document rather than text copied from a rendered page."""
    return bool(_LOOKS_LIKE_HTML.match(text[:4096])) or "</html>" in text[-4096:].lower()


def _hidden(attrs: dict[str, str | None]) -> bool:
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "hidden" in attrs or attrs.get("aria-hidden") == "true" or "display:none" in style


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.title_parts: list[str] = []
        self.out: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._in_title = False
        self._lists: list[list[int]] = []  # per open list: [is_ordered, next number]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta":
            name = (found.get("name") or found.get("property") or found.get("itemprop") or "").strip().lower()
            content = found.get("content")
            if name and content is not None:
                self.meta.append((name, content))
            return
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if tag not in _VOID and (tag in _SKIPPED or _hidden(found)):
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag == "title":
            self._in_title = True
        elif tag in ("ol", "ul"):
            start = found.get("start") or "1"
            self._lists.append([tag == "ol", int(start) if start.isdigit() else 1])
        if tag in _PARAGRAPH:
            self.out.append("\n\n")
        elif tag in _LINE:
            self.out.append("\n")
        elif tag in _CELL:
            self.out.append(" ")
        if tag == "li" and self._lists and self._lists[-1][0]:
            self.out.append(f"{self._lists[-1][1]}. ")
            self._lists[-1][1] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag == "title":
            self._in_title = False
        elif tag in ("ol", "ul") and self._lists:
            self._lists.pop()
        if tag in _PARAGRAPH:
            self.out.append("\n\n")
        elif tag in _LINE:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_tag is not None:
            return
        if self._in_title:
            self.title_parts.append(data)
            return
        self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def read_html(html: str) -> HtmlPage:
    """Meta tags, title and text of an HTML document (tolerant of broken markup)."""
    extractor = _Extractor()
    extractor.feed(html)
    extractor.close()
    lines = [line.strip() for line in "".join(extractor.out).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    title = " ".join("".join(extractor.title_parts).split()) or None
    return HtmlPage(meta=tuple(extractor.meta), title=title, text=text)
