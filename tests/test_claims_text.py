"""The text layer of the claim extractor: tokens, sentences, mentions, abbreviations, cues, hedges, negation."""

from __future__ import annotations

from pathlib import Path

import pytest

from exokg.claims import ConceptScheme, load_scheme
from exokg.claims.abbreviations import find_abbreviations
from exokg.claims.cues import relation_cues, verb_forms
from exokg.claims.hedging import hedge_cues, hypothesis_spans, meta_limit, most_tentative, negation_cues
from exokg.claims.recognise import Mention, recognise
from exokg.claims.sentences import fields_of, section_name, split_sentences
from exokg.claims.tokens import CueText, singular, tokenize
from exokg.model import AbstractSection, Article, Reference, Source

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scheme() -> ConceptScheme:
    return load_scheme(ROOT / "ontology" / "concepts.ttl")


def _mentions(scheme: ConceptScheme, text: str) -> list[Mention]:
    tokens = tokenize(text)
    abbreviations = find_abbreviations(tokens, recognise(tokens, scheme, []))
    return recognise(tokens, scheme, abbreviations)


def test_tokens_keep_offsets_and_remember_hyphens() -> None:
    text = "MSC-derived exosomes (sEVs) reduced IL-1β; stem/stromal cells - x"
    tokens = tokenize(text, offset=100)
    assert [t.text for t in tokens] == ["MSC", "derived", "exosomes", "(", "sEVs", ")", "reduced", "IL", "1β", ";",
                                        "stem", "stromal", "cells", "-", "x"]
    assert [t.joiner for t in tokens][:3] == ["", "-", " "] and tokens[11].joiner == "/"
    assert all(text[t.start - 100:t.end - 100] == t.text for t in tokens)
    assert CueText(tokens).text == "msc-derived exosomes ( sevs ) reduced il-1β ; stem/stromal cells - x"


@pytest.mark.parametrize(("plural", "single"), [("injuries", "injury"), ("diseases", "disease"), ("MSCs", "MSC"),
                                                 ("processes", "process"), ("status", "status"),
                                                 ("apoptosis", "apoptosis"), ("mice", "mouse"), ("Exos", "Exo")])
def test_regular_plurals_fold(plural: str, single: str) -> None:
    assert singular(plural.lower()) == single.lower()


def test_sentences_split_on_real_ends_only() -> None:
    text = ("MSCs (e.g. BMSCs) reduced fibrosis vs. controls (Fig. 2). Exosomes et al. reported 2.5-fold change. "
            "hucMSC-Ex improved survival.  ")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "MSCs (e.g. BMSCs) reduced fibrosis vs. controls (Fig. 2).",
        "Exosomes et al. reported 2.5-fold change.",
        "hucMSC-Ex improved survival."]


def test_fields_cover_title_abstract_sections_and_printed_titles() -> None:
    abstract = "Background: Text one. Results: Text two."
    article = Article(Source("x", "0" * 64), "test", title="T", abstract=abstract,
                      abstract_sections=(AbstractSection("Background", "Text one."),
                                         AbstractSection("Results", "Text two.")),
                      references=(Reference(text="r", title="R one"), Reference(text="no title")),
                      cited_by=(Reference(text="c", title="C one"),))
    fields = fields_of(article)
    assert [(f.section, f.asserted_by, f.offset) for f in fields] == [
        ("title", "article", 0), ("abstract_background", "article", 12), ("abstract_results", "article", 31),
        ("reference_title", "reference:1", 0), ("cited_by_title", "cited_by:1", 0)]
    assert section_name("Materials and Methods") == "abstract_materials_and_methods"


@pytest.mark.parametrize(("text", "expected"), [
    ("hypoxia-preconditioned MSC exosomes", ("hypoxic-msc-exosome", None)),
    ("exosomes from cardiac cells", ("cardiac-cell-exosome", None)),
    ("tumour-derived exosomes", ("tumour-cell-exosome", None)),
    ("plasma exosomes", (None, "plasma-exosome")),
    ("Human Umbilical Cord Mesenchymal Stem Cells-Derived Exosomes", ("uc-msc-exosome", None)),
    ("exosomes derived from preconditioned mesenchymal stem cells", ("preconditioned-msc-exosome", None)),
    ("Exosomes containing miR-21 derived from BMSCs", ("bm-msc-exosome", None)),
    ("mesenchymal stem cell (MSC)-conditioned medium", ("msc-conditioned-medium", None)),
    ("MSCs and their secretome", ("msc-secretome", None)),
])
def test_composites_are_assembled_from_their_parts(scheme: ConceptScheme, text: str,
                                                  expected: tuple[str | None, str | None]) -> None:
    vesicles = [m for m in _mentions(scheme, text) if m.parts is not None and m.parts.vesicle]
    last = vesicles[-1]
    assert (last.key if last.minted is None else None, last.minted.key if last.minted else None) == expected


def test_a_bare_vesicle_word_is_left_for_the_document_to_resolve(scheme: ConceptScheme) -> None:
    (mention,) = _mentions(scheme, "exosomes")
    assert mention.is_bare_vesicle and mention.key == "exosome"


