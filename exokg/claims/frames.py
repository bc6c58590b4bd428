"""Claims from one parsed sentence: each relation cue's frame placed on its subject and object phrases.

The object's category refines the cue's relation (:func:`refine`): a ``down`` or ``cure`` verb on a disease
treats it (``attenuate periodontitis``), on anything else decreases it; a ``benefit`` verb (``improve``,
``restore``) on a disease treats it; an ``induce`` verb on a disease or an adverse property causes it;
``lead to`` / ``result in`` with a comparative (``more stable functionality``) increases or decreases;
``therapy of X`` / ``a promising strategy for X`` is about X (treats). A property (``low immunogenicity``)
after ``have``/``show``/``is`` is has_property; with a degree word its object is a minted term narrower than
the property (``low immunogenicity``, broader ``immunogenicity``). ``is a``/``serve as`` need a curated class.
Containment reads its direction from the concepts when the syntax leaves it open (``X is enriched in Y``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exokg.claims.clauses import Parse
from exokg.claims.concepts import VESICLE_CATEGORY, Parts
from exokg.claims.containment import HOLDERS, kind_of, points_inward
from exokg.claims.cues import RelationCue
from exokg.claims.hedging import HedgeCue
from exokg.claims.lexicon import AGENT_NOUNS, DOWN_WORDS, LOSS_OF_FUNCTION, UP_WORDS
from exokg.claims.phrases import Item, graded, items
from exokg.claims.qualifiers import comparator, designs
from exokg.claims.recognise import Mention, span_text
from exokg.claims.resolution import Document, Resolved, remember, resolve, sentence_source
from exokg.claims.tokens import word_set
from exokg.model import ConceptRef

_ADVERSE = word_set("""
    tumour-formation side-effect toxicity immunogenicity immune-response emboli-risk
""")
_TREATMENT_HEADS = word_set("""
    therapy cell-therapy cell-free-therapy immunotherapy regenerative-medicine tissue-engineering
""")
_STRATEGY_WORDS = word_set("""
    strategy strategies approach approaches option options candidate candidates tool tools agent agents
    alternative alternatives modality modalities treatment treatments therapy therapies therapeutics
    intervention interventions
""")
_SHOWING = word_set("""
    show shows showed shown exhibit exhibits exhibited display displays displayed have has had demonstrate
    demonstrates demonstrated
""")
_LEAD_INS = word_set("""
    by through via not mainly primarily largely partly rather also only to on upon from
