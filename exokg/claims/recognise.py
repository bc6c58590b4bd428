"""Concept mentions in a sentence: longest label match, abbreviations defined in the text, composites.

``recognise`` finds, left to right, the longest run of words that is a label of a scheme concept (or an
abbreviation the document defined, or a microRNA name), then assembles composite secreted products from
their parts: ``hypoxia-preconditioned MSC-derived exosomes``, ``exosomes from cardiac cells``,
``MSCs and their secretome``. A vesicle word with no source of its own (``exosomes``) comes out *bare*
(``parts.source is None``); the extractor resolves it from the document. A vesicle word qualified by a
tissue, fluid or another cell (``plasma exosomes``, ``tumour exosomes``) is *foreign* and never resolved
to the document's topic. The abbreviations a document defines are found by ``abbreviations.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from exokg.claims.concepts import (
    CELL_CATEGORY,
    MODIFIER_CATEGORY,
    ConceptScheme,
    Parts,
    _same_acronym,
)
from exokg.claims.tokens import Token, is_acronym, normal_form, term_key, word_set
from exokg.model import ConceptRef

SPECIES = word_set("""
    human rat mouse murine porcine canine equine bovine ovine rabbit primate monkey allogeneic allogenic
    autologous xenogeneic healthy young aged donor naive native normal primary cultured expanded culture h r m
""")
_SOURCE_LINK = word_set("""
    derived secreted released produced sourced isolated obtained shed purified generated collected harvested
    extracted
""")
_PRECONDITIONED = word_set("""
    preconditioned pre-conditioned primed pretreated pre-treated stimulated treated licensed conditioned exposed
    challenged
""")
_CARGO_LINK = word_set("""
    containing carrying overexpressing expressing loaded enriched harbouring harboring
""")
_FOREIGN_WORDS = word_set("""
    plasma serum blood milk urine urinary saliva salivary plant bacterial bacteria circulating tumour tumor
    cancer neuronal neural glial cardiac platelet endothelial macrophage dendritic fetal bovine
""")
_MIR = re.compile(r"^(?:mir|microrna|let)$", re.IGNORECASE)
_MIR_PART = re.compile(r"^(?:\d+[a-z]?|[35]p)$", re.IGNORECASE)
_PRONOUNS = frozenset({"they"})


@dataclass(frozen=True)
class Mention:
    """A run of tokens ``[first, last)`` naming one concept (``key``) or a minted term (``minted``)."""

    first: int
    last: int
    text: str
    key: str | None = None
    minted: ConceptRef | None = None
    parts: Parts | None = None  # for secreted products
    foreign: bool = False  # a vesicle of a source outside the scheme's composites (``plasma exosomes``)
    negated: bool = False  # written with ``non-`` (``non-immunogenic``)
    pronoun: bool = False

    @property
    def is_bare_vesicle(self) -> bool:
        return self.parts is not None and self.parts.source is None and not self.foreign and self.minted is None


@dataclass(frozen=True)
class Abbreviation:
    """A short form the document defined, ``mesenchymal stem cells (MSCs)``, and what it stands for."""

    words: tuple[str, ...]
    written: tuple[str, ...]
    key: str | None
    minted: ConceptRef | None
    parts: Parts | None
    long_form: bool = False  # the defining words themselves, matched like a label (case-insensitive)

    def matches(self, window: list[Token]) -> bool:
        if len(window) != len(self.words):
            return False
        if self.long_form:
            return all(w == t.norm for w, t in zip(self.words, window, strict=True))
        return all(_same_acronym(w, t.text) or w == t.text for w, t in zip(self.written, window, strict=True)) \
            and all(t.joiner in ("-", "/") for t in window[1:])


def _text(tokens: list[Token], first: int, last: int) -> str:
    out: list[str] = []
    for t in tokens[first:last]:
        out.append((t.joiner if out and t.joiner in ("-", "/") else (" " if out and t.joiner else "")) + t.text)
    return "".join(out)


def span_text(tokens: list[Token], first: int, last: int) -> str:
    """The words of ``tokens[first:last]`` as written (hyphens and slashes kept)."""
    return _text(tokens, first, last)


def recognise(tokens: list[Token], scheme: ConceptScheme, abbreviations: list[Abbreviation]) -> list[Mention]:
    """Every concept mention of a sentence, non-overlapping, left to right, composites assembled."""
    mentions: list[Mention] = []
    i = 0
    n = len(tokens)
    longest_first = sorted(abbreviations, key=lambda a: -len(a.words))
    while i < n:
        found = _match_at(tokens, i, scheme, longest_first)
        if found is None:
            if tokens[i].lower in _PRONOUNS:
                mentions.append(Mention(i, i + 1, tokens[i].text, pronoun=True))
            i += 1
            continue
        mention = found
        prefix = tokens[i - 1].lower if i > 0 and tokens[i].joiner == "-" else ""
        if prefix in ("anti", "pro"):
            i = mention.last
            continue  # "anti-inflammatory" is not "inflammation"; the scheme names such forms explicitly
        if prefix == "non":
            mention = replace(mention, first=i - 1, negated=True, text=_text(tokens, i - 1, mention.last))
        mentions.append(mention)
        i = mention.last
    return _assemble(tokens, _modifiers(tokens, mentions, scheme), scheme)


def _match_at(tokens: list[Token], i: int, scheme: ConceptScheme, longest_first: list[Abbreviation]) -> Mention | None:
    """The mention starting at token ``i``; ``longest_first`` is the document's abbreviations, longest first."""
    if not tokens[i].is_word:
        return None
    mir = _microrna(tokens, i)
    if mir is not None:
        return mir
    for abbreviation in longest_first:
        size = len(abbreviation.words)
        if abbreviation.matches(tokens[i:i + size]):
            return Mention(i, i + size, _text(tokens, i, i + size), abbreviation.key, abbreviation.minted,
                           abbreviation.parts)
    return label_at(tokens, i, scheme)


