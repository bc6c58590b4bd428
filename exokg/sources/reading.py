"""From saved files to articles: decode, refuse what is not a page, parse, gather failures.

A file is a saved page (one article) or a saved efetch ``PubmedArticleSet`` XML file (one article per
``PubmedArticle``; :mod:`exokg.sources.pubmed_xml`). A file is refused (:class:`UnreadablePage`) when
it cannot be read at all: missing, empty or blank, binary, not decodable, XML that is not well-formed,
or no article in it (no title, no abstract and no identifier). Anything less is a warning on the
article, never a refusal: a truncated page is still worth its fields.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from exokg.cache import MISSING, CacheSection
from exokg.errors import UnreadablePage
from exokg.model import Article, Corpus, InputFailure, Source
from exokg.sources.api_records import is_api_json, parse_api_json
from exokg.sources.normalise import control_ratio, normalise_text
from exokg.sources.pubmed_xml import is_pubmed_xml, parse_pubmed_xml
from exokg.sources.registry import DEFAULT_REGISTRY, LayoutRegistry
from exokg.sources.retrieval import read_retrieval, record_path

_MAX_CONTROL_RATIO = 0.01
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


def decode_page(raw: bytes, name: str) -> str:
    """The text of a saved page; :class:`UnreadablePage` when the bytes are not text."""
    if not raw:
        raise UnreadablePage(name, "the file is empty")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadablePage(name, f"the file starts like {encoding} text but is not ({exc.reason})") from exc
    if b"\x00" in raw:
        raise UnreadablePage(name, "binary file (it contains NUL bytes); save the article page as text or HTML")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = _DECLARED_CHARSET.search(raw[:4096])
        if declared:
            # A saved HTML page may say which encoding it is in; believe it before giving up.
            try:
                return raw.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise UnreadablePage(
            name, f"not UTF-8 text (undecodable byte at offset {exc.start}); save the page as UTF-8 text or HTML"
        ) from exc


def parse_text(text: str, source: Source, registry: LayoutRegistry | None = None) -> Article:
    """The article a page's text shows, with the layout the registry picks for it."""
    normal = normalise_text(text)
    if not normal.strip():
        raise UnreadablePage(source.name, "the file contains only whitespace")
    if control_ratio(normal) > _MAX_CONTROL_RATIO:
        raise UnreadablePage(source.name, "binary file (it is full of control characters), not a saved page")
    article = (registry or DEFAULT_REGISTRY).parse(normal, source)
    if not (article.title or article.abstract or article.doi or article.pmid or article.pmcid):
        raise UnreadablePage(source.name, "not an article page: no title, no abstract and no DOI, PMID or PMCID found")
    return article


def read_page(path: Path, name: str | None = None, registry: LayoutRegistry | None = None) -> Article:
    """Read one saved page. ``name`` (default: the file name) names the source in the record.

    An efetch ``PubmedArticleSet`` file of one record is read as that record; one of several is
    refused, as it is not one article (:func:`read_records` reads them all).
    """
    records = read_records(path, name, registry)
    if len(records) > 1:
        label = name if name is not None else path.name
        raise UnreadablePage(label, f"an efetch file of {len(records)} PubmedArticle records, not one article page")
    return records[0]


def read_records(
    path: Path,
    name: str | None = None,
    registry: LayoutRegistry | None = None,
    *,
    with_retrieval: bool = True,
) -> tuple[Article, ...]:
    """Every article of one file: each record of an efetch ``PubmedArticleSet`` or of a saved Europe PMC or
    Crossref JSON response, else the page's one.

    The records of one file share its :class:`Source`, which holds the file's retrieval record when it has
    one (see :mod:`exokg.sources.retrieval`; a malformed or stale record is an :class:`UnreadablePage`
    naming the record, unless ``with_retrieval`` is false). ``name`` is as for :func:`read_page`.
    """
    label = name if name is not None else path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadablePage(label, f"cannot read the file: {exc.strerror or exc}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    source = Source(name=label, sha256=digest, retrieval=read_retrieval(path, digest) if with_retrieval else None)
    if is_pubmed_xml(raw):
        return _numbered(parse_pubmed_xml(raw, source))
    if is_api_json(raw):
        return _numbered(parse_api_json(raw, source))
    return (parse_text(decode_page(raw, label), source, registry),)


def _numbered(records: tuple[Article, ...]) -> tuple[Article, ...]:
    # The records of one file share its name; each needs a key of its own for claims, merging and works.
    if len(records) < 2:
        return records
    return tuple(dataclasses.replace(a, source=dataclasses.replace(a.source, record=n))
                 for n, a in enumerate(records, 1))


def read_corpus(paths: Iterable[Path], registry: LayoutRegistry | None = None,
                cache: CacheSection | None = None) -> Corpus:
    """Read every file (sorted by name) into its articles; unreadable files become failures, not errors.

    ``cache`` keeps what each file gave, by its name and bytes and those of its retrieval record, so an
    unchanged file is not read again; it is used with the default layouts only (a file's articles depend on them).
    """
    if registry is not None:
        cache = None
    articles: list[Article] = []
    failures: list[InputFailure] = []
    for path in sorted(paths, key=lambda p: (p.name, str(p))):
        content = _cache_content(path) if cache is not None else None
        found: Any = cache.get(content) if cache is not None and content is not None else MISSING
        if found is MISSING:
            found = _read_file(path, registry)
            if cache is not None and content is not None:
                cache.put(content, found)
        articles.extend(found[0])
        failures.extend(found[1])
    if cache is not None:
        cache.done()
    return Corpus(articles=tuple(articles), failures=tuple(failures))


def _read_file(path: Path, registry: LayoutRegistry | None) -> tuple[tuple[Article, ...], tuple[InputFailure, ...]]:
    try:
        return read_records(path, registry=registry), ()
    except UnreadablePage as exc:
        failure = InputFailure(source=exc.source, reason=exc.reason)
        if exc.source == record_path(path).name:
            # Only the retrieval record is bad: the article is still worth reading, without its provenance.
            with contextlib.suppress(UnreadablePage):
                return read_records(path, registry=registry, with_retrieval=False), (failure,)
        return (), (failure,)


def _cache_content(path: Path) -> bytes | None:
    """Everything a file's articles are read from, or None when it cannot be read (its failure is not kept)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        kept: bytes | None = record_path(path).read_bytes()
    except FileNotFoundError:
        kept = None  # no record, as read_retrieval tells it
    except OSError:
        return None
    parts = [path.name.encode("utf-8"), hashlib.sha256(raw).digest(),
             b"-" if kept is None else b"+" + hashlib.sha256(kept).digest()]
    return b"\0".join(parts)
