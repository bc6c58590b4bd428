"""The Crossref parsers on real recorded responses (tests/data/api/crossref) and broken ones."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from exokg.errors import InputError
from exokg.model import AbstractSection, Article, Author, Reference, Source
from exokg.sources.crossref import parse_work, parse_works_page

DATA = Path(__file__).resolve().parent / "data" / "api" / "crossref"
SOURCE = Source("crossref/recorded.json", "0" * 64)

NEUROBIOL = "works_10_1016_j_neurobiolaging_2010_03_024.json"
SREP = "works_10_1038_srep16696.json"
PONE = "works_10_1371_journal_pone_0033693.json"
ICDCSW = "works_10_1109_icdcsw_2003_1203662.json"
IJO = "works_10_3892_ijo_00000353.json"
WIDGET = "works_query_widget_cursor_2A.json"


@cache
def _load(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def doc(name: str) -> Any:
    return json.loads(_load(name))


@cache
def work(name: str) -> Article:
    return parse_work(doc(name), SOURCE)


def test_fixtures_escape_slashes_as_crossref_sends_them() -> None:
    assert '"DOI":"10.1016\\/j.neurobiolaging.2010.03.024"' in _load(NEUROBIOL)
    assert work(NEUROBIOL).doi == "10.1016/j.neurobiolaging.2010.03.024"


def test_journal_article_fields() -> None:
    article = work(NEUROBIOL)
    assert (article.layout, article.source) == ("crossref", SOURCE)
    assert article.title == (
        "Human umbilical cord blood-derived mesenchymal stem cells improve neuropathology and cognitive impairment "
        "in an Alzheimer's disease mouse model through modulation of neuroinflammation"
    )
    assert (article.journal, article.journal_abbreviation) == ("Neurobiology of Aging", "Neurobiology of Aging")
    assert (article.issn, article.publisher) == ("0197-4580", "Elsevier BV")
    assert (article.volume, article.issue, article.pages) == ("33", "3", "588-602")
    assert (article.year, article.publication_date, article.epub_date) == (2012, "2012 Mar", None)
    assert article.publication_types == ("journal-article",)
    assert article.citation_count == 242
    assert (article.pmid, article.pmcid, article.abstract, article.keywords) == (None, None, None, ())
    assert len(article.authors) == 11 and article.authors_complete
    assert [a.name for a in article.authors[:3]] == ["Hyun Ju Lee", "Jong Kil Lee", "Hyun Lee"]
    assert article.authors[3] == Author("Janet E. Carter")
    assert article.warnings == ()


def test_structured_references_with_deposited_dois() -> None:
    refs = work(NEUROBIOL).references
    assert len(refs) == 57
    assert refs[0] == Reference(
        text=(
            "Blasko. TNFalpha plus IFNgamma induce the production of Alzheimer beta-amyloid peptides and decrease "
            "the secretion of APPs. FASEB J. 1999;13:63. doi: 10.1096/fasebj.13.1.63."
        ),
        title="TNFalpha plus IFNgamma induce the production of Alzheimer beta-amyloid peptides and decrease the "
        "secretion of APPs",
        authors=("Blasko",),
        authors_complete=False,
        journal="FASEB J",
        year=1999,
        volume="13",
        pages="63",
        doi="10.1096/fasebj.13.1.63",
    )
    assert sum(1 for r in refs if r.doi) == 55


def test_abstract_from_jats_and_article_number() -> None:
    article = work(SREP)
    assert article.abstract is not None
    assert article.abstract.startswith("Oligomers of alpha-synuclein are toxic to cells")
    assert article.abstract.endswith("for triggering neurodegeneration.")
    assert "Abstract" not in article.abstract and "<jats:" not in article.abstract
    assert article.abstract_sections == ()
    assert article.title == (
        "Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson\u2019s disease "
        "genetically related mutants"
    )
    assert (article.journal, article.journal_abbreviation, article.issn) == (
        "Scientific Reports",
        "Sci Rep",
        "2045-2322",
    )
    assert (article.volume, article.issue, article.pages) == ("5", "1", "16696")
    assert (article.year, article.publication_date, article.epub_date) == (2015, "2015 Nov 19", "2015 Nov 19")
    assert [a.name for a in article.authors][:2] == ["Laura Tosatto", "Mathew H. Horrocks"]
    assert article.citation_count == 110


def test_unstructured_references() -> None:
    refs = work(SREP).references
    assert len(refs) == 62 and all(r.doi for r in refs)
    first = refs[0]
    assert first.text.startswith("González-Hernández, T., Cruz-Muros, I., Afonso-Oramas, D.")
    assert (first.authors, first.journal, first.year, first.volume, first.pages) == (
        ("T González-Hernández",),
        "Front. Neuroanat",
        2010,
        "4",
        "140",
    )
    assert first.doi == "10.3389/fnana.2010.00140"
    # Only the unstructured string: read by parse_reference, which does not know this citation style, so
    # only its year and DOI are kept.
    only_text = refs[26]
    assert only_text.text == (
        "Coskuner, O. & Wise-Scira, O. Structures and Free Energy Landscapes of the A53T Mutant-Type \u03b1-Synuclein "
        "Protein and Impact of A53T Mutation on the Structures of the Wild-Type \u03b1-Synuclein Protein "
        "with Dynamics. ACS Chem. Neurosci. (2013). doi: 10.1021/cn400041j."
    )
    assert (only_text.title, only_text.authors, only_text.year, only_text.doi) == (None, (), 2013, "10.1021/cn400041j")


def test_unstructured_reference_in_a_style_the_parser_reads() -> None:
    body = copy.deepcopy(doc(IJO))
    body["message"]["reference"] = [
        {
            "key": "r1",
            "unstructured": "Lai RC, Arslan F, Lee MM, et al. Exosome secreted by MSC reduces myocardial "
            "ischemia/reperfusion injury. Stem Cell Res. 2010;4(3):214-22.",
            "DOI": "10.1016/J.SCR.2009.12.003",
        }
    ]
    (ref,) = parse_work(body, SOURCE).references
    assert ref.title == "Exosome secreted by MSC reduces myocardial ischemia/reperfusion injury"
    assert (ref.authors, ref.authors_complete) == (("Lai RC", "Arslan F", "Lee MM"), False)
    assert (ref.journal, ref.year, ref.volume, ref.issue, ref.pages) == ("Stem Cell Res", 2010, "4", "3", "214-22")
    assert ref.doi == "10.1016/j.scr.2009.12.003"


def test_references_without_doi_and_correction_notice() -> None:
    article = work(PONE)
    assert len(article.references) == 70
    no_doi = [r for r in article.references if r.doi is None]
    assert len(no_doi) == 5
    assert [r.title for r in no_doi][2:] == [
        "Dopaminergic neuron-specific oxidative stress caused by dopamine itself",
        "Inflammatory effects of highly pathogenic H5N1 influenza virus infection in the CNS of mice",
        "The Mouse Brain in Stereotaxic Coordinates",
    ]
    assert no_doi[4].text == "G Paxinos. The Mouse Brain in Stereotaxic Coordinates. 2001."
    assert (
        no_doi[0].text
        == "LD Johnston. Monitoring the Future national survey results on drug use, 1975\u20132010. 2011:1."
    )
    assert article.references[0].doi == "10.1038/sj.npp.1301164"
    assert (article.year, article.publication_date, article.pages) == (2012, "2012 Mar 21", "e33693")
    assert article.warnings == (
        "Crossref lists a correction for this work: 10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda "
        "(2012 May 8)",
    )


def test_proceedings_article_without_a_date() -> None:
    article = work(ICDCSW)
    assert article.publication_types == ("proceedings-article",)
    assert (
        article.journal
        == "23rd International Conference on Distributed Computing Systems Workshops, 2003. Proceedings."
    )
    assert (article.year, article.publication_date, article.issn, article.journal_abbreviation) == (
        None,
        None,
        None,
        None,
    )
    assert [a.name for a in article.authors] == ["V. Arya", "T. Turletti"]
    refs = article.references
    assert len(refs) == 13 and sum(1 for r in refs if r.doi) == 3
    assert refs[0] == Reference(text="doi: 10.1109/wsc.1996.873340.", doi="10.1109/wsc.1996.873340")
    assert refs[1].journal == "RFC 3168" and refs[1].authors == ("ramakrishnan",)


def test_work_without_references() -> None:
    article = work(IJO)
    assert article.references == ()
    assert article.authors == (Author("Stravopodis"),)
    assert (article.year, article.publication_date) == (2009, "2009 Jun 26")
    assert article.journal_abbreviation == "Int J Oncol"


def test_works_query_page() -> None:
    page = parse_works_page(doc(WIDGET), SOURCE)
    assert (page.total_results, page.items_per_page) == (454, 20)
    assert page.next_cursor is not None and page.next_cursor.startswith("DnF1ZXJ5VGhlbkZldGNo")
    assert len(page.articles) == 20
    by_doi = {a.doi: a for a in page.articles}
    posted = by_doi["10.59350/7mtwq-q3661"]
    assert posted.authors == (Author("Egon Willighagen", orcid="0000-0001-7542-0286"),)
    assert posted.abstract is not None and posted.abstract.startswith("In addition to this Swing-based screenshot")
    imaging = by_doi["10.1117/1.jei.28.6.063006"]
    assert imaging.authors[0].affiliations == (
        "Hebei University of Science and Technology, School of Information Science and Engineering, Shijiazhu",
    )
    assert len(imaging.affiliations) == 2 and len(imaging.references) == 38
    # Print date 2020 and online date 2020 Nov 13: the more precise one is kept.
    chapter = by_doi["10.1007/978-1-4842-6700-4_5"]
    assert (chapter.year, chapter.publication_date, chapter.epub_date) == (2020, "2020 Nov 13", "2020 Nov 13")
    assert by_doi["10.1007/978-1-4302-0197-7_9"].year is None
    # Entries with nothing but a key and year 0 are dropped: 26 deposited, 17 say something.
    assert len(by_doi["10.1109/afrcon.2009.5308146"].references) == 17


def test_jats_structured_abstract() -> None:
    body = copy.deepcopy(doc(IJO))
    body["message"]["abstract"] = (
        "<jats:title>Abstract</jats:title><jats:sec><jats:title>Background</jats:title>"
        "<jats:p>MSC exosomes &amp; <jats:italic>in vivo</jats:italic> repair.</jats:p></jats:sec>"
        "<jats:sec><jats:title>Results</jats:title><jats:p>CD63<jats:sup>+</jats:sup> vesicles.</jats:p>"
        "<jats:p>Second paragraph.</jats:p></jats:sec>"
    )
    article = parse_work(body, SOURCE)
    assert article.abstract == "Background: MSC exosomes & in vivo repair.\nResults: CD63+ vesicles. Second paragraph."
    assert article.abstract_sections == (
        AbstractSection("Background", "MSC exosomes & in vivo repair."),
        AbstractSection("Results", "CD63+ vesicles. Second paragraph."),
    )


def _broken(name: str, change: Any) -> Any:
    body = copy.deepcopy(doc(name))
    change(body)
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param("Resource not found.", "work response is not a JSON object", id="not-json-object"),
        pytest.param(_broken(IJO, lambda b: b.pop("message")), "field `message` is missing", id="no-message"),
        pytest.param(_broken(IJO, lambda b: b.update(message=[])), "field `message` is not an object", id="list"),
        pytest.param(_broken(IJO, lambda b: b.update(status="failed")), "field `status` is 'failed'", id="status"),
        pytest.param(
            _broken(IJO, lambda b: b.update({"message-type": "work-list"})),
            "field `message-type` is 'work-list', not 'work'",
            id="message-type",
        ),
        pytest.param(
            _broken(PONE, lambda b: b["message"]["reference"].__setitem__(4, "Johnston LD. Monitoring the Future.")),
            "field `message.reference[4]` is not an object",
            id="reference-a-string",
        ),
        pytest.param(
            _broken(PONE, lambda b: b["message"].update(author="Sadasivan S")),
            "field `message.author` is not a list",
            id="author-a-string",
        ),
        pytest.param(
            _broken(PONE, lambda b: b["message"]["issued"].update({"date-parts": "2012-03-21"})),
            "field `message.issued.date-parts` is not a list of lists",
            id="date-parts",
        ),
        pytest.param(
            _broken(PONE, lambda b: b["message"].update({"is-referenced-by-count": "many"})),
            "field `message.is-referenced-by-count` is not a whole number",
            id="count",
        ),
    ],
)
def test_malformed_work_is_an_input_error(body: Any, field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_work(body, SOURCE)
    message = str(caught.value)
    assert message.startswith("crossref/recorded.json: Crossref work response")
    assert field in message


def test_malformed_works_page_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"Crossref works response: field `message-type` is 'work'"):
        parse_works_page(doc(IJO), SOURCE)
    body = _broken(WIDGET, lambda b: b["message"].pop("total-results"))
    with pytest.raises(InputError, match=r"field `message\.total-results` is missing"):
        parse_works_page(body, SOURCE)
    body = _broken(WIDGET, lambda b: b["message"]["items"].__setitem__(0, "10.1007/978-1-4302-0197-7_9"))
    with pytest.raises(InputError, match=r"field `message\.items\[0\]` is not an object"):
        parse_works_page(body, SOURCE)
