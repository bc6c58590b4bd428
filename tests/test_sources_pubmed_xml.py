"""Saved efetch XML (``PubmedArticleSet``) -> Article records: four real NCBI responses (recorded by
biopython, copied unchanged into tests/data/api/ncbi), then the edges (markup, identifiers, refusals)."""

from __future__ import annotations

import hashlib
import shutil
from functools import cache
from pathlib import Path

import pytest

from exokg.errors import UnreadablePage
from exokg.model import AbstractSection, Article, Author, MeshHeading, MeshQualifier, Reference, Source
from exokg.sources import read_corpus, read_page, read_records
from exokg.sources.pubmed_xml import is_pubmed_xml, parse_pubmed_xml

ROOT = Path(__file__).resolve().parent.parent
NCBI = ROOT / "tests" / "data" / "api" / "ncbi"
PAGES = ROOT / "tests" / "data" / "pages"
PUBMED_DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">'
)


@cache
def records(name: str) -> tuple[Article, ...]:
    return read_records(NCBI / f"biopython_{name}.xml")


def record(name: str) -> Article:
    (article,) = records(name)
    return article


def xml_record(body: str, tmp_path: Path, *, citation: str = "") -> Article:
    """One synthetic record: ``body`` inside ``MedlineCitation/Article`` after a title."""
    text = (
        f'<?xml version="1.0" ?>\n{PUBMED_DOCTYPE}\n<PubmedArticleSet><PubmedArticle>'
        f'<MedlineCitation><PMID Version="1">123</PMID><Article><ArticleTitle>T.</ArticleTitle>{body}</Article>'
        f"{citation}</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    path = tmp_path / "record.xml"
    path.write_text(text, encoding="utf-8")
    return read_page(path)


# --- pubmed7: ReferenceList, MathML, ORCIDs, several affiliations, a group author -------------------


def test_pubmed7_identifiers_and_source() -> None:
    article = record("pubmed7")
    raw = (NCBI / "biopython_pubmed7.xml").read_bytes()
    assert article.source == Source("biopython_pubmed7.xml", hashlib.sha256(raw).hexdigest())
    assert article.layout == "pubmed-xml"
    assert (article.pmid, article.doi, article.pmcid) == ("29963580", "10.1117/1.jmi.5.2.026002", "PMC6022861")


def test_pubmed7_title_and_mathml_abstract() -> None:
    article = record("pubmed7")
    assert (
        article.title == "Development of a pulmonary imaging biomarker pipeline for phenotyping of chronic lung disease"
    )
    assert article.abstract is not None
    assert article.abstract.startswith("We designed and generated pulmonary imaging biomarker pipelines")
    assert article.abstract.endswith("for point-of-care and high-throughput research.")
    # Prescripts before their base, formatting whitespace dropped, <mtext> </mtext> kept as a space.
    assert "(1) inhaled 3He/129Xe MRI ventilation and apparent diffusion coefficients," in article.abstract
    assert "(3) ultrashort echo-time 1H MRI proton density measurements" in article.abstract
    assert "free-breathing Fourier-decomposition 1H MRI ventilation/perfusion and free-breathing 1H MRI specific" in (
        article.abstract
    )
    assert "He3" not in article.abstract and "  " not in article.abstract and "\n" not in article.abstract
    assert article.abstract_sections == ()


def test_pubmed7_authors() -> None:
    article = record("pubmed7")
    assert len(article.authors) == 9
    assert [a.name for a in article.authors[:2]] == ["Fumin Guo", "Dante Capaldi"]
    assert article.authors[0] == Author(
        "Fumin Guo",
        (
            "University of Western Ontario, Robarts Research Institute, London, Ontario, Canada.",
            "University of Western Ontario, Graduate Program in Biomedical Engineering, London, Ontario, Canada.",
            "University of Toronto, Sunnybrook Research Institute, Toronto, Canada.",
        ),
        None,
    )
    assert article.authors[1].orcid == "0000-0002-4590-7461"
    assert [(a.name, a.orcid) for a in article.authors if a.orcid] == [
        ("Dante Capaldi", "0000-0002-4590-7461"),
        ("Aaron Fenster", "0000-0003-3525-2788"),
    ]
    assert article.authors[-1] == Author("Canadian Respiratory Research Network")
    assert article.authors_complete is True
    assert len(article.affiliations) == 6
    assert (
        article.affiliations[0] == "University of Western Ontario, Robarts Research Institute, London, Ontario, Canada."
    )


def test_pubmed7_journal_dates_and_lists() -> None:
    article = record("pubmed7")
    assert (article.journal, article.journal_abbreviation, article.issn) == (
        "Journal of medical imaging (Bellingham, Wash.)",
        "J Med Imaging (Bellingham)",
        "2329-4302",
    )
    assert (article.year, article.publication_date, article.epub_date) == (2018, "2018 Apr", "2018 Jun 28")
    assert (article.volume, article.issue, article.pages) == ("5", "2", "026002")
    assert article.publication_types == ("Journal Article",)
    assert article.keywords == (
        "asthma",
        "chronic obstructive lung disease",
        "image processing, biomarkers",
        "magnetic resonance imaging",
        "thoracic computed tomography",
    )
    assert article.mesh == ()


def test_pubmed7_reference_list() -> None:
    refs = record("pubmed7").references
    assert len(refs) == 49
    assert refs[0] == Reference(
        text="Radiology. 2015 Jan;274(1):250-9",
        journal="Radiology",
        year=2015,
        volume="274",
        issue="1",
        pages="250-9",
        pmid="25144646",
    )
    # NLM's short form: the journal abbreviation is not an author.
    assert refs[-1] == Reference(
        text="Eur Respir J. 2008 Apr;31(4):869-73",
        journal="Eur Respir J",
        year=2008,
        volume="31",
        issue="4",
        pages="869-73",
        pmid="18216052",
    )
    assert all(r.pmid and r.journal and not r.authors for r in refs)
    assert "29963580" not in {r.pmid for r in refs}


# --- pubmed5: structured abstract with NlmCategory, <sub>/<u>, CommentsCorrections ------------------


def test_pubmed5_identifiers_title_and_journal() -> None:
    article = record("pubmed5")
    assert (article.pmid, article.doi, article.pmcid) == ("28775130", "10.1136/oemed-2017-104431", "PMC5771820")
    assert (
        article.title
        == "Occupational pesticide exposure and subclinical hypothyroidism among male pesticide applicators"
    )
    assert (article.journal, article.journal_abbreviation, article.issn) == (
        "Occupational and environmental medicine",
        "Occup Environ Med",
        "1470-7926",
    )
    assert (article.year, article.publication_date, article.epub_date) == (2018, "2018 Feb", "2017 Aug 3")
    assert (article.volume, article.issue, article.pages) == ("75", "2", "79-89")
    assert article.publication_types == ("Journal Article",)
    assert article.keywords == (
        "agriculture",
        "hypothyroidism",
        "pesticides",
        "thyroid disease",
        "thyroid stimulating hormone",
    )
    assert article.mesh == ()


def test_pubmed5_structured_abstract() -> None:
    article = record("pubmed5")
    assert [s.label for s in article.abstract_sections] == ["OBJECTIVES", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert article.abstract_sections[-1] == AbstractSection(
        "CONCLUSIONS",
        "Our results suggest that long-term exposure to aldrin, pendimethalin and methyl bromide may alter thyroid "
        "function among male pesticide applicators.",
    )
    assert article.abstract is not None
    lines = article.abstract.split("\n")
    assert len(lines) == 4
    assert lines[0].startswith("OBJECTIVES: Animal studies suggest that exposure to pesticides may alter thyroid")
    assert lines[-1].endswith("may alter thyroid function among male pesticide applicators.")
    assert lines == [f"{s.label}: {s.text}" for s in article.abstract_sections]
    # <sub> flattened in place, &gt;/&lt; decoded, PubMed's underlined "<" read as "≤", no copyright line.
    assert "(ORQ3=4.15, 95% CI 1.56 to 11.01, ORQ4=4.76" in lines[2]
    assert "ptrend <0.01" in lines[2]
    assert "subclinical hypothyroidism (TSH >4.5 mIU/L) compared with normal TSH (0.4-\u22644.5 mIU/L)" in lines[1]
    assert "©" not in article.abstract


def test_pubmed5_authors() -> None:
    article = record("pubmed5")
    assert len(article.authors) == 12
    assert [a.name for a in article.authors[:2]] == ["Catherine C Lerro", "Laura E Beane Freeman"]
    assert article.authors[2].affiliations == (
        "Division of Cancer Epidemiology and Genetics, National Cancer Institute, Rockville, Maryland, USA.",
        "Environmental Working Group, Washington, DC, USA.",
    )
    assert not any(a.orcid for a in article.authors)


def test_pubmed5_cites_comments_corrections() -> None:
    article = record("pubmed5")
    assert len(article.references) == 40
    assert article.references[0] == Reference(
        text="J Toxicol Environ Health A. 2003 Jun 13;66(11):965-86",
        journal="J Toxicol Environ Health A",
        year=2003,
        volume="66",
        issue="11",
        pages="965-86",
        pmid="12775511",
    )
    assert article.pmid not in {r.pmid for r in article.references}


# --- pubmed4: <i> in the title, Label-only sections, MeSH with qualifiers, 50 <PMID>s ----------------


def test_pubmed4_identifiers_and_title_markup() -> None:
    article = record("pubmed4")
    assert (article.pmid, article.doi, article.pmcid) == ("27797938", "10.1136/gutjnl-2016-312510", "PMC5442267")
    assert article.title == (
        "Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer"
    )
    assert (article.journal, article.journal_abbreviation, article.issn) == ("Gut", "Gut", "1468-3288")
    assert (article.year, article.publication_date, article.epub_date) == (2017, "2017 Jun", "2016 Oct 21")
    assert (article.volume, article.issue, article.pages) == ("66", "6", "1116-1122")
    assert article.publication_types == (
        "Journal Article",
        "Observational Study",
        "Research Support, N.I.H., Extramural",
        "Research Support, U.S. Gov't, Non-P.H.S.",
        "Research Support, Non-U.S. Gov't",
    )
    assert article.keywords == ("PANCREATIC CANCER",)


def test_pubmed4_abstract_sections() -> None:
    article = record("pubmed4")
    assert [s.label for s in article.abstract_sections] == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]
    assert article.abstract is not None
    assert article.abstract.startswith(
        "OBJECTIVE: Telomere shortening occurs as an early event in pancreatic tumorigenesis, and genetic variants at "
        "the telomerase reverse transcriptase (TERT) gene region"
    )
    assert article.abstract.endswith(
        "\nCONCLUSIONS: Prediagnostic leucocyte telomere length and genetic variants at the TERT gene region were "
        "associated with risk of pancreatic cancer."
    )
    results = article.abstract_sections[2].text
    assert "95% CI 1.07 to 2.78; ptrend=0.048)" in results
    assert "(linkage disequilibrium r2<0.25)" in results
    assert "<i>" not in article.abstract


def test_pubmed4_authors() -> None:
    article = record("pubmed4")
    assert len(article.authors) == 22
    assert [a.name for a in article.authors[:2]] == ["Ying Bao", "Jennifer Prescott"]
    assert article.authors[11].name == "Edward L Giovannucci"
    assert len(article.authors[11].affiliations) == 3
    assert article.authors[-1].name == "Brian M Wolpin"


def test_pubmed4_mesh() -> None:
    mesh = record("pubmed4").mesh
    assert len(mesh) == 21
    assert mesh[0] == MeshHeading(
        "Adenocarcinoma",
        "D000230",
        False,
        (MeshQualifier("epidemiology", "Q000453", True), MeshQualifier("genetics", "Q000235", True)),
    )
    assert [m.descriptor for m in mesh if m.major] == ["Telomere Shortening"]
    assert mesh[-1] == MeshHeading(
        "United States", "D014481", False, (MeshQualifier("epidemiology", "Q000453", False),)
    )


def test_pubmed4_pmid_is_never_a_comments_corrections_pmid() -> None:
    article = record("pubmed4")
    assert (NCBI / "biopython_pubmed4.xml").read_text(encoding="utf-8").count("<PMID") == 50
    refs = article.references
    assert len(refs) == 48  # the RefType="Cites" entries; the CommentIn (27920200) is not a reference
    assert refs[0] == Reference(
        text="Stat Med. 1989 May;8(5):551-61",
        journal="Stat Med",
        year=1989,
        volume="8",
        issue="5",
        pages="551-61",
        pmid="2657958",
    )
    cited = {r.pmid for r in refs}
    assert article.pmid == "27797938"
    assert "27797938" not in cited and "27920200" not in cited
    assert refs[-1].pmid == "12000852"


# --- pubmed2: two records in one set ---------------------------------------------------------------


def test_pubmed2_holds_two_records_of_one_file_each_with_its_key() -> None:
    first, second = records("pubmed2")
    assert (first.pmid, second.pmid) == ("11748933", "11700088")
    # One file, so one name and digest; each record its own key (claims and works are keyed by it).
    assert (first.source.name, first.source.sha256) == (second.source.name, second.source.sha256)
    assert (first.source.key, second.source.key) == ("biopython_pubmed2.xml#1", "biopython_pubmed2.xml#2")
    assert first.source.name == "biopython_pubmed2.xml"


def test_pubmed2_first_record() -> None:
    article = records("pubmed2")[0]
    assert (article.doi, article.pmcid) == ("10.1006/cryo.2001.2328", None)  # DOI only in PubmedData's ArticleIdList
    assert article.title == (
        "Is cryopreservation a homogeneous process? Ultrastructure and motility of untreated, prefreezing, and "
        "postthawed spermatozoa of Diplodus puntazzo (Cetti)"
    )
    assert article.abstract is not None
    assert article.abstract.startswith("This study subdivides the cryopreservation procedure")
    assert article.abstract.endswith("to better understand the process of sperm damage.")
    assert "(P < 0.001)" in article.abstract and "Copyright" not in article.abstract
    assert article.abstract_sections == ()
    assert len(article.authors) == 8
    assert [a.name for a in article.authors[:2]] == ["A R Taddei", "F Barbato"]
    assert article.authors[0].affiliations == (
        "Dipartimento di Scienze Ambientali, Universit\u00e0 degli Studi della Tuscia, 01100 Viterbo, Italy.",
    )
    assert (article.journal, article.journal_abbreviation, article.issn) == ("Cryobiology", "Cryobiology", "0011-2240")
    assert (article.year, article.publication_date, article.epub_date) == (2001, "2001 Jun", None)
    assert (article.volume, article.issue, article.pages) == ("42", "4", "244-55")  # MedlinePgn before Start/End
    assert article.publication_types == ("Journal Article", "Research Support, Non-U.S. Gov't")
    assert article.keywords == ()
    assert len(article.mesh) == 11
    assert article.mesh[7] == MeshHeading(
        "Sea Bream",
        "D021541",
        False,
        (MeshQualifier("anatomy & histology", "Q000033", True), MeshQualifier("physiology", "Q000502", False)),
    )
    assert article.mesh[9] == MeshHeading("Sperm Motility", "D013081", True)
    assert article.references == ()


def test_pubmed2_second_record() -> None:
    article = records("pubmed2")[1]
    assert (article.doi, article.pmcid) == ("10.1006/jmre.2001.2429", None)
    assert article.title == "Proton MRI of (13)C distribution by J and chemical shift editing"
    assert article.journal == "Journal of magnetic resonance (San Diego, Calif. : 1997)"
    assert (article.journal_abbreviation, article.issn) == ("J Magn Reson", "1090-7807")
    assert (article.year, article.publication_date, article.pages) == (2001, "2001 Nov", "117-23")
    assert [a.name for a in article.authors] == [
        "C Casieri",
        "C Testa",
        "G Carpinelli",
        "R Canese",
        "F Podo",
        "F De Luca",
    ]
    assert article.mesh == () and article.references == ()


def test_read_page_reads_a_one_record_set_and_refuses_a_larger_one() -> None:
    assert read_page(NCBI / "biopython_pubmed7.xml") == record("pubmed7")
    with pytest.raises(UnreadablePage) as caught:
        read_page(NCBI / "biopython_pubmed2.xml")
    assert caught.value.reason == "an efetch file of 2 PubmedArticle records, not one article page"


def test_json_record() -> None:
    data = record("pubmed4").to_json()
    assert data["layout"] == "pubmed-xml"
    assert data["mesh"][0]["qualifiers"][0] == {"name": "epidemiology", "ui": "Q000453", "major": True}
    assert data["references"][0]["pmid"] == "2657958"


# --- refusals --------------------------------------------------------------------------------------


def test_truncated_xml_is_unreadable_with_where(tmp_path: Path) -> None:
    raw = (NCBI / "biopython_pubmed4.xml").read_bytes()
    path = tmp_path / "half.xml"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(UnreadablePage) as caught:
        read_records(path)
    assert caught.value.source == "half.xml"
    assert caught.value.reason == "not well-formed XML at line 377, column 43 (unclosed token)"


def test_empty_article_set_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text(f'<?xml version="1.0" ?>\n{PUBMED_DOCTYPE}\n<PubmedArticleSet>\n</PubmedArticleSet>\n')
    with pytest.raises(UnreadablePage) as caught:
        read_records(path)
    assert (caught.value.source, caught.value.reason) == ("empty.xml", "no PubmedArticle records")


def test_entity_declarations_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY lol "lol">\n'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&lol2;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n"
    )
    with pytest.raises(UnreadablePage) as caught:
        read_records(path)
    assert caught.value.reason.startswith("refused XML: its document type declaration (<!DOCTYPE PubmedArticleSet [)")


