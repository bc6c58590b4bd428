"""Reading the corpus fast gives what the simple ways give: the parse, claims and graph stages' fast paths.

Each fast path is checked against the simple one it stands for, on the seed corpus, on the claim test
cases, on a synthetic corpus (``bench/corpus.py``) and on hand-made cases aimed at where the two could
part: the label index against the scan of every window length, cue matching from candidate positions
against ``finditer``, the one-string sort key against :func:`~exokg.graph.mapping.triple_order`, the
link-label shortcut against the search, the shortcut in IRI escaping against the character rule, and
claims read once per distinct document, and in worker processes, against every article read on its own.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import re
import sys
from pathlib import Path

import pytest
from project_fixtures import synthetic_project
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from exokg.claims import ConceptScheme, extract, extract_corpus, hedging, load_scheme, questions
from exokg.claims.cues import RULES
from exokg.claims.documents import document_claims
from exokg.claims.parallel import _shares, claims_in_processes, processes_for
from exokg.claims.recognise import label_at, label_at_scan
from exokg.claims.sentences import fields_of, sentences_of
from exokg.claims.tokens import CueText, Token, leading_words, normal_form, shortcuts, tokenize
from exokg.config import load_config
from exokg.graph.iris import escape, escape_chars
from exokg.graph.mapping import DatasetInfo, map_bibliography, sort_triples, triple_order
from exokg.model import Article, Reference, Source
from exokg.pipeline import read_graph
from exokg.records import merge_records
from exokg.sources import read_corpus
from exokg.sources.references import _TRAILING_LABELS, clean_entry_text, trailing_labels
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def scheme() -> ConceptScheme:
    return load_scheme(ROOT / "ontology" / "concepts.ttl")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project around 40 synthetic articles (no curation file: it curates the seed articles)."""
    return synthetic_project(tmp_path_factory.mktemp("synthetic") / "project", 40, 11)


def _case_articles() -> list[Article]:
    cases = json.loads((ROOT / "tests" / "data" / "claims" / "cases.json").read_text(encoding="utf-8"))["cases"]
    return [Article(Source(case["id"], "0" * 64), "test", title=case["title"], abstract=case["abstract"],
                    references=tuple(Reference(text=t, title=t) for t in case["reference_titles"]))
            for case in cases]


@pytest.fixture(scope="module")
def articles(synthetic: Path) -> dict[str, list[Article]]:
    seed = merge_records(read_corpus(sorted((ROOT / "corpus").iterdir()))).corpus.articles
    made = merge_records(read_corpus(sorted((synthetic / "corpus").iterdir()))).corpus.articles
    return {"seed": list(seed), "cases": _case_articles(), "synthetic": list(made)}


@pytest.fixture(scope="module")
def sentences(articles: dict[str, list[Article]]) -> list[list[Token]]:
    """The tokens of every sentence of every field claims are read from, in all three corpora."""
    return [tokenize(s.text, s.start) for group in articles.values() for a in group for f in fields_of(a)
            for s in sentences_of(f)]


# ------------------------------------------------------------------ claims


def test_the_label_index_finds_the_mentions_the_window_scan_finds(scheme: ConceptScheme,
                                                                 sentences: list[list[Token]]) -> None:
    found = 0
    for tokens in sentences:
        for i in range(len(tokens)):
            fast, simple = label_at(tokens, i, scheme), label_at_scan(tokens, i, scheme)
            assert fast == simple, " ".join(t.text for t in tokens)
            found += fast is not None
    assert len(sentences) > 1000 and found > 2000  # the corpora do name concepts: an empty index would not pass


def test_the_label_index_on_labels_that_begin_alike(scheme: ConceptScheme) -> None:
    # Every leading run of a label is a prefix; the longest label that fits wins, with its casing rules.
    for text in ("bone marrow mesenchymal stem cell derived exosomes reduced it",
                 "bone marrow-derived MSCs", "mesenchymal stem", "MSC exosomes", "msc exosomes", "Msc-Exos",
                 "extracellular vesicles' cargo", "stem cells (MSCs) and MSC-EVs", "the MSCs' secretome"):
        tokens = tokenize(text)
        for i in range(len(tokens)):
            assert label_at(tokens, i, scheme) == label_at_scan(tokens, i, scheme), (text, i)


