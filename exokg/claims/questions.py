"""Open questions and stated ignorance: the words of a sentence that ask rather than claim.

A sentence that asks (it has a question mark) states nothing. Elsewhere two kinds of cue open a region
whose relation cues make no claim:

- an *asking* cue, ``whether`` or ``if``/``how`` after a word of ignorance or inquiry (``it is unclear if``,
  ``we examined how``): the clause it introduces is the question, up to the end of the sentence;
- an *ignorance* predicate (``remains unclear``, ``is unknown``, ``remains to be determined``, ``is poorly
  understood``, ``has not been elucidated``, ``little is known``): its own clause, from the last clause
  boundary before it (a comma, ``;``, ``and``, ``but``, ``although`` ...), is what is not known, and so is
  what follows it.

A region ends early where the sentence turns back to findings: at ``;``, at ``found that`` / ``showed that``
and the like, or at a contrast (``, but``, ``, whereas``). ``whether or not`` is no question.
"""

from __future__ import annotations

import re

from exokg.claims.tokens import CueText, word_set


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])")


_UNKNOWN = (r"unclear|unknown|uncertain|elusive|obscure|unexplored|unresolved|undetermined|undefined|"
            r"controversial|debated|an open question|a matter of debate|"
            r"not (?:yet )?(?:clear|known|understood|established|determined|elucidated)|"
            r"to be (?:determined|elucidated|established|clarified|explored|investigated|defined|identified|"
            r"understood|addressed|answered|tested|confirmed|seen|resolved)|"
            r"(?:poorly|incompletely|little|not (?:fully|well|completely|entirely)) (?:understood|characteri[sz]ed|"
            r"defined|known|studied|explored|elucidated)")
_QUALIFIERS = r"(?:still |yet |largely |currently |presently |also |entirely |completely |so far |to date |mostly )*"
IGNORANCE = _cues(
    rf"(?:remains?|remained|is|are|was|were|be|been|being|stays?|appears?|seems?) {_QUALIFIERS}(?:{_UNKNOWN})",
    r"(?:little|less|not much|nothing|much less) (?:is|was) (?:\w+ )?known",
    r"(?:has|have|had) (?:not|never|yet to) (?:yet )?(?:been |be )?(?:\w+ly )?(?:elucidated|clarified|determined|"
    r"established|explored|investigated|examined|addressed|studied|characteri[sz]ed|defined|tested)",
)
ASKING = _cues(
    r"whether",
    r"(?:unclear|unknown|uncertain|not known|not clear|question|ask|asked|asks|investigate[sd]?|examine[sd]?|"
    r"explore[sd]?|test(?:ed|s)?|determine[sd]?|assess(?:ed|es)?|evaluate[sd]?|address(?:ed|es)?|stud(?:y|ied)|"
    r"clarify|clarified|elucidate[sd]?|understand) (?:if|how|why)",
)
_NOT_ASKING = _cues(r"whether or not")
RESUMING = _cues(r"(?:found|find|show|showed|shown|demonstrate|demonstrated|reveal|revealed|observed|confirmed|"
                 r"report|reported|conclude|concluded) that")
_BOUNDARIES = word_set("""
    , ; : and but whereas while although though however because since
""")
_CONTRASTS = word_set("but whereas while although though however")


def questioned_tokens(cue_text: CueText) -> set[int]:
    """Indices of the tokens that ask or state ignorance; relation cues among them make no claim."""
    tokens = cue_text.tokens
    n = len(tokens)
    if any(t.text == "?" for t in tokens):
        return set(range(n))
    lowered = [t.lower for t in tokens]
    resumes = [cue_text.span(m.start(), m.end()) for m in RESUMING.finditer(cue_text.text)]
    not_asking = {first for first, _, _ in cue_text.finditer(_NOT_ASKING)}

    def region_end(pos: int) -> int:
        for j in range(pos, n):
            if lowered[j] == ";" or any(first == j for first, _ in resumes):
                return j
            if lowered[j] in _CONTRASTS and j > 0 and lowered[j - 1] == ",":
                return j - 1
        return n

    found: set[int] = set()
    for first, last, _ in cue_text.finditer(ASKING):
        if first not in not_asking:
            found |= set(range(first, region_end(last)))
    for first, last, _ in cue_text.finditer(IGNORANCE):
        start = first
        while start > 0 and lowered[start - 1] not in _BOUNDARIES:
            start -= 1
        found |= set(range(start, region_end(last)))
    return found


__all__ = ["ASKING", "IGNORANCE", "questioned_tokens"]
