"""DOI, PMID and PMCID: the ways pages print them, and the one spelling a record keeps.

A record keeps a DOI lower-case without ``doi:`` or resolver prefix, a PMCID as ``PMC1234567`` and a
PMID as its digits. Finding an identifier says nothing about whose it is: the layouts decide which
part of a page may hold the article's own identifiers.
"""

from __future__ import annotations

import re

from exokg.sources.normalise import fold_dashes

_DOI_CHARS = r"10\.\d{4,9}/[^\s\"'<>{}\[\]]+"
_DOI_ANY = re.compile(rf"(?<![\w./])({_DOI_CHARS})")
_DOI_LABELLED = re.compile(
    rf"(?:\bdoi\b\s*[:.]?\s*(?:https?://(?:dx\.)?doi\.org/)?|https?://(?:dx\.)?doi\.org/)({_DOI_CHARS})",
    re.IGNORECASE,
)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")
_TRAILING_PUNCT = ".,;:'\"\u201d\u2019\u00bb*"
_BRACKETS = {")": "(", "]": "[", "}": "{", ">": "<"}

_PMID = re.compile(r"\b(?:PMID|PubMed\s+ID)\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID_FORMS = (
    re.compile(r"\bPMCID\s*:?\s*(?:PMC)?\s*(\d{3,9})\b", re.IGNORECASE),
    re.compile(r"\bPMC\s*:\s*(?:PMC)?(\d{3,9})\b"),
    re.compile(r"\bPMC(\d{3,9})\b"),
)

# Identifier phrases a reference parser must not mistake for title, journal or volume text.
_IDENTIFIER_PHRASES = re.compile(
    r"(?:\b(?:doi|DOI)\b\s*[:.]?\s*)?(?:https?://(?:dx\.)?doi\.org/)?"
    + _DOI_CHARS
    + r"|\b(?:PMID|PMCID|PMC|PubMed\s+ID)\s*:?\s*(?:PMC)?\d{3,9}\b"
    + r"|\bPMC\d{3,9}\b"
    + r"|\b(?:doi|DOI)\b\s*:?(?=\s*(?:$|[.;,]))",
)


def clean_doi(raw: str) -> str | None:
    """``raw`` as a bare lower-case DOI, or ``None`` when it is not shaped like one."""
    doi = re.sub(r"^\s*(?:doi\s*[:.]?\s*)?(?:https?://(?:dx\.)?doi\.org/)?", "", raw, flags=re.IGNORECASE)
    doi = fold_dashes(doi.strip())
    changed = True
    while changed and doi:
        changed = False
        if doi[-1] in _TRAILING_PUNCT:
            doi, changed = doi[:-1], True
        elif doi[-1] in _BRACKETS and doi.count(doi[-1]) > doi.count(_BRACKETS[doi[-1]]):
            # A closing bracket is part of the DOI only when the DOI also opened it (``(09)61234``).
            doi, changed = doi[:-1], True
    if not _DOI_SHAPE.fullmatch(doi):
        return None
    return doi.lower()


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def find_dois(text: str) -> list[str]:
    """Every DOI-shaped string in ``text``, in order, without repeats."""
    found = (clean_doi(m.group(1)) for m in _DOI_ANY.finditer(text))
    return _unique([doi for doi in found if doi])


def find_labelled_dois(text: str) -> list[str]:
    """DOIs that the text labels as such (``doi:``, ``DOI``, ``https://doi.org/``), in order."""
    found = (clean_doi(m.group(1)) for m in _DOI_LABELLED.finditer(text))
    return _unique([doi for doi in found if doi])


def find_pmids(text: str) -> list[str]:
    """Every labelled PMID (``PMID: 123``, ``PMID 123``) in order, without repeats."""
    return _unique([m.group(1) for m in _PMID.finditer(text)])


def clean_pmcid(raw: str) -> str | None:
    """``PMC: 2676194``, ``PMCID: PMC2676194`` or ``2676194`` as ``PMC2676194``."""
    match = re.search(r"(\d{3,9})", raw)
    return f"PMC{match.group(1)}" if match else None


def find_pmcids(text: str) -> list[str]:
    """Every PMCID in order of appearance, whatever form the page prints it in."""
    hits: list[tuple[int, str]] = []
    for form in _PMCID_FORMS:
        hits.extend((m.start(), f"PMC{m.group(1)}") for m in form.finditer(text))
    return _unique([pmcid for _, pmcid in sorted(hits)])


def blank_identifiers(text: str) -> str:
    """``text`` with identifier phrases replaced by spaces of the same length (offsets stay valid)."""
    return _IDENTIFIER_PHRASES.sub(lambda m: " " * len(m.group()), text)
