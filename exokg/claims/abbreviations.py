"""Abbreviations a document defines, ``long form (SF)`` (Schwartz & Hearst), and what they stand for.

A short form whose long form the recogniser knows means that concept (composites abbreviate their parts in
any order: ``exosomes from hucMSCs (hucMSC-Ex)``). A long form the scheme lacks names a minted term, unless the
short form is a scheme label whose concept the long form describes (``human adipose-derived mesenchymal
stromal cells (hADSCs)``): then both mean that concept.
"""

from __future__ import annotations

import re

from exokg.claims.concepts import ConceptScheme
from exokg.claims.recognise import Abbreviation, Mention, span_text
from exokg.claims.tokens import Token, term_key, tokenize
from exokg.model import ConceptRef


def find_abbreviations(tokens: list[Token], mentions: list[Mention], scheme: ConceptScheme | None = None
                       ) -> list[Abbreviation]:
    """Short forms defined as ``long form (SF)`` (Schwartz & Hearst): SF then means what the long form names.

    A long form the scheme lacks names a minted term, unless the short form is a scheme label whose concept the
    long form describes (``adipose-derived mesenchymal stromal cells (ADSCs)``): then both mean that concept."""
    found: list[Abbreviation] = []
    for i, token in enumerate(tokens):
        if token.text != "(":
            continue
        close = next((j for j in range(i + 1, min(i + 5, len(tokens))) if tokens[j].text == ")"), None)
        if close is None or close == i + 1 or any(t.joiner == " " for t in tokens[i + 2:close]):
            continue
        short = tokens[i + 1:close]
        written = "".join(t.text for t in short)
        letters = re.sub(r"[^a-z0-9]", "", written.lower())
        if not 2 <= len(written) <= 14 or not any(ch.isupper() for ch in written) or not letters[:1].isalpha():
            continue
        long_mention = next((m for m in mentions if m.last == i and not m.pronoun), None)
        if long_mention is not None and _letters_within(letters, long_mention.text):
            found.append(Abbreviation(tuple(t.norm for t in short), tuple(t.text for t in short),
                                      long_mention.key, long_mention.minted, long_mention.parts))
            continue
        long_form = _long_form(tokens, i, letters)
        if long_form is not None:
            first, label = long_form
            words = [t for t in tokens[first:i] if t.is_word]
            known = _described(scheme, short, words) if scheme is not None else None
            if scheme is not None and known is not None:
                parts = scheme.parts(known)
                found.append(Abbreviation(tuple(t.norm for t in short), tuple(t.text for t in short), known, None,
                                          parts))
                found.append(Abbreviation(tuple(t.norm for t in words), tuple(t.text for t in words), known, None,
                                          parts, long_form=True))
                continue
            term = ConceptRef(term_key(label), label, written, curated=False)
            found.append(Abbreviation(tuple(t.norm for t in short), tuple(t.text for t in short), None, term, None))
            found.append(Abbreviation(tuple(t.norm for t in words), tuple(t.text for t in words), None, term, None,
                                      long_form=True))
    return found


def _described(scheme: ConceptScheme, short: list[Token], words: list[Token]) -> str | None:
    """The scheme concept a short form names, if the long form describes it too: it ends in the head word of one
    of the concept's labels and shares another word with that label (not ``ASC`` for a protein)."""
    long_words = {t.norm for t in words}
    for key in scheme.lookup(tuple(t.norm for t in short), [t.text for t in short]):
        concept = scheme.concepts[key]
        for label in (concept.pref_label, *concept.alt_labels, *concept.hidden_labels):
            label_words = [t.norm for t in tokenize(label) if t.is_word]
            if len(label_words) >= 2 and label_words[-1] == words[-1].norm and set(label_words[:-1]) & long_words:
                return key
    return None


def _letters_fit(letters: str, long_form: str) -> bool:
    """The short form's letters occur in order in the long form, its first letter starting a word."""
    text = long_form.lower()
    letters = letters.rstrip("s") or letters
    words = re.findall(r"[a-z0-9]+", text)
    if not words or not any(w.startswith(letters[0]) for w in words):
        return False
    at = 0
    for ch in letters:
        at = text.find(ch, at)
        if at < 0:
            return False
        at += 1
    return True


def _letters_within(letters: str, long_form: str) -> bool:
    """For a long form the scheme recognises: every letter of the short form occurs in it and the first starts a
    word (composites abbreviate their parts in any order: ``exosomes from hucMSCs (hucMSC-Ex)``)."""
    text = long_form.lower()
    letters = letters.rstrip("s") or letters
    words = re.findall(r"[a-z0-9]+", text)
    return any(w.startswith(letters[0]) for w in words) and all(ch in text for ch in letters)


def _long_form(tokens: list[Token], paren: int, letters: str) -> tuple[int, str] | None:
    letters = letters.rstrip("s") or letters
    limit = min(len(letters) + 5, 2 * len(letters))
    words = [j for j in range(paren - 1, -1, -1) if tokens[j].is_word][:limit]
    for j in words:
        if j < paren - 1 and not all(tokens[k].is_word for k in range(j, paren)):
            break
        if tokens[j].lower.startswith(letters[0]):
            candidate = span_text(tokens, j, paren)
            if _letters_fit(letters, candidate) and len(candidate.split()) >= 2:
                return j, candidate.lower()
    return None


__all__ = ["find_abbreviations"]
