"""Resource pages made in worker processes (:mod:`exokg.publish.parallel`) give the plan one process gives:
the same files, byte for byte, the same page count and the same warnings in the same order."""

from __future__ import annotations

import logging
import os
import pickle
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from graph_fixtures import INFO
from project_fixtures import copy_project, synthetic_project
from pyoxigraph import Literal, NamedNode, Quad, Store
from test_build import files_of
from test_publish import hostile_corpus

from exokg.config import load_config
from exokg.graph.mapping import map_bibliography
from exokg.graph.store import ntriples, read_turtle_folder, write_ntriples
from exokg.pipeline import read_graph, site_input
from exokg.processes import _busy_cores, idle_cores, return_freed_memory, workers_memory_allows
from exokg.publish.parallel import Runs, pages_in_processes, worker_job
from exokg.publish.plan import PageWorkers, SiteInput, SitePlan, open_site, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.resources import needs_whole_site, plan_resource, plan_resources, resource_pages
from exokg.publish.site import Site
from exokg.publish.worker import make_pages
from exokg.publish.write import StagedFiles, staging_folder, write_site
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]


def _plans(data: SiteInput, site_dir: Path, workers: PageWorkers) -> tuple[SitePlan, SitePlan]:
    env = make_renderer(site_dir)
    render = lambda t, c: render_with(env, t, c)  # noqa: E731
    return plan_site(data, render), plan_site(data, render, workers=workers)


def _made_by_workers(log: str) -> int:
    found = re.search(r"resource pages: (\d+) made by \d+ worker process", log)
    assert found, log
    return int(found.group(1))


def _same(one: SitePlan, several: SitePlan) -> None:
    assert sorted(several.files) == sorted(one.files)
    assert [p for p in one.files if one.files[p] != several.files[p]] == []
    assert several.pages == one.pages
    assert several.warnings == one.warnings


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> SiteInput:
    config = load_config(synthetic_project(tmp_path_factory.mktemp("synthetic") / "project", 20, 5), environ={})
    return site_input(config, read_graph(config), None)


