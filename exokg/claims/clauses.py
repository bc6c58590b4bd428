"""The shape of one sentence: which words are not arguments, where clauses start, which verbs share a subject.

:class:`Parse` gathers what the rest of the extractor reads: concept mentions, hedge and negation cues,
relation cues, and the *hidden* tokens that are never a claim's argument — parentheses, relative clauses
(``, which are nanovesicles ...``, ``processes that operate ...``), class appositions (``, a type of
extracellular vesicle``) and the article's talk about itself (``This review summarizes ...``) — and the
*questioned* tokens whose cues make no claim (``whether X ... remains unclear``: ``questions.py``). A cue's
subject phrase runs from its clause start (after introductory phrases such as ``However,`` or ``In a rat
model of stroke,``, after a ``that`` which follows a report verb, after a subordinator) to its first
auxiliary. A cue joined to an earlier one (``..., lead to X and improve Y``; ``by suppressing``;
``, potentially reducing``; ``without causing``) shares that cue's subject.
"""

from __future__ import annotations

from exokg.claims.concepts import ConceptScheme
from exokg.claims.cues import ADVERBS, SKIPPABLE, RelationCue, relation_cues
from exokg.claims.hedging import HedgeCue, hedge_cues, meta_limit, negation_cues
from exokg.claims.phrases import Item, Slot, items
from exokg.claims.questions import questioned_tokens
from exokg.claims.recognise import Mention
from exokg.claims.tokens import CueText, Token, word_set

INTRO = word_set("""
    however moreover furthermore therefore thus overall importantly notably interestingly additionally similarly
    specifically particularly finally first second third briefly besides meanwhile nevertheless nonetheless
    indeed altogether together collectively consequently recently currently here herein accordingly hence in on
    at for with by from to into through via after before during within among under upon unlike like as while
    whereas although though because since when if despite given following compared taken using based
""")
SUBORDINATORS = frozenset(["while", "whereas", "although", "though", "because", "since", "unless", "if", "when", "but"])
_COMPLEMENT = word_set("""
    shown show shows showed demonstrated demonstrate demonstrates found find finds observed observe revealed
    reveal reveals reported report reports confirmed confirm indicated indicate indicates suggested suggest
    suggests proposed propose hypothesized hypothesised hypothesize hypothesise believed believe known
    recognized recognised established evident clear likely possible unlikely noted note argue argued assume
    assumed conclude concluded evidence proposal hypothesis notion idea fact view finding findings observation
    implies imply implying showing suggesting indicating demonstrating revealing confirming speculate postulate
    thought accepted acknowledged predicted expected determined verified documented so here appears seems
    conceivable plausible apparent true unclear
""")
AUX = word_set("""
    may might can could will would should must do does did has have had is are was were be been being shall
""")
_CONNECTORS = word_set("""
    , and or by through via thereby while thus then but as well
""")
_MEANS = ("without", "by", "through", "via", "thereby", "while", "thus", "hence", "partly")
_CLASS_WORDS = word_set("""
    type kind class subtype subset form family member population category variety group
""")
_LONE_INTROS = word_set("""
    however moreover furthermore therefore thus here recently importantly notably interestingly additionally
    overall hence
""")


