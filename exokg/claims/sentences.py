"""The text fields of an article that claims are read from, and their sentences with offsets.

Fields, in the order assertions are sorted by: the title, the abstract (one part per labelled section of a
structured abstract, offsets still into ``article.abstract``), every printed reference title, every
citing-article title. Title and abstract form one document (abbreviations, the topic and discourse carry
over between them); each reference or citing title is a document of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from exokg.model import Article

# A sentence ends at . ! ? before a capital, a digit, a Greek letter or a word like "hucMSC" / "sEVs".
_END = re.compile(r"[.!?](?=[\"'\u201d\u2019)\]]?\s+[\"'\u201c\u2018(\[]?"
                  r"(?:[A-Z0-9\u03b1-\u03c9\u0391-\u03a9]|[a-z]{1,6}[A-Z]))")
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|vs|fig|figs|approx|ca|cf|no|dr|st|resp|ref|refs|eq|vol|incl|sp|spp|ser|inc|ltd|"
    r"[A-Z]))$", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One piece of text claims are read from; ``offset`` is where ``text`` starts in the field."""

    text: str
    offset: int
    section: str  # title, abstract, abstract_<label>, reference_title, cited_by_title
    asserted_by: str  # article, reference:<n>, cited_by:<n>
    group: int  # 0 title, 1 abstract, 2 references, 3 citing articles
    position: int  # order inside the group
    document: str  # fields of one document share context


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets into the field
    end: int
    field: Field


def section_name(label: str | None) -> str:
    """``abstract``, or ``abstract_<label>`` in lower snake case (``Materials and Methods`` ->
    ``abstract_materials_and_methods``)."""
    if not label:
        return "abstract"
    words = re.findall(r"[a-z0-9]+", label.lower())
    return "abstract_" + "_".join(words) if words else "abstract"


def fields_of(article: Article) -> list[Field]:
    fields: list[Field] = []
    if article.title and article.title.strip():
        fields.append(Field(article.title, 0, "title", "article", 0, 0, "article"))
    abstract = article.abstract or ""
    placed = False
    if abstract and article.abstract_sections:
        cursor = 0
        parts: list[Field] = []
        for i, section in enumerate(article.abstract_sections):
            text = section.text.strip()
            at = abstract.find(text, cursor) if text else -1
            if at < 0:
                parts = []
                break
            parts.append(Field(text, at, section_name(section.label), "article", 1, i, "article"))
            cursor = at + len(text)
        if parts:
            fields.extend(parts)
            placed = True
    if abstract.strip() and not placed:
        fields.append(Field(abstract, 0, "abstract", "article", 1, 0, "article"))
    for group, kind, entries in ((2, "reference", article.references), (3, "cited_by", article.cited_by)):
        for n, entry in enumerate(entries, start=1):
            if entry.title and entry.title.strip():
                fields.append(Field(entry.title, 0, f"{kind}_title", f"{kind}:{n}", group, n, f"{kind}:{n}"))
    return fields


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text``, trimmed of surrounding whitespace."""
    start = 0
    for match in _END.finditer(text):
        before = text[start:match.start()]
        if _NO_BREAK_BEFORE.search(before) or _unbalanced(before):
            continue
        yield from _trimmed(text, start, match.end())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _unbalanced(text: str) -> bool:
    return text.count("(") > text.count(")")


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentences_of(field: Field) -> Iterator[Sentence]:
    for start, end in split_sentences(field.text):
        yield Sentence(field.text[start:end], start + field.offset, end + field.offset, field)
