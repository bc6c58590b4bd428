"""The one place exokg mints IRIs. See docs/decisions/0001-iri-scheme.md.

Every local name is deterministic, readable, safe as a file name, and injective: two different
identifiers never give the same IRI. Characters outside ``[a-z0-9.-]`` are escaped: ``/`` becomes ``_``
(the commonest one, kept readable) and any other character ``~xx`` (its UTF-8 bytes in hex).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from exokg.graph.namespaces import CONCEPT_IRI

_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_KEEP_NAME = _KEEP | {"_"}
# Identifiers with nothing to escape (most DOIs and file names), told apart in one step.
_PLAIN = re.compile(r"[a-z0-9./-]*")
_PLAIN_NAME = re.compile(r"[a-z0-9._-]*")
# A file name must stay well under the 255-byte limit of common file systems, with room for ".jsonld".
_MAX_NAME = 180


def escape(identifier: str, *, slash_as_underscore: bool = True) -> str:
    """``identifier`` (already in canonical case) as a reversible, file-name-safe local name.

    With ``slash_as_underscore`` (DOIs), ``/`` is written ``_`` and ``_`` is escaped; without it
    (file names, which seldom hold a slash), ``_`` is kept and ``/`` is escaped.
    """
    if (_PLAIN if slash_as_underscore else _PLAIN_NAME).fullmatch(identifier):
        name = identifier.replace("/", "_") if slash_as_underscore else identifier
    else:
        name = escape_chars(identifier, slash_as_underscore=slash_as_underscore)
    if len(name) > _MAX_NAME:
        # Truncation alone could collide; the digest of the whole identifier keeps names distinct.
        digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:16]
        name = f"{name[: _MAX_NAME - 17]}~{digest}"
    return name


def escape_chars(identifier: str, *, slash_as_underscore: bool = True) -> str:
    """:func:`escape`'s local name before truncation, character by character (the rule as written; ``escape``
    takes a shortcut for identifiers with nothing to escape, which most are)."""
    keep = _KEEP if slash_as_underscore else _KEEP_NAME
    out: list[str] = []
    for char in identifier:
        if char in keep:
            out.append(char)
        elif char == "/" and slash_as_underscore:
            out.append("_")
        else:
            out.extend(f"~{byte:02x}" for byte in char.encode("utf-8"))
    return "".join(out)


def slug(text: str) -> str:
    """A readable, lossy slug for names (people, journals, keywords): ``Stem Cells Int.`` -> ``stem-cells-int``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", folded)
    result = "-".join(words)[:_MAX_NAME].strip("-")
    if result:
        return result
    # A name with no Latin letters (e.g. Cyrillic or CJK) still needs a stable, distinct slug.
    return "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def concept_iri(key: str, *, curated: bool = True) -> str:
    """A concept of the scheme (``…/concept/msc-exosome``) or a term minted from text (``…/concept/term/…``)."""
    return f"{CONCEPT_IRI}{slug(key)}" if curated else f"{CONCEPT_IRI}term/{slug(key)}"


def mesh_concept_iri(ui: str | None, name: str) -> str:
    """A MeSH descriptor or qualifier as a concept: by its unique ID (``D059630``), else by its name."""
    return f"{CONCEPT_IRI}mesh/{ui}" if ui and re.fullmatch(r"[A-Z][0-9]{6,9}", ui) else \
        f"{CONCEPT_IRI}mesh/name-{slug(name)}"


def mesh_scheme_iri() -> str:
    return f"{CONCEPT_IRI}mesh/"


def term_scheme_iri() -> str:
    return f"{CONCEPT_IRI}term/"


def doi_iri(doi: str) -> str:
    """The resolver IRI of a DOI; characters that are not allowed in an IRI are percent-encoded."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-~!$&'*+,=@")


def pubmed_iri(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmc_iri(pmcid: str) -> str:
    return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/"


class Iris:
    """Mints the IRIs of one project under its base IRI."""

    def __init__(self, base: str) -> None:
        if not base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {base!r}")
        self.base = base
        # A work's or person's IRI is asked for at every mention; each is minted once per Iris.
        self._works: dict[str, str] = {}
        self._people: dict[str, str] = {}

    def work(self, identity: str) -> str:
        """A bibliographic work from its identity ``scheme:value`` (see :mod:`exokg.works`)."""
        iri = self._works.get(identity)
        if iri is None:
            scheme, _, value = identity.partition(":")
            if scheme not in {"doi", "pmid", "pmcid", "ref"} or not value:
                raise ValueError(f"not a work identity: {identity!r}")
            # DOIs, PMIDs and PMCIDs are case-insensitive: lower case is their one canonical form here.
            iri = self._works[identity] = f"{self.base}work/{scheme}-{escape(value.lower())}"
        return iri

    def person(self, name: str) -> str:
        iri = self._people.get(name)
        if iri is None:
            iri = self._people[name] = f"{self.base}person/{slug(name)}"
        return iri

    def journal(self, name: str) -> str:
        return f"{self.base}journal/{slug(name)}"

    def keyword(self, key: str) -> str:
        return f"{self.base}keyword/{slug(key)}"

    def keyword_scheme(self) -> str:
        return f"{self.base}keyword/"

    def source(self, name: str) -> str:
        return f"{self.base}source/{escape(name, slash_as_underscore=False)}"

    def software(self, version: str) -> str:
        return f"{self.base}software/exokg-{escape(version.lower())}"

    def claim(self, subject: str, relation: str, obj: str, negated: bool) -> str:
        """A claim from its content: the local names of its two concept IRIs, the relation, the polarity."""
        name = f"{_tail(subject)}.{relation}.{_tail(obj)}" + (".not" if negated else "")
        return f"{self.base}claim/{escape(name, slash_as_underscore=False)}"

    def dataset(self) -> str:
        return f"{self.base}dataset"

    def dump(self, extension: str) -> str:
        return f"{self.base}dump.{extension}"

    def fragment(self, resource: str, name: str, number: int) -> str:
        """A part described on its parent's page, such as an author-list entry: ``…#author-1``."""
        return f"{resource}#{name}-{number}"

    def local_path(self, iri: str) -> str | None:
        """The path of ``iri`` below the base (fragment dropped), or None when it is not under the base."""
        if not iri.startswith(self.base):
            return None
        return iri[len(self.base) :].split("#", 1)[0]


def _tail(concept: str) -> str:
    # "…/concept/msc-exosome" -> "msc-exosome"; a minted "…/concept/term/x" -> "term_x". Slugs never hold
    # "_" or ".", so the marker cannot collide with a scheme concept and "." can separate the parts.
    local = concept[len(CONCEPT_IRI):] if concept.startswith(CONCEPT_IRI) else slug(concept)
    return local.replace("term/", "term_", 1) if local.startswith("term/") else local
