"""Europe PMC, Crossref and OpenCitations v2 clients against the local server."""

from __future__ import annotations

from pathlib import Path

from http_server import FakeClock, LocalServer, Reply, local_server

from exokg.sources.clients import (
    Linked,
    crossref_work,
    europepmc_by_pmcid,
    europepmc_links,
    opencitations_links,
    parse_opencitations,
)
from exokg.sources.http import CROSSREF, EUROPEPMC, OPENCITATIONS, HttpClient

__all__ = ["local_server"]
REPLAY = Path(__file__).parent / "data" / "api" / "replay"
JSON = "application/json;charset=UTF-8"


def client(tmp_path: Path) -> HttpClient:
    return HttpClient(tmp_path / "http", contact="t@example.org", clock=FakeClock())


def test_europepmc_references_page_until_hit_count(tmp_path: Path, local_server: LocalServer) -> None:
    path = "/epmc/MED/34308300/references"
    local_server.script(
        path,
        Reply.file(REPLAY / "pyeuropepmc_notebook_MED_34308300_references_page1.json", JSON),
        Reply.file(REPLAY / "handwritten_europepmc_MED_34308300_references_page2.json", JSON),
        Reply(500),
    )
    with client(tmp_path) as c:
        links = europepmc_links(c, EUROPEPMC.at(local_server.url + "/epmc/"), "34308300", "references", 25)
    assert len(links) == 30 and links[0] == Linked(pmid="32150622")
    pages = [(s.query["page"], s.query["pageSize"]) for s in local_server.requests_to(path)]
    assert pages == [(["1"], ["25"]), (["2"], ["25"])]


def test_europepmc_citations_stop_at_an_empty_page(tmp_path: Path, local_server: LocalServer) -> None:
    path = "/epmc/MED/34308300/citations"
    local_server.script(
        path,
        Reply.file(REPLAY / "pyeuropepmc_notebook_MED_34308300_citations_page1.json", JSON),
        Reply.json({"hitCount": 1741, "citationList": {"citation": []}}),
    )
    with client(tmp_path) as c:
        links = europepmc_links(c, EUROPEPMC.at(local_server.url + "/epmc/"), "34308300", "citations", 25)
    assert len(links) == 25 and len(local_server.requests_to(path)) == 2


def test_crossref_404_is_an_answer(tmp_path: Path, local_server: LocalServer) -> None:
    local_server.script("/cr/works/10.1371/notarealdoi",
                        Reply.file(REPLAY / "works_10_1371_notarealdoi.txt", "text/plain", status=404))
    with client(tmp_path) as c:
        assert crossref_work(c, CROSSREF.at(local_server.url + "/cr/"), "10.1371/notarealdoi").not_found


def test_europepmc_search_by_pmcid(tmp_path: Path, local_server: LocalServer) -> None:
    local_server.script("/epmc/search", Reply.file(REPLAY / "pyeuropepmc_search_cancer_core.json", JSON))
    with client(tmp_path) as c:
        europepmc_by_pmcid(c, EUROPEPMC.at(local_server.url + "/epmc/"), "PMC7701257")
    (seen,) = local_server.requests_to("/epmc/search")
    assert seen.query == {"query": ["PMCID:PMC7701257"], "resultType": ["core"], "format": ["json"]}


def test_opencitations_v2_citing_ids(tmp_path: Path, local_server: LocalServer) -> None:
    path = "/oc/citations/doi:10.1038/srep16696"
    local_server.script(
        path, Reply.file(REPLAY / "handwritten_opencitations_v2_citations_doi_10.1038_srep16696.json", JSON))
    with client(tmp_path) as c:
        links = opencitations_links(c, OPENCITATIONS.at(local_server.url + "/oc/"), "10.1038/srep16696", "citations")
    assert links == (
        Linked(pmid="33817056", doi="10.7717/peerj-cs.421"),
        Linked(doi="10.1016/j.neurobiolaging.2010.03.024"),
    )


def test_opencitations_v2_cited_side() -> None:
    rows = [{"citing": "omid:br/1 doi:10.1/A", "cited": "omid:br/2 pmid:123 doi:10.2/B"}]
    assert parse_opencitations(rows, "cited") == (Linked(pmid="123", doi="10.2/b"),)
