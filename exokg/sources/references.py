"""One reference-list entry in Vancouver/NLM style, parsed into a :class:`Reference`.

The grammar is ``Authors. Title. Journal. Year;Volume(Issue):Pages. doi: ... PMID: ...``, with the
variants pages really print: initials with or without periods (``Hade M.D.``, ``Wagner W. R.``,
``Bernardo ME``), ``et al.``, journals with periods or ampersands, no period before the year
(``Cell Stem Cell 2018;22:824-33``), ``p. 125``, electronic page numbers, article numbers (``ARTN``).

The entry is read from both ends: identifiers are blanked out first, then the date-and-numbers block
is located, the authors are read from the start, and what lies between is split into title and
journal at the first sentence break after which only journal-like words follow. Offsets are kept
stable (blanking and dash folding keep lengths), so title and journal are cut from the printed text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from exokg.model import Reference
from exokg.sources.citation_details import SourceBlock, source_blocks
from exokg.sources.identifiers import (
    blank_identifiers,
    find_dois,
    find_labelled_dois,
    find_pmcids,
    find_pmids,
)
from exokg.sources.normalise import fold_dashes, normalise_range, squash

_UPPER = "[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĘĚĞĠĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŸŹŻŽА-ЯЁЄІЇҐ]"
_LETTER = r"[^\W\d_]"
_NAME_WORD = rf"(?:[dDlL]['\u2019])?{_UPPER}(?:{_LETTER}|['\u2019])*(?:-{_LETTER}(?:{_LETTER}|['\u2019])*)*"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|dos|das|du|le|la|ter|ten|op|al|el|bin|ibn)"
_SURNAME = rf"(?:{_PARTICLE}\s+)*{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD})*?"
_INITIALS = rf"{_UPPER}\.?(?:\s?-\s?{_UPPER}\.?|{_UPPER}\.?)*(?:\s{_UPPER}\.)*"
_END_OF_NAME = r"(?![^\W\d_'\u2019])"
_SUFFIX = rf"(?:\s+(?:Jr|Sr|II|III|IV|2nd|3rd|4th)\.?{_END_OF_NAME})?"
_AUTHOR = re.compile(
    rf"(?:{_SURNAME}\s+{_INITIALS}{_END_OF_NAME}{_SUFFIX}"  # Vancouver: Hade M.D., Bernardo ME
    rf"|(?:{_UPPER}\.\s?-?)+\s?{_SURNAME}{_END_OF_NAME})"  # initials first: R.C. Lai
)
_LIST_GOES_ON = re.compile(r"\s*[,;]\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+")
_ET_AL = re.compile(r"\s*,?\s*(?:et\.?\s*al\b\.?|and others\b|и\s+др\b\.?|та\s+ін\b\.?)\s*[.,;]?\s*")
_LIST_ENDS = re.compile(r"\s*\.\s*|\s*$")

_LIST_NUMBER = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)](?!\d))\s*")
_LINK_LABEL = (
    r"(?:PubMed\s+Central|PubMed|PMC|DOI|Google\s+Scholar|Cross[Rr]ef|CAS|Article|Scopus|View\s+in\s+Scopus"
    r"|View(?:\s+Article)?|Web\s+of\s+Science|ISI|MEDLINE|Medline|Free\s+(?:PMC\s+)?article|Full\s+Text"
    r"|Abstract|Link|Find\s+this\s+article\s+online|Search\s+in\s+Google\s+Scholar|Open\s?URL"
    r"|\[(?:PMC\s+free\s+article|PubMed|Google\s+Scholar|Cross[Rr]ef|Ref\s+list|DOI|Free\s+full\s+text|CAS)\])"
)
_TRAILING_LABELS = re.compile(rf"(?:\s*[-|•·,]?\s*{_LINK_LABEL})+\s*$", re.IGNORECASE)
_ARTICLE_NUMBER = re.compile(
    r"\b(?:ARTN|Art\.?\s*No\.?|Article\s+(?:number|no\.?|ID)|Article)\s*[:#]?\s*([A-Za-z]?\d+)\b\.?"
)
_NOT_SOURCE = re.compile(
    r"\b(?:Epub(?:\s+ahead\s+of\s+print)?|eCollection|Published(?:\s+online)?|Accessed|Available(?:\s+online)?"
    r"|Retrieved|Cited|Last\s+updated)\b[^.;\]]*"
)
_SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+(?=\S)")
# fmt: off
_JOURNAL_CONNECTORS = frozenset([
    "of", "and", "the", "in", "for", "on", "at", "de", "des", "du", "la", "le", "et", "y", "und", "für", "di",
    "del", "da", "&", "-", "\u2013", ":",
])
# fmt: on
_MAX_JOURNAL_WORDS = 14


def clean_entry_text(raw: str) -> str:
    """The entry as printed: whitespace collapsed, list number and trailing link labels removed."""
    text = _LIST_NUMBER.sub("", squash(raw), count=1)
    while True:
        match = trailing_labels(text)
        if not match or match.start() == 0:
            return text
        kept = text[: match.start()].rstrip()
        # Labels follow a finished citation; a word like "Abstract" ending a title is not a label.
        if not re.search(r"[.)\]\d]$", kept):
            return text
        text = kept


def trailing_labels(text: str) -> re.Match[str] | None:
    """``_TRAILING_LABELS.search(text)`` for squashed text (no whitespace at its ends), most often without it.

    Every link label ends in a letter or ``]``; most entries end in a period or a digit instead, and the
    search, which tries the labels at every position of the entry, is most of the time it takes to read one.
    """
    if not text or not (text[-1].isalpha() or text[-1] == "]"):
        return None
    return _TRAILING_LABELS.search(text)


def is_link_labels(text: str) -> bool:
    """Whether ``text`` is nothing but a site's link labels (``- DOI - PMC - PubMed``, ``View``)."""
    return bool(text.strip()) and _TRAILING_LABELS.fullmatch(text.strip()) is not None


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _is_journal_word(token: str) -> bool:
    word = token.strip("()[],")
    if not word or token.endswith(":"):
        return False
    if word.casefold() in _JOURNAL_CONNECTORS:
        return True
    # Capitalised (Stem, Res), numbers (3 Biotech), camel-case titles (eLife, iScience, bioRxiv), npj.
    return word[0].isupper() or word[0].isdigit() or bool(re.match(r"[a-z]{1,3}[A-Z]", word)) or word == "npj"


