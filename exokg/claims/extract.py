"""Claims from an article: sentence by sentence, concept mentions + relation cues -> assertions.

For every field (``sentences.py``) and sentence, the recogniser finds concept mentions (``recognise.py``),
:class:`~exokg.claims.clauses.Parse` finds cues, clauses and the words that are no argument, and
:class:`~exokg.claims.frames.ClaimBuilder` places each cue's frame on its subject and objects, resolving
bare vesicle words and ``They`` (``resolution.py``). One assertion is kept per (subject, relation, object,
polarity) and sentence; the result is sorted by field (title, abstract sections, reference titles,
citing-article titles) and offset, so the same article always gives the same tuple.
"""

from __future__ import annotations

from exokg.claims.abbreviations import find_abbreviations
from exokg.claims.clauses import Parse
from exokg.claims.concepts import ConceptScheme
from exokg.claims.frames import Claim, ClaimBuilder
from exokg.claims.hedging import HedgeCue, hedge_cues, hypothesis_spans, most_tentative
from exokg.claims.recognise import recognise
from exokg.claims.resolution import Document
from exokg.claims.sentences import Field, Sentence, fields_of, sentences_of
from exokg.claims.tokens import CueText, Token, tokenize
from exokg.model import Article, Assertion

RULESET_VERSION = "1.0"
METHOD = f"exokg-rules/{RULESET_VERSION}"


def extract(article: Article, scheme: ConceptScheme) -> tuple[Assertion, ...]:
    """Every assertion of the article's title, abstract, reference titles and citing-article titles."""
    documents: dict[str, list[Field]] = {}
    for f in fields_of(article):
        documents.setdefault(f.document, []).append(f)
    found: list[tuple[tuple[int, int, int, int], Assertion]] = []
    for fields in documents.values():
        sentences = [s for f in fields for s in sentences_of(f)]
        tokenized = [tokenize(s.text, s.start) for s in sentences]
        doc = Document(scheme)
        for tokens in tokenized:  # abbreviations first: "(MSCs)" defines MSCs for the whole document
            for abbreviation in find_abbreviations(tokens, recognise(tokens, scheme, doc.abbreviations), scheme):
                if all(a.words != abbreviation.words for a in doc.abbreviations):
                    doc.abbreviations.append(abbreviation)
        inside = hypothesis_spans([CueText(t).text for t in tokenized])
        for n, (sentence, tokens) in enumerate(zip(sentences, tokenized, strict=True)):
            opener = _opener(tokenized[inside[n]], sentences[inside[n]]) if n in inside else None
            parse = Parse(tokens, recognise(tokens, scheme, doc.abbreviations), scheme, sentence.text, sentence.start)
            for order, claim in enumerate(ClaimBuilder(parse, doc, opener).claims()):
                f = sentence.field
                found.append(((f.group, f.position, sentence.start, order), _assertion(claim, sentence)))
    unique: dict[tuple[object, ...], Assertion] = {}
    for _, a in sorted(found, key=lambda pair: pair[0]):
        unique.setdefault((a.subject.key, a.relation, a.object.key, a.negated, a.section, a.asserted_by, a.start), a)
    return tuple(unique.values())


def _opener(tokens: list[Token], sentence: Sentence) -> HedgeCue | None:
    """The ``we propose`` cue of the sentence that opened the hypothesis a later sentence sits in."""
    cues = [c for c in hedge_cues(CueText(tokens), sentence.text, sentence.start, set()) if c.level == "hypothesised"]
    return cues[0] if cues else None


def _assertion(claim: Claim, sentence: Sentence) -> Assertion:
    level = most_tentative([h.level for h in claim.hedges])
    cues = tuple(dict.fromkeys(h.text for h in sorted(claim.hedges, key=lambda h: (h.first, h.text))))
    return Assertion(subject=claim.subject, relation=claim.relation, object=claim.object, negated=claim.negated,
                     hedge_level=level, hedge_cues=cues, evidence=sentence.text, start=sentence.start,
                     end=sentence.end, section=sentence.field.section, asserted_by=sentence.field.asserted_by,
                     qualifiers=tuple(claim.qualifiers), method=METHOD)


__all__ = ["METHOD", "RULESET_VERSION", "extract"]
