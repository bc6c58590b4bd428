"""The line under a title that says where the article appeared, in the house styles pages print.

* NLM / PMC / MDPI: ``Stem Cell Res Ther. 2021; 12: 345.``, ``Int. J. Mol. Sci. 2020, 21(3), 727;``
* Springer Nature: ``Biomarker Research volume 7, Article number: 8 (2019)``
* Elsevier: ``Volume 4, Issue 3, May 2010, Pages 214-222`` under a line with the journal's name
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exokg.sources.citation_details import YEAR, leading_block
from exokg.sources.normalise import normalise_range, squash
from exokg.sources.references import looks_like_journal, trim_journal

_NLM = re.compile(rf"^\s*(?P<journal>[^;:]{{2,150}}?)\.?,?\s+(?P<rest>{YEAR}\b.*)$")
_SPRINGER = re.compile(
    rf"^\s*(?P<journal>.+?)\s+volume\s+(?P<volume>\w+)(?:,\s*issue\s+(?P<issue>\w+))?,\s*"
    rf"(?:Article\s+number:?\s*(?P<number>\S+)|pages?\s+(?P<pages>[\w\-\u2013]+))\s*\((?P<year>{YEAR})\)",
    re.IGNORECASE,
)
_ELSEVIER = re.compile(
    rf"^\s*Volume\s+(?P<volume>\w+)(?:,\s*Issue\s+(?P<issue>[\w\-\u2013]+))?,\s*"
    rf"(?P<date>(?:\d{{1,2}}\s+)?(?:[A-Z][a-z]+\s+)?(?P<year>{YEAR})),\s*"
    rf"(?:Pages?\s+(?P<pages>[\w\-\u2013]+)|(?P<number>\d+))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CitationLine:
    """Where a citation line says the article appeared; ``index`` is the line it was read from."""

    index: int
    journal: str | None
    date: str
    year: int
    volume: str | None
    issue: str | None
    pages: str | None


def _previous(lines: Sequence[str], index: int) -> str:
    return next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()), "")


def read_citation_line(lines: Sequence[str], index: int) -> CitationLine | None:
    """The citation line at ``lines[index]``, if it is one."""
    line = lines[index]
    springer = _SPRINGER.match(line)
    if springer and looks_like_journal(springer.group("journal")):
        pages = springer.group("pages") or springer.group("number")
        return CitationLine(
            index,
            squash(springer.group("journal")),
            springer.group("year"),
            int(springer.group("year")),
            springer.group("volume"),
            springer.group("issue"),
            normalise_range(pages) if pages else None,
        )
    elsevier = _ELSEVIER.match(line)
    if elsevier:
        above = _previous(lines, index)
        pages = elsevier.group("pages") or elsevier.group("number")
        return CitationLine(
            index,
            above if looks_like_journal(above) else None,
            squash(elsevier.group("date")),
            int(elsevier.group("year")),
            elsevier.group("volume"),
            elsevier.group("issue"),
            normalise_range(pages) if pages else None,
        )
    nlm = _NLM.match(line)
    if nlm and looks_like_journal(nlm.group("journal").rstrip(".,")):
        block = leading_block(nlm.group("rest"))
        if block is not None and block.has_numbers:
            journal = trim_journal(line[: nlm.start("rest")])
            return CitationLine(index, journal, block.date, block.year, block.volume, block.issue, block.pages)
    return None


def find_citation_line(lines: Sequence[str]) -> CitationLine | None:
    """The first citation line among ``lines`` (the front matter of a page)."""
    for index in range(len(lines)):
        found = read_citation_line(lines, index)
        if found is not None:
            return found
    return None
