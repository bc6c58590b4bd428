"""Pages nobody planned for: other layouts, other scripts, truncated, empty, binary, not articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exokg.errors import UnreadablePage
from exokg.model import AbstractSection, Author, InputFailure
from exokg.sources import read_corpus, read_page

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PAGES = ROOT / "tests" / "data" / "pages"
NOT_RECOGNISED = "layout not recognised: read with the generic strategy (labels, identifiers, title heuristic)"


def test_pmc_like_page_is_read_by_the_generic_layout() -> None:
    article = read_page(PAGES / "pmc_article.txt")
    assert article.layout == "generic"
    assert article.warnings == (NOT_RECOGNISED,)
    assert (article.pmid, article.pmcid, article.doi) == ("34130000", "PMC8201234", "10.1186/s13287-021-02400-1")
    assert article.title == (
        "Umbilical cord mesenchymal stem cell exosomes attenuate renal fibrosis in a rat model of chronic kidney "
        "disease"
    )
    assert (article.journal, article.year, article.volume, article.issue, article.pages) == (
        "Stem Cell Res Ther",
        2021,
        "12",
        None,
        "345",
    )
    # "2021; 12: 345." prints only the year; "Published online 2021 Jun 15" dates it.
    assert (article.publication_date, article.epub_date) == ("2021 Jun 15", "2021 Jun 15")
    nephrology = "Department of Nephrology, First Hospital of Example University, Example City, China"
    regenerative = "Institute of Regenerative Medicine, Example Medical College, Example City, Italy"
    assert article.authors == (
        Author("Anna K. Petrova", (nephrology,)),
        Author("Jun Li", (regenerative,)),
        Author("Maria Rossi", (nephrology, regenerative)),
    )
    assert article.affiliations == (nephrology, regenerative)
    assert article.keywords == ("Exosomes", "Renal fibrosis", "Mesenchymal stem cells", "TGF-β1")


def test_pmc_like_page_structured_abstract_stops_before_the_body() -> None:
    article = read_page(PAGES / "pmc_article.txt")
    assert [s.label for s in article.abstract_sections] == ["Background", "Methods", "Results", "Conclusions"]
    assert article.abstract_sections[3] == AbstractSection(
        "Conclusions", "Umbilical cord MSC exosomes attenuate renal fibrosis and may offer a cell-free therapy."
    )
    assert article.abstract is not None
    assert article.abstract.startswith("Background: Chronic kidney disease ends in renal fibrosis")
    assert "one adult in ten" not in article.abstract


def test_pmc_like_page_references_lose_their_link_labels() -> None:
    refs = read_page(PAGES / "pmc_article.txt").references
    assert [r.doi for r in refs] == ["10.1681/asn.2008070798", "10.1093/nar/gkp857", "10.1016/j.scr.2009.12.003"]
    assert refs[0].text.endswith("1053\u20131067. doi: 10.1681/ASN.2008070798.")
    assert refs[0].authors_complete is False
    assert refs[2].title == "Exosome secreted by MSC reduces myocardial ischemia/reperfusion injury"


def test_full_pubmed_header_gives_own_identifiers_authors_and_lists() -> None:
    article = read_page(PAGES / "pubmed_full_header.txt")
    assert article.layout == "pubmed"
    assert (article.pmid, article.pmcid, article.doi) == ("35241111", "PMC8890000", "10.1186/s13287-022-02771-w")
    assert (article.journal, article.publication_date, article.volume, article.issue, article.pages) == (
        "Stem Cell Res Ther",
        "2022 Mar 3",
        "13",
        "1",
        "88",
    )
    assert article.publication_types == ("Randomized Controlled Trial", "Research Support, Non-U.S. Gov't")
    assert [a.name for a in article.authors] == ["Wei Zhang", "Olga Ivanova", "Pierre Dubois"]
    assert article.authors[2].affiliations == (
        "Department of Orthopaedics, Example University Hospital, Shanghai, China.",
        "Centre for Regenerative Medicine, Example University, Lyon, France.",
    )
    assert article.authors_complete is True
    assert [s.label for s in article.abstract_sections] == [
        "Background",
        "Methods",
        "Results",
        "Conclusions",
        "Trial registration",
    ]
    assert [r.pmid for r in article.cited_by] == ["36700000", "36720000"]
    assert [r.journal for r in article.cited_by] == ["Front Bioeng Biotechnol", "J Orthop Res"]
    assert [r.doi for r in article.references] == ["10.1016/j.semcdb.2016.11.008", "10.1016/j.biomaterials.2017.11.028"]


def test_similar_articles_never_lend_their_identifiers() -> None:
    article = read_page(PAGES / "pubmed_full_header.txt")
    every_id = {article.pmid, article.doi} | {r.pmid for r in article.cited_by} | {r.doi for r in article.cited_by}
    assert "31431712" not in every_id
    assert "10.1038/s41409-019-0616-z" not in every_id


def test_cyrillic_labels_nbsp_and_unicode_hyphens() -> None:
    article = read_page(PAGES / "cyrillic_labels.txt")
    assert article.layout == "generic"
    assert article.warnings == (NOT_RECOGNISED,)
    assert article.title == "Экзосомы мезенхимальных стволовых клеток в регенеративной медицине"
    # Cyrillic capitals are the point here, not look-alikes of Latin ones.
    assert [a.name for a in article.authors] == ["Иванов И. И.", "Петрова А. С.", "Сидоров В. В."]  # noqa: RUF001
    assert article.journal == "Клеточные технологии в биологии и медицине"
    assert (article.year, article.volume, article.issue, article.pages) == (2021, "17", "3", "145-152")
    assert article.doi == "10.1234/ktbm-2021-3-145"
    assert article.keywords == ("экзосомы", "мезенхимальные стволовые клетки", "регенерация")
    assert article.abstract == (
        "Экзосомы мезенхимальных стволовых клеток (МСК) переносят белки и микроРНК. В обзоре обсуждается их "  # noqa: RUF001
        "применение при повреждении почек и сердца."
    )
    first, second = article.references
    assert (first.authors, first.title, first.journal, first.pages) == (
        ("Иванов И.И.", "Петров П.П."),
        "Экзосомы и регенерация",
        "Цитология",
        "85-92",
    )
    assert second.doi == "10.1016/j.scr.2009.12.003"


def test_truncated_mid_reference_keeps_what_is_there() -> None:
    article = read_page(PAGES / "pubmed_truncated_mid_reference.txt")
    assert article.doi == "10.1016/j.reth.2024.01.009"
    assert len(article.references) == 3
    cut = article.references[2]
    assert cut.text == "Squillaro T., Peluso G., Galderisi U. Clinical trials with mesenchymal stem cells: an"
    assert cut.authors == ("Squillaro T.", "Peluso G.", "Galderisi U.")
    assert (cut.journal, cut.year, cut.doi) == (None, None, None)


def test_truncated_mid_abstract_keeps_the_header() -> None:
    article = read_page(PAGES / "pubmed_truncated_mid_abstract.txt")
    assert (article.layout, article.doi, article.publication_date) == ("pubmed", "10.1155/2017/6305295", "2017 Dec 19")
    assert article.abstract is not None
    assert article.abstract.endswith("drug addiction, and status")
    assert (article.keywords, article.references) == ((), ())


def test_truncated_listing_mid_citing_article() -> None:
    article = read_page(PAGES / "listing_truncated_mid_citing.txt")
    assert article.layout == "listing"
    assert [c.pmid for c in article.cited_by] == ["40078652", "40045380", None]
    cut = article.cited_by[2]
    assert cut.title == (
        "Exosomes containing miR-148a-3p derived from mesenchymal stem cells suppress epithelial-mesenchymal "
        "transition in lens epithelial cells"
    )
    assert (cut.journal, cut.doi) == (None, None)
    assert article.references == ()


def test_page_starting_at_the_abstract_has_no_header_fields() -> None:
    article = read_page(PAGES / "pubmed_from_abstract.txt")
    assert (article.title, article.doi, article.journal, article.year) == (None, None, None, None)
    assert article.abstract is not None and article.abstract.startswith("As a prominent research area")
    assert len(article.references) == 5
    assert article.warnings == ("PubMed page without its citation line: journal and date are missing",)


def test_reference_dois_of_an_unknown_page_are_not_its_doi() -> None:
    article = read_page(PAGES / "unknown_with_reference_dois.txt")
    assert article.layout == "generic"
    assert article.warnings == (NOT_RECOGNISED,)
    assert article.doi is None
    assert [r.doi for r in article.references] == ["10.1002/stem.643", "10.1002/stem.1504"]
    assert article.title == "Mesenchymal stromal cell secretome in lung injury: a narrative review"
    assert [a.name for a in article.authors] == ["Jane Doe", "John Roe"]
    assert (article.journal, article.year) == ("Journal of Example Pulmonology", 2020)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "the file is empty"),
        ("whitespace_only.txt", "the file contains only whitespace"),
        ("recipe.txt", "not an article page: no title, no abstract and no DOI, PMID or PMCID found"),
    ],
)
def test_unreadable_pages_name_the_file_and_why(name: str, reason: str) -> None:
    with pytest.raises(UnreadablePage) as caught:
        read_page(PAGES / name)
    assert (caught.value.source, caught.value.reason) == (name, reason)
    assert str(caught.value) == f"{name}: {reason}"


def test_binary_file_is_unreadable(tmp_path: Path) -> None:
    binary = tmp_path / "figure.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(UnreadablePage) as caught:
        read_page(binary)
    assert caught.value.source == "figure.png"
    assert caught.value.reason == "binary file (it contains NUL bytes); save the article page as text or HTML"


def test_undecodable_file_is_unreadable(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Résumé: exosomes".encode("latin-1"))
    with pytest.raises(UnreadablePage) as caught:
        read_page(latin1)
    assert caught.value.reason == ("not UTF-8 text (undecodable byte at offset 1); save the page as UTF-8 text or HTML")


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadablePage) as caught:
        read_page(tmp_path / "gone.txt")
    assert caught.value.source == "gone.txt"
    assert caught.value.reason == "cannot read the file: No such file or directory"


def test_utf16_page_with_bom_is_read(tmp_path: Path) -> None:
    utf16 = tmp_path / "saved-by-notepad.txt"
    utf16.write_bytes((CORPUS / "003_96a32d462d26ac30.txt").read_text(encoding="utf-8").encode("utf-16"))
    article = read_page(utf16)
    assert (article.layout, article.title) == ("pubmed", "Mesenchymal stem cell exosomes")


def test_read_corpus_returns_good_articles_and_failures(tmp_path: Path) -> None:
    for name in ("003_96a32d462d26ac30.txt", "002_1498dab3321b66eb.txt"):
        shutil.copy(CORPUS / name, tmp_path / name)
    shutil.copy(PAGES / "recipe.txt", tmp_path / "b_recipe.txt")
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.bin").write_bytes(bytes(range(256)))
    corpus = read_corpus(sorted(tmp_path.iterdir(), reverse=True))
    assert [a.source.name for a in corpus.articles] == ["002_1498dab3321b66eb.txt", "003_96a32d462d26ac30.txt"]
    assert [a.layout for a in corpus.articles] == ["listing", "pubmed"]
    assert corpus.failures == (
        InputFailure("a_empty.txt", "the file is empty"),
        InputFailure("b_recipe.txt", "not an article page: no title, no abstract and no DOI, PMID or PMCID found"),
        InputFailure("c_binary.bin", "binary file (it contains NUL bytes); save the article page as text or HTML"),
    )


def test_read_corpus_of_nothing_is_empty() -> None:
    corpus = read_corpus([])
    assert (corpus.articles, corpus.failures) == ((), ())
