"""E-utilities: esearch parsing, efetch batching and cutting a batch into one document per article."""

from __future__ import annotations

from pathlib import Path

import pytest
from http_server import FakeClock, LocalServer, Reply, local_server

from exokg.model import Source
from exokg.sources import eutils
from exokg.sources.http import NCBI, HttpClient
from exokg.sources.pubmed_xml import parse_pubmed_xml

__all__ = ["local_server"]
REPLAY = Path(__file__).parent / "data" / "api" / "replay"
XML = "text/xml; charset=UTF-8"


def test_esearch_with_history_server() -> None:
    result = eutils.parse_esearch((REPLAY / "biopython_esearch2.xml").read_bytes())
    assert result.count == 42249
    assert result.webenv == "MCID_6927d6e7fee3e90f880ec190" and result.query_key == "1"
    assert len(result.ids) == 100 and result.ids[0] == "41297076"


def test_zero_hits_keeps_the_messages() -> None:
    result = eutils.parse_esearch((REPLAY / "biopython_esearch8.xml").read_bytes())
    assert (result.count, result.ids) == (0, ())
    assert result.errors == ("PhraseNotFound: abcXYZ",)
    assert result.warnings == ("OutputMessage: No items found.",)


def test_split_articles_keeps_each_article_parseable() -> None:
    documents = eutils.split_articles((REPLAY / "biopython_pubmed2.xml").read_bytes())
    assert sorted(documents) == ["11700088", "11748933"]
    for pmid, document in documents.items():
        (article,) = parse_pubmed_xml(document, Source(f"pubmed-{pmid}.xml", ""))
        assert article.pmid == pmid


def test_efetch_ids_sorts_and_limits_the_batch(tmp_path: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    with HttpClient(tmp_path, contact="t@example.org", clock=FakeClock()) as client:
        eutils.efetch_ids(client, NCBI.at(local_server.url + "/ncbi/"), ["11748933", "11700088"])
        with pytest.raises(ValueError, match="at most 200"):
            eutils.efetch_ids(client, NCBI, [str(n) for n in range(201)])
    (seen,) = local_server.requests_to("/ncbi/efetch.fcgi")
    assert seen.query["id"] == ["11700088,11748933"]
    assert seen.query["db"] == ["pubmed"] and seen.query["retmode"] == ["xml"]
    assert seen.query["tool"] == ["exokg"] and seen.query["email"] == ["t@example.org"]
