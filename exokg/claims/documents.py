"""One document's claims: its sentences in, each claim with where it was stated out.

A document is the title and abstract of an article, or one printed reference or citing-article title
(``sentences.py``). For every sentence the recogniser finds concept mentions (``recognise.py``),
:class:`~exokg.claims.clauses.Parse` finds cues, clauses and the words that are no argument, and
:class:`~exokg.claims.frames.ClaimBuilder` places each cue's frame on its subject and objects, resolving
bare vesicle words and ``They`` (``resolution.py``). Nothing carries over from one document to another, so
a document's claims are a function of its sentences' text and offsets alone: :mod:`exokg.claims.extract`
reads a document that recurs once, and :mod:`exokg.claims.parallel` reads documents on several cores.
"""

from __future__ import annotations

from exokg.claims.abbreviations import find_abbreviations
from exokg.claims.clauses import Parse
from exokg.claims.concepts import ConceptScheme
from exokg.claims.frames import Claim, ClaimBuilder
from exokg.claims.hedging import HedgeCue, hedge_cues, hypothesis_spans
from exokg.claims.recognise import Mention, recognise
from exokg.claims.resolution import Document
from exokg.claims.sentences import Sentence
from exokg.claims.tokens import CueText, Token, tokenize

# A document's claims, each with the index of its sentence in the document and its order in that sentence.
DocumentClaims = tuple[tuple[int, int, Claim], ...]


def document_claims(sentences: list[Sentence], scheme: ConceptScheme) -> DocumentClaims:
    """The claims of one document's sentences (only their text and offsets count, not their field)."""
    tokenized = [tokenize(s.text, s.start) for s in sentences]
    doc = Document(scheme)
    # The mentions each sentence had with the abbreviations known then: recognition is a function of the
    # tokens and the abbreviations, and the list only grows, so the same length means the same mentions.
    first_pass: list[tuple[int, list[Mention]]] = []
    for tokens in tokenized:  # abbreviations first: "(MSCs)" defines MSCs for the whole document
        mentions = recognise(tokens, scheme, doc.abbreviations)
        first_pass.append((len(doc.abbreviations), mentions))
        for abbreviation in find_abbreviations(tokens, mentions, scheme):
            if all(a.words != abbreviation.words for a in doc.abbreviations):
                doc.abbreviations.append(abbreviation)
    cue_texts = [CueText(t) for t in tokenized]
    inside = hypothesis_spans([c.text for c in cue_texts])
    found: list[tuple[int, int, Claim]] = []
    for n, (sentence, tokens) in enumerate(zip(sentences, tokenized, strict=True)):
        opener = _opener(tokenized[inside[n]], sentences[inside[n]]) if n in inside else None
        known, mentions = first_pass[n]
        if known != len(doc.abbreviations):
            mentions = recognise(tokens, scheme, doc.abbreviations)
        parse = Parse(tokens, mentions, scheme, sentence.text, sentence.start, cue_texts[n])
        found.extend((n, order, claim) for order, claim in enumerate(ClaimBuilder(parse, doc, opener).claims()))
    return tuple(found)


def _opener(tokens: list[Token], sentence: Sentence) -> HedgeCue | None:
    """The ``we propose`` cue of the sentence that opened the hypothesis a later sentence sits in."""
    cues = [c for c in hedge_cues(CueText(tokens), sentence.text, sentence.start, set()) if c.level == "hypothesised"]
    return cues[0] if cues else None


__all__ = ["DocumentClaims", "document_claims"]
