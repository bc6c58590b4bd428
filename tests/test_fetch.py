"""``exokg fetch`` and ``exokg search`` against the local server replaying recorded responses."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
import rdflib
from click.testing import CliRunner, Result
from http_server import FakeClock, LocalServer, Reply, local_server

from exokg import cli as cli_module
from exokg.config import load_config
from exokg.fetch import ArticleId, Fetcher, read_ids
from exokg.sources.http import HttpClient, services
from exokg.sources.reading import read_records
from exokg.sources.retrieval import SUFFIX, is_record

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
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    yield root


def run(proj: Path, *args: str) -> Result:
    # A clock that only pretends to sleep: rate limits and backoff cost nothing and are asserted on.
    return CliRunner().invoke(cli_module.cli, [*args, "--project", str(proj)], obj={"clock": FakeClock()})


def corpus(proj: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((proj / "corpus").glob("*")) if not is_record(p)}


def records(proj: Path) -> dict[str, dict[str, str]]:
    """The retrieval records beside the fetched files, by the file they describe."""
    return {p.name.removesuffix(SUFFIX): json.loads(p.read_text()) for p in sorted((proj / "corpus").glob("*"))
            if is_record(p)}


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
    result = CliRunner().invoke(cli_module.cli, ["-q", "fetch", "pmid:11748933", "--project", str(proj)],
                                obj={"clock": FakeClock()})
    assert result.exit_code == 0 and result.output == ""


def test_progress_names_each_task_with_its_size(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    local_server.script("/cr/works/10.1038/srep16696", Reply.file(REPLAY / "works_10_1038_srep16696.json", JSON))
    result = run(proj, "fetch", "pmid:11748933", "pmid:11700088", "doi:10.1038/srep16696")
    assert result.exit_code == 0, result.output
    # Not a terminal here, so click's bar prints each task's label once instead of redrawing.
    assert result.output.count("exokg: fetching records") == 1


class Recorder:
    """A :class:`~exokg.fetch.Progress` that keeps what it was told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def begin(self, label: str, total: int) -> None:
        self.events.append((label, total))

    def advance(self, steps: int) -> None:
        self.events.append(("+", steps))

    def end(self) -> None:
        self.events.append(("end", 0))