def trim_journal(text: str) -> str:
    """A journal name without the period that closes its part of a citation.

    ``Cells.`` is ``Cells``, but ``Int. J. Mol. Sci.`` keeps its last period like its others.
    """
    name = text.strip().rstrip(",;: ").strip()
    if name.endswith(".") and "." not in name[:-1]:
        name = name[:-1].rstrip()
    return name


def looks_like_journal(text: str) -> bool:
    """Whether ``text`` reads like a journal name: few words, each capitalised or a connector."""
    tokens = text.split()
    if not tokens or len(tokens) > _MAX_JOURNAL_WORDS:
        return False
    return tokens[0].strip("()[]").casefold() not in _JOURNAL_CONNECTORS and all(map(_is_journal_word, tokens))


def _last_author_name(match: re.Match[str], earlier: list[str]) -> str:
    name = match.group().strip()
    initials_have_inner_period = "." in name.rstrip(".").split(" ", 1)[-1]
    earlier_use_periods = any(author.endswith(".") for author in earlier)
    # In "Galipeau J, Sensebe L. Title" the last period ends the list; in "Toma C., ... Villanueva F."
    # and "Suo Z.C." it belongs to the initials, as in every other name of the list.
    if name.endswith(".") and not initials_have_inner_period and not earlier_use_periods:
        name = name[:-1]
    return name