def test_a_foreign_doctype_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "system.xml"
    path.write_text('<!DOCTYPE PubmedArticleSet SYSTEM "file:///etc/passwd">\n<PubmedArticleSet/>\n')
    with pytest.raises(UnreadablePage) as caught:
        read_records(path)
    assert caught.value.reason.startswith("refused XML")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(f'<?xml version="1.0" ?>\n{PUBMED_DOCTYPE}\n<PubmedArticleSet>', True, id="efetch"),
        pytest.param("\ufeff<!-- saved --><?pi x?>\n<PubmedArticleSet>", True, id="bom-comment-pi"),
        pytest.param("<PubmedArticleSet/>", True, id="bare"),
        pytest.param("<!DOCTYPE PubmedArticleSet [<!ENTITY a 'b'>]><PubmedArticleSet/>", True, id="subset"),
        pytest.param('<?xml version="1.0"?>\n<eSearchResult><Count>1</Count>', False, id="esearch"),
        pytest.param('<?xml version="1.0"?>\n<html><body><PubmedArticleSet>', False, id="xhtml"),
        pytest.param("<!DOCTYPE html>\n<html>", False, id="html"),
        pytest.param("Saved from PubMed\n<PubmedArticleSet><PubmedArticle>", False, id="page-quoting-xml"),
        pytest.param("", False, id="empty"),
    ],
)
def test_is_pubmed_xml_reads_only_the_prolog(head: str, expected: bool) -> None:
    assert is_pubmed_xml(head.encode("utf-8")) is expected