# Every pattern the extractor runs over a sentence's cue text, and hand-made sentences aimed at the edges of
# the shortcuts: a rule whose body is an alternation (the look-behind guards only its first branch, so a
# match of the second may start inside a word), cue words glued to letters, hyphens or apostrophes, and
# sentences that start or end on a cue.
_PATTERNS = ([rule.pattern for rule in RULES] + [pattern for _, _, pattern in hedging.HEDGES]
             + [hedging.NEGATIONS, hedging._PSEUDO_NEGATIONS, questions.ASKING, questions.IGNORANCE,
                questions._NOT_ASKING])
_EDGES = (
    "This is free of toxicity and these are devoid of it.", "MSC-EVs lack immunogenicity", "isfree of",
    "non-reduced and pre-increased levels", "it's reduced", "reduced", "display a role in", "the-increase",
    "Exosomes play a key role in repair and are involved in signalling", "up-regulated and down-regulating",
    "They were effective in the treatment of sepsis, protective against injury; rich in miR-21.",
    "Whether MSCs may not reduce it remains unclear, but they did not fail to increase it.",
)


def _spans(found: list[tuple[int, int, re.Match[str]]]) -> list[tuple[object, ...]]:
    return [(first, last, m.span(), m.groupdict()) for first, last, m in found]


def test_cue_matching_with_its_shortcuts_finds_what_finditer_finds(sentences: list[list[Token]]) -> None:
    texts = [CueText(tokens) for tokens in sentences] + [CueText(tokenize(t)) for t in _EDGES]
    found = skipped = 0
    for cue_text in texts:
        for pattern in _PATTERNS:
            fast = _spans(cue_text.finditer(pattern))
            assert fast == _spans(cue_text.finditer_plain(pattern)), (pattern.pattern[:60], cue_text.text)
            found += len(fast)
            leading = shortcuts(pattern).leading
            skipped += leading is not None and leading.isdisjoint(cue_text.words)
    assert found > 1000 and skipped > 10 * len(texts)  # matches are found, and most patterns skipped


def test_every_pattern_the_extractor_runs_has_shortcuts() -> None:
    # All but one rule, "lack ... | is free of": its look-behind and its look-ahead each guard one branch only.
    missing = [p.pattern for p in _PATTERNS if shortcuts(p).leading is None or shortcuts(p).candidates is None]
    assert len(missing) == 1 and "lacking" in missing[0] and "free of" in missing[0]


def test_the_leading_words_of_patterns() -> None:
    def words(pattern: str, flags: int = 0) -> frozenset[str] | None:
        return leading_words(re.compile(pattern, flags))

    assert words(r"(?<![\w-])(?P<v>plays|play) (?:a|an) role(?![\w-])") == {"play", "plays"}
    assert words(r"(?:is|are) (?:\w+ly )*shown") == {"is", "are"}
    assert words(r"up-regulat(?:es|ed)|down(?![\w-])") == {"up", "down"}
    assert words(r"(?:a|b)?c(?!\w)") == {"ac", "bc", "c"}
    assert words(r"advantages?(?![\w-])") == {"advantage", "advantages"}
    assert words(r"[ab]x(?![\w-])") == {"ax", "bx"}
    assert words(r"in vitro") == {"in"}
    assert words(r"play") is None  # the word may run on: "player"
    assert words(r"\w+ly (?:reduced)") is None and words(r"(?:play)?") is None and words(r"\(x\)") is None
    assert words(r"play(?!\w)", re.IGNORECASE) is None and words(r"play(?!\w)", re.ASCII) is None
    assert words(r"(?i:play)(?!\w)") is None and words(r"(a)\1 ") is None