def test_two_workers_make_the_pages_one_process_makes(synthetic: SiteInput,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    # This process only waits: how the pages are shared between here and the workers depends on timing, and
    # left to them, every page they can make is theirs, so the comparison is of pages they made.
    with caplog.at_level(logging.DEBUG, logger="exokg"):
        one, several = _plans(synthetic, ROOT / "site",
                              PageWorkers(ROOT / "site", processes=2, min_pages=1, here=False))
    assert one.pages > 200
    site = open_site(synthetic, lambda t, c: "")
    assert _made_by_workers(caplog.text) == sum(not needs_whole_site(site, page) for page, _ in resource_pages(site))
    assert (one.page_workers, several.page_workers) == (0, 2)
    _same(one, several)


def test_this_process_and_a_worker_share_the_pages(synthetic: SiteInput) -> None:
    # Who makes which page depends on timing here; the plan must not.
    _same(*_plans(synthetic, ROOT / "site", PageWorkers(ROOT / "site", processes=1, min_pages=1)))


def test_this_process_makes_the_pages_only_it_makes_before_any_other(synthetic: SiteInput) -> None:
    # The dataset's page makes the dumps and the statistics: while the workers start, not after they stop.
    env = make_renderer(ROOT / "site")
    site = open_site(synthetic, lambda t, c: render_with(env, t, c))
    pages = resource_pages(site)
    site.resource_paths = frozenset(path for _, path in pages)
    first = [i for i, (page, _) in enumerate(pages) if needs_whole_site(site, page)]
    made: list[str] = []

    def plan_one(site: Site, page: str, path: str) -> list[str]:
        made.append(page)
        return plan_resource(site, page, path)

    assert pages_in_processes(site, pages, plan_one, PageWorkers(ROOT / "site", processes=1, min_pages=1),
                              first=first)
    assert site.iris.dataset() in made[: len(first)]
    assert made[: len(first)] == [pages[i][0] for i in first]
    assert len(made) == len(set(made))  # none made twice here


def test_the_seed_site_is_the_same_made_by_a_worker(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(copy_project(tmp_path / "project"), environ={})
    data = site_input(config, read_graph(config), None)
    with caplog.at_level(logging.DEBUG, logger="exokg"):
        one, several = _plans(data, config.site_dir, PageWorkers(config.site_dir, processes=1, min_pages=1, here=False))
    site = open_site(data, lambda t, c: "")
    whole = sum(needs_whole_site(site, page) for page, _ in resource_pages(site))
    assert 0 < whole < 100  # the dataset and the vocabulary terms: everything else is the worker's
    assert _made_by_workers(caplog.text) == len(resource_pages(site)) - whole
    _same(one, several)


def test_a_hostile_graph_gives_the_same_pages() -> None:
    triples = map_bibliography(resolve(hostile_corpus()), INFO)
    data = SiteInput(triples=triples, title=INFO.title, base_iri=INFO.base_iri, build_date=INFO.build_date,
                     version="test", vocabulary=read_turtle_folder(ROOT / "ontology", "ontology"),
                     assets=read_assets(ROOT / "site"))
    one, several = _plans(data, ROOT / "site", PageWorkers(ROOT / "site", processes=1, min_pages=1, here=False))
    assert any(b"&lt;img src=x" in content for content in several.files.values())
    _same(one, several)


def test_a_failed_worker_costs_time_not_pages(synthetic: SiteInput, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    # A templates folder the worker cannot render with: it fails, and this process makes its pages.
    (tmp_path / "templates").mkdir()
    env = make_renderer(ROOT / "site")
    render = lambda t, c: render_with(env, t, c)  # noqa: E731
    with caplog.at_level(logging.WARNING, logger="exokg"):
        several = plan_site(synthetic, render, workers=PageWorkers(tmp_path, processes=1, min_pages=1, here=False))
    assert "a page-making process failed" in caplog.text
    _same(plan_site(synthetic, render), several)


def test_no_worker_starts_below_the_page_threshold(synthetic: SiteInput, tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    # The same broken templates folder: a started worker would fail and say so.
    (tmp_path / "templates").mkdir()
    env = make_renderer(ROOT / "site")
    with caplog.at_level(logging.DEBUG, logger="exokg"):
        plan_site(synthetic, lambda t, c: render_with(env, t, c),
                  workers=PageWorkers(tmp_path, processes=1, min_pages=10**9))
    assert "page-making process" not in caplog.text and "resource page(s) made by" not in caplog.text


def test_runs_are_taken_from_both_ends_without_overlap(tmp_path: Path) -> None:
    runs = Runs.create(tmp_path / "runs", 7)
    other = Runs(tmp_path / "runs")  # as a worker opens it
    assert runs.front(3) == range(0, 3)
    assert other.back(3) == range(4, 7)
    assert other.back(3) == range(3, 4)
    assert runs.front(3) == range(4, 4) and not other.back(3)


def test_a_page_planned_over_after_a_worker_made_it_has_its_links_read_again(synthetic: SiteInput) -> None:
    env = make_renderer(ROOT / "site")
    replaced: list[str] = []

    def plan_over(site: Site) -> None:
        page = next(p for _, p in resource_pages(site) if p.startswith("work/"))
        site.add_file(page, b'<a href="nowhere.html">gone</a>')
        replaced.append(page)

    plan = plan_site(synthetic, lambda t, c: render_with(env, t, c), (plan_resources, plan_over),
                     workers=PageWorkers(ROOT / "site", processes=1, min_pages=1, here=False))
    assert f"{replaced[0]}: link to nowhere.html does not resolve to a file of the site" in plan.warnings


def test_workers_write_into_a_staged_plan_what_one_process_plans_in_memory(synthetic: SiteInput,
                                                                           tmp_path: Path) -> None:
    env = make_renderer(ROOT / "site")
    render = lambda t, c: render_with(env, t, c)  # noqa: E731
    staged = StagedFiles(staging_folder(tmp_path / "site"))
    several = plan_site(synthetic, render, workers=PageWorkers(ROOT / "site", processes=1, min_pages=1, here=False),
                        files=staged)
    one = plan_site(synthetic, render)
    assert isinstance(several.files, StagedFiles)
    _same(one, several)
    write_site(several.files, tmp_path / "site")
    assert files_of(tmp_path / "site") == one.files
    # The workers' graph file and runs, made beside the staged site, are gone with the staging folder.
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_worker_gets_the_graph_as_a_file_not_in_its_job(synthetic: SiteInput) -> None:
    env = make_renderer(ROOT / "site")
    site = open_site(synthetic, lambda t, c: render_with(env, t, c))
    job = pickle.dumps(worker_job(site, resource_pages(site), ROOT / "site"))
    # Bytes sent in the job would stay in the worker's memory beside the triples they become.
    graph = ntriples(synthetic.triples)
    assert len(graph) > 100_000 and graph[:100_000] not in job


def test_no_more_workers_start_than_the_memory_holds() -> None:
    # Each worker holds about as much as this process: no machine holds a million more of it.
    assert workers_memory_allows(10**6) < 10**6
    assert 0 <= workers_memory_allows(2) <= 2 and workers_memory_allows(0) == 0
    assert workers_memory_allows(2, job_bytes=10**13) == 0  # a graph of 10 TB as N-Triples: none at all


@pytest.mark.skipif(not Path("/proc/stat").is_file(), reason="the kernel's CPU counters are Linux's")
def test_a_core_another_process_keeps_busy_is_not_counted_idle_at_once() -> None:
    cores = len(os.sched_getaffinity(0))
    spinning = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)  # started; the load average would take a minute to show it
        assert _busy_cores(0.2) >= 0.8  # of a core: a process that never waits
        assert idle_cores() <= max(1, cores - 1)
    finally:
        spinning.kill()
        spinning.wait()


@pytest.mark.skipif(sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="glibc's malloc_trim")
def test_the_memory_a_freed_store_held_goes_back_to_the_system() -> None:
    def resident() -> int:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    store = Store()
    store.bulk_extend(Quad(NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"),
                           Literal(f"value {i}")) for i in range(200_000))
    kept = [bytearray(100) for _ in range(1000)]  # allocated after the store, as the build's pages are
    del store
    before = resident()
    return_freed_memory()
    assert before - resident() > 20 * 2**20, "the freed store's memory stayed with the process"
    assert len(kept) == 1000


def test_a_worker_answers_each_link_text_once(synthetic: SiteInput, tmp_path: Path) -> None:
    env = make_renderer(ROOT / "site")
    site = open_site(synthetic, lambda t, c: render_with(env, t, c))
    pages = resource_pages(site)
    graph = tmp_path / "graph.nt"
    write_ntriples(site.input.triples, graph)
    runs = Runs.create(tmp_path / "runs", len(pages))
    made, kept = make_pages({**worker_job(site, pages, ROOT / "site"), "graph": str(graph), "runs": str(runs.path),
                             "folder": str(tmp_path / "files")})
    assert kept == []  # no build cache given
    assert len(made) == len([p for p in pages if not needs_whole_site(site, p[0])])
    texts: dict[str, str] = {}
    for *_, links in made:
        for link in links:
            # Equal texts are one object: the answer's pickle sends it once, and the planning process keeps one.
            assert texts.setdefault(link, link) is link
    assert 2 * len(texts) < sum(len(links) for *_, links in made)
