"""Dates and volume/issue/pages as NLM-style citation lines print them.

``2024 Feb 14;25:355-366``, ``2015 Apr:40:82-8``, ``2019 Aug;54(Suppl 2):789-792``,
``2016;7(1):p. 125``, ``2025; 16:1525466``: a date, then volume, issue in brackets and pages.
The same grammar serves the PubMed header, the reference-entry parser and the generic layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exokg.sources.normalise import fold_dashes, normalise_range, squash

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Spring|Summer|Autumn|Fall|Winter)\.?"
)
YEAR = r"(?:1[6-9]|20)\d{2}"
DATE = (
    rf"(?P<year>{YEAR})[a-z]?"
    rf"(?P<month_day>\s+{_MONTH}(?:\s*-\s*{_MONTH})?(?:\s+\d{{1,2}}(?:\s*-\s*\d{{1,2}})?)?(?![\w]))?"
)
_PAGE = r"[A-Za-z]{0,5}\d+[A-Za-z]?"
DETAILS = (
    r"(?:\s*[;:,]\s*(?P<volume>[A-Za-z]?\d\w*)?"
    r"\s*(?:\((?P<issue>[^()]{1,30})\))?"
    rf"(?:\s*[:,]\s*(?:pp?\.\s*)?(?P<pages>{_PAGE}(?:\s*-\s*{_PAGE})?)(?!\w))?)?"
)
# A citation's date-and-numbers block; never glued to a preceding word, slash or number.
SOURCE_BLOCK = re.compile(rf"(?<![\w/.:;-]){DATE}{DETAILS}(?![\w/])")
DATE_ONLY = re.compile(rf"(?<![\w/.:;-]){DATE}(?![\w/])")

_MONTH_NUMBERS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class SourceBlock:
    """What one date-and-numbers block says; ``start``/``end`` are offsets in the searched text."""

    date: str
    year: int
    volume: str | None
    issue: str | None
    pages: str | None
    start: int
    end: int

    @property
    def has_numbers(self) -> bool:
        return bool(self.volume or self.issue or self.pages)


def _block(match: re.Match[str]) -> SourceBlock:
    groups = match.groupdict()
    volume = groups.get("volume")
    issue = groups.get("issue")
    pages = groups.get("pages")
    date = squash(match.group("year") + (match.group("month_day") or ""))
    return SourceBlock(
        date=fold_dashes(date),
        year=int(match.group("year")),
        volume=squash(volume).rstrip(".") if volume else None,
        issue=squash(issue) if issue else None,
        pages=normalise_range(pages) if pages else None,
        start=match.start(),
        end=match.end(),
    )


def source_blocks(text: str) -> list[SourceBlock]:
    """Every date-and-numbers block in ``text`` (dash-folded for matching; offsets unchanged)."""
    return [_block(m) for m in SOURCE_BLOCK.finditer(fold_dashes(text))]


def leading_block(text: str) -> SourceBlock | None:
    """The block at the very start of ``text`` (after spaces), as in ``2017:2017:6305295.``."""
    match = SOURCE_BLOCK.match(fold_dashes(text), len(text) - len(text.lstrip()))
    return _block(match) if match else None


def parse_date(text: str) -> tuple[str, int] | None:
    """``("2017 Dec 19", 2017)`` from the first date in ``text``."""
    match = DATE_ONLY.search(fold_dashes(text))
    if not match:
        return None
    return squash(match.group(0)), int(match.group("year"))


def iso_to_citation_date(text: str) -> str:
    """``2019/03/25``, ``2019-03-25`` or an unambiguous ``03/25/2019`` as ``2019 Mar 25``.

    Anything else (``2019 Mar 25``, ``04/05/2019`` which could be either month) is kept as printed.
    """
    text = squash(text)
    iso = re.fullmatch(r"((?:1[6-9]|20)\d{2})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d.*)?", text)
    if iso:
        year, month, day = iso.groups()
    else:
        numeric = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.]((?:1[6-9]|20)\d{2})", text)
        if not numeric:
            return text
        first, second, year = numeric.groups()
        if int(first) > 12 >= int(second):
            day, month = first, second
        elif int(second) > 12 >= int(first):
            month, day = first, second
        else:
            return text
    if month is None or not 1 <= int(month) <= 12:
        return year
    parts = [year, _MONTH_NUMBERS[int(month) - 1]]
    if day is not None and 1 <= int(day) <= 31:
        parts.append(str(int(day)))
    return " ".join(parts)


def publication_date(printed: str | None, epub: str | None) -> str | None:
    """The date a record keeps: as printed, or the Epub date when the citation gives only that year.

    ``2017:2017:6305295`` with ``Epub 2017 Dec 19`` is the 2017 Dec 19 publication; a citation
    date with a month (``2015 Apr``) is kept even when the Epub date (``2015 Mar 9``) is finer.
    """
    if printed and epub and re.fullmatch(YEAR, printed) and epub.startswith(printed + " "):
        return epub
    return printed or None
