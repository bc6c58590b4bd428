"""The reference-entry parser on Vancouver/NLM strings, and the lists and identifiers around it."""

from __future__ import annotations

import pytest

from exokg.model import Reference
from exokg.sources.citation_details import leading_block, publication_date, source_blocks
from exokg.sources.identifiers import clean_doi, find_dois, find_labelled_dois, find_pmcids, find_pmids
from exokg.sources.reference_lists import parse_citing_list, parse_reference_list, split_entries
from exokg.sources.references import clean_entry_text, looks_like_journal, parse_reference


def fields(ref: Reference) -> tuple[object, ...]:
    return (ref.authors, ref.authors_complete, ref.title, ref.journal, ref.year, ref.volume, ref.issue, ref.pages)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param(
            "Smith J, Jones K. A novel approach to exosomes. Proc. Natl. Acad. Sci. U.S.A. 2009;106(1):1-5.",
            (
                ("Smith J", "Jones K"),
                True,
                "A novel approach to exosomes",
                "Proc. Natl. Acad. Sci. U.S.A.",
                2009,
                "106",
                "1",
                "1-5",
            ),
            id="journal-with-periods",
        ),
        pytest.param(
            "Lai RC, Arslan F, Lee MM, et al. Exosome secreted by MSC reduces myocardial ischemia/reperfusion "
            "injury. Stem Cell Res. 2010 May;4(3):214-22. doi: 10.1016/j.scr.2009.12.003. Epub 2010 Jan 4.",
            (
                ("Lai RC", "Arslan F", "Lee MM"),
                False,
                "Exosome secreted by MSC reduces myocardial ischemia/reperfusion injury",
                "Stem Cell Res",
                2010,
                "4",
                "3",
                "214-22",
            ),
            id="month-and-epub-after",
        ),
        pytest.param(
            "Théry C, Witwer KW, Aikawa E, et al. Minimal information for studies of extracellular vesicles 2018 "
            "(MISEV2018): a position statement. J Extracell Vesicles. 2018;7(1):1535750.",
            (
                ("Théry C", "Witwer KW", "Aikawa E"),
                False,
                "Minimal information for studies of extracellular vesicles 2018 (MISEV2018): a position statement",
                "J Extracell Vesicles",
                2018,
                "7",
                "1",
                "1535750",
            ),
            id="year-inside-title",
        ),
        pytest.param(
            "O'Brien K, van der Pol E. Where are we? Nature. 2020;580:1-2.",
            (("O'Brien K", "van der Pol E"), True, "Where are we?", "Nature", 2020, "580", None, "1-2"),
            id="particles-and-question-mark",
        ),
        pytest.param(
            "Kalluri R, LeBleu VS. The biology, function, and biomedical applications of exosomes. Science. "
            "2020 Feb 7;367(6478):eaau6977.",
            (
                ("Kalluri R", "LeBleu VS"),
                True,
                "The biology, function, and biomedical applications of exosomes",
                "Science",
                2020,
                "367",
                "6478",
                "eaau6977",
            ),
            id="electronic-locator",
        ),
        pytest.param(
            "R.C. Lai, F. Arslan, M.M. Lee. Exosome secreted by MSC reduces injury. Stem Cell Res. 2010;4:214-222.",
            (
                ("R.C. Lai", "F. Arslan", "M.M. Lee"),
                True,
                "Exosome secreted by MSC reduces injury",
                "Stem Cell Res",
                2010,
                "4",
                None,
                "214-222",
            ),
            id="initials-first",
        ),
        pytest.param(
            "[12] Smith AB, Jones C and Brown D. Title here. Lancet 2001; 357: 1-10.",
            (("Smith AB", "Jones C", "Brown D"), True, "Title here", "Lancet", 2001, "357", None, "1-10"),
            id="bracket-number-and-and",
        ),
        pytest.param(
            "Иванов И.И., Петров П.П. Экзосомы и регенерация. Цитология. 2019;61(2):85\u201392.",
            (("Иванов И.И.", "Петров П.П."), True, "Экзосомы и регенерация", "Цитология", 2019, "61", "2", "85-92"),
            id="cyrillic",
        ),
        pytest.param(
            "Hu G, Li Q, Niu X, et al. Exosomes secreted by human-induced pluripotent stem cell-derived "
            "mesenchymal stem cells attenuate limb ischemia. eLife. 2015;6:e123.",
            (
                ("Hu G", "Li Q", "Niu X"),
                False,
                "Exosomes secreted by human-induced pluripotent stem cell-derived mesenchymal stem cells attenuate "
                "limb ischemia",
                "eLife",
                2015,
                "6",
                None,
                "e123",
            ),
            id="lower-case-journal",
        ),
    ],
)
def test_parse_reference_fields(entry: str, expected: tuple[object, ...]) -> None:
    assert fields(parse_reference(entry)) == expected