def test_a_page_that_mentions_the_xml_is_read_as_a_page(tmp_path: Path) -> None:
    page = (PAGES / "pubmed_full_header.txt").read_text(encoding="utf-8")
    path = tmp_path / "page.txt"
    path.write_text(page + "\nExport: <PubmedArticleSet><PubmedArticle>…</PubmedArticle></PubmedArticleSet>\n")
    (article,) = read_records(path)
    assert article.layout == "pubmed"
    assert article.pmid == "35241111"
    assert read_records(PAGES / "publisher_meta.html") == (read_page(PAGES / "publisher_meta.html"),)


def test_read_corpus_reads_pages_and_every_record(tmp_path: Path) -> None:
    shutil.copy(PAGES / "pubmed_full_header.txt", tmp_path / "a_page.txt")
    shutil.copy(NCBI / "biopython_pubmed2.xml", tmp_path / "b_efetch.xml")
    raw = (NCBI / "biopython_pubmed5.xml").read_bytes()
    (tmp_path / "c_truncated.xml").write_bytes(raw[:1000])
    corpus = read_corpus(sorted(tmp_path.iterdir()))
    assert [(a.source.name, a.layout, a.pmid) for a in corpus.articles] == [
        ("a_page.txt", "pubmed", "35241111"),
        ("b_efetch.xml", "pubmed-xml", "11748933"),
        ("b_efetch.xml", "pubmed-xml", "11700088"),
    ]
    assert [(f.source, f.reason.split(" at ")[0]) for f in corpus.failures] == [
        ("c_truncated.xml", "not well-formed XML")
    ]


