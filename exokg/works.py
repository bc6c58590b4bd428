"""The model stage: which records describe the same work, and which keywords are the same keyword.

An article's page, the reference lists of other articles and citing-article lists all mention works.
Records are matched by DOI, else PMID or PMCID, else by a normalised first-author + year + title key
(never joining two records whose identifiers disagree). Each group becomes one :class:`Work`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from exokg.disjoint import DisjointSets, identifier_keys
from exokg.model import Article, Corpus, InputFailure, Reference


@dataclass(frozen=True)
class Work:
    """One bibliographic work, with the identity its IRI is minted from (``doi:…``, ``pmid:…``, ``ref:…``)."""

    identity: str
    doi: str | None
    pmid: str | None
    pmcid: str | None
    match_key: str | None
    title: str | None
    authors: tuple[str, ...]
    authors_complete: bool
    journal: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    article: Article | None
    mentioned_in: tuple[str, ...]
    citation: str | None = None


@dataclass(frozen=True)
class Citation:
    """``citing`` cites ``cited``; ``position`` and ``text`` when it is an entry of the citing reference list."""

    citing: str
    cited: str
    source: str
    position: int | None
    text: str | None


@dataclass(frozen=True)
class Keyword:
    key: str
    label: str
    alt_labels: tuple[str, ...]


@dataclass(frozen=True)
class Bibliography:
    """What the graph stage maps: the corpus articles as works, every work they mention, and citations."""

    works: tuple[Work, ...]
    citations: tuple[Citation, ...]
    keywords: tuple[Keyword, ...]
    failures: tuple[InputFailure, ...]
    warnings: tuple[str, ...]
    # (source name, "article" | "reference:<n>" | "cited_by:<n>") -> identity of the work that entry names.
    entries: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def articles(self) -> tuple[Work, ...]:
        return tuple(w for w in self.works if w.article is not None)


@dataclass(frozen=True)
class _Record:
    source: str
    position: int
    article: Article | None
    ref: Reference
    match: str | None = None  # match_key of the reference, made once: grouping and merging both read it


def resolve(corpus: Corpus) -> Bibliography:
    """Group the corpus's records into works and keywords. Deterministic for the same corpus."""
    articles = sorted(corpus.articles, key=lambda a: a.source.key)
    records: list[_Record] = []
    edges: list[tuple[int, int, int | None, str | None]] = []  # citing, cited, position, text
    entry_records: dict[tuple[str, str], int] = {}
    for article in articles:
        own = len(records)
        entry_records[(article.source.key, "article")] = own
        records.append(_record(article.source.key, 0, article, _as_reference(article)))
        for number, ref in enumerate(article.references, start=1):
            edges.append((own, len(records), number, ref.text))
            entry_records[(article.source.key, f"reference:{number}")] = len(records)
            records.append(_record(article.source.key, number, None, ref))
        for number, ref in enumerate(article.cited_by, start=1):
            edges.append((len(records), own, None, None))
            entry_records[(article.source.key, f"cited_by:{number}")] = len(records)
            records.append(_record(article.source.key, 10_000 + number, None, ref))

    groups = _group(records)
    works: dict[int, Work] = {}
    warnings: list[str] = []
    for root, members in groups.items():
        works[root] = _merge([records[i] for i in members], warnings)
    find = {i: root for root, members in groups.items() for i in members}

    citations = set()
    for citing, cited, position, text in edges:
        a, b = works[find[citing]].identity, works[find[cited]].identity
        if a != b:  # a list that names the article itself is not a citation
            citations.add(Citation(a, b, records[citing].source, position, text))
    return Bibliography(
        works=tuple(sorted(works.values(), key=lambda w: w.identity)),
        citations=tuple(sorted(citations, key=lambda c: (c.citing, c.position or 0, c.cited, c.source))),
        keywords=_keywords(articles),
        failures=corpus.failures,
        warnings=tuple(warnings),
        entries={key: works[find[i]].identity for key, i in entry_records.items()},
    )


def _record(source: str, position: int, article: Article | None, ref: Reference) -> _Record:
    return _Record(source, position, article, ref, match_key(ref.authors, ref.year, ref.title))


def _as_reference(article: Article) -> Reference:
    return Reference(
        text=article.title or "",
        title=article.title,
        authors=tuple(a.name for a in article.authors),
        authors_complete=article.authors_complete,
        journal=article.journal,
        year=article.year,
        volume=article.volume,
        issue=article.issue,
        pages=article.pages,
        doi=article.doi,
        pmid=article.pmid,
        pmcid=article.pmcid,
    )


