"""Score the extractor against gold annotations (one JSON file per page, as in ``tests/data/gold/``).

A predicted claim matches a gold claim when it comes from the same sentence (the evidence, whitespace
collapsed), its relation equals the gold relation or one of ``accept_relations`` after grouping
(``enhances``/``promotes`` -> ``increases``, ``inhibits`` -> ``decreases``, ``treats/ameliorates`` ->
``treats``, ``lacks_property`` -> ``has_property`` negated, ``is_safer_than`` -> ``has_property`` with a
``comparator`` qualifier naming the gold object), and its subject and object name the same things.

Naming the same thing: the gold wording is run through the same concept recogniser; its *head* concepts
are the last concept of each noun phrase before a comparison or context phrase (``than``, ``vs``, ``on``,
``in``, ``after`` ...), looking into an ``of`` complement only when the phrase before it names no concept
(``risk of tumour formation``). A curated prediction matches a head concept it equals, or a vesicle head
it is narrower than (the gold's bare ``exosomes`` in an MSC-exosome article is the extractor's resolved
``msc-exosome``). A minted term, or any prediction when the wording names no concept, matches by word
overlap: at least half of its content words (compared on their first four letters) occur in the wording. A
minted term narrower than a scheme concept (``low immunogenicity``, broader ``immunogenicity``) matches a
wording whose head concept is (within) that concept and whose degree words, if any, state its level.

Only the article's own title and abstract are scored (the gold annotates nothing else): reference and
citing-article titles are left out of precision. Precision over all predictions counts a match with any
gold claim as correct (the README's definition); *core* precision leaves out predictions that match only
optional claims, neither rewarding nor penalising them. Recall is over gold claims, overall and core.
Negation and hedge accuracy are over matched gold claims, each judged by its first matching prediction.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exokg.claims.concepts import VESICLE_CATEGORY, ConceptScheme
from exokg.claims.extract import extract
from exokg.claims.lexicon import DEGREE_LEVEL
from exokg.claims.recognise import Mention, recognise
from exokg.claims.tokens import tokenize, word_set
from exokg.errors import InputError
from exokg.model import Assertion, ConceptRef
from exokg.sources import read_page

GROUPS = {"increases": "increases", "enhances": "increases", "promotes": "increases", "decreases": "decreases",
          "inhibits": "decreases", "treats/ameliorates": "treats", "treats": "treats", "ameliorates": "treats",
          "protects_against": "protects_against", "causes": "causes", "mediates": "mediates",
          "contains": "contains", "has_property": "has_property", "lacks_property": "has_property",
          "is_safer_than": "has_property", "is_a": "is_a"}
_HEAD_STOP = word_set("""
    than vs versus over compared on in after at during within from by for with between via through against into
    among
""")
_SEGMENT = frozenset({",", "and", "or", "(", ")", "including", ";", ":", "/"})
_STOPWORDS = word_set("""
    of the a an and or in on to for with by from as than vs its their including such various many several some
    these this that
