"""Relation cues: the verbs and verb phrases that say how a subject acts on an object.

Each rule names the relation it signals (from ``RELATIONS``), its *frame* — where the claim's subject and
object sit — and its *effect*, which lets the object's category refine the relation: a ``down`` or
``benefit`` verb on a disease treats it (``attenuate periodontitis``), on anything else it decreases or
increases it; an ``induce`` verb on a disease or an adverse property causes it.

Frames: ``active`` (subject before, object after), ``inverse`` (the words after are the claim's subject:
``is mediated by``, ``occurs through``, ``derives from``), ``exert`` (``exert their effects through Y``:
Y mediates the effects), ``protect`` (the object follows ``against``/``from``), ``possess`` (a property
or, after ``limitations``/``advantages``, the listed items), ``advantage`` (``advantages over X such as``),
``copula`` (``is a``: a class or a property), ``as`` (``serve as``, ``represent``: is_a), ``contained``
(``X is packaged into Y``, ``X is carried by Y``: Y contains X), ``locative`` (``X is enriched in Y``,
``X was detected in Y``: which side contains the other is read from the concepts' categories).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exokg.claims.tokens import CueText, Token, word_set

_IRREGULAR = {
    "lead": ("lead", "leads", "led", "leading"), "give": ("give", "gives", "gave", "giving", "given"),
    "show": ("show", "shows", "showed", "showing", "shown"), "hold": ("hold", "holds", "held", "holding"),
    "underlie": ("underlie", "underlies", "underlay", "underlying"),
    "bring": ("bring", "brings", "brought", "bringing"),
    "lower": ("lowers", "lowered", "lowering"), "limit": ("limits",), "treat": ("treat", "treats", "treating"),
    "derive": ("derive", "derives", "deriving"), "stem": ("stem", "stems", "stemmed", "stemming"),
    "occur": ("occur", "occurs", "occurred", "occurring"), "act": ("act", "acts", "acted", "acting"),
    "cause": ("cause", "causes", "caused", "causing"), "result": ("result", "results", "resulted", "resulting"),
    "control": ("control", "controls", "controlled", "controlling"), "have": ("have", "has", "had", "having"),
    "possess": ("possess", "possesses", "possessed", "possessing"), "be": ("is", "are", "was", "were", "be"),
    "upregulate": ("upregulate", "upregulates", "upregulated", "upregulating", "up-regulate", "up-regulates",
                   "up-regulated", "up-regulating"),
    "downregulate": ("downregulate", "downregulates", "downregulated", "downregulating", "down-regulate",
                     "down-regulates", "down-regulated", "down-regulating"),
}


def verb_forms(lemma: str) -> tuple[str, ...]:
    """``reduce`` -> reduce, reduces, reduced, reducing (regular English inflection, with exceptions)."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return lemma, lemma + "es", lemma + "ed", lemma + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    return lemma, lemma + "s", lemma + "ed", lemma + "ing"


def _v(*lemmas: str) -> str:
    forms = sorted({f for lemma in lemmas for f in verb_forms(lemma)}, key=len, reverse=True)
    return "(?P<v>" + "|".join(re.escape(f) for f in forms) + ")"


BE = r"(?:is|are|was|were|be|been|being)"
ADV = (r"(?:\w+ly |also |not |further |then |thus |therefore |partly |mainly |largely |primarily |still |now "
       r"|at least partly )*")
_ADJ = r"(?:[\w-]+ ){0,3}"
PASSIVE_PREFIX = rf"(?P<be>{BE}) {ADV}"

UP = ("increase", "enhance", "promote", "augment", "boost", "elevate", "upregulate", "stimulate", "activate",
      "accelerate", "facilitate", "potentiate", "amplify", "strengthen", "foster", "intensify", "expand")
BENEFIT = ("improve", "restore", "rescue", "preserve", "maintain", "heal")
DOWN = ("decrease", "reduce", "inhibit", "suppress", "diminish", "downregulate", "lower", "block", "abolish",
        "abrogate", "impair", "counteract", "antagonize", "antagonise", "repress", "lessen", "minimize", "minimise",
        "inactivate", "weaken", "hamper", "hinder", "curb")
CURE = ("attenuate", "alleviate", "ameliorate", "mitigate", "relieve", "reverse", "treat", "cure")
CAUSE = ("cause", "trigger", "provoke", "elicit")
INDUCE = ("induce", "aggravate", "exacerbate", "worsen")
MEDIATE = ("mediate", "regulate", "modulate", "orchestrate", "underlie", "control")
CONTAIN = ("contain", "carry", "harbor", "harbour", "encapsulate", "comprise")


@dataclass(frozen=True)
class Rule:
    relation: str
    frame: str
    effect: str
    pattern: re.Pattern[str]
    passive: bool = False  # the rule itself is a passive form: its object comes first


