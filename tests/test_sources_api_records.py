"""Saved API responses in a corpus: Crossref and Europe PMC JSON files become records like pages do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from exokg.errors import UnreadablePage
from exokg.sources import read_corpus, read_records

ROOT = Path(__file__).resolve().parents[1]
API = Path(__file__).parent / "data" / "api"
CROSSREF_WORK = API / "crossref" / "works_10_1038_srep16696.json"
EPMC_PAGE = API / "europepmc" / "pyeuropepmc_search_cancer_page2.json"


def test_a_crossref_work_file_is_one_record() -> None:
    (article,) = read_records(CROSSREF_WORK)
    assert (article.layout, article.doi, article.journal) == ("crossref", "10.1038/srep16696", "Scientific Reports")
    assert article.source.name == CROSSREF_WORK.name and len(article.references) == 62


def test_a_europe_pmc_search_file_is_one_record_per_result() -> None:
    articles = read_records(EPMC_PAGE)
    assert len(articles) == 5 and {a.layout for a in articles} == {"europepmc"}
    assert articles[0].pmid == "39709209"
    assert len({(a.source.name, a.source.sha256) for a in articles}) == 1
    assert [a.source.record for a in articles] == [1, 2, 3, 4, 5]


def test_one_europe_pmc_record_saved_alone(tmp_path: Path) -> None:
    result = json.loads(EPMC_PAGE.read_text(encoding="utf-8"))["resultList"]["result"][0]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(result), encoding="utf-8")
    (article,) = read_records(path)
    assert article.pmid == "39709209"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"message-type": "work", ', "not valid JSON at line 1, column 26"),
        ('{"colour": "red"}', "JSON, but not a Crossref /works response, or a Europe PMC search response or record"),
        ('{"status": "ok", "message-type": "work"}', "message"),
        ('{"hitCount": 0, "resultList": {"result": []}}', "the response holds no records"),
    ],
)
def test_unreadable_responses_name_the_file_and_why(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "response.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadablePage) as info:
        read_records(path)
    assert info.value.source == "response.json" and reason in info.value.reason


def test_a_corpus_mixes_pages_efetch_xml_and_api_json(tmp_path: Path) -> None:
    for path in (ROOT / "corpus" / "003_96a32d462d26ac30.txt", API / "ncbi" / "biopython_pubmed2.xml", CROSSREF_WORK):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    corpus = read_corpus(sorted(tmp_path.iterdir()))
    assert sorted(a.layout for a in corpus.articles) == ["crossref", "pubmed", "pubmed-xml", "pubmed-xml"]
    assert [(f.source, f.reason.split(" (")[0]) for f in corpus.failures] == [
        ("broken.json", "not valid JSON at line 1, column 2")]
