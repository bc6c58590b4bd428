"""Noun phrases in a relation's slots: their head concept, coordination, enumeration and modifiers.

A slot (the words after a relation cue, or before it) is split into conjuncts at top-level commas and
``and``/``or``; ``such as`` / ``including`` / ``e.g.`` enumerate the members of the phrase before them,
which they replace when that phrase is only a class word (``many diseases, including MI and stroke``).
In each conjunct, determiners, quantifiers and evaluative adjectives are dropped, comparatives (``more``,
``lower``) are kept aside as a degree, a leading ``no``/``without``/``lack of`` negates the item, and
transparent nouns are seen through (``the levels of IL-6`` is IL-6, ``risk of tumour formation`` is tumour
formation). The head is the concept whose mention ends the phrase (``inflammation-induced preterm brain
injury`` is a brain injury); a phrase whose last word no concept covers becomes a minted term, but only
if it is a real noun phrase (:func:`mintable`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from exokg.claims.lexicon import (
    ADVERB_TAIL,
    AGENT_NOUNS,
    COMPARATOR_STARTS,
    DEGREE_LEVEL,
    DEGREE_WORDS,
    DOWN_WORDS,
    ENUMERATORS,
    FINITE,
    GENERIC,
    GREEK,
    LOSS_OF_FUNCTION,
    NEGATORS,
    POSTFIX_TRANSPARENT,
    QUANTIFIERS,
    REFINERS,
    RELATIONAL,
    STOP,
    SUBJECT_POSTFIX,
    SUBJECT_TRANSPARENT,
    TRANSPARENT,
    UMBRELLA,
    UP_WORDS,
    VERB_LIKE,
)
from exokg.claims.recognise import Mention, span_text
from exokg.claims.tokens import Token, is_acronym, normal_form, term_key, word_set
from exokg.model import ConceptRef


@dataclass
class Item:
    """One phrase of a slot: its head (a concept mention, or a minted term), and what modifies it."""

    first: int
    last: int
    mention: Mention | None = None
    minted: ConceptRef | None = None
    negated: bool = False
    degree: str | None = None  # the comparative or degree word as written ("lower", "more", "poor")
    degree_at: int | None = None  # its token index
    direction: str | None = None  # "up" / "down" from a comparative
    complement: list[Item] = field(default_factory=list)  # "therapy of X", "mediators of X"
    of_mention: Mention | None = None  # "therapeutic effects of MSCs": the MSCs
    comparator: Mention | None = None
    comparator_words: str = ""
    umbrella: bool = False
    head_word: str = ""
    enumerated: bool = False  # listed after "such as" / "including"


@dataclass
class Slot:
    """The tokens of a sentence with what is already known about them."""

    tokens: list[Token]
    mentions: list[Mention]
    hidden: set[int]
    category: Callable[[str], str] = lambda key: ""
    top: frozenset[str] = frozenset()
    by_token: dict[int, Mention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.mentions:
            for i in range(m.first, m.last):
                self.by_token[i] = m


def _starts_with(words: list[str], at: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    word = words[at] if at < len(words) else None  # most words start no phrase: one comparison each says so
    for phrase in phrases:
        if phrase[0] == word and tuple(words[at:at + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def items(slot: Slot, first: int, last: int, *, subject: bool = False) -> list[Item]:
    """The phrases of ``tokens[first:last]``, coordination and enumeration resolved."""
    idx = [i for i in range(first, last) if i not in slot.hidden]
    words = [slot.tokens[i].lower for i in idx]
    conjuncts: list[tuple[list[int], bool, bool]] = []  # (token indices, enumerated, refinement)
    current: list[int] = []
    enumerated = refine = False
    k = 0
    while k < len(idx):
        i, word = idx[k], words[k]
        inside = i in slot.by_token and slot.by_token[i].first < i
        if inside:
            current.append(i)
            k += 1
            continue
        size = _starts_with(words, k, ENUMERATORS) if k > 0 and slot.tokens[i].joiner != "-" else 0
        if size:
            if current:
                conjuncts.append((current, enumerated, refine))
            current, enumerated, refine = [], True, False
            k += size
            continue
        size = _starts_with(words, k, REFINERS) if k > 0 and words[k - 1] == "," else 0
        if size:
            if current:
                conjuncts.append((current, enumerated, refine))
            current, refine = [], True
            k += size
            continue
        in_pp = any(slot.tokens[j].lower in STOP or slot.tokens[j].lower == "for" for j in current[1:])
        if word in (",", ";") or (word in ("and", "or", "nor", "&") and not in_pp) \
                or (word == "as" and words[k + 1:k + 3] == ["well", "as"]):
            if current:
                conjuncts.append((current, enumerated, refine))
                current, refine = [], False
            k += 3 if word == "as" else 1
            if word == ";":
                break
            nxt = words[k] if k < len(words) else ""
            if (nxt.endswith("ing") and idx[k] not in slot.by_token and nxt != "including") \
                    or nxt in ("which", "who", "whereas", "while", "but", "thereby", "thus", "suggesting"):
                break
            continue
        if word in ("but", "whereas", "while", ".", "!", "?", ":") or (word in FINITE and k > 0):
            break  # a finite verb ends the noun phrase: "their effects remains unclear"
        participle = word.endswith("ed") and i + 1 < len(slot.tokens) \
            and slot.tokens[i + 1].lower in ("by", "to", "in", "with")
        if not current and k > 0 and (word in STOP or word in VERB_LIKE or participle):
            break  # a coordinated verb phrase ("... and may offer a therapy"), not another object
        current.append(i)
        k += 1
    if current:
        conjuncts.append((current, enumerated, refine))
    out: list[Item] = []
    owner: Item | None = None  # "therapy of many diseases, including A, B": A and B replace "many diseases"
    for tokens_of, is_member, is_refinement in _distribute(slot, conjuncts):
        item = phrase(slot, tokens_of, subject=subject)
        if item is None:
            continue
        item.enumerated = is_member
        if is_refinement and out:
            out[-1] = item
            continue
        if not is_member:
            owner = None
        elif owner is None and out and not out[-1].enumerated and out[-1].complement \
                and out[-1].complement[-1].umbrella:
            owner = out[-1]
            owner.complement.pop()
        if owner is not None:
            owner.complement.append(item)
            continue
        if is_member and out and out[-1].umbrella and not out[-1].enumerated:
            out.pop()
        out.append(item)
    return out


def _distribute(slot: Slot, conjuncts: list[tuple[list[int], bool, bool]]) -> list[tuple[list[int], bool, bool]]:
    """``nerve and urethral function`` -> nerve function, urethral function (a single-word conjunct shares the head)."""
    if len(conjuncts) < 2:
        return conjuncts
    last_tokens = conjuncts[-1][0]
    cut = next((n for n, j in enumerate(last_tokens) if n > 0 and slot.tokens[j].lower in STOP | {"of"}),
               len(last_tokens))
    last_tokens = last_tokens[:cut]
    if len(last_tokens) < 2:
        return conjuncts
    head = last_tokens[-1]
    out = []
    for tokens_of, member, refine in conjuncts[:-1]:
        single = len(tokens_of) == 1 and slot.tokens[tokens_of[0]].is_word and not member
        mention = slot.by_token.get(tokens_of[0]) if single else None
        standalone = mention is not None and mention.key is not None \
            and slot.category(mention.key) != "anatomical-entity"
        if single and not standalone and slot.tokens[head].lower in _SHARED_HEADS:
            out.append(([tokens_of[0], head], member, refine))
        else:
            out.append((tokens_of, member, refine))
    out.append(conjuncts[-1])
    return out


_SHARED_HEADS = word_set("""
    disease diseases injury injuries disorder disorders function functions dysfunction fibrosis failure damage
    regeneration repair cell cells tissue tissues cancer cancers inflammation ischemia ischaemia defect defects