def _rule(relation: str, frame: str, effect: str, body: str, passive: bool = False) -> Rule:
    return Rule(relation, frame, effect, re.compile(r"(?<![\w-])" + body + r"(?![\w-])"), passive)


_OUTCOME_ADJ = {"up": "increased|enhanced|higher|greater|elevated|more|augmented|improved|better|upregulated",
                "down": "reduced|decreased|lower|less|fewer|attenuated|diminished|downregulated|suppressed|weaker"}

RULES: tuple[Rule, ...] = (
    # nominal and multiword frames first: they claim their words before single verbs do
    _rule("mediates", "active", "role", rf"{_v('play')} (?:a|an|the|some|important|key|critical|crucial|central|"
          rf"major|pivotal|vital|essential|significant|dual|fundamental|prominent|\w+ )*(?:roles?|part) "
          r"(?:in|by|through|via|for|during)"),
    _rule("mediates", "exert", "neutral", rf"{_v('exert')} (?:their|its|the|these|such)? ?{_ADJ}"
          rf"(?:effects?|functions?|actions?|benefits?|activity|activities) {ADV}(?:through|via|by|not)"),
    _rule("mediates", "inverse", "neutral", rf"{_v('occur', 'act', 'function', 'work', 'operate')} {ADV}"
          r"(?:through|via|by way of|by means of)"),
    _rule("mediates", "inverse", "neutral", rf"{_v('derive', 'stem')} {ADV}from"),
    _rule("mediates", "inverse", "neutral", rf"{_v('depend', 'rely')} {ADV}(?:on|upon)"),
    _rule("mediates", "inverse", "neutral", rf"{PASSIVE_PREFIX}(?P<v>mediated|achieved|driven|exerted|attributed|"
          rf"attributable|dependent|controlled|orchestrated|regulated|modulated) {ADV}(?:by|through|via|to|on|upon)",
          passive=True),
    _rule("mediates", "active", "role", rf"{PASSIVE_PREFIX}(?P<v>involved|implicated) {ADV}in"),
    _rule("mediates", "active", "role", rf"{_v('participate')} {ADV}in"),
    _rule("mediates", "active", "role", rf"{_v('contribute')} {ADV}to"),
    _rule("mediates", "active", "role", rf"{PASSIVE_PREFIX}(?P<v>responsible|essential|critical|crucial|required|"
          r"necessary|indispensable|important|key) (?:for|in|to)"),
    _rule("mediates", "active", "role", rf"{_v('account')} for"),
    _rule("treats", "active", "cure", rf"{PASSIVE_PREFIX}(?P<v>effective|efficacious|beneficial|useful|therapeutic) "
          r"(?:in|for|against|at)(?: (?:the )?(?:treatment|treating|therapy|management) (?:of|for))?"),
    _rule("treats", "active", "cure", rf"{PASSIVE_PREFIX}(?P<v>used) (?:to treat|for treating|for the treatment of|"
          r"in the treatment of|as a treatment for|as a therapy for)"),
    _rule("treats", "active", "cure", r"(?P<v>in|for) (?:the )?(?:treatment|therapy|management) (?:of|for)"),
    _rule("protects_against", "protect", "protect", rf"{_v('protect', 'shield', 'guard', 'safeguard')}"),
    _rule("protects_against", "active", "protect", _v("prevent")),
    _rule("protects_against", "active", "protect", rf"{_v('confer', 'provide', 'offer')} (?:\w+ )?protection "
          r"(?:against|from)"),
    _rule("protects_against", "active", "protect", rf"{PASSIVE_PREFIX}(?P<v>protective) (?:against|in|for)"),
    _rule("causes", "active", "cause", rf"{_v('lead', 'give')} {ADV}(?:to|rise to)"),
    _rule("causes", "active", "cause", rf"{_v('result')} {ADV}in"),
    _rule("causes", "active", "cause", rf"{_v('bring')} about"),
    # containment: "Y is loaded with X", "Y is rich in X" (Y contains X); "X is packaged into Y", "X is carried by
    # Y" (Y contains X); "X is enriched in / found in Y": the categories decide which side holds the other
    _rule("contains", "active", "neutral", rf"{PASSIVE_PREFIX}(?:(?P<v>enriched|loaded|packed|laden|endowed|"
          r"equipped) with|(?P<w>rich) (?:in|with))"),
    _rule("contains", "contained", "neutral", rf"{PASSIVE_PREFIX}(?P<v>packaged|packed|loaded|encapsulated|sorted|"
          rf"incorporated|enclosed|carried|transported|shuttled|conveyed|contained|harbou?red) {ADV}"
          r"(?:into|in|within|inside|by)", passive=True),
    _rule("contains", "locative", "neutral", rf"{PASSIVE_PREFIX}(?P<v>enriched|abundant|present|found|detected|"
          rf"identified|expressed|concentrated|accumulated|localized|localised) {ADV}(?:in|within|inside)"),
    _rule("has_property", "advantage", "neutral",
          r"(?P<v>advantages?|benefits?|superiority) (?:over|compared (?:with|to))"),
    _rule("decreases", "active", "down", rf"{_v('show', 'exhibit', 'display', 'demonstrate', 'have')} {ADV}"
          rf"(?:{_OUTCOME_ADJ['down']})"),
    _rule("increases", "active", "up", rf"{_v('show', 'exhibit', 'display', 'demonstrate', 'have')} {ADV}"
          rf"(?:{_OUTCOME_ADJ['up']})"),
    _rule("has_property", "possess", "lack", rf"{_v('lack')}|{PASSIVE_PREFIX}(?P<w>free of|free from|devoid of)"),
    _rule("has_property", "possess", "neutral", rf"{_v('have', 'possess', 'exhibit', 'display', 'show')}"),
    _rule("is_a", "as", "neutral", rf"{_v('serve', 'act', 'function', 'emerge', 'behave')} {ADV}as"),
    _rule("is_a", "as", "neutral", rf"{PASSIVE_PREFIX}(?P<v>considered|regarded|recognized|recognised|defined|"
          rf"classified|known|viewed|seen|identified) {ADV}as"),
    _rule("is_a", "as", "neutral", rf"{_v('represent', 'constitute')}"),
    # single verbs
    _rule("increases", "active", "up", _v(*UP)),
    _rule("increases", "active", "benefit", _v(*BENEFIT)),
    _rule("decreases", "active", "down", _v(*DOWN)),
    _rule("decreases", "active", "cure", _v(*CURE)),
    _rule("causes", "active", "cause", _v(*CAUSE)),
    _rule("increases", "active", "induce", _v(*INDUCE)),
    _rule("mediates", "active", "neutral", _v(*MEDIATE)),
    _rule("contains", "active", "neutral", _v(*CONTAIN)),
    _rule("is_a", "copula", "neutral", rf"(?P<v>{BE})"),
)