def label_at(tokens: list[Token], i: int, scheme: ConceptScheme) -> Mention | None:
    """The longest scheme label starting at token ``i``: :func:`label_at_scan`'s answer, but the window only
    grows while its words begin some label, so most positions cost one set look-up instead of one per length."""
    sizes: list[int] = []
    words: tuple[str, ...] = ()
    for j in range(i, min(i + scheme.longest_label, len(tokens))):
        words = (*words, tokens[j].norm)
        if words not in scheme.label_prefixes:
            break
        if words in scheme.labels:
            sizes.append(j - i + 1)
    for size in reversed(sizes):
        found = _label_window(tokens, i, size, scheme)
        if found is not None:
            return found
    return None


def label_at_scan(tokens: list[Token], i: int, scheme: ConceptScheme) -> Mention | None:
    """The longest scheme label starting at token ``i``, trying every window length from the longest label's
    down: the plain statement of what :func:`label_at` computes, kept to check it against."""
    for size in range(min(scheme.longest_label, len(tokens) - i), 0, -1):
        found = _label_window(tokens, i, size, scheme)
        if found is not None:
            return found
    return None


def _label_window(tokens: list[Token], i: int, size: int, scheme: ConceptScheme) -> Mention | None:
    window = tokens[i:i + size]
    if not window[-1].is_word or any(not t.is_word and t.text not in "+'" for t in window):
        return None
    keys = scheme.lookup(tuple(t.norm for t in window), [t.text for t in window])
    if not keys:
        return None
    key = keys[0]
    return Mention(i, i + size, _text(tokens, i, i + size), key, parts=scheme.parts(key))


def _microrna(tokens: list[Token], i: int) -> Mention | None:
    if not _MIR.match(tokens[i].text) or i + 1 >= len(tokens) or tokens[i + 1].joiner != "-" \
            or not _MIR_PART.match(tokens[i + 1].text):
        return None
    last = i + 2
    while last < len(tokens) and tokens[last].joiner == "-" and _MIR_PART.match(tokens[last].text):
        last += 1
    written = _text(tokens, i, last)
    name = "miR" + written[len(tokens[i].text):] if tokens[i].lower != "let" else written
    return Mention(i, last, written, minted=ConceptRef(term_key(name), name, written, curated=False))


def _modifiers(tokens: list[Token], mentions: list[Mention], scheme: ConceptScheme) -> list[Mention]:
    """``X-preconditioned`` / ``X-primed`` (X any stimulus) becomes one preconditioning mention."""
    by_first = {m.first: m for m in mentions}
    out: list[Mention] = []
    skip_to = -1
    for i, token in enumerate(tokens):
        if i < skip_to:
            continue
        mention = by_first.get(i)
        end = mention.last if mention else i + 1
        is_modifier = mention is not None and scheme.category(mention.key or "") == MODIFIER_CATEGORY
        if token.is_word and end < len(tokens) and tokens[end].lower in _PRECONDITIONED \
                and tokens[end].joiner == "-" and not is_modifier:
            kind = (scheme.modifier_for(mention.key) if mention and mention.key else None) or "preconditioning"
            out.append(Mention(i, end + 1, _text(tokens, i, end + 1), kind))
            skip_to = end + 1
            continue
        if mention:
            out.append(mention)
            skip_to = mention.last
    return out