def test_cue_matching_leaves_empty_matches_to_finditer() -> None:
    cue_text = CueText(tokenize("xx y x-x xxx"))
    pattern = re.compile(r"(?<![\w-])x*")
    assert shortcuts(pattern).candidates is not None
    assert _spans(cue_text.finditer(pattern)) == _spans(cue_text.finditer_plain(pattern))
    assert [m.group() for _, _, m in cue_text.finditer(pattern)] == ["xx", "x", "xxx"]


def test_tokens_keep_their_derived_forms_out_of_equality() -> None:
    first, again = tokenize("Mice\u2019s MSCs (hucMSC-Ex)"), tokenize("Mice\u2019s MSCs (hucMSC-Ex)")
    assert first == again and [t.norm for t in first] == [normal_form(t.text) for t in first]
    changed = dataclasses.replace(first[0], text="Injuries")
    assert (changed.lower, changed.norm, changed.is_word) == ("injuries", "injury", True)
    assert [(t.text, t.is_word, t.joiner) for t in first][3:5] == [("hucMSC", True, " "), ("Ex", True, "-")]


def test_categories_asked_twice_are_the_same(scheme: ConceptScheme) -> None:
    for key in [*scheme.concepts, "", "no-such-concept"]:
        assert scheme.category(key) == scheme._category(key) == scheme.category(key)


def _per_article(group: list[Article], scheme: ConceptScheme) -> dict[str, tuple[object, ...]]:
    return {a.source.key: extract(a, scheme) for a in group}


def test_claims_read_once_per_distinct_document_are_every_article_s_own(
        scheme: ConceptScheme, articles: dict[str, list[Article]]) -> None:
    claims = 0
    for name, group in articles.items():
        together = extract_corpus(group, scheme, processes=0)
        assert together == _per_article(group, scheme), name
        claims += sum(len(found) for found in together.values())
    assert claims > 200
    # Two reference titles printed alike in one article are two documents with one key: both keep their claims.
    title = "MSC-derived exosomes reduced inflammation in mice"
    article = Article(Source("twice", "0" * 64), "test", title="Exosomes",
                      references=(Reference(text=title, title=title), Reference(text=title, title=title)))
    found = extract_corpus([article], scheme, processes=0)["twice"]
    assert {a.asserted_by for a in found} == {"reference:1", "reference:2"} and found == extract(article, scheme)


def test_claims_read_in_worker_processes_are_the_ones_read_here(
        scheme: ConceptScheme, articles: dict[str, list[Article]]) -> None:
    group = articles["synthetic"] + articles["cases"]
    here = extract_corpus(group, scheme, processes=0)
    assert extract_corpus(group, scheme, processes=1) == here
    assert extract_corpus(group, scheme, processes=2) == here