def test_identifiers_of_an_entry() -> None:
    ref = parse_reference(
        "Kalluri R, LeBleu VS. The biology of exosomes. Science. 2020;367(6478):eaau6977. "
        "doi: 10.1126/science.aau6977. PMID: 32029601; PMCID: PMC7717626."
    )
    assert (ref.doi, ref.pmid, ref.pmcid) == ("10.1126/science.aau6977", "32029601", "PMC7717626")


def test_doi_link_marker_without_a_doi_is_not_a_doi() -> None:
    ref = parse_reference(
        "Squillaro T, Peluso G, Galderisi U. Clinical trials: an update. Cell Transpl. 2016;25:829\u201348. - DOI"
    )
    assert ref.doi is None
    assert ref.text == (
        "Squillaro T, Peluso G, Galderisi U. Clinical trials: an update. Cell Transpl. 2016;25:829\u201348."
    )


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (
            "    1. Thery C. Exosomes. Nat Rev Immunol. 2002;2:569. doi: 10.1038/nri855. - DOI - PubMed",
            "Thery C. Exosomes. Nat Rev Immunol. 2002;2:569. doi: 10.1038/nri855.",
        ),
        (
            "Bruno S. Microvesicles. J Am Soc Nephrol. 2009;20:1053\u201367. "
            "Article CAS PubMed PubMed Central Google Scholar",
            "Bruno S. Microvesicles. J Am Soc Nephrol. 2009;20:1053\u201367.",
        ),
        (
            "Zhang B. Wnt4. Stem Cells. 2015;33(7):2158\u201368. "
            "[PMC free article] [PubMed] [CrossRef] [Google Scholar]",
            "Zhang B. Wnt4. Stem Cells. 2015;33(7):2158\u201368.",
        ),
        (
            "Tian T . Visualizing. J Cell Biochem. 2010; 111(2):488-96. DOI: 10.1002/jcb.22733. View",
            "Tian T . Visualizing. J Cell Biochem. 2010; 111(2):488-96. DOI: 10.1002/jcb.22733.",
        ),
        ("Smith J. Guidelines for the graphical Abstract", "Smith J. Guidelines for the graphical Abstract"),
    ],
)
def test_list_numbers_and_link_labels_are_not_part_of_the_text(raw: str, text: str) -> None:
    assert clean_entry_text(raw) == text


def test_article_number_stands_for_pages_when_there_are_none() -> None:
    ref = parse_reference("Hade M.D., Suo Z.C. Exosomes. Cells. 2021;10(8) doi: 10.3390/cells10081959. ARTN 1959.")
    assert (ref.volume, ref.issue, ref.pages, ref.doi) == ("10", "8", "1959", "10.3390/cells10081959")


def test_truncated_entry_gets_no_journal() -> None:
    ref = parse_reference("Lai R.C., Arslan F. Exosome secreted by MSC. Stem Cell Res")
    assert fields(ref) == (("Lai R.C.", "Arslan F."), True, "Exosome secreted by MSC", None, None, None, None, None)


def test_entry_without_recognisable_authors_keeps_the_title() -> None:
    ref = parse_reference("Mesenchymal stem cells in 2020. Nature. 2020;1:2.")
    assert (ref.authors, ref.title, ref.journal, ref.year) == ((), "Mesenchymal stem cells in 2020", "Nature", 2020)


def test_entry_with_a_separately_printed_title() -> None:
    ref = parse_reference(
        "Mendt M, Rezvani K, Shpall E. Bone Marrow Transplant. 2019 Aug;54(Suppl 2):789-792. "
        "doi: 10.1038/s41409-019-0616-z. PMID: 31431712",
        title="Mesenchymal stem cell-derived exosomes for clinical use.",
    )
    assert fields(ref) == (
        ("Mendt M", "Rezvani K", "Shpall E"),
        True,
        "Mesenchymal stem cell-derived exosomes for clinical use",
        "Bone Marrow Transplant",
        2019,
        "54",
        "Suppl 2",
        "789-792",
    )
    assert (ref.doi, ref.pmid) == ("10.1038/s41409-019-0616-z", "31431712")


@pytest.mark.parametrize(
    ("text", "journal"),
    [
        ("Stem Cell Research & Therapy", True),
        ("P Natl Acad Sci USA", True),
        ("Proc. Natl. Acad. Sci.", True),
        ("npj Regen Med", True),
        ("an update", False),
        ("Exosomes: a review", False),
        ("the Lancet", False),
    ],
)
def test_journal_shape(text: str, journal: bool) -> None:
    assert looks_like_journal(text) is journal