def _category(scheme: ConceptScheme, m: Mention) -> str:
    return scheme.category(m.key) if m.key else ""


def _gap(tokens: list[Token], a: Mention, b: Mention) -> list[Token]:
    return tokens[a.last:b.first]


def _only(gap: list[Token], allowed: frozenset[str]) -> bool:
    return all(t.lower in allowed for t in gap)


def _assemble(tokens: list[Token], mentions: list[Mention], scheme: ConceptScheme) -> list[Mention]:
    """Merge modifier + source + vesicle mentions into composite secreted products."""
    items = list(mentions)
    # 1. preconditioning + cell source: "hypoxia-preconditioned MSCs", "preconditioned mesenchymal stem cells"
    items = _merge_pairs(tokens, items, scheme, _modified_source)
    # 2. source + vesicle: "MSC-derived exosomes", "BMSC-Exos"; modifier + composite
    items = _merge_pairs(tokens, items, scheme, _source_vesicle)
    # 3. vesicle + from/of/by + source: "exosomes derived from (preconditioned) MSCs"
    items = _merge_pairs(tokens, items, scheme, _vesicle_from_source)
    items = _cargo_then_source(tokens, items, scheme)
    # 4. "MSCs and their secretome": the possessive hands the source over
    out: list[Mention] = []
    for k, m in enumerate(items):
        if m.is_bare_vesicle and k > 0:
            prev = items[k - 1]
            gap = [t.lower for t in _gap(tokens, prev, m)]
            if _category(scheme, prev) == CELL_CATEGORY and len(gap) >= 2 and gap[0] in ("and", "or") \
                    and gap[1] in ("their", "its") and all(g in _SOURCE_LINK for g in gap[2:]):
                m = _with_source(m, Parts(m.parts.vesicle, prev.key) if m.parts else None, scheme, tokens)
        if m.is_bare_vesicle:
            m = _foreign(tokens, items[k - 1] if k > 0 else None, m, scheme)
        out.append(m)
    return out


Rule = Callable[[list[Token], Mention, Mention, ConceptScheme], Mention | None]


def _merge_pairs(tokens: list[Token], items: list[Mention], scheme: ConceptScheme, rule: Rule) -> list[Mention]:
    out: list[Mention] = []
    k = 0
    while k < len(items):
        merged = None
        if k + 1 < len(items):
            merged = rule(tokens, items[k], items[k + 1], scheme)
        if merged is not None:
            out.append(merged)
            k += 2
        else:
            out.append(items[k])
            k += 1
    return out


def _modified_source(tokens: list[Token], a: Mention, b: Mention, scheme: ConceptScheme) -> Mention | None:
    if _category(scheme, a) != MODIFIER_CATEGORY or _category(scheme, b) != CELL_CATEGORY:
        return None
    if not _only(_gap(tokens, a, b), SPECIES):
        return None
    return Mention(a.first, b.last, _text(tokens, a.first, b.last), b.key, parts=Parts("", b.key, a.key))


def _source_vesicle(tokens: list[Token], a: Mention, b: Mention, scheme: ConceptScheme) -> Mention | None:
    gap = _gap(tokens, a, b)
    if len(gap) <= 6 and any(t.text in "()" for t in gap):
        inner = [t for t in gap if t.text not in "()-"]
        if len(inner) <= 2 or gap[0].text == ")":
            gap = [t for t in gap if t.text not in "()-" and t.lower in _SOURCE_LINK]  # "MSC (MSC)-conditioned"
    if not _only(gap, _SOURCE_LINK) or len(gap) > 1 or b.parts is None or b.minted is not None:
        return None
    if _category(scheme, a) == MODIFIER_CATEGORY and b.parts.source is None and not gap:
        return replace(b, first=a.first, text=_text(tokens, a.first, b.last),
                       parts=Parts(b.parts.vesicle, None, a.key))  # "hypoxic exosomes": resolved later
    if _category(scheme, a) == CELL_CATEGORY and b.parts.source is None:
        modifier = a.parts.modifier if a.parts else None
        return _with_source(b, Parts(b.parts.vesicle, a.key, modifier), scheme, tokens, first=a.first)
    if _category(scheme, a) == MODIFIER_CATEGORY and b.parts.source is not None and not gap:
        return _with_source(b, Parts(b.parts.vesicle, b.parts.source, a.key), scheme, tokens, first=a.first)
    return None