def read_authors(text: str, start: int = 0, *, title_known: bool = False) -> tuple[list[str], bool, int]:
    """Authors listed from ``start``: ``(names, complete, offset after the list)``.

    With ``title_known`` (citing-article blocks, where the title is printed on its own line) the
    list may run straight into the journal name without a period: ``Wang L Int J Nanomedicine``.
    """
    authors: list[str] = []
    pos = start
    while True:
        match = _AUTHOR.match(text, pos)
        if not match:
            break
        after = match.end()
        et_al = _ET_AL.match(text, after)
        if et_al:
            return [*authors, match.group().strip()], False, et_al.end()
        goes_on = _LIST_GOES_ON.match(text, after)
        if goes_on:
            authors.append(match.group().strip())
            pos = goes_on.end()
            continue
        name = _last_author_name(match, authors)
        ends = _LIST_ENDS.match(text, after)
        if match.group().endswith(".") or (ends and ends.group().strip()):
            return [*authors, name], True, ends.end() if ends else after
        if title_known or authors:
            return [*authors, name], True, after
        break
    if authors:
        return authors, True, pos
    return [], True, start


def _pick_block(blocks: list[SourceBlock], work: str) -> SourceBlock | None:
    with_numbers = [b for b in blocks if b.has_numbers]
    if with_numbers:
        return with_numbers[-1]

    def closes_citation(block: SourceBlock) -> bool:
        following = work[block.end :].lstrip()
        return not following or following[0] in ".;)"

    bare = [b for b in blocks if closes_citation(b)]
    return bare[-1] if bare else None


def _split_title_journal(segment: str, has_block: bool) -> tuple[str | None, str | None]:
    """``Title. Journal`` (from the printed text) into its two parts."""
    folded = fold_dashes(segment)
    for match in _SENTENCE_BREAK.finditer(folded):
        candidate = trim_journal(segment[match.end() :])
        if looks_like_journal(candidate):
            title = segment[: match.start()].strip().rstrip(".").strip()
            return title or None, candidate
    whole = segment.strip().rstrip(".,; ").strip()
    if not whole:
        return None, None
    if has_block and looks_like_journal(whole) and len(whole.split()) <= 6:
        return None, trim_journal(segment)
    return whole, None


# A well-cited work is printed the same way in many reference lists; a Reference is immutable, so one
# reading serves every printing.
@lru_cache(maxsize=16384)
def parse_reference(raw: str, title: str | None = None) -> Reference:
    """Parse one entry. Pass ``title`` when the page printed the title apart from the rest."""
    text = clean_entry_text(raw)
    work = blank_identifiers(text)
    article_number = _ARTICLE_NUMBER.search(work)
    work = _blank(_blank(work, _ARTICLE_NUMBER), _NOT_SOURCE)

    authors, complete, after_authors = read_authors(work, 0, title_known=title is not None)
    blocks = [b for b in source_blocks(work) if b.start >= after_authors]
    block = _pick_block(blocks, work)
    middle_end = block.start if block else len(work)
    middle = text[after_authors:middle_end]
    if title is None:
        found_title, journal = _split_title_journal(middle, block is not None)
        if block is None:
            journal = None  # without a date block there is no telling a journal from a truncated title
    else:
        found_title = squash(title).rstrip(".").strip() or None
        journal = (trim_journal(squash(middle)) or None) if block else None

    pages = block.pages if block else None
    if pages is None and article_number:
        pages = normalise_range(article_number.group(1))
    dois = find_labelled_dois(text) or find_dois(text)
    pmids = find_pmids(text)
    pmcids = find_pmcids(text)
    return Reference(
        text=text,
        title=found_title,
        authors=tuple(authors),
        authors_complete=complete,
        journal=journal,
        year=block.year if block else None,
        volume=block.volume if block else None,
        issue=block.issue if block else None,
        pages=pages,
        doi=dois[0] if dois else None,
        pmid=pmids[0] if pmids else None,
        pmcid=pmcids[0] if pmcids else None,
    )