""")
_APPOSITION = (["known", "as"], ["termed"], ["called"], ["named"], ["namely"], [",", "namely"])


@dataclass
class Claim:
    subject: ConceptRef
    relation: str
    object: ConceptRef
    negated: bool
    hedges: list[HedgeCue]
    qualifiers: list[tuple[str, str]]


def refine(relation: str, cue: RelationCue, verb: str, item: Item, obj: ConceptRef, category: str,
           top: frozenset[str]) -> str | None:
    """The relation a cue states about this object, or ``None`` if the pair makes no claim of that kind."""
    head_key = obj.key if obj.curated else ""
    disease = category == "disease"
    effect = cue.effect
    if item.direction and relation == "causes":
        relation = "increases" if item.direction == "up" else "decreases"
    elif (effect in ("down", "cure", "benefit") and disease) \
            or (effect == "cure" and verb.startswith(("treat", "cure"))):
        relation = "treats"
    elif effect == "induce" and (disease or head_key in _ADVERSE):
        relation = "causes"
    elif effect == "role" and relation == "mediates" and obj.curated and category == "therapy":
        return None
    if relation in ("increases", "decreases") and category == "property" and verb in _SHOWING:
        relation = "has_property"  # "MSC-Exos showed lower immunogenicity"
    if relation == "has_property" and cue.frame in ("possess", "copula"):
        if not (category == "property" or item.enumerated or (not obj.curated and item.umbrella)):
            return None
        if item.umbrella and not item.enumerated:
            return None
    if relation == "is_a":
        if cue.frame == "copula" and category == "property":
            return "has_property"
        if not obj.curated or category in ("disease", "anatomical-entity", "outcome", "property") or head_key in top:
            return None
    if relation == "treats" and obj.curated and category not in ("disease", "biological-process"):
        return None
    if relation == "contains" and obj.curated and category not in ("molecule", VESICLE_CATEGORY):
        return None
    return relation


class ClaimBuilder:
    """Turns a :class:`Parse` into claims, resolving concepts against the document."""

    def __init__(self, parse: Parse, doc: Document, opener: HedgeCue | None) -> None:
        self.parse, self.doc, self.opener = parse, doc, opener
        self.scheme = doc.scheme
        self.tokens = parse.tokens
        self.source = sentence_source(parse.tokens, parse.mentions, doc.scheme)
        self.designs = designs(parse.cue_text.text)
        self.subjects: dict[int, list[Resolved]] = {}
        self.compared = self._introductory_comparator()

    def _introductory_comparator(self) -> Item | None:
        """``Compared with MSCs, exosomes are less immunogenic``; ``Unlike their parent cells, ...``."""
        words = [t.lower for t in self.tokens[:4]]
        size = 2 if words[:2] in (["compared", "with"], ["compared", "to"], ["in", "contrast"], ["relative", "to"]) \
            else 1 if words[:1] in (["unlike"], ["versus"]) else 0
        if words[:3] == ["in", "contrast", "to"]:
            size = 3
        comma = next((j for j, t in enumerate(self.tokens) if t.text == ","), None)
        if not size or comma is None or comma <= size:
            return None
        probe = Item(size, comma)
        probe.comparator = next((m for m in self.parse.mentions if size <= m.first < comma and not m.pronoun), None)
        probe.comparator_words = span_text(self.tokens, size, comma)
        return probe

    def ref(self, m: Mention) -> Resolved | None:
        return resolve(m, self.doc, self.source)

    def claims(self) -> list[Claim]:
        parse = self.parse
        out: list[Claim] = []
        for mention, item in parse.appositions:
            if mention.first in parse.questioned:
                continue
            out.extend(self._apposition(mention, item))
        for k, cue in enumerate(parse.cues):
            owner = parse.participle_of(k)
            if owner is not None:
                out.extend(self._participle(k, cue, owner))
                continue
            if (cue.form == "gerund" or (cue.form == "nominal" and cue.frame != "advantage")) \
                    and k not in parse.heads and not parse.anchored(cue):
                continue
            out.extend(self._cue_claims(k, cue))
        out.extend(self._properties())
        agents = [found[0] for _, found in sorted(self.subjects.items()) if found]
        remember(self.doc, parse.mentions, parse.hidden, agents, self._opening())
        return out

    def _opening(self) -> Resolved | None:
        """The concept a sentence opens with (its likely subject), for ``They`` in the next one."""
        start = self.parse.intro_end()
        first = next((m for m in self.parse.mentions if m.first not in self.parse.hidden), None)
        if first is None or first.pronoun or first.first > start + 2:
            return None
        return self.ref(first)

    # ------------------------------------------------------------------ subjects
    def _refs(self, found: Iterable[Item]) -> list[Resolved]:
        """The concepts of subject phrases: curated concepts, composites, or terms the text defined."""
        out = []
        for item in found:
            if item.mention is None:
                continue
            resolved = self.ref(item.mention)
            if resolved is not None and (resolved.ref.curated or resolved.parts is not None
                                         or item.mention.minted is not None):
                out.append(resolved)
        return out

    def _subjects(self, k: int) -> list[Resolved]:
        if k in self.parse.heads:
            self.subjects[k] = self.subjects.get(self.parse.heads[k], [])
            return self.subjects[k]
        first, last = self.parse.lefts[k]
        found = self._refs(items(self.parse.slot, first, last, subject=True))
        if not found:
            fallback = self._fallback_subject(first, last)
            found = [fallback] if fallback else []
        self.subjects[k] = found
        return found

    def _fallback_subject(self, first: int, last: int) -> Resolved | None:
        """No concept heads the subject phrase: take its first concept, or what that is ``known as``."""
        inside = [m for m in self.parse.mentions if first <= m.first and m.last <= last
                  and m.first not in self.parse.hidden and not m.pronoun]
        if not inside or any(t.lower in LOSS_OF_FUNCTION for t in self.tokens[first:inside[0].first]):
            return None
        chosen = inside[0]
        for later in inside[1:]:
            if [t.lower for t in self.tokens[chosen.last:later.first]] in _APPOSITION:
                chosen = later
        return self.ref(chosen)

    # ------------------------------------------------------------------ frames
    def _cue_claims(self, k: int, cue: RelationCue) -> list[Claim]:
        left, right = self.parse.lefts[k], (cue.last, self.parse.ends[k])
        if cue.frame == "inverse":
            out = []
            pairs = [(negated, agent) for negated, part in self._agents(right) for agent in self._refs(part)]
            self.subjects[k] = [agent for _, agent in pairs]
            for negated, agent in pairs:
                for item in items(self.parse.slot, *left):
                    out.extend(self._claims(cue, agent, item, negated=negated))
            return out
        if cue.frame in ("contained", "locative"):
            return self._containment(k, cue, left, right)
        subjects = self._subjects(k)
        if not subjects:
            return []
        if cue.frame == "exert":
            return self._exert(cue, subjects, right)
        if cue.frame == "protect":
            at = next((j for j in range(*right) if self.tokens[j].lower in ("against", "from")), None)
            if at is None:
                return []
            right = (at + 1, right[1])
        objects = items(self.parse.slot, *right)
        if cue.frame == "advantage":
            return self._advantage(cue, subjects, objects)
        return [c for subject in subjects for item in objects for c in self._claims(cue, subject, item)]

    def _containment(self, k: int, cue: RelationCue, left: tuple[int, int], right: tuple[int, int]) -> list[Claim]:
        """``X is packaged into Y``, ``X was enriched in Y``: Y contains X; ``Y is enriched in X``: Y contains X."""
        slot = self.parse.slot
        own = self._subjects(k)  # a verb joined to this one shares the grammatical subject: "X was ... and mediated"
        hosts = self._refs(items(slot, *right, subject=True))
        inward = points_inward(cue.frame, self.tokens[cue.verb].lower, {kind_of(self.scheme, s) for s in own},
                               {kind_of(self.scheme, h) for h in hosts})
        if inward is None:
            return []
        if not inward:
            return [c for subject in own for item in items(slot, *right) for c in self._claims(cue, subject, item)]
        return [c for host in hosts if kind_of(self.scheme, host) in HOLDERS or not host.ref.curated
                for item in items(slot, *left) for c in self._claims(cue, host, item)]

    def _agents(self, span: tuple[int, int]) -> list[tuple[bool, list[Item]]]:
        """The words after an inverse cue: ``not through A but through B`` gives (True, A), (False, B)."""
        first, last = span
        cut = next((j for j in range(first, last) if self.tokens[j].lower == "but" and j not in self.parse.hidden),
                   None)
        parts = [(first, cut), (cut + 1, last)] if cut is not None else [(first, last)]
        out = []
        for n, (a, b) in enumerate(parts):
            while a < b and self.tokens[a].lower in _LEAD_INS:
                a += 1
            out.append((n == 0 and len(parts) > 1, items(self.parse.slot, a, b, subject=True)))
        return out

    def _exert(self, cue: RelationCue, subjects: list[Resolved], right: tuple[int, int]) -> list[Claim]:
        """``MSCs exert their effects through exosomes``: exosomes mediate the (therapeutic) effects of MSCs."""
        named = next((m for m in self.parse.mentions if cue.first <= m.first and m.last <= cue.last and m.key), None)
        words = [t for t in self.tokens[cue.first:cue.last] if t.lower.startswith(("effect", "function", "action",
                                                                                    "benefit"))]
        effect = self.scheme.ref(named.key, named.text) if named and named.key else \
            self.scheme.ref("therapeutic-effect", words[0].text if words else "effects")
        out = []
        for owner in subjects:
            extra = (("object_of", owner.ref.key),) if owner.ref.curated else ()
            for negated, part in self._agents(right):
                for agent in self._refs(part):
                    made = self._make(cue, agent._replace(qualifiers=agent.qualifiers + extra), "mediates", effect,
                                      negated=negated, item=Item(cue.first, cue.last))
                    out += [made] if made else []
        return out

    def _advantage(self, cue: RelationCue, subjects: list[Resolved], objects: list[Item]) -> list[Claim]:
        """``advantages over parent MSCs such as no risk of tumour formation and lower immunogenicity``."""
        compared = [i for i in objects if not i.enumerated]
        listed = [i for i in objects if i.enumerated]
        out: list[Claim] = []
        for subject in subjects:
            against = None
            if compared:
                probe = compared[0]
                probe.comparator = probe.mention
                probe.comparator_words = span_text(self.tokens, probe.first, probe.last)
                against = comparator(probe, subject.parts, self.scheme)
            extra = (("comparator", against),) if against else ()
            with_comparator = subject._replace(qualifiers=subject.qualifiers + extra)
            if listed:
                for item in listed:
                    out.extend(self._claims(cue, with_comparator, item, relation="has_property"))
            elif against:
                term = ConceptRef("advantage", "advantage", self.tokens[cue.verb].text, curated=False)
                made = self._make(cue, with_comparator, "has_property", term, negated=False,
                                  item=Item(cue.first, cue.last))
                out += [made] if made else []
        return out

    def _apposition(self, mention: Mention, item: Item) -> list[Claim]:
        subject = self.ref(mention)
        if subject is None or item.mention is None or item.mention.key is None:
            return []
        obj = self.scheme.ref(item.mention.key, item.mention.text)
        if obj.key == subject.ref.key:
            return []
        return [Claim(subject.ref, "is_a", obj, False, [], list(subject.qualifiers))]

    def _participle(self, k: int, cue: RelationCue, owner: Mention) -> list[Claim]:
        """``exosomes containing miR-148a-3p``: the participle's claim is about the concept it follows."""
        subject = self.ref(owner)
        if subject is None:
            return []
        end = self.parse.cues[k + 1].first if k + 1 < len(self.parse.cues) else len(self.tokens)
        return [c for item in items(self.parse.slot, cue.last, end)[:1] for c in self._claims(cue, subject, item)]

    def _properties(self) -> list[Claim]:
        """``with no risk of tumour formation``, ``without toxicity``, ``with low immunogenicity``: a property of
        the clause's subject stated without a verb."""
        out: list[Claim] = []
        parse, tokens = self.parse, self.tokens
        for i, token in enumerate(tokens):
            word = token.lower
            if i in parse.hidden or i in parse.questioned or word not in ("with", "without", "free", "devoid",
                                                                          "lacking"):
                continue
            end = next((j for j in range(i + 1, len(tokens)) if tokens[j].text in (",", ";", ".", ":")
                        or any(c.first == j for c in parse.cues)), len(tokens))
            found = [item for item in items(parse.slot, i if word != "with" else i + 1, end)
                     if item.mention is not None and item.mention.key is not None
                     and self.scheme.category(item.mention.key) == "property"
                     and (word != "with" or item.negated or item.degree)]
            if not found:
                continue
            before = [k for k, c in enumerate(parse.cues) if c.last <= i and c.first >= parse.clause_start(i)]
            subjects = self.subjects.get(before[-1], []) if before else \
                self._refs(items(parse.slot, *parse.subject_end_before(i), subject=True))
            pseudo = RelationCue(i, i + 1, "has_property", "possess", "neutral", "nominal", i)
            for subject in subjects[:1]:
                for item in found:
                    out.extend(self._claims(pseudo, subject, item, relation="has_property"))
        return out

    # ------------------------------------------------------------------ one subject, one object
    def _claims(self, cue: RelationCue, subject: Resolved, item: Item, *, negated: bool = False,
                relation: str | None = None) -> list[Claim]:
        """The claims one subject and one object phrase make under a cue."""
        scheme = self.scheme
        relation = relation or cue.relation
        if item.mention is not None:
            m = item.mention
            if m.pronoun:
                return []
            if m.is_bare_vesicle and m.key:  # objects are not resolved: "exosomes are small EVs" is about EVs
                obj = scheme.ref(m.key, m.text)
            else:
                resolved = self.ref(m)
                if resolved is None:
                    return []
                obj = resolved.ref
        elif item.minted is not None:
            obj = item.minted
        else:
            return []
        head_key = obj.key if obj.curated else ""
        category = scheme.category(head_key) if head_key else ""
        if relation == "contains" and kind_of(scheme, subject) == "cargo" \
                and (category == VESICLE_CATEGORY or (item.mention is not None and item.mention.parts is not None)):
            return []  # cargo never contains a vesicle: the sentence was read the wrong way round
        treatment = head_key in _TREATMENT_HEADS or (not obj.curated and item.head_word in _STRATEGY_WORDS)
        if item.complement and treatment and relation in ("mediates", "increases", "is_a", "treats"):
            out = []  # "therapy of X", "a promising strategy for X": the claim is about X
            if relation == "is_a" and obj.curated and head_key not in scheme.top:
                made = self._make(cue, subject, "is_a", obj, negated=negated, item=item)
                out += [made] if made else []
            for inner in item.complement:
                out.extend(self._claims(cue, subject, inner, negated=negated, relation="treats"))
            return out
        if item.head_word in AGENT_NOUNS and relation == "is_a" and item.complement:
            return [c for inner in item.complement  # "a key mediator of X", "inhibitors of Y"
                    for c in self._claims(cue, subject, inner, negated=negated, relation=AGENT_NOUNS[item.head_word])]
        extra: list[tuple[str, str]] = []
        against = comparator(item, subject.parts, scheme)
        if not against and self.compared is not None and relation in ("has_property", "increases", "decreases",
                                                                      "is_a", "causes"):
            against = comparator(self.compared, subject.parts, scheme)
        if against:
            extra.append(("comparator", against))
        in_cue = next((t for t in self.tokens[cue.first:cue.last] if t.lower in UP_WORDS | DOWN_WORDS
                       and t.index != cue.verb), None)
        degree = item.degree or (in_cue.text if in_cue else None)
        degree_at = item.degree_at if item.degree else (in_cue.index if in_cue else None)
        if degree:
            extra.append(("degree", degree.lower()))
        if item.of_mention is not None and item.of_mention.key:
            of = self.ref(item.of_mention)
            if of is not None and of.ref.curated:
                extra.append(("object_of", of.ref.key))
        refined = refine(relation, cue, self.tokens[cue.verb].lower, item, obj, category, frozenset(scheme.top))
        if refined is None:
            return []
        if refined == "has_property" and category == "property" and degree:
            obj = self._graded(obj, degree, degree_at, item)
        made = self._make(cue, subject._replace(qualifiers=subject.qualifiers + tuple(extra)), refined, obj,
                          negated=negated != item.negated, item=item)
        return [made] if made else []

    def _graded(self, obj: ConceptRef, degree: str, at: int | None, item: Item) -> ConceptRef:
        end = item.mention.last if item.mention is not None else None
        text = span_text(self.tokens, at, end) if at is not None and end is not None and at < end \
            else f"{degree} {obj.text}"
        return graded(obj, degree, text)

    def _make(self, cue: RelationCue, subject: Resolved, relation: str, obj: ConceptRef, *, negated: bool,
              item: Item) -> Claim | None:
        if subject.ref.key == obj.key:
            return None
        cue_negated = self.parse.cue_negated(cue) != (cue.effect == "lack")
        hedges = [h for h in self.parse.hedges if self.parse.in_scope(h, cue, item)]
        if self.opener is not None:
            hedges.append(self.opener)
        qualifiers = [("design", d) for d in self.designs] + list(dict.fromkeys(subject.qualifiers))
        return Claim(subject.ref, relation, obj, negated != cue_negated, hedges, qualifiers)


__all__ = ["Claim", "ClaimBuilder", "Parts", "refine"]
