"""Hedges, negation and meta-discourse, in the spirit of NegEx/ConText: cue lists with a scope.

Hedge levels, from firm to tentative (``HEDGE_LEVELS``): ``asserted`` (no cue), ``probable`` (``suggest``,
``likely``, ``appears to``, ``is thought to``, ``have been reported to``), ``possible`` (``may``, ``might``,
``could``, ``potentially``, ``have shown promise``, ``hold great potential``, ``promising``) and
``hypothesised`` (``we propose``, ``we hypothesise``, ``has led to the proposal that``). A cue hedges the
claims whose relation words come after it in the same clause; when several apply, the most tentative
wins. ``can`` is ability, not a hedge. A hypothesis the authors open with ``we propose`` and later refer
back to (``this hypothesis``) hedges every sentence in between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exokg.claims.tokens import CueText, Token
from exokg.model import HEDGE_LEVELS


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])")


_BE = r"(?:is|are|was|were|be|been|being)"
_ADV = r"(?:\w+ly |also |now |still |further |here |generally |widely |increasingly )*"

# (level, verbal, pattern): a verbal cue ("hold great potential") can carry the relation that follows it
# ("... for the treatment of", "... in treating").
HEDGES: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    ("hypothesised", False, _cues(
        r"we (?:here )?(?:propose|proposed|hypothesi[sz]e|hypothesi[sz]ed|postulate|postulated|speculate|"
        r"speculated|theori[sz]e)",
        r"(?:led|leads|lead|leading) to the (?:proposal|hypothesis|notion|idea|suggestion|speculation)(?: that)?",
        rf"{_BE} {_ADV}(?:hypothesi[sz]ed|postulated|speculated|theori[sz]ed)",
        r"(?:it is|it was|it has been|it had been) (?:\w+ )?proposed",
        r"(?:our|this|the|a) (?:central |working )?hypothesis(?: that)?",
        r"hypothetical(?:ly)?", r"conceivabl[ey]", r"tempting to speculate")),
    ("possible", True, _cues(
        r"(?:show|shows|showed|shown|showing|hold|holds|held|holding|have|has|had|offer|offers|offered|"
        r"demonstrate|demonstrates|demonstrated|exhibit|exhibits|exhibited|bear|bears)"
        r" (?:\w+ ){0,2}(?:promise|potential)")),
    ("possible", False, _cues(
        r"may", r"might", r"could", r"possibl[ey]", r"potentially", r"perhaps", r"plausibl[ey]",
        r"promising", r"(?:therapeutic|clinical|translational|great|huge|considerable|enormous|tremendous|"
        r"significant|high) potential", r"a potential", r"(?:as|represent|represents) potential")),
    ("probable", False, _cues(
        r"suggest", r"suggests", r"suggested", r"suggesting", r"indicate", r"indicates", r"indicated",
        r"indicating", r"likely", r"unlikely", r"probabl[ey]", r"presumabl[ey]", r"putative(?:ly)?",
        r"(?:appear|appears|appeared|seem|seems|seemed) to",
        rf"{_BE} {_ADV}(?:thought|believed|considered|assumed|presumed|expected|proposed|suggested|supposed|"
        r"reported|known to be likely) to",
        r"(?:it is|it was) (?:\w+ )?(?:thought|believed|assumed|presumed|suggested) that",
        rf"(?:has|have|had) been {_ADV}(?:reported|suggested|proposed|implicated) (?:to|that)",
        r"reportedly", r"(?:support|supports|supported) the (?:notion|idea|view|hypothesis)")),
)
_LEVEL_RANK = {level: rank for rank, level in enumerate(HEDGE_LEVELS)}

NEGATIONS = _cues(
    r"not", r"never", r"no", r"neither", r"nor", r"without", r"cannot", r"can't", r"didn't", r"doesn't", r"don't",
    r"isn't", r"aren't", r"wasn't", r"weren't", r"lack", r"lacks", r"lacked", r"lacking", r"absence of",
    r"free of", r"free from", r"devoid of", r"fail to", r"fails to", r"failed to", r"unable to")
_PSEUDO_NEGATIONS = _cues(r"not only", r"whether or not", r"no doubt", r"not yet been", r"not been (?:fully )?\w+ed",
                          r"no longer", r"not necessarily")

_META_SUBJECT = (r"^(?:[\w ,'-]{0,40}, )?(?:(?:in |through )?(?:this|the present|the current|our) "
                 r"(?:\w+ )?(?:review|paper|article|study|chapter|work|minireview|mini-review|perspective|"
                 r"commentary|overview|manuscript)|here(?:in)?|we)")
_META_VERBS = (r"(?:review|reviews|reviewed|summari[sz]e[sd]?|discuss|discusses|discussed|highlight|highlights|"
               r"highlighted|describe[sd]?|introduce[sd]?|give|gives|provide|provides|outline[sd]?|present|presents|"
               r"focus|focuses|focused|examine[sd]?|explore[sd]?|evaluate[sd]?|investigate[sd]?|aim|aims|aimed|"
               r"illustrate[sd]?|address|addresses|addressed|consider|considers|overview|update|updates|"
               r"emphasi[sz]e[sd]?|analy[sz]e[sd]?|assess|assessed|sought|seek|propose to|compare[sd]?)")
_META = re.compile(_META_SUBJECT + r"\b.*?(?<![\w-])" + _META_VERBS + r"(?![\w-])")
_META_PASSIVE = _cues(rf"{_BE} {_ADV}(?:discussed|reviewed|summari[sz]ed|described|highlighted|outlined|presented|"
                      r"introduced|examined|explored|addressed|considered|overviewed|investigated|evaluated)")
_META_AIM = _cues(r"(?:aim|aims|objective|purpose|goal) of (?:this|the present|our|the current) (?:\w+ )?"
                  r"(?:study|review|work|paper)")
_RESULT_THAT = _cues(r"(?:found|find|show|showed|shown|demonstrate|demonstrated|reveal|revealed|observed|confirmed|"
                     r"report|reported|indicate|indicated|suggest|suggested|conclude|concluded) that")
HYPOTHESIS_OPENER = _cues(r"we (?:here )?(?:propose|hypothesi[sz]e|postulate)")
HYPOTHESIS_CLOSER = _cues(r"(?:this|our|the|that) (?:hypothesis|proposal|model|notion|concept|theory|view)")


@dataclass(frozen=True)
class HedgeCue:
    first: int  # token span
    last: int
    level: str
    text: str  # as written in the sentence
    verbal: bool = False


def written(tokens: list[Token], first: int, last: int, source: str, base: int) -> str:
    """The words of a token span as written (``source`` starts at field offset ``base``), whitespace collapsed."""
    return " ".join(source[tokens[first].start - base:tokens[last - 1].end - base].split())


def hedge_cues(cue_text: CueText, source: str, base: int, blocked: set[int]) -> list[HedgeCue]:
    """Hedge cues of a sentence; tokens in ``blocked`` (concept mentions) never count."""
    found: list[HedgeCue] = []
    taken: set[int] = set()
    for level, verbal, pattern in HEDGES:
        for first, last, _ in cue_text.finditer(pattern):
            span = set(range(first, last))
            if span & taken or span & blocked:
                continue
            taken |= span
            found.append(HedgeCue(first, last, level, written(cue_text.tokens, first, last, source, base), verbal))
    return sorted(found, key=lambda c: c.first)


def negation_cues(cue_text: CueText) -> list[tuple[int, int]]:
    pseudo: set[int] = set()
    for first, last, _ in cue_text.finditer(_PSEUDO_NEGATIONS):
        pseudo |= set(range(first, last))
    return [(first, last) for first, last, _ in cue_text.finditer(NEGATIONS) if first not in pseudo]


def meta_limit(cue_text: CueText) -> int | None:
    """For a sentence about the article itself (``This review summarizes ...``), the token from which claims
    may still be read (after ``we found that``), or ``len(tokens)`` to read none; ``None`` for other sentences."""
    text = cue_text.text
    meta = _META.match(text) or _META_PASSIVE.search(text) or _META_AIM.search(text)
    if not meta:
        return None
    after = [m for m in _RESULT_THAT.finditer(text) if m.start() >= meta.end()]
    if after:
        return cue_text.span(after[-1].start(), after[-1].end())[1]
    return len(cue_text.tokens)


def most_tentative(levels: list[str]) -> str:
    return max(levels, key=lambda level: _LEVEL_RANK[level], default="asserted")


def hypothesis_spans(texts: list[str]) -> dict[int, int]:
    """Sentences inside a hypothesis the authors opened and later named: ``{sentence index: opener index}``."""
    inside: dict[int, int] = {}
    for i, text in enumerate(texts):
        if not HYPOTHESIS_OPENER.search(text):
            continue
        for j in range(i + 1, len(texts)):
            if HYPOTHESIS_CLOSER.search(texts[j]):
                for k in range(i + 1, j):
                    inside.setdefault(k, i)
                break
    return inside