def _vesicle_from_source(tokens: list[Token], a: Mention, b: Mention, scheme: ConceptScheme) -> Mention | None:
    if not a.is_bare_vesicle or a.parts is None or _category(scheme, b) != CELL_CATEGORY:
        return None
    gap = [t.lower for t in _gap(tokens, a, b)]
    if gap and gap[0] in _CARGO_LINK:  # "exosomes containing miR-x derived from MSCs"
        rest = next((j for j, g in enumerate(gap) if g in _SOURCE_LINK or g in ("from", "by")), None)
        if rest is None or rest > 6:
            return None
        gap = gap[rest:]
    while gap and gap[-1] in SPECIES | {"the", "a"}:
        gap.pop()
    if not gap or gap[-1] not in ("from", "by", "of") or not all(g in _SOURCE_LINK for g in gap[:-1]):
        return None
    if gap[-1] == "of" and len(gap) > 1:
        return None
    modifier = b.parts.modifier if b.parts else None
    merged = _with_source(a, Parts(a.parts.vesicle, b.key, modifier), scheme, tokens)
    return replace(merged, last=b.last, text=_text(tokens, a.first, b.last))


def _cargo_then_source(tokens: list[Token], items: list[Mention], scheme: ConceptScheme) -> list[Mention]:
    """``exosomes containing miR-x derived from MSCs``: the vesicle takes the source across its cargo."""
    out = list(items)
    for k, m in enumerate(items):
        if not m.is_bare_vesicle or m.parts is None or m.last >= len(tokens) or tokens[m.last].lower not in _CARGO_LINK:
            continue
        for later in items[k + 1:k + 4]:
            if _category(scheme, later) != CELL_CATEGORY or later.first - m.last > 9:
                continue
            gap = [t.lower for t in tokens[later.first - 3:later.first]]
            if gap and gap[-1] in ("from", "by") and any(g in _SOURCE_LINK for g in gap):
                modifier = later.parts.modifier if later.parts else None
                out[k] = _with_source(m, Parts(m.parts.vesicle, later.key, modifier), scheme, tokens)
            break
    return out


def _with_source(m: Mention, parts: Parts | None, scheme: ConceptScheme, tokens: list[Token],
                 first: int | None = None) -> Mention:
    if parts is None:
        return m
    start = m.first if first is None else first
    text = _text(tokens, start, m.last)
    key = scheme.composite(parts)
    if key is not None:
        return Mention(start, m.last, text, key, parts=parts)
    source_label = scheme.label(parts.source) if parts.source else ""
    label = f"{scheme.label(parts.vesicle)} from {source_label}"
    slug = f"{parts.source}-{parts.vesicle}"
    return Mention(start, m.last, text, minted=ConceptRef(slug, label, text, curated=False), parts=parts, foreign=True)


def _foreign(tokens: list[Token], prev: Mention | None, m: Mention, scheme: ConceptScheme) -> Mention:
    """A bare vesicle right after a tissue, fluid, disease or cell word belongs to that, not to the topic."""
    before = tokens[m.first - 1] if m.first > 0 else None
    if before is None or before.text in ",;:()":
        return m
    adjacent = prev is not None and (prev.last == m.first or (prev.last == m.first - 1
                                                               and before.lower in _SOURCE_LINK))
    if prev is not None and adjacent and _category(scheme, prev) in ("anatomical-entity", "disease", CELL_CATEGORY,
                                                                     "molecule"):
        words = _text(tokens, prev.first, m.last)
    elif before.lower in _FOREIGN_WORDS:
        words = _text(tokens, m.first - 1, m.last)
    else:
        return m
    label = " ".join(normal_form(w) if not is_acronym(w) else w for w in words.split())
    return replace(m, foreign=True, minted=ConceptRef(term_key(label), label, words, curated=False))


__all__ = ["Abbreviation", "Mention", "recognise", "span_text"]