# --- synthetic records for what the four responses do not show --------------------------------------


def test_orcid_forms_invalid_authors_and_initials(tmp_path: Path) -> None:
    article = xml_record(
        '<AuthorList CompleteYN="N">'
        "<Author><LastName>Smith</LastName><ForeName>Ann</ForeName><Suffix>Jr</Suffix>"
        '<Identifier Source="ORCID">000000024590746x</Identifier></Author>'
        '<Author ValidYN="N"><LastName>Smiht</LastName><ForeName>Ann</ForeName></Author>'
        "<Author><LastName>Jones</LastName><Initials>KL</Initials>"
        '<Identifier Source="ORCID">http://orcid.org/0000-0003-3525-2788</Identifier></Author>'
        "<Author><CollectiveName>The <i>EXO</i> Group</CollectiveName></Author></AuthorList>",
        tmp_path,
    )
    assert article.authors == (
        Author("Ann Smith Jr", (), "0000-0002-4590-746X"),
        Author("KL Jones", (), "0000-0003-3525-2788"),
        Author("The EXO Group"),
    )
    assert article.authors_complete is False
    assert article.title == "T"


def test_medline_date_pages_and_elocation_doi(tmp_path: Path) -> None:
    article = xml_record(
        "<Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>"
        "</Journal><Pagination><StartPage>e12</StartPage><EndPage>e19</EndPage></Pagination>"
        '<ELocationID EIdType="pii">x1</ELocationID><ELocationID EIdType="doi">10.1000/ABC.1</ELocationID>',
        tmp_path,
    )
    assert (article.publication_date, article.year, article.pages) == ("1998 Dec-1999 Jan", 1998, "e12-e19")
    assert article.doi == "10.1000/abc.1"


