"""A small corpus built by hand, covering every part of the bibliographic model."""

from __future__ import annotations

import datetime as dt

from exokg.graph.mapping import DatasetInfo
from exokg.model import AbstractSection, Article, Author, Corpus, Reference, Source

INFO = DatasetInfo(
    base_iri="https://w3id.org/exokg/",
    title="Test corpus",
    description="Two articles that cite one work between them.",
    licence="https://creativecommons.org/licenses/by/4.0/",
    build_date=dt.date(2026, 11, 21),
)

SQUILLARO = "Clinical trials with mesenchymal stem cells: an update"


def small_corpus() -> Corpus:
    review = Article(
        source=Source("000_review.txt", "a" * 64),
        layout="pubmed",
        title="Exosomes from preconditioned mesenchymal stem cells",
        doi="10.1016/j.reth.2024.01.009",
        journal="Regen Ther",
        year=2024,
        publication_date="2024 Feb 14",
        volume="25",
        pages="355-366",
        publication_types=("Review",),
        authors=(Author("Ruili Long", affiliations=("Dept. of Orthopaedics",)),),
        authors_complete=False,
        abstract="MSC preconditioning can enhance the production of exosomes.",
        abstract_sections=(AbstractSection("Background", "MSCs act through paracrine mechanisms."),),
        keywords=("Exosomes", "Preconditioning"),
        references=(
            Reference(
                "Squillaro T., Peluso G., Galderisi U. Clinical trials with mesenchymal stem cells: an update. "
                "Cell Transplant. 2016;25(5):829-848. doi: 10.3727/096368915X689622.",
                title=SQUILLARO, authors=("Squillaro T.", "Peluso G.", "Galderisi U."), journal="Cell Transplant",
                year=2016, volume="25", issue="5", pages="829-848", doi="10.3727/096368915x689622",
            ),
        ),
    )
    listing = Article(
        source=Source("002_listing.txt", "b" * 64),
        layout="listing",
        title="Exosomes from Mesenchymal Stem/stromal Cells: a New Therapeutic Paradigm",
        pmid="30992990",
        journal="Biomark Res",
        publisher="Biomed Central",
        year=2019,
        publication_date="2019 Apr 18",
        keywords=("exosome",),
        citation_count=189,
        references=(
            Reference(
                "Squillaro T, Peluso G, Galderisi U. Clinical trials with mesenchymal stem cells: an update. "
                "Cell Transpl. 2016;25:829-48.",
                title=SQUILLARO, authors=("Squillaro T", "Peluso G", "Galderisi U"), journal="Cell Transpl",
                year=2016,
            ),
            Reference(
                "Galipeau J, Sensebe L. Mesenchymal stromal cells: clinical challenges. Cell Stem Cell 2018;22:824-33.",
                title="Mesenchymal stromal cells: clinical challenges", authors=("Galipeau J", "Sensebe L"),
                journal="Cell Stem Cell", year=2018,
            ),
        ),
        cited_by=(
            Reference(
                "Human Umbilical Cord Mesenchymal Stem Cells-Derived Exosomes Attenuates Experimental Periodontitis.",
                title="Human Umbilical Cord Mesenchymal Stem Cells-Derived Exosomes Attenuates Experimental "
                "Periodontitis", authors=("Li K", "Gu X"), authors_complete=False, journal="Int J Nanomedicine",
                year=2025, pmid="40078652", pmcid="PMC11900796", doi="10.2147/ijn.s502192",
            ),
        ),
    )
    return Corpus((listing, review))