def test_progress_advances_by_batch_to_its_total(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    local_server.script("/cr/works/10.1038/srep16696", Reply.file(REPLAY / "works_10_1038_srep16696.json", JSON))
    config = load_config(proj)
    progress = Recorder()
    with HttpClient(config.http_cache_dir, contact="test@example.org", clock=FakeClock()) as client:
        Fetcher(client, services(config.sources), config.corpus_dir, progress=progress).fetch(
            [ArticleId("pmid", "11748933"), ArticleId("pmid", "11700088"), ArticleId("doi", "10.1038/srep16696")])
    assert progress.events == [("records", 3), ("+", 2), ("+", 1), ("end", 0)]


def test_each_saved_file_has_its_retrieval_record(proj: Path, local_server: LocalServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "secret-key-123")
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    local_server.script("/cr/works/10.1038/srep16696", Reply.file(REPLAY / "works_10_1038_srep16696.json", JSON))
    ids = ("pmid:11748933", "pmid:11700088", "doi:10.1038/srep16696")
    assert run(proj, "fetch", *ids).exit_code == 0
    found = records(proj)
    assert sorted(found) == sorted(corpus(proj))
    efetch = found["pubmed-11748933.xml"]
    assert efetch["service"] == "ncbi" and efetch == {**found["pubmed-11700088.xml"], "file": efetch["file"],
                                                       "sha256": efetch["sha256"]}  # one batch, one request
    assert efetch["url"].startswith(local_server.url + "/ncbi/efetch.fcgi?") and "id=11700088%2C11748933" in efetch[
        "url"]
    assert efetch["sha256"] == hashlib.sha256(corpus(proj)["pubmed-11748933.xml"]).hexdigest()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", efetch["retrieved"])
    (work,) = (v for k, v in found.items() if k.startswith("crossref-"))
    assert work["service"] == "crossref" and work["url"] == local_server.url + "/cr/works/10.1038/srep16696"
    text = "".join(p.read_text() for p in (proj / "corpus").iterdir())
    assert "secret-key-123" not in text and "test@example.org" not in text and "tool=" not in text
    # Fetched again from the cache alone, the records are the same bytes: the time is the response's, not now.
    first = {p.name: p.read_bytes() for p in (proj / "corpus").iterdir()}
    for path in (proj / "corpus").iterdir():
        path.unlink()
    assert run(proj, "fetch", "--offline", *ids).exit_code == 0
    assert {p.name: p.read_bytes() for p in (proj / "corpus").iterdir()} == first


PROV = "http://www.w3.org/ns/prov#"


def export(proj: Path) -> Result:
    return CliRunner().invoke(cli_module.cli, ["export", str(proj), "--format", "nt"])


def test_the_graph_says_which_request_fetched_each_field_and_when(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    assert run(proj, "fetch", "pmid:11748933").exit_code == 0
    exported = export(proj)
    graph = rdflib.Graph().parse(data=exported.stdout_bytes.decode(), format="nt")
    rows = graph.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX exo: <https://w3id.org/exokg/ontology/>
        SELECT ?record ?url ?time ?service WHERE {
          ?article prov:wasDerivedFrom ?record .
          ?record prov:wasGeneratedBy ?retrieval .
          ?retrieval a exo:Retrieval ; prov:used ?url ; prov:endedAtTime ?time ; exo:service ?service .
        }""")
    ((record, url, time, service),) = list(rows)
    saved = records(proj)["pubmed-11748933.xml"]
    assert str(record).endswith("/source/pubmed-11748933.xml")
    assert (str(url), str(service)) == (saved["url"], "ncbi")
    assert time.datatype == rdflib.XSD.dateTime
    assert f'<{record}#retrieval> <{PROV}endedAtTime> "{saved["retrieved"]}"^^' in exported.stdout


def test_a_record_that_no_longer_matches_its_file_is_refused_by_name(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    assert run(proj, "fetch", "pmid:11748933").exit_code == 0
    path = proj / "corpus" / "pubmed-11748933.xml"
    path.write_bytes(path.read_bytes().replace(b"</PubmedArticleSet>", b"</PubmedArticleSet>\n"))
    exported = export(proj)
    assert exported.exit_code == 3
    assert "pubmed-11748933.xml.retrieval.json" in exported.stderr and "describes another version" in exported.stderr
    assert "/source/pubmed-11748933.xml>" in exported.stdout and "#retrieval>" not in exported.stdout


def test_search_follows_the_hits_references_to_the_chosen_depth(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/esearch.fcgi", Reply.file(REPLAY / "biopython_esearch2.xml", XML))
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed7.xml", XML))
    local_server.script("/epmc/MED/29963580/references",
                        Reply.file(REPLAY / "pyeuropepmc_notebook_MED_34308300_references_page1.json", JSON),
                        Reply.file(REPLAY / "handwritten_europepmc_MED_34308300_references_page2.json", JSON))
    result = run(proj, "search", "cancer", "--max", "1", "--depth", "1")
    assert len(local_server.requests_to("/epmc/MED/29963580/references")) == 2
    assert local_server.requests_to("/epmc/MED/29963580/citations") == []
    fetches = local_server.requests_to("/ncbi/efetch.fcgi")
    assert fetches[0].query["query_key"] == ["1"] and len(fetches[1].query["id"][0].split(",")) == 30
    assert result.exit_code == 3 and "pmid:33000030: not found" in result.output


def test_a_doi_s_references_come_from_crossref_and_opencitations(proj: Path, local_server: LocalServer) -> None:
    work = REPLAY / "works_10_1038_srep16696.json"
    local_server.script("/cr/works/10.1038/srep16696", Reply.file(work, JSON))
    deposited = [r["DOI"].lower() for r in json.loads(work.read_bytes())["message"]["reference"] if "DOI" in r]
    # OpenCitations adds one the deposit lacks, and repeats one it has.
    local_server.script("/oc/references/doi:10.1038/srep16696", Reply.json([
        {"oci": "1-2", "citing": "omid:br/1 doi:10.1038/srep16696", "cited": "omid:br/2 doi:10.9999/only-in-oc"},
        {"oci": "1-3", "citing": "omid:br/1 doi:10.1038/srep16696", "cited": f"omid:br/3 doi:{deposited[0]}"},
    ]))
    local_server.script("/oc/citations/doi:10.1038/srep16696",
                        Reply.file(REPLAY / "handwritten_opencitations_v2_citations_doi_10.1038_srep16696.json", JSON))
    result = run(proj, "fetch", "doi:10.1038/srep16696", "--depth", "1", "--citing")
    asked = {unquote(s.path.removeprefix("/cr/works/")) for s in local_server.seen if s.path.startswith("/cr/works/")}
    assert set(deposited) | {"10.9999/only-in-oc", "10.1016/j.neurobiolaging.2010.03.024"} <= asked
    assert len(local_server.requests_to("/oc/references/doi:10.1038/srep16696")) == 1
    # The citing work with a PMID is fetched by PMID (from NCBI), the others by DOI.
    assert "33817056" in local_server.requests_to("/ncbi/efetch.fcgi")[0].query["id"][0]
    assert result.exit_code == 3 and "doi:10.9999/only-in-oc: not found" in result.output


def test_sources_must_be_known_services(proj: Path) -> None:
    (proj / "exokg.toml").write_text('[sources]\npubmed = "http://x/"\nncbi = "ftp://x"\n')
    result = run(proj, "fetch", "pmid:1")
    assert result.exit_code == 2
    assert "[sources] has unknown key 'pubmed'" in result.output and "[sources] ncbi must be" in result.output


def test_the_project_may_be_given_as_the_last_argument(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/ncbi/efetch.fcgi", Reply.file(REPLAY / "biopython_pubmed2.xml", XML))
    local_server.script("/ncbi/esearch.fcgi", Reply.file(REPLAY / "biopython_esearch8.xml", XML))
    invoke = functools.partial(CliRunner().invoke, cli_module.cli, obj={"clock": FakeClock()})
    result = invoke(["fetch", "pmid:11748933", str(proj)])
    assert result.exit_code == 0, result.output
    assert list(corpus(proj)) == ["pubmed-11748933.xml"]
    assert invoke(["search", "abcXYZ", str(proj)]).exit_code == 0
    clash = invoke(["fetch", "pmid:1", str(proj), "--project", str(proj.parent)])
    assert clash.exit_code == 2 and "two projects given" in clash.output
    assert invoke(["fetch", str(proj)]).exit_code == 2


def test_europepmc_search_pages_with_the_cursor_and_files_each_hit(proj: Path, local_server: LocalServer) -> None:
    core, second = REPLAY / "pyeuropepmc_search_cancer_core.json", REPLAY / "pyeuropepmc_search_cancer_page2.json"
    local_server.script("/epmc/search", Reply.file(core, JSON), Reply.file(second, JSON))
    result = run(proj, "search", "cancer", "--source", "europepmc", "--max", "28")
    assert result.exit_code == 0, result.output
    pages = [(s.query["cursorMark"], s.query["pageSize"]) for s in local_server.requests_to("/epmc/search")]
    assert pages == [(["*"], ["28"]), ([json.loads(core.read_bytes())["nextCursorMark"]], ["3"])]
    first = json.loads(core.read_bytes())["resultList"]["result"]
    expected = [f"europepmc-pmid-{r['pmid']}.json" for r in first]
    later = json.loads(second.read_bytes())["resultList"]["result"][:3]
    # The recorded second page repeats hits of the first (it was recorded from the start): saved once each.
    assert sorted(corpus(proj)) == sorted({*expected, *(f"europepmc-pmid-{r['pmid']}.json" for r in later)})
    # Each file is one record the corpus reader takes as it takes the other sources.
    only_first = next(r for r in first if r["pmid"] not in {h["pmid"] for h in later})
    article, = read_records(proj / "corpus" / f"europepmc-pmid-{only_first['pmid']}.json")
    assert article.pmid == only_first["pmid"] and article.title and article.source.retrieval is not None
    assert article.source.retrieval.url.startswith(local_server.url + "/epmc/search?cursorMark=%2A")


def test_europepmc_search_stops_when_the_cursor_stays_put(proj: Path, local_server: LocalServer) -> None:
    core = json.loads((REPLAY / "pyeuropepmc_search_cancer_core.json").read_bytes())
    stuck = {**core, "nextCursorMark": "*"}
    local_server.script("/epmc/search", Reply.json(stuck))
    result = run(proj, "search", "cancer", "--source", "europepmc", "--max", "500")
    assert result.exit_code == 0, result.output
    assert len(local_server.requests_to("/epmc/search")) == 1 and len(corpus(proj)) == 25


def test_europepmc_search_with_no_hits(proj: Path, local_server: LocalServer) -> None:
    local_server.script("/epmc/search", Reply.file(REPLAY / "pyeuropepmc_search_no_results.json", JSON))
    result = run(proj, "search", "asdkfjhasdkfjh", "--source", "europepmc")
    assert result.exit_code == 0 and "no Europe PMC articles match 'asdkfjhasdkfjh'" in result.output
    assert not (proj / "corpus").exists()