def test_mathml_annotations_fractions_and_unlabelled_parts(tmp_path: Path) -> None:
    mml = 'xmlns:mml="http://www.w3.org/1998/Math/MathML"'
    article = xml_record(
        f"<Abstract><AbstractText>Dose <mml:math {mml}><mml:semantics><mml:mrow><mml:mfrac><mml:mn>1</mml:mn>"
        "<mml:mn>2</mml:mn></mml:mfrac></mml:mrow><mml:annotation encoding='TeX'>\\frac{1}{2}</mml:annotation>"
        "</mml:semantics></mml:math> mg.</AbstractText><AbstractText>Second <b>part</b>.</AbstractText></Abstract>",
        tmp_path,
    )
    assert article.abstract == "Dose 1/2 mg.\nSecond part."
    assert article.abstract_sections == ()


def test_reference_list_identifiers_win_over_the_text(tmp_path: Path) -> None:
    path = tmp_path / "refs.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>9</PMID><Article><ArticleTitle>T</ArticleTitle>"
        "</Article></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType='pubmed'>9</ArticleId>"
        "</ArticleIdList><ReferenceList><Reference><Citation>Lai RC, Arslan F. Exosome secreted by MSC. "
        "Stem Cell Res. 2010;4(3):214-22. doi: 10.1/wrong</Citation><ArticleIdList>"
        "<ArticleId IdType='doi'>10.1016/J.SCR.2009.12.003</ArticleId><ArticleId IdType='pmc'>PMC123456</ArticleId>"
        "<ArticleId IdType='pubmed'>20132923</ArticleId></ArticleIdList></Reference></ReferenceList>"
        "</PubmedData></PubmedArticle></PubmedArticleSet>"
    )
    (article,) = read_records(path)
    assert (article.pmid, article.doi, article.pmcid) == ("9", None, None)
    (ref,) = article.references
    assert (ref.authors, ref.title, ref.journal, ref.year) == (
        ("Lai RC", "Arslan F"),
        "Exosome secreted by MSC",
        "Stem Cell Res",
        2010,
    )
    assert (ref.doi, ref.pmid, ref.pmcid) == ("10.1016/j.scr.2009.12.003", "20132923", "PMC123456")


def test_parse_pubmed_xml_accepts_bytes_in_memory() -> None:
    raw = (NCBI / "biopython_pubmed2.xml").read_bytes()
    source = Source("mem", "0")
    assert [a.pmid for a in parse_pubmed_xml(raw, source)] == ["11748933", "11700088"]


def test_parse_pubmed_xml_refuses_what_its_prolog_scan_cannot_vouch_for() -> None:
    hidden = b"<!--" + b"x" * 70_000 + b'--><!DOCTYPE PubmedArticleSet [<!ENTITY a "b">]><PubmedArticleSet/>'
    with pytest.raises(UnreadablePage) as caught:
        parse_pubmed_xml(hidden, Source("hidden.xml", "0"))
    assert caught.value.reason == "not an efetch PubmedArticleSet XML file (its start is not one's prolog)"
