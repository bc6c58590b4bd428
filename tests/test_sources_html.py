"""Saved HTML pages: citation_* meta tags first, the page text for the rest, or the text alone."""

from __future__ import annotations

from pathlib import Path

from exokg.model import AbstractSection, Author, Source
from exokg.sources import parse_text, read_page
from exokg.sources.html_text import looks_like_html, read_html

PAGES = Path(__file__).resolve().parent / "data" / "pages"
SOURCE = Source("inline.html", "0" * 64)


def test_publisher_page_metadata_comes_from_citation_tags() -> None:
    article = read_page(PAGES / "publisher_meta.html")
    assert article.layout == "html-meta"
    assert article.warnings == ()
    assert article.title == (
        "Exosomes from hypoxia-preconditioned mesenchymal stem cells promote angiogenesis in ischemic skin flaps"
    )
    assert (article.doi, article.pmid, article.pmcid) == ("10.5555/ejct.2023.0412", "37000001", None)
    assert (article.journal, article.publisher) == ("Example Journal of Cell Therapy", "Example Press")
    assert (article.year, article.publication_date, article.epub_date) == (2023, "2023 May 17", "2023 Apr 2")
    assert (article.volume, article.issue, article.pages) == ("12", "5", "401-415")
    assert article.keywords == ("exosomes", "hypoxia", "angiogenesis", "skin flap")
    assert article.publication_types == ("Research Article",)
    assert article.authors == (
        Author(
            "Nguyen, Thi Lan",
            ("Department of Plastic Surgery, Example University, Hanoi, Vietnam",),
            "0000-0002-1825-0097",
        ),
        Author("Schmidt, Jonas", ("Institute of Cell Biology, Example University, Berlin, Germany",)),
    )


def test_publisher_page_text_fills_abstract_and_references() -> None:
    article = read_page(PAGES / "publisher_meta.html")
    assert article.abstract_sections == (
        AbstractSection("Background", "Skin flap necrosis limits the outcome of reconstructive surgery."),
        AbstractSection("Methods", "Exosomes from MSCs cultured at 1% O2 were injected into rat flaps."),
        AbstractSection("Results", "Hypoxic exosomes increased capillary density and flap survival."),
        AbstractSection("Conclusions", "Hypoxia preconditioning enhances the pro-angiogenic effect of MSC exosomes."),
    )
    # The printed list wins over citation_reference tags: entries keep their text as shown.
    assert [r.doi for r in article.references] == ["10.1002/stem.643", "10.1002/stem.1504"]
    assert article.references[0].text == (
        "Lee JW, Fang X, Krasnodembskaya A, et al. Concise review: mesenchymal stem cells for acute lung injury. "
        "Stem Cells. 2011;29(6):913\u2013919. doi: 10.1002/stem.643."
    )


def test_hidden_elements_scripts_and_styles_are_not_text() -> None:
    page = read_html((PAGES / "publisher_meta.html").read_text(encoding="utf-8"))
    assert "Subscribe now" not in page.text
    assert "font-family" not in page.text
    assert "hidden.tracking.pixel" not in page.text
    assert page.title == "Exosomes from hypoxic MSCs promote angiogenesis | Example Journal of Cell Therapy"
    numbered = [line for line in page.text.split("\n") if line[:3] in ("1. ", "2. ")]
    assert [line[:20] for line in numbered] == ["1. Lee JW, Fang X, K", "2. Zhu YG, Feng XM, "]
    assert page.text.endswith("https://doi.org/10.1002/stem.1504\n\n© 2023 Example Press. Privacy")


def test_citation_reference_tags_are_used_when_the_page_prints_no_list() -> None:
    html = """<html><head>
    <meta name="citation_title" content="A short report">
    <meta name="citation_reference" content="citation_journal_title=Stem Cells; citation_title=Concise review;
      citation_author=Lee JW; citation_author=Fang X; citation_year=2011; citation_volume=29;
      citation_firstpage=913; citation_lastpage=919; citation_doi=10.1002/stem.643">
    </head><body><h1>A short report</h1></body></html>"""
    (ref,) = parse_text(html, SOURCE).references
    assert (ref.title, ref.authors, ref.journal, ref.year) == (
        "Concise review",
        ("Lee JW", "Fang X"),
        "Stem Cells",
        2011,
    )
    assert (ref.volume, ref.pages, ref.doi) == ("29", "913-919", "10.1002/stem.643")


def test_html_without_citation_tags_is_read_as_text_by_the_text_layouts() -> None:
    article = read_page(PAGES / "pubmed_saved_without_meta.html")
    assert article.layout == "pubmed"
    assert article.warnings == ("saved HTML page without citation_* meta tags: read from its text",)
    assert article.title == "Exosomes from preconditioned mesenchymal stem cells: Tissue repair and regeneration"
    assert (article.journal, article.publication_date, article.doi) == (
        "Regen Ther",
        "2024 Feb 14",
        "10.1016/j.reth.2024.01.009",
    )
    assert [a.name for a in article.authors] == ["Ruili Long", "Shuanglin Wang", "Wei Hu"]
    assert article.authors[2].affiliations == ("Laboratory of Stem Cell Biology, Example University, Chengdu, China.",)
    assert article.keywords == ("Exosomes", "Extracellular vesicles", "Preconditioning")
    # Ordered-list items get their numbers back; the link list under each entry is not an entry.
    assert [r.doi for r in article.references] == ["10.3390/cells10081959", "10.1038/nri855"]
    assert article.references[1].text == (
        "Thery C., Zitvogel L., Amigorena S. Exosomes: composition, biogenesis and function. Nat Rev Immunol. "
        "2002;2(8):569\u2013579. doi: 10.1038/nri855."
    )


def test_html_is_told_apart_from_text() -> None:
    assert looks_like_html("<!DOCTYPE html>\n<html><body>x</body></html>")
    assert looks_like_html("  <html lang='en'><head></head>")
    assert not looks_like_html("Abstract\n\nExosomes <b>are</b> small vesicles.")


def test_meta_dates_in_other_spellings() -> None:
    html = """<!doctype html><html><head>
    <meta name="citation_title" content="Dated">
    <meta name="citation_date" content="03/25/2019">
    <meta name="citation_authors" content="Long R; Wang S">
    </head><body></body></html>"""
    article = parse_text(html, SOURCE)
    assert (article.publication_date, article.year) == ("2019 Mar 25", 2019)
    assert [a.name for a in article.authors] == ["Long R", "Wang S"]
