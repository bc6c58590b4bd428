"""Claims from an article: sentence by sentence, concept mentions + relation cues -> assertions.

The article's fields (``sentences.py``) make its documents: the title and abstract, and each printed
reference or citing-article title; ``documents.py`` reads a document's claims. One assertion is kept per
(subject, relation, object, polarity) and sentence; the result is sorted by field (title, abstract
sections, reference titles, citing-article titles) and offset, so the same article always gives the same
tuple. A whole corpus is read with :func:`extract_corpus`: each distinct document once, on several cores
when the corpus is large enough to pay for them (``parallel.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from exokg.cache import MISSING, CacheSection
from exokg.claims.concepts import ConceptScheme
from exokg.claims.documents import DocumentClaims, document_claims
from exokg.claims.frames import Claim
from exokg.claims.hedging import most_tentative
from exokg.claims.parallel import claims_in_processes, processes_for
from exokg.claims.sentences import Field, Sentence, fields_of, sentences_of
from exokg.model import Article, Assertion

RULESET_VERSION = "1.0"
METHOD = f"exokg-rules/{RULESET_VERSION}"


# A document by the text and offset of each of its fields; the claims of documents already read, by key.
DocumentKey = tuple[tuple[str, int], ...]
Memo = dict[DocumentKey, DocumentClaims]


def extract(article: Article, scheme: ConceptScheme, memo: Memo | None = None) -> tuple[Assertion, ...]:
    """Every assertion of the article's title, abstract, reference titles and citing-article titles.

    A document's claims depend only on its text (abbreviations, topic and discourse never leave it), so a
    ``memo`` shared across the articles of a corpus (read with the same scheme) reads each distinct
    document once: a title printed in many reference lists is extracted once, with the same assertions.
    """
    found: list[tuple[tuple[int, int, int, int], Assertion]] = []
    for key, fields in _documents(article):
        claims = memo.get(key) if memo is not None else None
        if claims == ():
            continue  # most printed titles state nothing: no need to split them again
        sentences = _sentences(fields)
        if claims is None:
            claims = document_claims(sentences, scheme)
            if memo is not None:
                memo[key] = claims
        for n, order, claim in claims:
            sentence = sentences[n]
            f = sentence.field
            found.append(((f.group, f.position, sentence.start, order), _assertion(claim, sentence)))
    unique: dict[tuple[object, ...], Assertion] = {}
    for _, a in sorted(found, key=lambda pair: pair[0]):
        unique.setdefault((a.subject.key, a.relation, a.object.key, a.negated, a.section, a.asserted_by, a.start), a)
    return tuple(unique.values())


def extract_corpus(articles: Iterable[Article], scheme: ConceptScheme, *,
                   processes: int | None = None, cache: CacheSection | None = None) -> dict[str, tuple[Assertion, ...]]:
    """:func:`extract` for every article, by its source key, each distinct document read once.

    ``processes`` is how many worker processes read documents besides this one: by default as many as
    the other cores, when the corpus has text enough to pay for starting them; 0 reads everything here.
    ``cache`` keeps each document's claims by its text (its scope must name the scheme), so a document
    read by an earlier build is not read again. The result is the same either way.
    """
    articles = list(articles)
    memo: Memo = {}
    documents: dict[DocumentKey, list[Field]] = {}
    for article in articles:
        for key, fields in _documents(article):
            documents.setdefault(key, fields)
    contents = {key: _content(key) for key in documents} if cache is not None else {}
    if cache is not None:
        for key, content in contents.items():
            found = cache.get(content)
            if found is not MISSING:
                memo[key] = found
    unread = [k for k in documents if k not in memo]
    extra = processes_for(sum(len(text) for key in unread for text, _ in key)) if processes is None else processes
    if extra > 0 and unread:
        memo.update(zip(unread, claims_in_processes([_sentences(documents[k]) for k in unread], scheme, extra),
                        strict=True))
    if cache is not None:
        for key in unread:
            if key not in memo:
                memo[key] = document_claims(_sentences(documents[key]), scheme)
            cache.put(contents[key], memo[key])
        cache.done()
    return {a.source.key: extract(a, scheme, memo) for a in articles}


def _content(key: DocumentKey) -> bytes:
    """A document's key as the bytes its cache entry is found by."""
    return json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _documents(article: Article) -> list[tuple[DocumentKey, list[Field]]]:
    """The article's documents with their keys (two reference titles printed alike share one)."""
    documents: dict[str, list[Field]] = {}
    for f in fields_of(article):
        documents.setdefault(f.document, []).append(f)
    return [(tuple((f.text, f.offset) for f in fields), fields) for fields in documents.values()]


def _sentences(fields: list[Field]) -> list[Sentence]:
    return [s for f in fields for s in sentences_of(f)]


def _assertion(claim: Claim, sentence: Sentence) -> Assertion:
    level = most_tentative([h.level for h in claim.hedges])
    cues = tuple(dict.fromkeys(h.text for h in sorted(claim.hedges, key=lambda h: (h.first, h.text))))
    return Assertion(subject=claim.subject, relation=claim.relation, object=claim.object, negated=claim.negated,
                     hedge_level=level, hedge_cues=cues, evidence=sentence.text, start=sentence.start,
                     end=sentence.end, section=sentence.field.section, asserted_by=sentence.field.asserted_by,
                     qualifiers=tuple(claim.qualifiers), method=METHOD)


__all__ = ["METHOD", "RULESET_VERSION", "DocumentKey", "Memo", "document_claims", "extract", "extract_corpus"]
