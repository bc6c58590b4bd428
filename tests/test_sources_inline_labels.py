"""Structured abstracts printed as one paragraph: ``Background: ... Methods: ... Results: ... Conclusions: ...``."""

from __future__ import annotations

from pathlib import Path

import pytest

from exokg.claims import ConceptScheme, extract, load_scheme
from exokg.model import Article, Source
from exokg.sources import read_page
from exokg.sources.inline_labels import inline_sections, split_inline
from exokg.sources.reading import parse_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "data" / "pages"


@pytest.fixture(scope="module")
def scheme() -> ConceptScheme:
    return load_scheme(ROOT / "ontology" / "concepts.ttl")


def _in_order(article: Article) -> None:
    """Every section is a slice of the whole abstract, in order."""
    abstract, cursor = article.abstract or "", 0
    for section in article.abstract_sections:
        at = abstract.find(section.text, cursor)
        assert at >= 0, section.label
        cursor = at + len(section.text)


def test_inline_labels_after_a_leading_label_become_sections() -> None:
    article = read_page(PAGES / "pubmed_inline_structured.txt")
    assert [s.label for s in article.abstract_sections] == ["Background", "Materials and methods", "RESULTS",
                                                            "Conclusion"]
    assert article.abstract is not None and article.abstract.startswith("Background: Chronic kidney disease")
    assert "RESULTS: hUC-MSC-sEVs reduced" in article.abstract  # the whole text, as printed
    assert article.abstract_sections[1].text.endswith("; the results: of each assay were read blind.")
    assert article.abstract_sections[3].text == "hUC-MSC-sEVs attenuate renal fibrosis."
    _in_order(article)


def test_an_unlabelled_opening_stays_unlabelled() -> None:
    article = read_page(PAGES / "pubmed_inline_unlabelled_start.txt")
    assert [s.label for s in article.abstract_sections] == [None, "Methods", "Findings", "Interpretation"]
    assert article.abstract_sections[0].text == ("Periodontitis destroys the tooth-supporting tissues. We tested "
                                                 "dental pulp stem cell exosomes in a rat model.")
    _in_order(article)


def test_one_label_or_a_label_inside_a_sentence_splits_nothing() -> None:
    article = read_page(PAGES / "pubmed_one_inline_label.txt")
    assert article.abstract_sections == ()
    assert article.abstract is not None and "two results: BMSC exosomes" in article.abstract


@pytest.mark.parametrize(("text", "labels"), [
    ("Aim: to test X. Methods: we did Y. Results: Y worked.", ["Aim", "Methods", "Results"]),
    ("OBJECTIVES: to test X. DESIGN: cohort. SETTING: two clinics. PARTICIPANTS: 40 adults. FINDINGS: none.",
     ["OBJECTIVES", "DESIGN", "SETTING", "PARTICIPANTS", "FINDINGS"]),
    ("Purpose: to test X! Results: it worked. Significance: a new therapy.", ["Purpose", "Results", "Significance"]),
    ("Introduction: X matters. Results: Y. Conclusions: Z.", ["Introduction", "Results", "Conclusions"]),
    # out of order: the later "Background:" is text of the conclusions
    ("Methods: we did Y. Conclusions: Y works. Background: repeated.", ["Methods", "Conclusions"]),
    ("We studied the results: they were mixed. Conclusion: unclear.", [None]),
    ("Results: only one label here.", [None]),
])
def test_split_inline(text: str, labels: list[str | None]) -> None:
    parts = split_inline(text)
    assert [label for label, _ in parts] == labels
    cursor = 0
    for _, body in parts:
        at = text.find(body, cursor)
        assert at >= 0
        cursor = at + len(body)


def test_a_section_label_already_read_counts_towards_the_structure() -> None:
    assert split_inline("X matters. Results: Y.", "Background") == [("Background", "X matters."), ("Results", "Y.")]
    assert split_inline("X matters.", "Background") == [("Background", "X matters.")]
    assert inline_sections("Plain text. Nothing labelled.") == ()


def test_a_meta_tag_abstract_with_inline_labels_is_structured() -> None:
    html = ("<html><head><meta name='citation_title' content='MSC exosomes in sepsis'>"
            "<meta name='citation_doi' content='10.5555/meta.1'>"
            "<meta name='citation_abstract' content='Background: Sepsis kills. Methods: Mice were treated. "
            "Results: MSC exosomes reduced lung injury. Conclusions: They help.'></head><body></body></html>")
    article = parse_text(html, Source("meta.html", "0" * 64))
    assert [s.label for s in article.abstract_sections] == ["Background", "Methods", "Results", "Conclusions"]
    _in_order(article)


def test_claims_carry_the_inline_section_with_offsets_into_the_whole_abstract(scheme: ConceptScheme) -> None:
    article = read_page(PAGES / "pubmed_inline_structured.txt")
    found = [(a.section, a.start, a.end, a.subject.key, a.relation, a.object.key)
             for a in extract(article, scheme) if a.section != "title"]
    assert found == [
        ("abstract_results", 308, 388, "uc-msc-sev", "decreases", "fibrosis"),
        ("abstract_results", 308, 388, "uc-msc-sev", "decreases", "macrophage-infiltration"),
        ("abstract_results", 389, 426, "uc-msc-sev", "contains", "mir-29b"),
        ("abstract_conclusion", 439, 477, "uc-msc-sev", "treats", "renal-fibrosis"),
    ]
    abstract = article.abstract or ""
    for a in extract(article, scheme):
        if a.section != "title":
            assert abstract[a.start:a.end] == a.evidence
    assert abstract[308:388] == ("hUC-MSC-sEVs reduced collagen deposition and suppressed macrophage "
                                 "infiltration.")