def test_numbered_list_with_numbers_on_their_own_lines() -> None:
    lines = [
        "1.",
        "Chen T, Lai R. Secretes. Nucleic Acids Res. 2009; 38(1):215-24. View",
        "",
        "2.",
        "Tian T. Uptake. J Cell Biochem. 2010; 111(2):488-96.",
        "Show all 45 references",
    ]
    assert split_entries(lines) == [
        "1. Chen T, Lai R. Secretes. Nucleic Acids Res. 2009; 38(1):215-24. View",
        "2. Tian T. Uptake. J Cell Biochem. 2010; 111(2):488-96.",
    ]


def test_unnumbered_list_keeps_link_and_identifier_lines_with_their_entry() -> None:
    lines = [
        "Chen T, Lai R. Secretes. Nucleic Acids Res. 2009;38(1):215-24.",
        "PMID: 19850715",
        "DOI PubMed",
        "Tian T. Uptake. J Cell Biochem. 2010;111(2):488-96.",
    ]
    refs = parse_reference_list(lines)
    assert [(r.pmid, r.journal) for r in refs] == [("19850715", "Nucleic Acids Res"), (None, "J Cell Biochem")]
    assert refs[0].text == "Chen T, Lai R. Secretes. Nucleic Acids Res. 2009;38(1):215-24. PMID: 19850715"


def test_citing_list_in_pubmed_shape() -> None:
    lines = [
        "Exosome therapy for osteoarthritis: a systematic review.",
        "Garcia L, Novak P, Kim S.",
        "Front Bioeng Biotechnol. 2023 Jan 10;11:1100000. doi: 10.3389/fbioe.2023.1100000. eCollection 2023.",
        "PMID: 36700000 Free PMC article. Review.",
        "",
        'See all "Cited by" articles',
    ]
    (ref,) = parse_citing_list(lines)
    assert fields(ref) == (
        ("Garcia L", "Novak P", "Kim S"),
        True,
        "Exosome therapy for osteoarthritis: a systematic review",
        "Front Bioeng Biotechnol",
        2023,
        "11",
        None,
        "1100000",
    )
    assert (ref.pmid, ref.doi) == ("36700000", "10.3389/fbioe.2023.1100000")
    assert ref.text.startswith("Exosome therapy for osteoarthritis: a systematic review. Garcia L, Novak P, Kim S.")


@pytest.mark.parametrize(
    ("raw", "doi"),
    [
        ("doi: 10.1016/j.reth.2024.01.009.", "10.1016/j.reth.2024.01.009"),
        ("https://doi.org/10.1002/STEM.1504", "10.1002/stem.1504"),
        ("10.1016/S0140-6736(09)61234-5).", "10.1016/s0140-6736(09)61234-5"),
        ("(10.1038/nri855)", None),
        ("10.1234/ktbm\u20102021", "10.1234/ktbm-2021"),
        ("not a doi", None),
    ],
)
def test_clean_doi(raw: str, doi: str | None) -> None:
    assert clean_doi(raw) == doi


def test_identifier_finders() -> None:
    text = "PMID: 40078652 PMC: 11900796. DOI: 10.2147/IJN.S502192. See 10.1000/other and PMCID: PMC123456."
    assert find_pmids(text) == ["40078652"]
    assert find_pmcids(text) == ["PMC11900796", "PMC123456"]
    assert find_labelled_dois(text) == ["10.2147/ijn.s502192"]
    assert find_dois(text) == ["10.2147/ijn.s502192", "10.1000/other"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024 Feb 14:25:355-366.", ("2024 Feb 14", 2024, "25", None, "355-366")),
        ("2017:2017:6305295.", ("2017", 2017, "2017", None, "6305295")),
        ("2019 Aug;54(Suppl 2):789-792.", ("2019 Aug", 2019, "54", "Suppl 2", "789-792")),
        ("2016;7(1):p. 125.", ("2016", 2016, "7", "1", "125")),
        ("2015;308:F92\u2013F100", ("2015", 2015, "308", None, "F92-F100")),
        ("2020 Jan-Feb;12(1):1-9", ("2020 Jan-Feb", 2020, "12", "1", "1-9")),
    ],
)
def test_citation_blocks(text: str, expected: tuple[object, ...]) -> None:
    block = leading_block(text)
    assert block is not None
    assert (block.date, block.year, block.volume, block.issue, block.pages) == expected


def test_a_volume_is_never_taken_for_a_year() -> None:
    assert [b.year for b in source_blocks("Stem Cells Int. 2017:2017:6305295.")] == [2017]


@pytest.mark.parametrize(
    ("printed", "epub", "kept"),
    [
        ("2017", "2017 Dec 19", "2017 Dec 19"),
        ("2015 Apr", "2015 Mar 9", "2015 Apr"),
        ("2018", "2017 Dec 19", "2018"),
        ("2024 Feb 14", None, "2024 Feb 14"),
        (None, "2017 Dec 19", None),
    ],
)
def test_publication_date_uses_the_epub_date_only_to_refine_a_bare_year(
    printed: str | None, epub: str | None, kept: str | None
) -> None:
    assert publication_date(printed, epub) == kept
