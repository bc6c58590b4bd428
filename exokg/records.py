"""Several records of one article become one: a saved page and API records of the same work merge.

Records match by DOI, PMID or PMCID. Each field of the merged article comes from the first record that
has it, in this order of sources: PubMed XML, Europe PMC, Crossref, publisher HTML, PubMed page,
listing page, generic page (then by file name). Which record gave each field is kept, for PROV-O.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from exokg.disjoint import DisjointSets, identifier_keys
from exokg.model import Article, Corpus, Source

_PRECEDENCE = ("pubmed-xml", "europepmc", "crossref", "html-meta", "pubmed", "listing", "generic")
# The fields that describe the article; source, layout and warnings describe the record.
_MERGED = tuple(f.name for f in fields(Article) if f.name not in ("source", "layout", "warnings"))


@dataclass(frozen=True)
class MergedRecords:
    """The merged articles, and for each (by its primary source name) every source and each field's source."""

    corpus: Corpus
    sources: dict[str, tuple[Source, ...]]
    field_sources: dict[str, dict[str, str]]


def merge_records(corpus: Corpus) -> MergedRecords:
    groups = _groups(corpus.articles)
    merged: list[Article] = []
    sources: dict[str, tuple[Source, ...]] = {}
    field_sources: dict[str, dict[str, str]] = {}
    for records in groups:
        ordered = sorted(records, key=_rank)
        primary = ordered[0]
        values: dict[str, Any] = {}
        origin: dict[str, str] = {}
        for name in _MERGED:
            for record in ordered:
                value = getattr(record, name)
                if value not in (None, (), "") and not (name == "authors_complete" and not record.authors):
                    values[name] = value
                    origin[name] = record.source.name
                    break
        article = replace(primary, **values, warnings=tuple(w for r in ordered for w in r.warnings))
        merged.append(article)
        sources[primary.source.key] = tuple(r.source for r in ordered)
        if len(ordered) > 1:
            field_sources[primary.source.key] = origin
    merged.sort(key=lambda a: a.source.key)
    return MergedRecords(Corpus(tuple(merged), corpus.failures), sources, field_sources)


def _rank(article: Article) -> tuple[int, str]:
    layout = _PRECEDENCE.index(article.layout) if article.layout in _PRECEDENCE else len(_PRECEDENCE)
    return layout, article.source.key


def _groups(articles: tuple[Article, ...]) -> list[list[Article]]:
    sets = DisjointSets(len(articles))
    first: dict[str, int] = {}
    for i, a in enumerate(articles):
        for key in identifier_keys(a.doi, a.pmid, a.pmcid):
            sets.union(first.setdefault(key, i), i)
    return [[articles[i] for i in members] for _root, members in sorted(sets.groups().items())]