def _group(records: list[_Record]) -> dict[int, list[int]]:
    sets = DisjointSets(len(records))
    ids: list[dict[str, set[str]]] = [
        {k: {v} for k, v in (("doi", r.ref.doi), ("pmid", r.ref.pmid), ("pmcid", r.ref.pmcid)) if v}
        for r in records
    ]

    def union(a: int, b: int, *, unless_conflict: bool) -> None:
        ra, rb = sets.find(a), sets.find(b)
        if unless_conflict and any(
            ids[ra].get(k) and ids[rb].get(k) and ids[ra][k] != ids[rb][k] for k in ("doi", "pmid", "pmcid")
        ):
            return
        joined = sets.union(ra, rb)
        if joined:
            low, high = joined
            for k, values in ids[high].items():
                ids[low].setdefault(k, set()).update(values)

    first: dict[str, int] = {}
    for i, r in enumerate(records):
        for key in identifier_keys(r.ref.doi, r.ref.pmid, r.ref.pmcid):
            union(first.setdefault(key, i), i, unless_conflict=False)
    by_key: dict[str, int] = {}
    for i, r in enumerate(records):
        fallback = r.match
        if fallback:
            union(by_key.setdefault(fallback, i), i, unless_conflict=True)
    return sets.groups()


def _merge(members: list[_Record], warnings: list[str]) -> Work:
    # The corpus record speaks for the work; otherwise the earliest mention, in source order.
    ordered = sorted(members, key=lambda r: (r.article is None, r.source, r.position))
    refs = [r.ref for r in ordered]

    def pick(values: Iterable[str | None], what: str) -> str | None:
        distinct = sorted({v for v in values if v})
        if len(distinct) > 1:
            warnings.append(f"one work has several {what}s ({', '.join(distinct)}); using {distinct[0]}")
        return distinct[0] if distinct else None

    doi = pick((r.doi for r in refs), "DOI")
    pmid = pick((r.pmid for r in refs), "PMID")
    pmcid = pick((r.pmcid for r in refs), "PMCID")
    primary = next((r for r in refs if r.title), refs[0])
    key = next((r.match for r in ordered if r.match), None)
    if doi:
        identity = f"doi:{doi}"
    elif pmid:
        identity = f"pmid:{pmid}"
    elif pmcid:
        identity = f"pmcid:{pmcid}"
    else:
        identity = "ref:" + _readable_key(primary, key)
    article = next((r.article for r in ordered if r.article is not None), None)
    citation = None
    if not (primary.title or doi or pmid or pmcid):
        # Nothing to name the work by but the printed entry: keep that, never a guessed title.
        citation = primary.text
        warnings.append(f"{ordered[0].source}: reference {ordered[0].position} could not be read into a title or an "
                        f"identifier; only its printed text is kept: {primary.text[:100]!r}")
    return Work(
        identity=identity,
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
        match_key=key,
        title=primary.title,
        authors=next((r.authors for r in refs if r.authors), ()),
        authors_complete=next((r.authors_complete for r in refs if r.authors), True),
        journal=next((r.journal for r in refs if r.journal), None),
        year=next((r.year for r in refs if r.year), None),
        volume=next((r.volume for r in refs if r.volume), None),
        issue=next((r.issue for r in refs if r.issue), None),
        pages=next((r.pages for r in refs if r.pages), None),
        article=article,
        mentioned_in=tuple(sorted({r.source for r in ordered})),
        citation=citation,
    )


_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,3}")


def surname(name: str) -> str:
    """The family name of an author as printed: ``Squillaro T.`` and ``Tommaso Squillaro`` -> ``squillaro``."""
    tokens = name.replace(",", " ").split()
    if not tokens:
        return ""
    # "Surname Initials" (reference lists) when the last token is one to three capitals, else "Given Surname".
    family = " ".join(tokens[:-1]) if len(tokens) > 1 and _INITIALS.fullmatch(tokens[-1]) else tokens[-1]
    return _fold(family)


def match_key(authors: tuple[str, ...], year: int | None, title: str | None) -> str | None:
    """The fallback identity of a work without identifiers; None when there is no title to key on."""
    folded = _fold(title) if title else ""
    if not folded:
        return None
    first = surname(authors[0]) if authors else ""
    return f"{first}|{year or ''}|{folded}"


def _readable_key(ref: Reference, key: str | None) -> str:
    basis = key or _fold(ref.text) or ref.text
    digest = hashlib.sha256(basis.encode("utf-8")).hexdigest()[:10]
    first = surname(ref.authors[0]).replace(" ", "-") if ref.authors else "anon"
    return f"{first or 'anon'}-{ref.year or 'nd'}-{digest}"


_ALNUM_RUN = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    # ASCII text is its own NFKD form: most titles and names skip the Unicode round trip.
    folded = text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_ALNUM_RUN.findall(folded.lower()))


def keyword_key(label: str) -> str:
    """Keywords differing only in case, punctuation or a regular plural are one keyword."""
    words = _fold(label).split()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith(("ss", "is", "us")):
        words[-1] = words[-1][:-1]
    return " ".join(words) or label.strip().lower()


def _keywords(articles: list[Article]) -> tuple[Keyword, ...]:
    forms: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for article in articles:
        for label in article.keywords:
            forms[keyword_key(label)][label] += 1
    result = []
    for key, counts in forms.items():
        # The commonest printed form is the label; ties go to the alphabetically first, for stability.
        ranked = sorted(counts, key=lambda f: (-counts[f], f))
        result.append(Keyword(key, ranked[0], tuple(sorted(ranked[1:]))))
    return tuple(sorted(result, key=lambda k: k.key))
