"""The Europe PMC parsers on real recorded responses (tests/data/api/europepmc) and broken ones."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from exokg.errors import InputError
from exokg.model import AbstractSection, Article, Author, MeshHeading, MeshQualifier, Source
from exokg.sources.europepmc import (
    SearchPage,
    citation_text,
    parse_citations,
    parse_references,
    parse_search,
    split_author_string,
    title_text,
)

DATA = Path(__file__).resolve().parent / "data" / "api" / "europepmc"
SOURCE = Source("europepmc/recorded.json", "0" * 64)


@cache
def _load(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def doc(name: str) -> Any:
    return json.loads(_load(name))


@cache
def search(name: str) -> SearchPage:
    return parse_search(doc(name), SOURCE)


def core(pmid: str) -> Article:
    return next(a for a in search("pyeuropepmc_search_cancer_core.json").articles if a.pmid == pmid)


def test_lite_page_and_first_record() -> None:
    page = search("pyeuropepmc_search_cancer.json")
    assert page.hit_count == 5059039
    assert page.next_cursor_mark == "AoIIP4ZawSg1MzEyODI1MA=="
    assert len(page.articles) == 25
    first = page.articles[0]
    assert first.layout == "europepmc"
    assert first.source == SOURCE
    assert (first.pmid, first.pmcid, first.doi) == ("39709209", None, "10.1016/s0140-6736(24)02600-x")
    assert (
        first.title
        == "Abscopal response in a patient with fibrolamellar hepatocellular carcinoma following radiotherapy"
    )
    assert (first.journal, first.journal_abbreviation, first.issn) == ("Lancet", None, "0140-6736")
    assert (first.year, first.publication_date) == (2025, "2025 Dec 1")
    assert (first.volume, first.issue, first.pages) == ("404", "10471", "2603-2604")
    assert first.publication_types == ("journal article",)
    assert first.authors == (Author("Schoenfeld JD"), Author("Haas-Kogan DA"), Author("O'Neill AF"))
    assert first.authors_complete
    assert first.citation_count == 0
    assert (first.abstract, first.mesh, first.keywords) == (None, (), ())


def test_lite_record_details() -> None:
    articles = search("pyeuropepmc_search_cancer.json").articles
    erratum = articles[1]
    assert erratum.pmcid == "PMC12124214"
    assert erratum.title == "Department of Error"
    assert erratum.authors == ()
    assert erratum.publication_types == ("published erratum", "correction")
    # "1359-107x; 2044-8287; ": the first ISSN, check digit upper-case.
    assert articles[2].issn == "1359-107X"
    assert articles[2].pages == "e12807"
    # Europe PMC's placeholder issue "forthcoming" is no issue.
    review = articles[3]
    assert (review.issue, review.volume, review.publication_date) == (None, None, "2025 Aug 22")
    assert review.publication_types == ("review", "journal article")
    assert sum(1 for a in articles if a.pmcid) == 9
    assert sum(1 for a in articles if a.doi is None) == 1


def test_small_page_has_its_own_cursor() -> None:
    page = search("pyeuropepmc_search_cancer_page2.json")
    assert (page.hit_count, page.next_cursor_mark) == (5059039, "AoIIP4lkIig1MzE0NTMwOA==")
    assert [a.pmid for a in page.articles] == ["39709209", "39709208", "40468710", "40464630", "40493882"]


def test_no_results() -> None:
    page = search("pyeuropepmc_search_no_results.json")
    assert page == SearchPage(hit_count=0, next_cursor_mark=None, articles=())


def test_core_record_bibliographic_fields() -> None:
    page = search("pyeuropepmc_search_cancer_core.json")
    assert (page.hit_count, len(page.articles)) == (5059039, 25)
    article = core("40468710")
    assert article.doi == "10.1111/bjhp.12807"
    assert article.title == (
        "The role of psychological flexibility in relation to health outcomes in people in remission from cancer"
    )
    assert article.journal == "British journal of health psychology"
    assert (article.journal_abbreviation, article.issn) == ("Br J Health Psychol", "1359-107X")
    assert (article.year, article.publication_date, article.epub_date) == (2025, "2025 Sep", None)
    assert (article.volume, article.issue, article.pages) == ("30", "3", "e12807")
    assert article.publication_types == ("Journal Article",)
    assert article.keywords == (
        "Cancer",
        "Acceptance And Commitment Therapy",
        "Longitudinal",
        "Psychological Flexibility",
        "Cancer Survivorship",
        "Act",
    )
    assert core("39212676").citation_count == 3
    assert core("39709209").journal == "Lancet (London, England)"


def test_core_record_authors() -> None:
    article = core("40468710")
    assert len(article.authors) == 7 and article.authors_complete
    assert [a.name for a in article.authors[:3]] == ["Al-Abbadey M", "Tomescu-Stachie S", "Kaklamanou D"]
    first = article.authors[0]
    assert first.orcid == "0000-0002-6307-9196"
    assert first.affiliations == (
        "School of Psychology, Sport, and Health Sciences, Faculty of Science and Health, University of Portsmouth, "
        "Portsmouth, UK.",
        "Chronic Pain Service, Hampshire and Isle of Wight NHS Foundation Trust, Hampshire, England.",
    )
    assert article.authors[-1].orcid == "0000-0002-9734-0153"
    assert article.authors[1].orcid is None
    assert len(article.affiliations) == 6
    # An ORCID with an X check digit.
    assert next(a for a in core("40420324").authors if a.name == "Chang D").orcid == "0000-0002-7721-773X"


def test_core_structured_abstract_from_h4_headings() -> None:
    article = core("40468710")
    assert article.abstract is not None
    assert article.abstract.startswith("Objective: This study investigated whether psychological flexibility")
    assert [s.label for s in article.abstract_sections] == ["Objective", "Design", "Methods", "Results", "Conclusions"]
    assert article.abstract_sections[1] == AbstractSection(
        "Design",
        "This was an online, prospective, longitudinal, correlational study with two time points that were "
        "approximately three months apart.",
    )
    # An unescaped "<" in the text is text, not a tag.
    assert "significantly (at p < .001) predicted" in article.abstract_sections[3].text
    assert "median overall survival of <1 year." in (core("40245290").abstract or "")
    assert core("40437959").abstract_sections[0].label == "Issue addressed"


def test_core_abstract_inline_markup_is_stripped() -> None:
    background = core("40511629").abstract_sections[0]
    assert background.text.startswith("Paclitaxel is a potent agent against ovarian cancer. Hydrogen sulfide (H2S)")
    plain = core("40476859")
    assert plain.abstract_sections == ()
    assert plain.abstract is not None and "<b>" not in plain.abstract
    assert plain.abstract.endswith(
        "Keywords: Molecular Imaging, Cancer, MRI, PET/CT, Ultrasound, Muscular, Oncology © RSNA, 2025."
    )
    assert "(<i>n</i> = 10)" not in (core("40518973").abstract or "")
    assert "(n = 10)" in (core("40518973").abstract or "")
    assert core("39709209").abstract is None


def test_core_epub_and_forthcoming_issue() -> None:
    article = core("40464630")
    assert (article.publication_date, article.epub_date, article.year) == ("2025 Aug", "2025 Aug 22", 2025)
    assert (article.volume, article.issue) == (None, None)
    assert article.publication_types == ("Review", "Journal Article")


def test_core_mesh_headings() -> None:
    mesh = core("40468710").mesh
    assert mesh[0] == MeshHeading("Humans")
    assert mesh[1] == MeshHeading(
        "Neoplasms",
        ui=None,
        major=True,
        qualifiers=(MeshQualifier("psychology"), MeshQualifier("therapy")),
    )
    assert all(h.ui is None and all(q.ui is None for q in h.qualifiers) for h in mesh)
    assert sum(1 for a in search("pyeuropepmc_search_cancer_core.json").articles if a.mesh) == 13


def test_references_page() -> None:
    page = parse_references(doc("pyeuropepmc_notebook_MED_34308300_references_page1.json"), SOURCE)
    assert (page.hit_count, page.page, page.page_size, page.offset) == (30, 1, 25, 1)
    assert len(page.references) == 25
    first = page.references[0]
    assert first.text == (
        "Sharfstein JM, Becker SJ, Mello MM. Diagnostic Testing for the Novel Coronavirus. JAMA. "
        "2020;323(15):1437-1438. PMID: 32150622."
    )
    assert first.title == "Diagnostic Testing for the Novel Coronavirus"
    assert first.authors == ("Sharfstein JM", "Becker SJ", "Mello MM")
    assert (first.journal, first.year) == ("JAMA", 2020)
    assert (first.volume, first.issue, first.pages) == ("323", "15", "1437-1438")
    assert (first.pmid, first.pmcid, first.doi) == ("32150622", None, None)
    second = page.references[1]
    assert (second.issue, second.pages) == (None, "101044")
    assert all(r.pmid for r in page.references)
    group = next(r for r in page.references if r.pmid == "32644129")
    assert group.authors[-1] == "Gemelli Against COVID-19 Post-Acute Care Study Group"
    assert group.text.startswith("Carfi A, Bernabei R, Landi F; Gemelli Against COVID-19 Post-Acute Care Study Group. ")


def test_citations_page_with_preprints() -> None:
    page = parse_citations(doc("pyeuropepmc_notebook_MED_34308300_citations_page1.json"), SOURCE)
    assert (page.hit_count, page.page, page.page_size, page.offset) == (1741, 1, 25, 0)
    assert len(page.references) == 25
    preprints = [r for r in page.references if r.journal is None]
    assert len(preprints) == 2
    first = preprints[0]
    assert (first.pmid, first.pmcid, first.doi, first.year) == (None, None, None, 2025)
    assert first.title == (
        "Association between COVID-19 Vaccination and Long COVID Symptoms among Adult Residents of Belém, "
        "Brazilian Amazon: A Cross-Sectional Study"
    )
    assert first.authors[0] == "Silva LCM" and len(first.authors) == 8
    assert first.text.endswith("A Cross-Sectional Study. 2025.")
    journal_article = page.references[1]
    assert journal_article.pmid == "40903751"
    assert journal_article.text == (
        "Nguyen NN, Tissot-Dupont H, Brouqui P, Gautret P. Post-COVID syndrome in symptomatic COVID-19 patients: "
        "a retrospective cohort study. BMC Infect Dis. 2025;25(1):1099. PMID: 40903751."
    )


def test_reference_ids_by_source() -> None:
    body = {
        "hitCount": 3,
        "request": {"offSet": 25, "pageSize": 25},
        "referenceList": {
            "reference": [
                {"id": "PMC1234567", "source": "PMC", "title": "A.", "doi": "10.1000/ABC"},
                {"id": "PPR42", "source": "PPR", "title": "B"},
                {"id": "999", "source": "AGR", "title": "C"},
            ]
        },
    }
    page = parse_references(body, SOURCE)
    assert page.page == 2
    assert [(r.pmid, r.pmcid, r.doi) for r in page.references] == [
        (None, "PMC1234567", "10.1000/abc"),
        (None, None, None),
        (None, None, None),
    ]
    assert page.references[0].text == "A. doi: 10.1000/abc. PMCID: PMC1234567."


def test_author_strings_and_citation_text() -> None:
    assert split_author_string("Smith J, Jones K, et al.") == (("Smith J", "Jones K"), False)
    assert split_author_string(None) == ((), True)
    assert [title_text(t) for t in ("Exosomes <i>in vivo</i>.", "Why?", "Wait...", " ")] == [
        "Exosomes in vivo",
        "Why?",
        "Wait...",
        None,
    ]
    assert citation_text(None, "Title", "J", None, "4", None, "12") == "Title. J. 4:12."
    assert citation_text("Doe J", None, None, 2020, None, None, "e1") == "Doe J. 2020:e1."


def _broken(name: str, change: Any) -> Any:
    body = copy.deepcopy(doc(name))
    change(body)
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(["not", "an", "object"], "response is not a JSON object", id="not-an-object"),
        pytest.param({"hitCount": 1}, "`resultList` is missing", id="no-result-list"),
        pytest.param({"hitCount": 1, "resultList": []}, "`resultList` is not an object", id="result-list-a-list"),
        pytest.param({"resultList": {"result": []}}, "`hitCount` is missing", id="no-hit-count"),
        pytest.param(
            {"hitCount": "many", "resultList": {"result": []}}, "`hitCount` is not a whole number", id="bad-hit-count"
        ),
        pytest.param({"hitCount": 1, "resultList": {}}, "`resultList.result` is missing", id="no-results-key"),
        pytest.param(
            {"hitCount": 1, "resultList": {"result": ["39709209"]}},
            "`resultList.result[0]` is not an object",
            id="result-a-string",
        ),
        pytest.param(
            _broken(
                "pyeuropepmc_search_cancer_core.json", lambda b: b["resultList"]["result"][2].update(authorList="x")
            ),
            "`resultList.result[2].authorList` is not an object",
            id="author-list-a-string",
        ),
        pytest.param(
            _broken("pyeuropepmc_search_cancer.json", lambda b: b["resultList"]["result"][4].update(title=["a"])),
            "`resultList.result[4].title` is not a string",
            id="title-a-list",
        ),
    ],
)
def test_malformed_search_is_an_input_error(body: Any, field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_search(body, SOURCE)
    message = str(caught.value)
    assert message.startswith("europepmc/recorded.json: Europe PMC search response")
    assert field in message


def test_malformed_reference_lists_are_input_errors() -> None:
    body = _broken(
        "pyeuropepmc_notebook_MED_34308300_references_page1.json",
        lambda b: b["referenceList"]["reference"].__setitem__(3, "Sharfstein JM. Diagnostic testing."),
    )
    with pytest.raises(InputError, match=r"Europe PMC references response: field `referenceList\.reference\[3\]`"):
        parse_references(body, SOURCE)
    body = _broken("pyeuropepmc_notebook_MED_34308300_citations_page1.json", lambda b: b.update(citationList=[]))
    with pytest.raises(InputError, match=r"europepmc/recorded\.json: Europe PMC citations response: .*`citationList`"):
        parse_citations(body, SOURCE)