""")


@dataclass(frozen=True)
class GoldClaim:
    page: str
    subject: str
    relation: str
    object: str
    accept: tuple[str, ...]
    negated: bool  # as the gold states it, with lacks_property read as a negated has_property
    hedged: bool
    evidence: str
    section: str
    core: bool

    def describe(self) -> str:
        return f"{self.page}: {self.subject} | {self.relation} | {self.object}{' (negated)' if self.negated else ''}"


@dataclass(frozen=True)
class Predicted:
    page: str
    assertion: Assertion

    def describe(self) -> str:
        a = self.assertion
        return (f"{self.page}: {a.subject.label} | {a.relation}{' NOT' if a.negated else ''} | {a.object.label}"
                f"{'' if a.object.curated else ' (minted)'} [{a.hedge_level}]")


@dataclass(frozen=True)
class EvaluationReport:
    pages: tuple[str, ...]
    gold: tuple[GoldClaim, ...]
    predicted: tuple[Predicted, ...]
    matches: tuple[tuple[int, int], ...]  # (gold index, predicted index)

    def _matched_gold(self, core_only: bool = False) -> set[int]:
        return {g for g, _ in self.matches if not core_only or self.gold[g].core}

    def _correct(self, core_only: bool = False) -> set[int]:
        return {p for g, p in self.matches if not core_only or self.gold[g].core}

    @property
    def recall(self) -> float:
        return _ratio(len(self._matched_gold()), len(self.gold))

    @property
    def precision(self) -> float:
        return _ratio(len(self._correct()), len(self.predicted))

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def core_recall(self) -> float:
        return _ratio(len(self._matched_gold(True)), sum(1 for g in self.gold if g.core))

    @property
    def core_precision(self) -> float:
        neutral = self._correct() - self._correct(True)
        return _ratio(len(self._correct(True)), len(self.predicted) - len(neutral))

    @property
    def core_f1(self) -> float:
        return _f1(self.core_precision, self.core_recall)

    def _first_matches(self) -> list[tuple[GoldClaim, Assertion]]:
        first: dict[int, int] = {}
        for g, p in self.matches:
            first.setdefault(g, p)
        return [(self.gold[g], self.predicted[p].assertion) for g, p in sorted(first.items())]

    @property
    def negation_accuracy(self) -> float:
        pairs = self._first_matches()
        return _ratio(sum(1 for g, a in pairs if _expected_negation(g, a) == a.negated), len(pairs))

    @property
    def hedge_accuracy(self) -> float:
        pairs = self._first_matches()
        return _ratio(sum(1 for g, a in pairs if (a.hedge_level != "asserted") == g.hedged), len(pairs))

    @property
    def misses(self) -> tuple[GoldClaim, ...]:
        matched = self._matched_gold()
        return tuple(g for i, g in enumerate(self.gold) if i not in matched)

    @property
    def false_positives(self) -> tuple[Predicted, ...]:
        correct = self._correct()
        return tuple(p for i, p in enumerate(self.predicted) if i not in correct)

    def as_text(self) -> str:
        core = sum(1 for g in self.gold if g.core)
        pairs = self._first_matches()
        lines = [f"{len(self.pages)} page(s): {len(self.predicted)} predicted claim(s) from titles and abstracts, "
                 f"{len(self.gold)} gold claim(s), {core} of them core",
                 "",
                 f"{'':10}{'precision':>10}{'recall':>8}{'F1':>7}",
                 f"{'overall':10}{self.precision:>10.2f}{self.recall:>8.2f}{self.f1:>7.2f}",
                 f"{'core':10}{self.core_precision:>10.2f}{self.core_recall:>8.2f}{self.core_f1:>7.2f}",
                 "",
                 f"negation accuracy on {len(pairs)} matched claim(s): {self.negation_accuracy:.2f}",
                 f"hedge accuracy on {len(pairs)} matched claim(s): {self.hedge_accuracy:.2f}"]
        for title, missed in (("missed core claims", [g for g in self.misses if g.core]),
                              ("missed optional claims", [g for g in self.misses if not g.core])):
            lines += ["", f"{title} ({len(missed)}):"]
            lines += [f"  {g.describe()}\n      \"{_short(g.evidence)}\"" for g in missed] or ["  (none)"]
        lines += ["", f"false positives ({len(self.false_positives)}):"]
        lines += [f"  {p.describe()}\n      \"{_short(p.assertion.evidence)}\"" for p in self.false_positives] \
            or ["  (none)"]
        return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _expected_negation(gold: GoldClaim, assertion: Assertion) -> bool:
    if gold.relation == "lacks_property" and assertion.relation != "has_property":
        return True  # "if 'causes' is used, negated must be true"
    return gold.negated


def load_gold(path: Path) -> list[GoldClaim]:
    """The claims of one gold file; a malformed file is reported with its name."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the gold annotations: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: the gold annotations are not valid JSON: {exc}") from exc
    claims = []
    try:
        for c in data.get("claims", []):
            relation = c["relation"]
            accept = tuple(dict.fromkeys([relation, *c.get("accept_relations", [])]))
            unknown = [r for r in accept if r not in GROUPS]
            if unknown:
                raise InputError(f"{path}: unknown relation {unknown[0]!r} in a gold claim")
            negated = bool(c.get("negated", False))
            claims.append(GoldClaim(path.stem, c["subject"], relation, c["object"], accept,
                                    (not negated) if relation == "lacks_property" else negated,
                                    bool(c.get("hedged", False)), c["evidence"], c.get("evidence_section", ""),
                                    c.get("importance", "core") == "core"))
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: a gold claim lacks a field or has the wrong shape: {exc}") from exc
    return claims


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _stems(text: str) -> set[str]:
    return {w[:4] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS and len(w) > 1}


