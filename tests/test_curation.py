"""Curated claims: add, reject and correct, each refused unless its evidence is verbatim in the article."""

from __future__ import annotations

from pathlib import Path

import pytest

from exokg.curation import CurationError, apply_curation, load_curation
from exokg.model import Article, Assertion, ConceptRef, Source

ABSTRACT = ("Mesenchymal stem cells (MSCs) act through paracrine factors. MSC-derived exosomes contain "
            "cytokines and growth factors. MSC exosomes help maintain tissue homeostasis.")
ARTICLE = Article(Source("003.txt", "0" * 64), "pubmed", title="Mesenchymal stem cell exosomes",
                  doi="10.1016/j.semcdb.2015.03.001", abstract=ABSTRACT)
CONCEPTS = {"msc-exosome": "MSC-derived exosome", "cytokine": "cytokine", "growth-factor": "growth factor",
            "homeostasis": "homeostasis", "msc": "mesenchymal stem cell"}
EXO, CYTO = ConceptRef("msc-exosome", "MSC-derived exosome", "MSC-derived exosomes"), ConceptRef(
    "cytokine", "cytokine", "cytokines")
CONTAIN = "MSC-derived exosomes contain cytokines and growth factors."
EXTRACTED = {"003.txt": (Assertion(EXO, "contains", CYTO, False, "asserted", (), CONTAIN, ABSTRACT.index(CONTAIN),
                                   ABSTRACT.index(CONTAIN) + len(CONTAIN), "abstract"),)}


def curate(tmp_path: Path, text: str) -> tuple[dict[str, tuple[Assertion, ...]], list[str]]:
    path = tmp_path / "curation.yaml"
    path.write_text(text, encoding="utf-8")
    return apply_curation(path, load_curation(path), [ARTICLE], EXTRACTED, CONCEPTS)


def test_no_file_means_no_entries(tmp_path: Path) -> None:
    assert load_curation(tmp_path / "curation.yaml") == ()


def test_add_a_missed_claim_with_offsets(tmp_path: Path) -> None:
    found, warnings = curate(tmp_path, """
- action: add
  article: doi:10.1016/J.SEMCDB.2015.03.001
  evidence: "MSC exosomes help maintain tissue homeostasis."
  subject: msc-exosome
  relation: increases
  object: homeostasis
  hedge: probable
  note: the authors' hypothesis
""")
    added = found["003.txt"][-1]
    assert (added.subject.key, added.relation, added.object.key, added.hedge_level, added.method) == (
        "msc-exosome", "increases", "homeostasis", "probable", "curated")
    assert ABSTRACT[added.start:added.end] == added.evidence and added.section == "abstract"
    assert warnings == []


def test_reject_and_correct_an_extracted_claim(tmp_path: Path) -> None:
    found, _ = curate(tmp_path, f"""
- action: reject
  article: 003.txt
  evidence: "{CONTAIN}"
  subject: msc-exosome
  relation: contains
  object: cytokine
""")
    assert found["003.txt"] == ()
    found, _ = curate(tmp_path, f"""
- action: correct
  article: 003.txt
  evidence: "{CONTAIN}"
  subject: msc-exosome
  relation: contains
  object: cytokine
  set: {{object: growth-factor, hedge: possible}}
""")
    corrected = found["003.txt"][0]
    assert (corrected.object.key, corrected.hedge_level) == ("growth-factor", "possible")
    assert corrected.method == "exokg-rules; corrected by curation"


def test_evidence_not_in_the_article_is_refused_with_the_nearest_sentence(tmp_path: Path) -> None:
    with pytest.raises(CurationError) as info:
        curate(tmp_path, """
- action: add
  article: 003.txt
  evidence: "MSC exosomes help to maintain tissue homeostasis."
  subject: msc-exosome
  relation: increases
  object: homeostasis
""")
    message = str(info.value)
    assert "curation.yaml: entry 1 (add)" in message
    assert "nearest sentence: 'MSC exosomes help maintain tissue homeostasis.'" in message


def test_malformed_entries_are_all_reported(tmp_path: Path) -> None:
    with pytest.raises(CurationError) as info:
        curate(tmp_path, """
- action: promote
  article: 003.txt
- action: add
  article: 003.txt
  evidence: x
  subject: msc-exosome
  relation: cures
  object: homeostasis
  hedge: certain
""")
    message = str(info.value)
    assert "entry 1: action must be one of add, reject, correct" in message
    assert "entry 2: relation must be one of" in message and "entry 2: hedge must be one of" in message


def test_unknown_article_concept_and_unmatched_reject(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="no article 'pmid:1' in the corpus"):
        curate(tmp_path, "- {action: add, article: 'pmid:1', evidence: x, subject: a, relation: is_a, object: b}\n")
    with pytest.raises(CurationError, match="no concept 'unicorn'"):
        curate(tmp_path, f"- {{action: add, article: 003.txt, evidence: '{CONTAIN}', subject: unicorn, "
                         "relation: is_a, object: msc}\n")
    found, warnings = curate(tmp_path, f"- {{action: reject, article: 003.txt, evidence: '{CONTAIN}', "
                                       "subject: msc, relation: is_a, object: 'term:paracrine factor'}\n")
    assert len(found["003.txt"]) == 1 and "nothing to reject" in warnings[0]