DETERMINERS = word_set("""
    a an the this these that those their its our his her your some any each every no such several many various
    numerous multiple
""")
PREPOSITIONS = word_set("""
    of in on at for with by from to into through via over under between among after before during within without
    against toward towards upon
""")
_SHOWING = word_set("""
    show shows showed shown showing exhibit exhibits exhibited display displays displayed demonstrate
    demonstrates demonstrated reveal revealed revealing had
""")
NOUN_READING = {"increase": ("in", "of"), "increases": ("in", "of"), "decrease": ("in", "of"),
                "decreases": ("in", "of"), "cause": ("of",), "causes": ("of",), "result": ("of",),
                "results": ("of",), "control": ("of", "group", "groups", "cells", "mice", "rats"),
                "controls": (), "function": ("of",), "functions": ("of",), "act": ("of",), "display": ("of",),
                "show": (), "lack": ("of",), "cure": ("for",), "lead": (), "limit": ("of",),
                "limits": ("of",), "block": ("of",), "trigger": ("of", "for")}
ADVERBS = word_set("""
    well now also further significantly markedly dramatically remarkably effectively substantially greatly
    strongly partly partially largely mainly primarily directly indirectly not then thus therefore thereby still
    indeed both either clearly notably even additionally ultimately efficiently potently robustly considerably
""")
SKIPPABLE = word_set("""
    also further significantly markedly dramatically remarkably effectively substantially greatly strongly
    partly partially largely mainly primarily directly indirectly not only then thus therefore thereby still
    indeed both either to help helps helped can could may might would should will do does did be been being is
    are was were has have had clearly notably even consequently subsequently simultaneously additionally
    ultimately efficiently potently robustly considerably
""")


_PREDICATIVE = word_set("""
    enriched laden endowed equipped loaded packed rich abundant involved implicated responsible essential critical
    crucial required necessary indispensable important key effective efficacious beneficial useful therapeutic used
    protective free devoid considered regarded recognized recognised defined classified known viewed seen identified
""")
_PASSIVE_INVERTS = frozenset({"increases", "decreases", "causes"})
_PARTICIPLES = word_set("""
    shown known given seen taken done made found thought held led brought grown drawn written proven shed set
    put
""")


@dataclass(frozen=True)
class RelationCue:
    first: int
    last: int
    relation: str
    frame: str
    effect: str
    form: str  # "finite", "gerund", "passive" or "nominal"
    verb: int  # token index of the verb


