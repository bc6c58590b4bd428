"""``exokg fetch`` and ``exokg search`` against the local server replaying recorded responses."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from http_server import FakeClock, LocalServer, Reply, local_server

from exokg import cli as cli_module
from exokg.fetch import ArticleId, read_ids
from exokg.sources.http import HttpClient

__all__ = ["local_server"]
REPLAY = Path(__file__).parent / "data" / "api" / "replay"
XML, JSON = "text/xml; charset=UTF-8", "application/json;charset=UTF-8"


@pytest.fixture
def proj(tmp_path: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project whose [sources] point at the local server; the client gets a fake clock (nothing sleeps)."""
    root = tmp_path / "proj"
    root.mkdir()
    url = local_server.url
    (root / "exokg.toml").write_text(
        f'[project]\ncontact = "test@example.org"\n\n[sources]\nncbi = "{url}/ncbi/"\n'
        f'europepmc = "{url}/epmc/"\ncrossref = "{url}/cr/"\nopencitations = "{url}/oc/"\n'
    )
    monkeypatch.setattr(cli_module, "HttpClient", functools.partial(HttpClient, clock=FakeClock()))
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    yield root


def run(proj: Path, *args: str) -> Result:
    return CliRunner().invoke(cli_module.cli, [*args, "--project", str(proj)])


def corpus(proj: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((proj / "corpus").glob("*"))}


def test_ids_parse_in_one_spelling(tmp_path: Path) -> None:
    listing = tmp_path / "ids.txt"
    listing.write_text("# my ids\npmid:030992990\n\ndoi:10.1155/2017/6305295  # a comment\npmcid:7701257\n")
    assert read_ids([f"@{listing}", "PMID:30992990"]) == [
        ArticleId("pmid", "30992990"), ArticleId("doi", "10.1155/2017/6305295"), ArticleId("pmcid", "PMC7701257")]


def test_a_malformed_id_is_a_usage_error_naming_the_line(proj: Path, tmp_path: Path) -> None:
    listing = tmp_path / "ids.txt"
    listing.write_text("pmid:1\nnot-an-id\n")
    result = run(proj, "fetch", str(listing))
    assert result.exit_code == 2 and f"{listing}:2" in result.output


