"""Helpers shared by the JSON API parsers (Europe PMC, Crossref): typed access, text clean-up, citations."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from exokg.errors import InputError
from exokg.model import AbstractSection, Source
from exokg.sources.inline_labels import inline_sections, split_inline
from exokg.sources.normalise import squash

BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|ul|ol|h[1-6])\b[^<>]*>", re.IGNORECASE)
INLINE_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|sup|sub|sc|span|a|font|small|big|tt|strike|s|del|ins|mark|abbr|cite|code)\b[^<>]*>",
    re.IGNORECASE,
)

_ET_AL = re.compile(r",?\s*\bet\s+al\b\.?$", re.IGNORECASE)
_ISSN = re.compile(r"\d{4}-\d{3}[\dX]")
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_YEAR = re.compile(r"^\s*(\d{4})")


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty values in order, without repeats."""
    return tuple(dict.fromkeys(v for v in values if v))


def year_of(value: str | None) -> int | None:
    """The year a field starts with (``2011``, ``2011a``); ``0`` or ``n.d.`` is no year."""
    match = _YEAR.match(value or "")
    year = int(match.group(1)) if match else 0
    return year if year >= 1000 else None


def first_issn(values: Iterable[str | None]) -> str | None:
    """The first ISSN-shaped value, with an upper-case check digit (``1474-547X``)."""
    for value in values:
        issn = squash(value or "").upper()
        if _ISSN.fullmatch(issn):
            return issn
    return None


def normalise_orcid(value: str) -> str | None:
    """``https://orcid.org/0000-0001-7542-0286`` or the bare id as ``0000-0001-7542-0286``."""
    match = _ORCID.search(value.upper())
    return match.group() if match else None


def split_author_string(value: str | None) -> tuple[tuple[str, ...], bool]:
    """``"Carfi A, Landi F; Gemelli Study Group."`` as names, and whether the list is complete."""
    text = squash(value or "").removesuffix(".")
    et_al = _ET_AL.search(text)
    if et_al:
        text = text[: et_al.start()]
    names = unique(name.strip() for name in re.split(r"\s*[,;]\s+", text))
    return names, et_al is None


def title_text(value: str | None) -> str | None:
    """A title without inline markup and without the one closing period MEDLINE ends every title with
    (the PubMed XML parser and the reference-entry parser drop it too); ``...`` and ``?`` stay."""
    title = markup_text(value)
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title or None


def citation_text(
    authors: str | None,
    title: str | None,
    journal: str | None,
    year: int | None,
    volume: str | None,
    issue: str | None,
    pages: str | None,
    *,
    doi: str | None = None,
    pmid: str | None = None,
    pmcid: str | None = None,
) -> str:
    """A Vancouver-style entry from structured fields, in the form the reference parser reads back:

    ``Sharfstein JM, Becker SJ. Diagnostic Testing. JAMA. 2020;323(15):1437-1438. doi: 10.x/y. PMID: 1.``
    Missing fields are left out with their punctuation; nothing is added that the fields do not say.
    """
    numbers = (volume or "") + (f"({issue})" if issue else "")
    if year:
        block = str(year) + (f";{numbers}" if numbers else "") + (f":{pages}" if pages else "")
    else:
        block = numbers + (f":{pages}" if numbers and pages else pages or "")
    parts = [
        authors or "",
        title or "",
        journal or "",
        block,
        f"doi: {doi}" if doi else "",
        f"PMID: {pmid}" if pmid else "",
        f"PMCID: {pmcid}" if pmcid else "",
    ]
    return " ".join(part if part[-1] in ".?!" else part + "." for part in parts if part)


def abstract_from_parts(
    parts: Iterable[tuple[str | None, list[str]]],
) -> tuple[str | None, tuple[AbstractSection, ...]]:
    """Abstract text and sections from ``(label, paragraphs)`` parts, as the page parsers give them.

    Without labels the paragraphs are the text (one per line) and inline labels (``BACKGROUND: ...``)
    make the sections; with labels each part is one ``Label: text`` line and one section (split further
    where the part holds inline labels of its own).
    """
    kept = [(label, paragraphs) for label, paragraphs in parts if paragraphs]
    if not kept:
        return None, ()
    if all(label is None for label, _ in kept):
        text = "\n".join(p for _, paragraphs in kept for p in paragraphs)
        return text, inline_sections(text)
    joined = [(label, " ".join(paragraphs)) for label, paragraphs in kept]
    text = "\n".join(f"{label}: {body}" if label else body for label, body in joined)
    split = [part for label, body in joined for part in split_inline(body, label)]
    return text, tuple(AbstractSection(label, body) for label, body in split)


@dataclass(frozen=True)
class JsonObject:
    """One object of a decoded JSON response, read field by field with the types a parser needs.

    A field of the wrong type raises :class:`~exokg.errors.InputError` naming the saved response, the
    API and the field's path (``resultList.result[3].authorList``), so a changed or truncated response is
    reported instead of surfacing as a ``KeyError``. Absent and ``null`` fields read as ``None`` or empty.
    """

    data: Mapping[str, Any]
    path: str
    origin: str

    @classmethod
    def root(cls, doc: object, source: Source, what: str) -> JsonObject:
        origin = f"{source.name}: {what}"
        if not isinstance(doc, dict):
            raise InputError(f"{origin} is not a JSON object (found {_kind(doc)})", hint=_HINT)
        return cls(doc, "", origin)

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> InputError:
        return InputError(f"{self.origin}: field `{self._at(key)}` {problem}", hint=_HINT)

    def _object(self, value: object, path: str) -> JsonObject:
        if not isinstance(value, dict):
            raise InputError(f"{self.origin}: field `{path}` is not an object (found {_kind(value)})", hint=_HINT)
        return JsonObject(value, path, self.origin)

    def child(self, key: str) -> JsonObject | None:
        value = self.data.get(key)
        return None if value is None else self._object(value, self._at(key))

    def required_child(self, key: str) -> JsonObject:
        if self.data.get(key) is None:
            raise self.error(key, "is missing")
        return self._object(self.data[key], self._at(key))

    def children(self, key: str, *, required: bool = False) -> list[JsonObject]:
        """A list of objects; a bare object counts as a list of one."""
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, "is missing")
            return []
        if isinstance(value, dict):
            return [self._object(value, self._at(key))]
        if not isinstance(value, list):
            raise self.error(key, f"is not a list (found {_kind(value)})")
        return [self._object(item, f"{self._at(key)}[{n}]") for n, item in enumerate(value)]

    def text(self, key: str, *, squashed: bool = True) -> str | None:
        """A string (numbers are read as their digits); empty is ``None``."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, f"is not a string (found {_kind(value)})")
        text = str(value)
        return (squash(text) if squashed else text.strip()) or None

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of strings; a bare string counts as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in items):
            raise self.error(key, "is not a list of strings")
        return unique(squash(item) for item in items)

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"is not a whole number (found {_kind(value)})")
        return value

    def required_integer(self, key: str) -> int:
        value = self.integer(key)
        if value is None:
            raise self.error(key, "is missing")
        return value


_HINT = "the response was not the JSON this API documents; save it whole (format=json) and try again"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def markup_text(value: str | None) -> str | None:
    """A title or keyword without its inline HTML, entities unescaped, whitespace squashed."""
    if value is None:
        return None
    return squash(html.unescape(INLINE_TAG.sub("", BLOCK_TAG.sub(" ", value)))) or None