def _previous_word(tokens: list[Token], i: int) -> int | None:
    j = i - 1
    while j >= 0 and (tokens[j].lower in ADVERBS or tokens[j].lower.endswith("ly")) and tokens[j].is_word:
        j -= 1
    return j if j >= 0 else None


def _form(tokens: list[Token], rule: Rule, verb: int, finite_before: bool) -> str | None:
    """How the verb is used here: finite, gerund, passive, nominal; ``None`` if it is no verb here."""
    token = tokens[verb]
    word = token.lower
    if token.joiner == "-" or (verb + 1 < len(tokens) and tokens[verb + 1].joiner == "-" and rule.frame != "advantage"):
        return None  # "MSC-derived", "inflammation-induced": part of a name, not a predicate
    if rule.relation == "treats" and word in ("in", "for"):
        return "nominal"
    if rule.frame == "advantage":
        return "nominal"
    prev_i = _previous_word(tokens, verb)
    prev = tokens[prev_i].lower if prev_i is not None else ""
    nxt = tokens[verb + 1].lower if verb + 1 < len(tokens) else ""
    if rule.passive or rule.frame == "locative" or word in _PREDICATIVE:
        return "passive"
    if word.endswith("ing"):
        return "gerund"
    if nxt in NOUN_READING.get(word, ()) or prev in DETERMINERS or prev in ("significant", "marked", "dramatic"):
        return None
    if rule.frame == "possess" and (nxt == "been" or nxt.endswith(("ed", "en")) or nxt in _PARTICIPLES):
        return None  # an auxiliary: "has been shown", "have reported"
    if rule.frame == "copula":
        after = verb + 1
        while after < len(tokens) and (tokens[after].lower in ADVERBS or tokens[after].lower.endswith("ly")):
            after += 1
        following = tokens[after].lower if after < len(tokens) else ""
        beyond = tokens[after + 1].lower if after + 1 < len(tokens) else ""
        participle = following.endswith(("ed", "en")) or following in _PARTICIPLES
        if not following or (participle and (beyond in PREPOSITIONS or beyond in ("to", "that", "as", ",", ".", "and",
                                                                               "or", ";", ""))) \
                or following in ("to", "that", "able", "unable", "there", "been", "being"):
            return None
        return "finite"
    if word.endswith("ed") or word in ("led", "shown", "given", "held", "brought", "underlay"):
        if prev in ("is", "are", "was", "were", "be", "been", "being"):
            return "passive" if nxt == "by" else None
        if prev in ("has", "have", "had"):
            return "finite"
        if prev in PREPOSITIONS or prev in _SHOWING or prev in DETERMINERS:
            return None
        if prev in ("and", "or") and not finite_before and nxt not in ("the", "a", "an", "their", "its", "these",
                                                                       "both", "this"):
            return None
        if nxt in ("by", "with", "from") and rule.frame not in ("inverse",) and prev not in ("and", "or", ","):
            return None  # "factors secreted by MSCs", "cells treated with" : a reduced relative clause
        return "finite"
    if prev in PREPOSITIONS and prev != "to":
        return None
    return "finite"


def relation_cues(cue_text: CueText, blocked: set[int], names: set[int] | None = None) -> list[RelationCue]:
    """Every relation cue of a sentence, left to right. Tokens in ``blocked`` (hedge cues) are never part of a
    cue; tokens in ``names`` (concept mentions) may sit inside a cue phrase but are never its verb."""
    tokens = cue_text.tokens
    taken: set[int] = set(blocked)
    names = names or set()
    candidates: list[tuple[int, int, int, Rule]] = []
    for rule in RULES:
        for first, last, match in cue_text.finditer(rule.pattern):
            group = "v" if match.group("v") is not None else "w"
            verb_first, _ = cue_text.span(match.start(group), match.end(group))
            span = set(range(first, last))
            if span & taken or verb_first in names or (rule.frame != "exert" and (span - {verb_first}) & names
                                                       and rule.relation != "treats"):
                continue
            if _form(tokens, rule, verb_first, True) is None:
                continue
            taken |= span
            candidates.append((first, last, verb_first, rule))
    found: list[RelationCue] = []
    for first, last, verb_first, rule in sorted(candidates, key=lambda c: c[0]):
        finite_before = any(c.form in ("finite", "passive") and c.last <= first for c in found)
        form = _form(tokens, rule, verb_first, finite_before)
        if form is None:
            continue
        frame = rule.frame
        if form == "passive" and frame == "active" and not rule.passive and rule.relation in _PASSIVE_INVERTS:
            frame = "inverse"  # "IL-6 was reduced by MSC-EVs": the agent follows
        found.append(RelationCue(first, last, rule.relation, frame, rule.effect, form, verb_first))
    return found