""")


def phrase(slot: Slot, idx: list[int], *, subject: bool = False) -> Item | None:
    """One conjunct: its head concept (or minted term) and modifiers."""
    tokens = slot.tokens
    idx = [i for i in idx if tokens[i].text not in "()[]\"'\u201c\u201d"]
    item = Item(idx[0] if idx else 0, idx[-1] + 1 if idx else 0)
    pos = 0
    # leading negation, quantifiers, comparatives
    while pos < len(idx):
        word = tokens[idx[pos]].lower
        if idx[pos] in slot.by_token and slot.by_token[idx[pos]].first == idx[pos]:
            break
        if word in NEGATORS:
            item.negated = True
        elif word in UP_WORDS or word in DOWN_WORDS:
            item.degree, item.direction = tokens[idx[pos]].text, "up" if word in UP_WORDS else "down"
            item.degree_at = idx[pos]
        elif word in DEGREE_WORDS and pos + 1 < len(idx) and idx[pos + 1] in slot.by_token:
            item.degree, item.degree_at = tokens[idx[pos]].text, idx[pos]
        elif word in ("of", "from", "in", "for", "to") and item.negated:
            pass  # "lack of", "free from", "absence of"
        elif not (word in QUANTIFIERS or (word.endswith("ly") and len(word) > 4)):
            break
        pos += 1
    idx = idx[pos:]
    if not idx:
        return None
    # a comparator ends the phrase: "lower immunogenicity than MSCs"
    words = [tokens[i].lower for i in idx]
    for k in range(1, len(idx)):
        if idx[k] in slot.by_token:
            continue
        size = _starts_with(words, k, COMPARATOR_STARTS)
        if size:
            item.comparator, item.comparator_words = _first_mention(slot, idx[k + size:]), \
                span_text(tokens, idx[k + size], idx[-1] + 1) if k + size < len(idx) else ""
            idx, words = idx[:k], words[:k]
            break
    # stop at the first preposition that starts a modifier phrase ("injury in mice"), keep "of" complements
    cut = len(idx)
    for k in range(1, len(idx)):
        i = idx[k]
        if i in slot.by_token and slot.by_token[i].first < i:
            continue
        if words[k] in STOP and not (words[k] == "with" and subject and words[k - 1] in SUBJECT_TRANSPARENT):
            cut = k
            break
        if words[k].endswith("ing") and i not in slot.by_token and k > 0 and words[k - 1] not in ("of",):
            cut = k
            break
        if words[k].endswith("ed") and i not in slot.by_token and k + 1 < len(words) \
                and words[k + 1] in ("by", "from", "with", "in", "at", "on", "via", "through", "to", "for"):
            cut = k
            break
    idx, words = idx[:cut], words[:cut]
    while len(idx) > 1 and (words[-1] in ADVERB_TAIL or (words[-1].endswith("ly") and idx[-1] not in slot.by_token)):
        idx, words = idx[:-1], words[:-1]
    # "X of Y": X transparent -> Y; X relational and empty -> Y; "mediators of Y"; "therapy of/for Y"
    split = next((k for k in range(1, len(idx)) if words[k] in ("of", "for", "with", "to") and
                  not (idx[k] in slot.by_token and slot.by_token[idx[k]].first < idx[k])), None)
    head_idx, rest = (idx[:split], idx[split + 1:]) if split is not None else (idx, [])
    head_words = [tokens[i].lower for i in head_idx if tokens[i].lower not in QUANTIFIERS]
    head_mention = slot.by_token.get(head_idx[-1]) if head_idx else None
    if head_mention is not None and head_mention.last - 1 != head_idx[-1]:
        head_mention = None
    postfix = POSTFIX_TRANSPARENT | (SUBJECT_POSTFIX if subject else frozenset())
    if (head_mention is None or (head_mention.first == head_idx[-1] and subject)) and len(head_idx) > 1 \
            and tokens[head_idx[-1]].lower in postfix:
        before = slot.by_token.get(head_idx[-2])  # "IL-6 levels", "TGF-\u03b21 expression"
        if before is not None and before.last - 1 == head_idx[-2] and not before.pronoun:
            head_mention = before
    joined = " ".join(head_words)
    see_through = head_mention is None or (head_mention.key in slot.top and subject)  # "Treatment with MSC-EVs"
    if rest and split is not None and words[split] in ("of", "with", "to") and see_through and head_words \
            and ((head_words[-1] in TRANSPARENT and (subject or head_words[-1] not in SUBJECT_TRANSPARENT))
                 or (head_words[-1] in RELATIONAL and _first_mention(slot, rest) is not None)
                 or joined in ("one", "some", "many", "most")):
        inner = phrase(slot, rest, subject=subject)
        if inner is not None:
            inner.negated = inner.negated or item.negated
            if inner.degree is None:
                inner.degree, inner.degree_at = item.degree, item.degree_at
            inner.direction = inner.direction or item.direction
            inner.comparator = inner.comparator or item.comparator
            inner.comparator_words = inner.comparator_words or item.comparator_words
            return inner
    if rest and split is not None:
        complement = items(slot, rest[0], rest[-1] + 1, subject=subject)
        item.complement = complement
        item.of_mention = _first_mention(slot, rest) if words[split] == "of" else None
    item.first, item.last = (head_idx[0], head_idx[-1] + 1) if head_idx else (item.first, item.last)
    item.head_word = tokens[head_idx[-1]].lower if head_idx else ""
    item.umbrella = item.head_word in UMBRELLA and (head_mention is None or head_mention.key in slot.top)
    if subject and head_words and head_words[-1] in LOSS_OF_FUNCTION:
        return None  # "knockdown of miR-125b reduced X" says nothing about what miR-125b itself does
    if head_mention is not None:
        item.mention = head_mention
        if head_mention.negated:
            item.negated = True
        return item
    if item.head_word in AGENT_NOUNS or item.umbrella:
        item.minted = mint(tokens, head_idx)
        return item
    if subject:
        return item if item.complement else None
    with_of = split is not None and words[split] == "of" and _first_mention(slot, rest) is None and len(rest) <= 3
    minted = mint(tokens, [*head_idx, idx[split], *rest] if with_of and split is not None else head_idx)
    if minted is None:
        return None
    item.minted = minted
    return item


def _first_mention(slot: Slot, idx: list[int]) -> Mention | None:
    for i in idx:
        if i in slot.by_token and not slot.by_token[i].pronoun:
            return slot.by_token[i]
    return None


_NOT_IN_TERMS = word_set("we they it this these which that there here")


def mint(tokens: list[Token], idx: list[int]) -> ConceptRef | None:
    """A term for a noun phrase the scheme lacks, or ``None`` if the words are not a real noun phrase."""
    kept = [i for i in idx if tokens[i].lower not in QUANTIFIERS]
    if not mintable([tokens[i] for i in kept]):
        return None
    contiguous = kept == list(range(kept[0], kept[-1] + 1))
    text = span_text(tokens, kept[0], kept[-1] + 1) if contiguous else " ".join(tokens[i].text for i in kept)
    words = [t if is_acronym(t) else t.lower() for t in re.split(r"\s+", text)]
    label = " ".join(words)
    folded = "".join(GREEK.get(ch, ch) for ch in label)
    key = term_key(" ".join(normal_form(t) for t in re.split(r"[\s/-]+", folded)))
    return ConceptRef(key=key, label=label, text=text, curated=False) if key else None


def graded(obj: ConceptRef, degree: str, text: str) -> ConceptRef:
    """``low immunogenicity``: a property with a degree word (``lower``, ``minimal``, ``high``) is a term of its own,
    narrower than the property, so ``high`` and ``low immunogenicity`` are different claims; ``text`` is the words
    as written. A word of no known level leaves the property as it is."""
    level = DEGREE_LEVEL.get(degree.lower())
    if level is None:
        return obj
    label = f"{level} {obj.label}"
    return ConceptRef(term_key(label), label, text, curated=False, broader=obj.key)


def mintable(words: list[Token]) -> bool:
    """A real noun phrase: 1-6 words with letters, no pronoun, no finite verb, no verb form at its head, not a bare
    generic noun."""
    if not words or len(words) > 6 or not all(t.is_word for t in words):
        return False
    lowered = [t.lower for t in words]
    if lowered[0].isdigit() or (lowered[-1] in GENERIC and len(words) == 1) or lowered[-1] in QUANTIFIERS:
        return False
    if any(w in _NOT_IN_TERMS or w in FINITE for w in lowered):
        return False
    if lowered[-1].endswith(("ly",)) or lowered[-1] in STOP or lowered[-1] in ("of", "and", "or", "the", "a"):
        return False
    return any(sum(ch.isalpha() for ch in w) >= 3 for w in lowered)