class Parse:
    """One sentence's tokens with mentions, cues, hidden regions and the joins between its verbs."""

    def __init__(self, tokens: list[Token], mentions: list[Mention], scheme: ConceptScheme, text: str,
                 base: int, cue_text: CueText | None = None) -> None:
        """``cue_text`` is ``CueText(tokens)``, when the caller has made it already."""
        self.tokens, self.mentions, self.scheme = tokens, mentions, scheme
        self.cue_text = CueText(tokens) if cue_text is None else cue_text
        self.names = {i for m in mentions for i in range(m.first, m.last) if not m.pronoun}
        self.hedges: list[HedgeCue] = hedge_cues(self.cue_text, text, base, self.names)
        self.hedge_tokens = {i for h in self.hedges for i in range(h.first, h.last)}
        self.negation_tokens = {i for first, last in negation_cues(self.cue_text) for i in range(first, last)}
        self.hidden = self._hidden()
        self.questioned = questioned_tokens(self.cue_text)  # "whether X ... remains unclear": no claim
        self.appositions: list[tuple[Mention, Item]] = []
        self._find_appositions()
        self.slot = Slot(tokens, mentions, self.hidden, scheme.category, frozenset(scheme.top))
        self.cues = [c for c in relation_cues(self.cue_text, self.hedge_tokens, self.names)
                     if c.verb not in self.hidden and c.verb not in self.questioned]
        self.connectors: dict[int, int] = {}  # a cue joined to an earlier one: where the joining word is
        self.heads: dict[int, int] = {}
        for k in range(len(self.cues)):
            head = self._chain_head(k)
            if head is not None:
                self.heads[k] = head
        self.lefts = [self.left_span(k) for k in range(len(self.cues))]
        self.ends = [self._right_end(k) for k in range(len(self.cues))]

    # ------------------------------------------------------------------ regions that are not arguments
    def _hidden(self) -> set[int]:
        tokens = self.tokens
        hidden: set[int] = set()
        opened: list[int] = []
        for i, t in enumerate(tokens):
            if t.text == "(":
                opened.append(i)
            elif t.text == ")" and opened:
                hidden |= set(range(opened.pop(), i + 1))
        limit = meta_limit(self.cue_text)
        if limit is not None:
            hidden |= set(range(0, limit))
        for i, t in enumerate(tokens):
            if i in hidden or i == 0:
                continue
            if t.lower in ("which", "who", "whom", "whose") or (t.lower == "that" and self.relative_that(i)):
                hidden |= set(range(i - 1 if tokens[i - 1].text == "," else i, self._relative_end(i)))
        return hidden

    def relative_that(self, i: int) -> bool:
        """Whether ``that`` at ``i`` opens a relative clause (not a ``shown that`` complement)."""
        j = i - 1
        while j >= 0 and self.tokens[j].lower in ("here", "now", "also", "further", "therefore", "thus"):
            j -= 1
        if j < 0:
            return False
        prev = self.tokens[j]
        if prev.lower in _COMPLEMENT or j in self.hedge_tokens or not prev.is_word:
            return False
        return not (j > 0 and self.tokens[j - 1].lower in ("is", "was")
                    and prev.lower.endswith(("ly", "ble", "ear", "ent", "ant")))

    def _relative_end(self, i: int) -> int:
        tokens = self.tokens
        end = next((j for j in range(i + 1, len(tokens)) if tokens[j].text in (",", ";")), len(tokens))
        if tokens[i - 1].text == ",":
            return end
        # a restrictive clause ("exosomes that are secreted by MSCs reduce ...") ends before the main verb
        first_verb = next((j for j in range(i + 1, end) if tokens[j].lower not in ADVERBS), end)
        for cue in relation_cues(self.cue_text, self.hedge_tokens):
            if first_verb < cue.first < end:
                j = cue.first - 1
                while j > i and (tokens[j].lower in SKIPPABLE or tokens[j].lower.endswith("ly")):
                    j -= 1
                if tokens[j].is_word and tokens[j].lower not in ("and", "or", "that", "which", "who"):
                    return cue.first
        return end

    def _find_appositions(self) -> None:
        """``exosomes, a type of extracellular vesicle``: a class in apposition (presupposed, never hedged)."""
        tokens = self.tokens
        for m in self.mentions:
            k = m.last
            if k + 3 >= len(tokens) or tokens[k].text != "," or tokens[k + 1].lower not in ("a", "an", "one") \
                    or tokens[k + 2].lower not in _CLASS_WORDS or tokens[k + 3].lower != "of":
                continue
            end = next((j for j in range(k + 4, len(tokens)) if tokens[j].text in (",", ";", ".")), len(tokens))
            slot = Slot(tokens, self.mentions, set(), self.scheme.category, frozenset(self.scheme.top))
            found = items(slot, k + 4, end)
            if found and found[0].mention is not None:
                self.appositions.append((m, found[0]))
            self.hidden |= set(range(k, end))

    # ------------------------------------------------------------------ joins between verbs
    def skip_back(self, j: int) -> int:
        """The nearest word before ``j`` that is not an auxiliary, adverb, hedge or negation."""
        while j >= 0 and (self.tokens[j].lower in SKIPPABLE or j in self.hedge_tokens or j in self.negation_tokens
                          or (self.tokens[j].lower.endswith("ly") and self.tokens[j].is_word)):
            j -= 1
        return j

    def skip_back_adverbs(self, j: int) -> int:
        while j >= 0 and self.tokens[j].lower.endswith("ly") and self.tokens[j].is_word:
            j -= 1
        return j

    def _chain_head(self, k: int) -> int | None:
        """The earlier cue a cue shares its subject with, if it is joined to it."""
        cue = self.cues[k]
        if k == 0:
            return None
        if cue.form == "nominal":
            return self._previous_in_clause(k)
        j = self.skip_back_adverbs(cue.first - 1)
        if cue.form == "gerund" and j >= 0 and self.tokens[j].lower in _MEANS:
            self.connectors[k] = j
            return self._previous_in_clause(k)
        j = self.skip_back(cue.first - 1)
        if j < 0:
            return None
        for e in range(k - 1, -1, -1):
            if self.cues[e].last - 1 == j and self.cues[e].frame != "copula":
                return e
        word = self.tokens[j].lower
        if word in _CONNECTORS and cue.form in ("finite", "gerund"):
            if word == "," and cue.form == "finite" and self.tokens[cue.verb].lower.endswith("ed") \
                    and not any(c.form in ("finite", "passive") for c in self.cues[:k]):
                return None
            self.connectors[k] = j
            return self._previous_in_clause(k)
        return None

    def _previous_in_clause(self, k: int) -> int | None:
        start = self.clause_start(self.cues[k].first)
        for e in range(k - 1, -1, -1):
            if self.cues[e].first >= start or self.cues[e].form != "nominal":
                return e
        return None

    def participle_of(self, k: int) -> Mention | None:
        """``exosomes containing miR-21``: a participle right after a concept modifies that concept."""
        cue = self.cues[k]
        if cue.form != "gerund" or cue.first == 0 or k in self.heads:
            return None
        return next((m for m in self.mentions if m.last == cue.first and not m.pronoun), None)

    def anchored(self, cue: RelationCue) -> bool:
        """A gerund or nominal cue after a verbal hedge (``have shown promise in treating``) carries a claim."""
        j = self.skip_back_adverbs(cue.first - 1)
        if j >= 0 and self.tokens[j].lower in ("in", "for", "to"):
            j = self.skip_back_adverbs(j - 1)
        return any(h.verbal and h.last - 1 == j for h in self.hedges)

    # ------------------------------------------------------------------ clauses and spans
    def clause_start(self, pos: int) -> int:
        start = self._skip_intros(0, pos)
        for j in range(pos - 1, start - 1, -1):
            if j in self.hidden:
                continue
            word = self.tokens[j].lower
            if word in (";", ":") or word in SUBORDINATORS or (word == "that" and not self.relative_that(j)):
                return self._skip_intros(j + 1, pos)
        return start

    def intro_end(self) -> int:
        """Where the sentence's main clause starts, after introductory phrases (``However, in mice,``)."""
        return self._skip_intros(0, len(self.tokens))

    def _skip_intros(self, start: int, pos: int) -> int:
        tokens = self.tokens
        while start < pos:
            word = tokens[start].lower
            if not (word in INTRO or (word.endswith("ly") and tokens[start].is_word)):
                break
            comma = next((j for j in range(start, pos) if tokens[j].text == "," and j not in self.hidden), None)
            if comma is None:
                if word in _LONE_INTROS:
                    start += 1
                    continue
                break
            start = comma + 1
        return start

    def left_span(self, k: int) -> tuple[int, int]:
        """The words before a cue that hold its grammatical subject."""
        cue, tokens = self.cues[k], self.tokens
        start = self.clause_start(cue.first)
        for e in range(k - 1, -1, -1):
            previous = self.cues[e]
            if previous.form not in ("finite", "passive") or self.participle_of(e) is not None:
                continue
            if previous.last <= cue.first and previous.first >= start:
                seps = [j for j in range(previous.last, cue.first) if tokens[j].lower in (",", "and", "but", ";")
                        and j not in self.hidden]
                start = max(start, seps[-1] + 1 if seps else previous.last)
                break
        end = cue.first
        stop = next((j for j in range(start + 1, end) if j not in self.hidden and (
            tokens[j].lower in AUX or j in self.hedge_tokens
            or (j in self.negation_tokens and tokens[j].lower not in ("neither", "nor")))), None)
        if stop is not None and cue.frame != "copula":
            end = stop
        end = self._before_own_verb(start, end)
        while end > start and (tokens[end - 1].lower in ADVERBS or tokens[end - 1].lower.endswith("ly")
                               or tokens[end - 1].text in (",", ";")):
            end -= 1
        return start, end

    def _before_own_verb(self, start: int, end: int) -> int:
        """``BMSC-EVs shifted macrophages ... and reduced X``: the subject ends before a verb the lexicon lacks."""
        tokens = self.tokens
        if not any(tokens[j].lower in ("and", ",") for j in range(start, end)):
            return end
        for j in range(start + 1, end):
            if j in self.names or j in self.hidden or tokens[j].joiner == "-" or not tokens[j].is_word:
                continue
            if tokens[j].lower.endswith("ed") and (j - 1 in self.names or tokens[j - 1].lower.endswith("s")) \
                    and j + 1 < end and tokens[j + 1].lower not in ("by", "from", "with", "in", "at", "to", "for"):
                return j
        return end

    def _right_end(self, k: int) -> int:
        """Where a cue's object words end: at the next verb's own subject, or at the word joining the next verb."""
        end = len(self.tokens)
        if k + 1 < len(self.cues):
            later = k + 1
            end = self.connectors.get(later, self.cues[later].first) if later in self.heads else self.lefts[later][0]
        stop = next((j for j in range(self.cues[k].last, end) if self.tokens[j].text == ";" or j in self.questioned),
                    None)
        return stop if stop is not None else end

    def subject_end_before(self, pos: int) -> tuple[int, int]:
        """The subject words of the clause holding ``pos``, for a property stated without a verb."""
        start = self.clause_start(pos)
        end = next((j for j in range(start + 1, pos) if self.tokens[j].lower in AUX or j in self.hedge_tokens
                    or j in self.negation_tokens or self.tokens[j].text == ","), pos)
        return start, end

    # ------------------------------------------------------------------ negation and hedge scope
    def cue_negated(self, cue: RelationCue) -> bool:
        """A negation among the cue's words or its auxiliaries (``did not increase``, ``failed to reduce``);
        a verb joined by ``or`` to a negated one shares its negation (``without causing A or increasing B``)."""
        k = self.cues.index(cue) if cue in self.cues else -1
        if k in self.heads and k in self.connectors and self.tokens[self.connectors[k]].lower in ("or", "nor"):
            return self.cue_negated(self.cues[self.heads[k]])
        negated = cue.frame != "exert" and any(cue.first <= i < cue.last and self.tokens[i].lower in
                                               ("not", "no", "never") for i in self.negation_tokens)
        if k in range(len(self.lefts)) and k not in self.heads:  # "Neither MSCs nor MSC-Exos induced ..."
            first, last = self.lefts[k]
            negated = negated or any(self.tokens[j].lower in ("neither", "nor") for j in range(first, last))
        j = cue.first - 1
        while j >= 0 and (self.tokens[j].lower in SKIPPABLE or j in self.negation_tokens or j in self.hedge_tokens
                          or self.tokens[j].lower.endswith("ly")):
            negated = negated or j in self.negation_tokens
            j -= 1
        return negated

    def in_scope(self, hedge: HedgeCue, cue: RelationCue, item: Item) -> bool:
        """A hedge before the cue in the same clause, or between the cue and its object, covers the claim."""
        if cue.last <= hedge.first < item.first:
            return True
        if hedge.last > cue.first:
            return False
        if any(self.tokens[j].lower in (";", "but", "whereas", "however") for j in range(hedge.last, cue.first)):
            return False
        start = self.clause_start(cue.first)
        lead = self.tokens[0].lower if self.tokens else ""
        return not (hedge.first < start and lead in SUBORDINATORS
                    and any(self.tokens[j].text == "," for j in range(hedge.last, start)))
