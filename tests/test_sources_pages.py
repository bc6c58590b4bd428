"""Saved article pages → Article: the five seed pages against their gold annotations, then pages
written to break the parser (other layouts, other scripts, truncated, empty, binary, not articles)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from exokg.model import Article, Source
from exokg.sources import (
    read_page,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "data" / "gold"
PAGES = ROOT / "tests" / "data" / "pages"
SEEDS = sorted(p.stem for p in CORPUS.glob("*.txt"))
NOT_RECOGNISED = "layout not recognised: read with the generic strategy (labels, identifiers, title heuristic)"


def gold(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return data


def seed(stem: str) -> Article:
    return read_page(CORPUS / f"{stem}.txt")


def page(name: str) -> Article:
    return read_page(PAGES / name)


def lower(value: str | None) -> str | None:
    return value.lower() if value is not None else None


# --- the five seeds against the gold annotations -------------------------------------------------


def test_the_seeds_are_all_there() -> None:
    assert SEEDS == [
        "000_b0dba30be5b40557",
        "001_198188e5e58b3eba",
        "002_1498dab3321b66eb",
        "003_96a32d462d26ac30",
        "004_c660c23f5c855c09",
    ]


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_identifiers_match_gold(stem: str) -> None:
    article, expected = seed(stem), gold(stem)
    assert article.pmid == expected["pmid"]
    assert lower(article.doi) == lower(expected["doi"])
    assert article.pmcid == expected["pmcid"]


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_bibliographic_fields_match_gold(stem: str) -> None:
    article, expected = seed(stem), gold(stem)
    assert article.title == expected["title"]
    assert article.journal == expected["journal"]
    assert article.year == expected["year"]
    assert article.publication_date == expected["publication_date"].removesuffix(" (Epub)")


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_authors_and_keywords_match_gold(stem: str) -> None:
    article, expected = seed(stem), gold(stem)
    assert [a.name for a in article.authors] == expected["authors"]
    assert article.authors_complete is not expected.get("authors_et_al", False)
    assert list(article.keywords) == expected["keywords"]


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_reference_list_matches_gold(stem: str) -> None:
    article, expected = seed(stem), gold(stem)
    assert len(article.references) == expected["n_references_on_page"]
    assert [r.doi for r in article.references if r.doi] == [d.lower() for d in expected["reference_dois"]]


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_citing_articles_match_gold(stem: str) -> None:
    article, expected = seed(stem), gold(stem)
    assert len(article.cited_by) == expected["n_citing_articles_on_page"]
    assert [r.pmid for r in article.cited_by] == expected.get("citing_article_pmids", [])
    assert [r.doi for r in article.cited_by] == [d.lower() for d in expected.get("citing_article_dois", [])]


@pytest.mark.parametrize("stem", [s for s in SEEDS if "volume_pages" in gold(s)])
def test_seed_volume_and_pages_match_gold(stem: str) -> None:
    article = seed(stem)
    issue = f"({article.issue})" if article.issue else ""
    assert f"{article.volume}{issue}:{article.pages}" == gold(stem)["volume_pages"]


def test_seed_004_reference_dois_are_never_invented() -> None:
    # Its references carry "- DOI" link markers but no DOI strings.
    assert [r.doi for r in seed("004_c660c23f5c855c09").references] == [None] * 5


def test_seed_002_listing_extras_match_gold() -> None:
    article, expected = seed("002_1498dab3321b66eb"), gold("002_1498dab3321b66eb")
    assert article.publisher == expected["publisher"]
    assert article.citation_count == expected["citations_stated"]


# --- seeds: what the gold does not cover, read off the pages ---------------------------------------


@pytest.mark.parametrize(
    ("stem", "layout", "volume", "issue", "pages", "epub", "types"),
    [
        ("000_b0dba30be5b40557", "pubmed", "25", None, "355-366", None, ("Review",)),
        ("001_198188e5e58b3eba", "pubmed", "2017", None, "6305295", "2017 Dec 19", ("Review",)),
        ("002_1498dab3321b66eb", "listing", None, None, None, None, ()),
        ("003_96a32d462d26ac30", "pubmed", "40", None, "82-8", "2015 Mar 9", ("Review",)),
        ("004_c660c23f5c855c09", "pubmed", "54", "Suppl 2", "789-792", None, ("Review",)),
    ],
)
def test_seed_citation_details(
    stem: str,
    layout: str,
    volume: str | None,
    issue: str | None,
    pages: str | None,
    epub: str | None,
    types: tuple[str, ...],
) -> None:
    article = seed(stem)
    assert (article.layout, article.volume, article.issue, article.pages) == (layout, volume, issue, pages)
    assert article.epub_date == epub
    assert article.publication_types == types
    assert article.warnings == ()


@pytest.mark.parametrize(
    ("stem", "start", "end"),
    [
        ("000_b0dba30be5b40557", "As a prominent research area", "of exosomes derived from MSCs."),
        ("001_198188e5e58b3eba", "Mesenchymal stem cells have been at the forefront", "are also discussed."),
        (
            "002_1498dab3321b66eb",
            "Mesenchymal stem/stromal cells (MSCs) have been",
            "new cell-free therapeutic paradigm.",
        ),
        ("003_96a32d462d26ac30", "MSCs are an extensively used cell type", "leading to tissue recovery and repair."),
        (
            "004_c660c23f5c855c09",
            "Mesenchymal stem/stromal cells (MSCs) are commonly",
            "cell-free therapeutic strategy.",
        ),
    ],
)
def test_seed_abstract_is_the_whole_paragraph(stem: str, start: str, end: str) -> None:
    article = seed(stem)
    assert article.abstract is not None
    assert article.abstract.startswith(start)
    assert article.abstract.endswith(end)
    assert "\n" not in article.abstract
    assert article.abstract_sections == ()


def test_seed_002_has_no_authors_and_no_placeholder_affiliation() -> None:
    article = seed("002_1498dab3321b66eb")
    assert article.authors == ()
    assert article.affiliations == ()


def test_seed_000_references_are_parsed_into_fields() -> None:
    first, _, third, fourth, fifth = seed("000_b0dba30be5b40557").references
    assert first.text == (
        "Hade M.D., Suire C.N., Suo Z.C. Mesenchymal stem cell-derived exosomes: applications in regenerative "
        "medicine. Cells. 2021;10(8) doi: 10.3390/cells10081959. ARTN 1959."
    )
    assert first.authors == ("Hade M.D.", "Suire C.N.", "Suo Z.C.")
    assert first.title == "Mesenchymal stem cell-derived exosomes: applications in regenerative medicine"
    assert (first.journal, first.year, first.volume, first.issue) == ("Cells", 2021, "10", "8")
    assert (third.journal, third.year, third.volume, third.issue, third.pages) == (
        "Cell Transplant",
        2016,
        "25",
        "5",
        "829-848",
    )
    assert fourth.journal == "P Natl Acad Sci USA"
    assert fourth.authors == ("Lin R.Z.", "Moreno-Luna R.", "Li D.")
    assert fourth.authors_complete is False
    assert fifth.title == "Exosomes: composition, biogenesis and function"
    assert fifth.pmid is None and fifth.pmcid is None


def test_seed_001_references_with_spaced_initials_and_ampersand_journal() -> None:
    refs = seed("001_198188e5e58b3eba").references
    assert refs[0].authors == ("Toma C.", "Wagner W. R.", "Bowry S.", "Schwartz A.", "Villanueva F.")
    assert refs[0].journal == "Circulation Research"
    assert refs[3].authors == ("Spees J. L.", "Lee R. H.", "Gregory C. A.")
    assert refs[3].title == "Mechanisms of mesenchymal stem/stromal cell function"
    assert (refs[3].journal, refs[3].volume, refs[3].issue, refs[3].pages) == (
        "Stem Cell Research & Therapy",
        "7",
        "1",
        "125",
    )
    assert refs[4].text.endswith("doi: 10.1016/j.cell.2016.01.043.")


def test_seed_002_references_and_citing_articles() -> None:
    article = seed("002_1498dab3321b66eb")
    first = article.references[0]
    assert first.text == (
        "Bruno S, Grange C, Deregibus M, Calogero R, Saviozzi S, Collino F . Mesenchymal stem cell-derived "
        "microvesicles protect against acute tubular injury. J Am Soc Nephrol. 2009; 20(5):1053-67. "
        "PMC: 2676194. DOI: 10.1681/ASN.2008070798."
    )
    assert first.authors == ("Bruno S", "Grange C", "Deregibus M", "Calogero R", "Saviozzi S", "Collino F")
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "J Am Soc Nephrol",
        2009,
        "20",
        "5",
        "1053-67",
    )
    assert first.pmcid == "PMC2676194"
    assert article.references[2].pmcid is None
    assert article.references[4].authors[2] == "de Ruiter P"
    citing = article.cited_by[0]
    assert citing.title == (
        "Human Umbilical Cord Mesenchymal Stem Cells-Derived Exosomes Attenuates Experimental Periodontitis "
        "in Mice Partly by Delivering miRNAs"
    )
    assert citing.authors == ("Li K", "Gu X", "Zhu Y", "Guan N", "Wang J", "Wang L")
    assert (citing.journal, citing.year, citing.volume, citing.pages) == ("Int J Nanomedicine", 2025, "20", "2879-2899")
    assert citing.pmcid == "PMC11900796"
    assert [c.pmcid for c in article.cited_by] == [
        "PMC11900796",
        "PMC11884000",
        "PMC11878568",
        "PMC11846194",
        "PMC11830602",
    ]
    assert (article.cited_by[2].volume, article.cited_by[2].issue, article.cited_by[2].pages) == ("14", "2", None)


def test_seed_004_references_without_period_before_year() -> None:
    refs = seed("004_c660c23f5c855c09").references
    assert refs[0].text == (
        "Galipeau J, Sensebe L. Mesenchymal stromal cells: clinical challenges and therapeutic opportunities. "
        "Cell Stem Cell 2018;22:824\u201333."
    )
    assert refs[0].authors == ("Galipeau J", "Sensebe L")
    assert (refs[0].journal, refs[0].year, refs[0].volume, refs[0].pages) == ("Cell Stem Cell", 2018, "22", "824-33")
    assert refs[3].journal == "PLoS ONE" and refs[3].pages == "e0129164"
    assert refs[4].journal == "Am J Physiol Ren Physiol" and refs[4].pages == "F92-F100"
    assert refs[2].authors_complete is False and len(refs[2].authors) == 6


def test_source_records_name_and_hash(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(CORPUS / "003_96a32d462d26ac30.txt", copy)
    article = read_page(copy, name="corpus/003.txt")
    assert article.source == Source(
        "corpus/003.txt", "c25a92eee4cb109256949ad81df3393fca3d89bb466d5f063dae24e75e72689c"
    )
    assert read_page(copy).source.name == "copy.txt"
