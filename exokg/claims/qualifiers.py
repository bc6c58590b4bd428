"""Research-design qualifiers a sentence states, and comparators (``lower immunogenicity than MSCs``).

Design: ``in vitro``; ``in vivo``; ``animal model`` (in mice, in a rat model, in a lethal model of AKI);
``clinical study`` (clinical trial, patients, phase I/II, randomised). Only what the sentence itself says.
"""

from __future__ import annotations

import re

from exokg.claims.concepts import ConceptScheme, Parts
from exokg.claims.lexicon import PARENT_WORDS
from exokg.claims.phrases import Item

_ANIMALS = (r"rats?|mice|mouse|murine|rodents?|porcine|pigs?|swine|minipigs?|rabbits?|canine|dogs?|sheep|ovine|"
            r"primates?|monkeys?|macaques?|zebrafish|animals?|hamsters?|goats?|horses?|equine")
DESIGNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("in vitro", re.compile(r"(?<![\w-])in vitro(?![\w-])")),
    ("in vivo", re.compile(r"(?<![\w-])in vivo(?![\w-])")),
    ("animal model", re.compile(
        rf"(?<![\w-])(?:(?:in|of|using|with|from) (?:a |an |the )?(?:[\w-]+ ){{0,2}}(?:{_ANIMALS})(?![\w-])|"
        rf"(?:{_ANIMALS}|preclinical|experimental|animal) models?(?![\w-])|"
        r"(?:in|of|using) (?:a |an )?(?:[\w-]+ ){0,3}model(?:s)? of|"
        r"(?:in|using) (?:a |an )?(?:[\w-]+ ){1,4}model(?![\w-]))")),
    ("clinical study", re.compile(
        r"(?<![\w-])(?:clinical (?:trials?|stud(?:y|ies)|settings?)|patients?|phase (?:i|ii|iii|1|2|3)(?:/(?:ii|2))?|"
        r"randomi[sz]ed|placebo-controlled|first-in-human|in humans|healthy volunteers|case series|cohort)(?![\w-])")),
)


def designs(cue_text: str) -> list[str]:
    found = [name for name, pattern in DESIGNS if pattern.search(cue_text)]
    if "in vitro" in found and "animal model" in found and not re.search(_ANIMALS, cue_text):
        found.remove("animal model")  # "an in vitro model of ..." is no animal
    return found


def comparator(item: Item, subject_parts: Parts | None, scheme: ConceptScheme) -> str | None:
    """The scheme concept an item is compared with; "their parent cells" is the subject's cell source."""
    words = set(item.comparator_words.lower().split())
    if words & PARENT_WORDS and subject_parts is not None and subject_parts.source:
        return subject_parts.source
    mention = item.comparator
    if mention is not None and mention.key is not None and mention.key in scheme:
        return mention.key
    return None