def test_a_worker_that_cannot_start_costs_only_time(scheme: ConceptScheme, articles: dict[str, list[Article]],
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    documents = [list(sentences_of(f)) for a in articles["seed"] for f in fields_of(a)]
    monkeypatch.setattr(sys, "executable", str(ROOT / "no-such-python"))
    with caplog.at_level(logging.WARNING, logger="exokg"):
        found = claims_in_processes(documents, scheme, 1)
    assert found == [document_claims(d, scheme) for d in documents]
    assert "no-such-python" in caplog.text and "read here instead" in caplog.text


def test_shares_are_contiguous_runs_of_about_equal_text(articles: dict[str, list[Article]]) -> None:
    documents = [list(sentences_of(f)) for a in articles["synthetic"] for f in fields_of(a)]
    for count in (1, 2, 3, 7):
        shares = _shares(documents, count)
        assert len(shares) == count and [i for share in shares for i in share] == list(range(len(documents)))
    sizes = [sum(len(s.text) for i in share for s in documents[i]) for share in _shares(documents, 2)]
    assert abs(sizes[0] - sizes[1]) < 0.2 * sum(sizes)
    assert processes_for(10, cores=8) == 0 and processes_for(10**9, cores=1) == 0
    assert processes_for(10**9, cores=4) == 3


# ------------------------------------------------------------------ graph


def _reference_sort(triples: list[Triple]) -> list[Triple]:
    return sorted(set(triples), key=triple_order)


def test_the_one_string_sort_key_orders_the_graph_as_triple_order(synthetic: Path) -> None:
    for project in (ROOT, synthetic):
        triples = read_graph(load_config(project, environ={})).triples
        shuffled = triples + triples[: len(triples) // 3]
        random.Random(5).shuffle(shuffled)
        assert sort_triples(shuffled) == _reference_sort(shuffled) == triples


def test_the_one_string_sort_key_where_one_term_begins_another() -> None:
    a, ab, p, q = NamedNode("http://x/a"), NamedNode("http://x/a/b"), NamedNode("http://x/p"), NamedNode("http://x/pq")
    rdf_type = NamedNode(RDF_TYPE)
    terms = [a, ab, BlankNode("b1"), BlankNode("b10"), BlankNode("b1a")]
    objects = [*terms[:2], Literal("x"), Literal("x", language="en"), Literal("x\u0000y"), Literal(""),
               Literal("1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")), Literal("x y")]
    triples = [Triple(s, pred, o) for s in terms for pred in (p, q, rdf_type) for o in objects]
    random.Random(1).shuffle(triples)
    assert sort_triples(triples + triples[:10]) == _reference_sort(triples)


def test_the_bibliography_unsorted_sorts_to_the_sorted_one(articles: dict[str, list[Article]]) -> None:
    import datetime as dt

    info = DatasetInfo("https://example.org/kg/", "t", "d", "https://example.org/licence", dt.date(2024, 1, 2))
    bib = resolve(merge_records(read_corpus(sorted((ROOT / "corpus").iterdir()))).corpus)
    assert sort_triples(map_bibliography(bib, info, ordered=False)) == map_bibliography(bib, info)


def test_escaping_with_the_shortcut_is_the_character_rule(articles: dict[str, list[Article]]) -> None:
    identifiers = {x.lower() for group in articles.values() for a in group
                   for x in (a.doi, a.pmid, a.pmcid, *(v for r in a.references for v in (r.doi, r.pmid, r.pmcid)))
                   if x}
    names = {a.source.name for group in articles.values() for a in group}
    made = {"10.1000/abc_def", "10.1000/a/b.c-d", "abc", "", "a b", "ü", "x~y", "a_b/c", "pubmed-1.xml", "A"}
    assert len(identifiers) > 50
    for identifier in identifiers | names | made:
        for slash in (True, False):
            expected = escape_chars(identifier, slash_as_underscore=slash)
            if len(expected) <= 180:
                assert escape(identifier, slash_as_underscore=slash) == expected, identifier


# ------------------------------------------------------------------ parse


def test_the_link_label_shortcut_finds_what_the_search_finds(articles: dict[str, list[Article]]) -> None:
    lines = [r.text for group in articles.values() for a in group for r in a.references]
    made = ["Lai RC. Title. Stem Cell Res. 2010;4:214-22. PubMed", "Title. J. 2019. [PMC free article] [PubMed]",
            "Title. J. 2019;1:2. - DOI - PMC - PubMed", "Title. 2019. Google Scholar", "Title. 2019. Crossref",
            "Title. 2019. Search in Google Scholar", "Title. 2019. View Article Google Scholar", "PubMed",
            "An Abstract", "Chemical Abstracts CAS", "Title. 2019. CAS", "x]", "Title. doi: 10.1/x", "", "12.",
            "Title. 2019. OpenURL", "Title. 2019. Find this article online", "[Google Scholar]", "Title. 2019 ]"]
    assert len(lines) > 500
    for line in lines + [clean_entry_text(m) for m in made] + made:
        text = " ".join(line.split())
        fast, simple = trailing_labels(text), _TRAILING_LABELS.search(text)
        assert (fast and fast.span()) == (simple and simple.span()), text
