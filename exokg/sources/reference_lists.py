"""Reference lists and citing-article lists: from a segment's lines to entries to references.

A reference list is numbered (``1. Entry``, ``[1] Entry``, or a number alone on its line with the
entry below, as article-listing sites print it) or one entry a line. A citing-articles list prints
each work as a few lines — title, authors and journal, identifiers — closed by its identifier line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from exokg.model import Reference
from exokg.sources.identifiers import find_dois, find_pmcids, find_pmids
from exokg.sources.normalise import squash
from exokg.sources.references import clean_entry_text, is_link_labels, parse_reference, read_authors

_NUMBER_ONLY = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])\s*$")
_NUMBERED = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])\s+\S")
_UI_LINE = re.compile(
    r"^\s*(?:show|see|view|load|hide|expand|collapse|back to|download|export|go to|jump to|more)\b.{0,60}$",
    re.IGNORECASE,
)
_IDS_LINE = re.compile(r"^\s*(?:PMID|PMCID|PMC|DOI)\s*:?\s*\S", re.IGNORECASE)
_MIN_ENTRY_WORDS = 3


def _is_entry(text: str) -> bool:
    if _UI_LINE.match(text):
        return False
    return len(text.split()) >= _MIN_ENTRY_WORDS or bool(find_dois(text) or find_pmids(text))


def is_numbered(lines: Sequence[str]) -> bool:
    """Whether the list numbers its entries."""
    return any(_NUMBERED.match(line) or _NUMBER_ONLY.match(line) for line in lines)


def split_entries(lines: Sequence[str]) -> list[str]:
    """The entries of a reference list, each as one string (list numbers left for the parser)."""
    entries: list[list[str]] = []
    if is_numbered(lines):
        for line in lines:
            if not line.strip() or _UI_LINE.match(line):
                continue
            if _NUMBERED.match(line) or _NUMBER_ONLY.match(line):
                entries.append([line.strip()])
            elif entries:
                entries[-1].append(line.strip())
    else:
        for line in lines:
            text = line.strip()
            if not text:
                continue
            # Identifier or link-label lines printed under an entry belong to it.
            if entries and (_IDS_LINE.match(text) or is_link_labels(text)):
                entries[-1].append(text)
            else:
                entries.append([text])
    joined = (squash(" ".join(entry)) for entry in entries)
    return [entry for entry in joined if _is_entry(clean_entry_text(entry))]


def parse_reference_list(lines: Sequence[str]) -> tuple[Reference, ...]:
    """Every entry of a reference list, parsed."""
    return tuple(parse_reference(entry) for entry in split_entries(lines))


def split_citing_blocks(lines: Sequence[str]) -> list[list[str]]:
    """Citing works as groups of lines: an identifier line or two blank lines close a group."""
    blocks: list[list[str]] = []
    current: list[str] = []
    blank_run = 0
    for line in lines:
        text = line.strip()
        if not text:
            blank_run += 1
            if blank_run >= 2 and current:
                blocks.append(current)
                current = []
            continue
        blank_run = 0
        if _UI_LINE.match(text):
            continue
        current.append(text)
        if _IDS_LINE.match(text):
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _citing_reference(block: list[str]) -> Reference:
    text = clean_entry_text(" ".join(block))
    first_is_authors = read_authors(block[0])[0] and len(block[0].split(". ")) > 1
    if len(block) == 1 or first_is_authors:
        return parse_reference(text)
    parsed = parse_reference(" ".join(block[1:]), title=block[0])
    return dataclasses.replace(parsed, text=text)


def parse_citing_list(lines: Sequence[str]) -> tuple[Reference, ...]:
    """Every work of a citing-articles list, in the shape of a reference."""
    if is_numbered(lines):
        return parse_reference_list(lines)
    refs = (_citing_reference(block) for block in split_citing_blocks(lines))
    return tuple(ref for ref in refs if ref.title or ref.doi or ref.pmid or find_pmcids(ref.text))