def test_prefixed_forms_are_not_the_concept(scheme: ConceptScheme) -> None:
    keys = [(m.key, m.negated) for m in _mentions(scheme, "anti-inflammatory and non-immunogenic anti-fibrosis")]
    assert keys == [("anti-inflammatory-effect", False), ("immunogenicity", True)]


def test_abbreviations_defined_in_the_text(scheme: ConceptScheme) -> None:
    tokens = tokenize("Exosomes derived from human umbilical cord MSCs (hucMSC-Ex) and connective tissue growth "
                      "factor (CTGF)")
    found = find_abbreviations(tokens, recognise(tokens, scheme, []))
    assert [(a.written, a.key, a.minted.key if a.minted else None, a.long_form) for a in found] == [
        (("hucMSC", "Ex"), "uc-msc-exosome", None, False),
        (("CTGF",), None, "connective-tissue-growth-factor", False),
        (("connective", "tissue", "growth", "factor"), None, "connective-tissue-growth-factor", True)]
    later = tokenize("hucMSC-Ex lowered CTGF")
    assert [(m.key, m.minted.key if m.minted else None) for m in recognise(later, scheme, found)] == [
        ("uc-msc-exosome", None), (None, "connective-tissue-growth-factor")]


def test_microrna_names_are_minted_terms(scheme: ConceptScheme) -> None:
    (mention,) = _mentions(scheme, "miR-148a-3p")
    assert mention.minted is not None and (mention.minted.key, mention.minted.label) == ("mir-148a-3p", "miR-148a-3p")


def test_verb_forms() -> None:
    assert verb_forms("reduce") == ("reduce", "reduces", "reduced", "reducing")
    assert verb_forms("carry") == ("carry", "carries", "carried", "carrying")
    assert verb_forms("suppress") == ("suppress", "suppresses", "suppressed", "suppressing")


@pytest.mark.parametrize(("text", "expected"), [
    ("MSC-EVs reduced fibrosis", [("reduced", "decreases", "active", "finite")]),
    ("IL-6 was reduced by MSC-EVs", [("reduced", "decreases", "inverse", "passive")]),
    ("effects are largely mediated by exosomes", [("mediated", "mediates", "inverse", "passive")]),
    ("an increase in IL-6 and the reduced apoptosis", []),
    ("inflammation-induced injury and MSC-derived exosomes", []),
    ("exosomes play a key role in angiogenesis", [("play", "mediates", "active", "finite")]),
    ("It is widely recognized that", []),
    ("exosomes are small vesicles", [("are", "is_a", "copula", "finite")]),
    ("they have been shown to", []),
])
def test_relation_cues(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    tokens = tokenize(text)
    found = relation_cues(CueText(tokens), set())
    assert [(tokens[c.verb].text, c.relation, c.frame, c.form) for c in found] == expected


@pytest.mark.parametrize(("text", "levels"), [
    ("MSC-EVs reduced fibrosis", []),
    ("MSC-EVs can reduce fibrosis", []),
    ("MSC-EVs may reduce fibrosis", ["possible"]),
    ("exosomes have shown promise in treating", ["possible"]),
    ("These results suggest that MSC-EVs are likely to help", ["probable", "probable"]),
    ("They are also thought to help", ["probable"]),
    ("Exosomes have been recently reported to play a role", ["probable"]),
    ("We propose here that MSC exosomes function", ["hypothesised"]),
    ("has led to the proposal that MSCs", ["hypothesised"]),
])
def test_hedge_cues_and_levels(text: str, levels: list[str]) -> None:
    tokens = tokenize(text)
    cues = hedge_cues(CueText(tokens), text, 0, set())
    assert [c.level for c in cues] == levels
    assert most_tentative(levels) == (max(levels, key=["asserted", "probable", "possible",
                                                       "hypothesised"].index) if levels else "asserted")


def test_hedge_cues_are_reported_as_written() -> None:
    text = "They are also   thought to help"
    (cue,) = hedge_cues(CueText(tokenize(text, 10)), text, 10, set())
    assert cue.text == "are also thought to"


def test_negation_cues_skip_pseudo_negations() -> None:
    tokens = tokenize("not only did it not increase, it was without risk and no longer")
    spans = negation_cues(CueText(tokens))
    assert [" ".join(t.text for t in tokens[a:b]) for a, b in spans] == ["not", "without"]


@pytest.mark.parametrize(("text", "limit"), [
    ("This review summarizes the role of exosomes.", "all"),
    ("In this study, we investigated whether EVs reduce AKI and found that EVs reduced fibrosis.", 13),
    ("The natural contents of exosomes are also discussed.", "all"),
    ("Here, we show that EVs reduce fibrosis.", None),
])
def test_sentences_about_the_article_itself(text: str, limit: int | str | None) -> None:
    tokens = tokenize(text)
    found = meta_limit(CueText(tokens))
    assert found == (len(tokens) if limit == "all" else limit)


def test_a_named_hypothesis_hedges_the_sentences_inside_it() -> None:
    texts = ["MSCs are used.", "we propose here that exosomes act.", "exosomes help.", "they target x.",
             "this hypothesis explains y.", "exosomes restore z."]
    assert hypothesis_spans(texts) == {2: 1, 3: 1}
    assert hypothesis_spans(texts[:4]) == {}