def test_fetch_by_pmid_one_file_per_article(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    result = run(proj, "fetch", "pmid:11748933", "pmid:11700088")
    assert result.exit_code == 0, result.output
    assert sorted(corpus(proj)) == ["pubmed-11700088.xml", "pubmed-11748933.xml"]
    (seen,) = local_server.requests_to("/ncbi/efetch.fcgi")
    assert seen.query["id"] == ["11700088,11748933"]
    assert "2 saved" in result.output
    again = run(proj, "fetch", "pmid:11748933")
    assert "1 already in the corpus" in again.output and len(local_server.requests_to("/ncbi/efetch.fcgi")) == 1


def test_fetch_by_doi_reports_a_404_and_saves_the_rest(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/cr/works/10.1038/srep16696", Reply.file(REPLAY / "works_10_1038_srep16696.json", JSON))
    local_server.script("/cr/works/10.1371/notarealdoi",
                        Reply.file(REPLAY / "works_10_1371_notarealdoi.txt", "text/plain", status=404))
    result = run(proj, "fetch", "doi:10.1038/srep16696", "doi:10.1371/notarealdoi")
    assert result.exit_code == 3
    assert "doi:10.1371/notarealdoi: not found" in result.output
    (name,) = corpus(proj)
    assert name.startswith("crossref-10.1038_srep16696-")
    assert corpus(proj)[name] == (REPLAY / "works_10_1038_srep16696.json").read_bytes()


def test_fetch_by_pmcid(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/epmc/search", Reply.file(REPLAY / "pyeuropepmc_search_cancer_core.json", JSON))
    result = run(proj, "fetch", "pmcid:PMC7701257")
    assert result.exit_code == 0, result.output
    assert list(corpus(proj)) == ["europepmc-PMC7701257.json"]
    assert local_server.requests_to("/epmc/search")[0].query["query"] == ["PMCID:PMC7701257"]


def test_search_pages_the_history_server(
    proj: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("exokg.sources.eutils.BATCH", 2)
    local_server.script("/ncbi/esearch.fcgi", Reply.file(REPLAY / "biopython_esearch2.xml", XML))
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML),
                        Reply.file(REPLAY / "biopython_pubmed7.xml", XML))
    result = run(proj, "search", "cancer", "--max", "3")
    assert result.exit_code == 0, result.output
    (esearch,) = local_server.requests_to("/ncbi/esearch.fcgi")
    assert esearch.query["usehistory"] == ["y"] and esearch.query["term"] == ["cancer"]
    pages = [(s.query["retstart"], s.query["retmax"], s.query["WebEnv"], s.query["query_key"])
             for s in local_server.requests_to("/ncbi/efetch.fcgi")]
    assert pages == [(["0"], ["2"], ["MCID_6927d6e7fee3e90f880ec190"], ["1"]),
                     (["2"], ["1"], ["MCID_6927d6e7fee3e90f880ec190"], ["1"])]
    assert sorted(corpus(proj)) == ["pubmed-11700088.xml", "pubmed-11748933.xml", "pubmed-29963580.xml"]


def test_zero_hit_search_writes_nothing(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/esearch.fcgi", Reply.file(REPLAY / "biopython_esearch8.xml", XML))
    result = run(proj, "search", "abcXYZ")
    assert result.exit_code == 0, result.output
    assert "no PubMed articles match 'abcXYZ'" in result.output and "No items found." in result.output
    assert not (proj / "corpus").exists()
    assert local_server.requests_to("/ncbi/efetch.fcgi") == []


def test_depth_one_follows_references_and_citations(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed7.xml", XML))
    local_server.script("/epmc/MED/29963580/references",
                        Reply.file(REPLAY / "pyeuropepmc_notebook_MED_34308300_references_page1.json", JSON),
                        Reply.file(REPLAY / "handwritten_europepmc_MED_34308300_references_page2.json", JSON))
    local_server.script("/epmc/MED/29963580/citations", Reply.json({"hitCount": 0, "citationList": {}}))
    result = run(proj, "fetch", "pmid:29963580", "--depth", "1", "--citing")
    assert len(local_server.requests_to("/epmc/MED/29963580/references")) == 2
    assert len(local_server.requests_to("/epmc/MED/29963580/citations")) == 1
    second = local_server.requests_to("/ncbi/efetch.fcgi")[1]
    assert len(second.query["id"][0].split(",")) == 30
    assert result.exit_code == 3  # the replayed batch holds none of the 30 referenced PMIDs
    assert "pmid:33000030: not found" in result.output


def test_offline_rebuild_from_the_cache_is_byte_identical(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    local_server.script("/cr/works/10.1038/srep16696", Reply.file(REPLAY / "works_10_1038_srep16696.json", JSON))
    ids = ("pmid:11748933", "pmid:11700088", "doi:10.1038/srep16696")
    assert run(proj, "fetch", *ids).exit_code == 0
    first = corpus(proj)
    for path in (proj / "corpus").iterdir():
        path.unlink()
    local_server.script("/ncbi/efetch.fcgi", Reply(500))
    local_server.script("/cr/works/10.1038/srep16696", Reply(500))
    result = run(proj, "fetch", "--offline", *ids)
    assert result.exit_code == 0, result.output
    assert corpus(proj) == first and "2 from cache" in result.output  # one efetch batch, one work
    assert len(local_server.requests_to("/ncbi/efetch.fcgi")) == 1


def test_an_interrupted_fetch_keeps_what_came_and_a_rerun_fetches_the_rest(
    proj: Path, local_server: LocalServer
) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    local_server.script("/cr/works/10.1038/srep16696", Reply(503))
    ids = ("pmid:11748933", "pmid:11700088", "doi:10.1038/srep16696")
    result = run(proj, "fetch", *ids)
    assert result.exit_code == 3 and "gave up after 4 tries" in result.output
    assert sorted(corpus(proj)) == ["pubmed-11700088.xml", "pubmed-11748933.xml"]
    local_server.script("/cr/works/10.1038/srep16696", Reply.file(REPLAY / "works_10_1038_srep16696.json", JSON))
    rerun = run(proj, "fetch", *ids)
    assert rerun.exit_code == 0, rerun.output
    assert len(corpus(proj)) == 3 and len(local_server.requests_to("/ncbi/efetch.fcgi")) == 1
    assert "1 saved, 2 already in the corpus" in rerun.output


def test_quiet_hides_the_progress_lines(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    result = CliRunner().invoke(cli_module.cli, ["-q", "fetch", "pmid:11748933", "--project", str(proj)])
    assert result.exit_code == 0 and result.output == ""


def test_sources_must_be_known_services(proj: Path) -> None:
    (proj / "exokg.toml").write_text('[sources]\npubmed = "http://x/"\nncbi = "ftp://x"\n')
    result = run(proj, "fetch", "pmid:1")
    assert result.exit_code == 2
    assert "[sources] has unknown key 'pubmed'" in result.output and "[sources] ncbi must be" in result.output
