"""Publisher article pages copied as text: each house style prints its citation line differently."""

from __future__ import annotations

from pathlib import Path

from exokg.model import Author
from exokg.sources import read_page

PAGES = Path(__file__).resolve().parent / "data" / "pages"
NOT_RECOGNISED = "layout not recognised: read with the generic strategy (labels, identifiers, title heuristic)"


def test_springer_nature_page() -> None:
    article = read_page(PAGES / "springer_article.txt")
    assert (article.layout, article.warnings) == ("generic", (NOT_RECOGNISED,))
    assert article.title == "Exosomes from mesenchymal stem/stromal cells: a new therapeutic paradigm"
    assert [a.name for a in article.authors] == ["Bin Yu", "Xiaomei Zhang", "Xiaorong Li"]
    # "Biomarker Research volume 7, Article number: 8 (2019)"
    assert (article.journal, article.volume, article.pages, article.year) == ("Biomarker Research", "7", "8", 2019)
    assert article.publication_date == "18 April 2019"
    # Printed only below the article, on a line of its own.
    assert article.doi == "10.1186/s40364-019-0159-x"
    assert article.keywords == ("Mesenchymal stem cells", "Exosomes", "Cell-free therapy")
    assert article.abstract == (
        "Mesenchymal stem/stromal cells (MSCs) have been demonstrated to hold great potential for the treatment "
        "of several diseases."
    )
    # Each entry is followed by a line of link labels, which is not an entry of its own.
    assert [(r.journal, r.year, r.pages) for r in article.references] == [
        ("J Am Soc Nephrol", 2009, "1053-67"),
        ("Nucleic Acids Res", 2010, "215-24"),
    ]
    assert article.affiliations == ("Department of Ophthalmology, Example Hospital, Tianjin, China",)


def test_elsevier_page() -> None:
    article = read_page(PAGES / "elsevier_article.txt")
    assert article.title == "Exosome secreted by MSC reduces myocardial ischemia/reperfusion injury"
    # "Volume 4, Issue 3, May 2010, Pages 214-222" under the journal's name
    assert (article.journal, article.volume, article.issue, article.pages) == (
        "Stem Cell Research",
        "4",
        "3",
        "214-222",
    )
    assert (article.year, article.publication_date) == (2010, "May 2010")
    assert article.doi == "10.1016/j.scr.2009.12.003"
    assert article.authors[:2] == (
        Author("Ruenn Chai Lai", ("Bioprocessing Technology Institute, A*STAR, Singapore",)),
        Author("Fatih Arslan", ("Department of Cardiology, University Medical Center Utrecht, The Netherlands",)),
    )
    assert [a.name for a in article.authors[2:]] == ["May May Lee", "Newman Siu Kwan Sze"]
    assert article.keywords == ("Exosome", "MSC", "Ischemia")
    (ref,) = article.references
    assert (ref.authors, ref.journal, ref.year, ref.volume, ref.pages) == (
        ("R.C. Lai", "F. Arslan", "S.K. Lim"),
        "Methods Mol. Biol.",
        2009,
        "407",
        "1-10",
    )


def test_mdpi_page() -> None:
    article = read_page(PAGES / "mdpi_article.txt")
    assert article.title == "Mesenchymal Stem Cell-Derived Exosomes in Wound Healing"
    assert [a.name for a in article.authors] == ["Jane Doe", "John Roe", "Ana Souza"]
    assert article.authors[1].affiliations == ("Institute of Biology, Example College, 10115 Berlin, Germany",)
    # "Int. J. Mol. Sci. 2020, 21(3), 727; https://doi.org/..."
    assert (article.journal, article.volume, article.issue, article.pages) == ("Int. J. Mol. Sci.", "21", "3", "727")
    assert (article.year, article.publication_date) == (2020, "21 January 2020")
    assert article.doi == "10.3390/ijms21030727"
    assert article.keywords == ("exosomes", "wound healing", "mesenchymal stem cells")