class _Namer:
    """Decides whether a predicted concept names what a gold wording names."""

    def __init__(self, scheme: ConceptScheme) -> None:
        self.scheme = scheme
        self._heads: dict[str, list[str]] = {}

    def heads(self, wording: str) -> list[str]:
        if wording not in self._heads:
            self._heads[wording] = self._find_heads(wording)
        return self._heads[wording]

    def _find_heads(self, wording: str) -> list[str]:
        tokens = tokenize(wording)
        mentions = recognise(tokens, self.scheme, [])
        by_token: dict[int, Mention] = {i: m for m in mentions for i in range(m.first, m.last)}
        heads: list[str] = []
        segment: list[Mention] = []

        def close() -> None:
            if segment and segment[-1].key:
                heads.append(segment[-1].key)
            segment.clear()

        for i, token in enumerate(tokens):
            word = token.lower
            if i in by_token and by_token[i].first < i:
                continue
            if i in by_token:
                segment.append(by_token[i])
                continue
            if word in _HEAD_STOP:
                close()
                if heads:
                    break
                continue
            if word == "of":
                if segment:  # "therapeutic effects of MSCs": the effects; "risk of tumour formation": look on
                    break
                continue
            if word in _SEGMENT:
                close()
        close()
        return list(dict.fromkeys(heads))

    def same(self, ref: ConceptRef, wording: str) -> bool:
        heads = self.heads(wording)
        if not ref.curated and ref.broader and ref.broader in self.scheme:
            # "low immunogenicity" (narrower than immunogenicity) names "lower immunogenicity than MSCs", not
            # "high immunogenicity"
            stated = {DEGREE_LEVEL[w] for w in re.findall(r"[a-z]+", wording.lower()) if w in DEGREE_LEVEL}
            level = DEGREE_LEVEL.get(ref.label.split()[0])
            if stated and level not in stated:
                return False
            if heads:
                return any(self.scheme.is_within(head, ref.broader) for head in heads)
            return bool(_stems(self.scheme.label(ref.broader)) & _stems(wording))
        if ref.curated and heads:
            for head in heads:
                if head == ref.key:
                    return True
                if self.scheme.category(head) == VESICLE_CATEGORY and self.scheme.is_within(ref.key, head):
                    return True
            return False
        words = _stems(ref.label) if not ref.curated else _stems(ref.label) | _stems(ref.text)
        if not words:
            return False
        overlap = len(words & _stems(wording))
        return overlap >= max(1, math.ceil(len(_stems(ref.label) or words) / 2))


def _relations(gold: GoldClaim) -> list[tuple[str, bool | None, bool]]:
    """(relation, required polarity or None, comparator form) for every acceptable reading of a gold claim."""
    out: list[tuple[str, bool | None, bool]] = []
    for r in gold.accept:
        grouped = GROUPS[r]
        if r == "is_safer_than":
            out.append((grouped, False, True))
        elif gold.relation == "lacks_property" and r != "lacks_property":
            out.append((grouped, True, False))
        else:
            out.append((grouped, None, False))
    return out


def matches(gold: GoldClaim, assertion: Assertion, namer: _Namer) -> bool:
    if _collapse(gold.evidence) != _collapse(assertion.evidence):
        return False
    if not namer.same(assertion.subject, gold.subject):
        return False
    for relation, polarity, comparator_form in _relations(gold):
        if relation != assertion.relation or (polarity is not None and assertion.negated != polarity):
            continue
        if comparator_form:
            compared = [v for k, v in assertion.qualifiers if k == "comparator"]
            if any(namer.same(namer.scheme.ref(v, v), gold.object) for v in compared if v in namer.scheme):
                return True
            continue
        if namer.same(assertion.object, gold.object):
            return True
    return False


def evaluate(gold_dir: Path, pages: Sequence[Path], scheme: ConceptScheme) -> EvaluationReport:
    """Extract claims from every page and score the title and abstract claims against ``gold_dir/<page>.json``."""
    namer = _Namer(scheme)
    gold: list[GoldClaim] = []
    predicted: list[Predicted] = []
    for page in pages:
        path = gold_dir / (page.stem + ".json")
        if not path.is_file():
            raise InputError(f"{path}: no gold annotations for the page {page.name}",
                             "name each gold file after its page, with .json")
        gold.extend(load_gold(path))
        article = read_page(page)
        predicted.extend(Predicted(page.stem, a) for a in extract(article, scheme) if a.asserted_by == "article")
    pairs = tuple((g, p) for g, claim in enumerate(gold) for p, pred in enumerate(predicted)
                  if pred.page == claim.page and matches(claim, pred.assertion, namer))
    return EvaluationReport(tuple(p.stem for p in pages), tuple(gold), tuple(predicted), pairs)
