"""A rebuild takes the previous build's resource pages whose inputs have not changed (:mod:`exokg.publish.reuse`):
linked, not made again, and the site is byte for byte the one a clean build makes."""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import random
import re
import sqlite3
from pathlib import Path

import pytest
from project_fixtures import copy_project
from pyoxigraph import Literal, NamedNode, Triple
from test_build import files_of
from test_publish_parallel import synthetic  # noqa: F401 (a fixture)

from exokg.cache import CACHE_FILE, Cache
from exokg.config import load_config
from exokg.graph.iris import Iris
from exokg.graph.store import load_graph
from exokg.pipeline import build
from exokg.publish import resources as resources_module
from exokg.publish import reuse as reuse_module
from exokg.publish.dataset import DUMP_NT
from exokg.publish.docs import SHAPES_PAGE, VALIDATION_PAGE
from exokg.publish.plan import PageWorkers, SiteInput, open_site, page_file, plan_site
from exokg.publish.render import make_renderer, render_with
from exokg.publish.resources import needs_whole_site, resource_pages
from exokg.publish.reuse import KIND, PageReuse, scope
from exokg.publish.view import GraphView, slots_changed
from exokg.publish.write import StagedFiles, staging_folder, write_file, write_site

ROOT = Path(__file__).resolve().parents[1]


def _hits(log: str) -> tuple[int, int]:
    """The last build's resource pages from the cache, and its resource pages."""
    found = re.findall(r"pages: ([\d,]+) of ([\d,]+) resource pages from the build cache", log)
    assert found, log
    hits, total = found[-1]
    return int(hits.replace(",", "")), int(total.replace(",", ""))


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def _resource_files(site: Path) -> list[str]:
    """Every resource page with its three RDF files (a page is a resource's when they are beside it, but the
    documentation pages of the shapes and of the validation report, which have their own)."""
    found = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).as_posix() in (SHAPES_PAGE, VALIDATION_PAGE):
            continue
        stem = page.with_suffix("")
        siblings = [stem.with_name(f"{stem.name}.{ext}") for ext in ("ttl", "jsonld", "nt")]
        if all(s.is_file() for s in siblings):
            found += [p.relative_to(site).as_posix() for p in (*siblings, page)]
    return found


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    build(load_config(project))
    return project


def test_a_rebuild_links_every_unchanged_resource_page_from_the_site_in_place(
        built: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(built)
    first, inodes = files_of(config.output_dir), _inodes(config.output_dir)
    resources = _resource_files(config.output_dir)
    with caplog.at_level(logging.INFO, logger="exokg"):
        build(config)
    assert files_of(config.output_dir) == first
    hits, total = _hits(caplog.text)
    assert total == len(resources) // 4 > 600
    assert "validation: the graph is unchanged since its report was kept" in caplog.text
    # The dataset's page is made every time: the dumps' section replaces the three files of its description,
    # so they are never the files its entry names.
    assert hits == total - 1
    again = _inodes(config.output_dir)
    moved = sorted({p.rsplit(".", 1)[0] for p in resources if again[p] != inodes[p]})
    assert moved == ["dataset"]
    # The other files of the site are made anew.
    assert again["index.html"] != inodes["index.html"]


def test_a_file_of_the_site_changed_since_is_made_again(built: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(built)
    site = config.output_dir
    first = files_of(site)
    pages = [p for p in _resource_files(site) if p.startswith("work/")]
    edited, touched = site / pages[3], site / pages[4 * 7 + 1]
    with edited.open("ab") as file:
        file.write(b"<!-- edited -->")
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # the same bytes, touched
    with caplog.at_level(logging.INFO, logger="exokg"):
        build(config)
    assert files_of(site) == first
    hits, total = _hits(caplog.text)
    assert hits == total - 3  # the dataset's page, and the pages of the two files


def test_a_changed_article_remakes_its_pages_and_no_unchanged_one(built: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    config = load_config(built)
    inodes = _inodes(config.output_dir)
    page = sorted(config.corpus_dir.iterdir())[0]
    page.write_text(page.read_text(encoding="utf-8").replace("exosomes", "extracellular vesicles", 1),
                    encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="exokg"):
        build(config)
    hits, total = _hits(caplog.text)
    assert 0 < hits < total - 1
    # The validation report the site shows is the previous one brought up to date, and a clean build's.
    assert "focus node(s) checked again" in caplog.text
    rebuilt = files_of(config.output_dir)

    clean = copy_project(config.project_dir.parent / "clean")
    (clean / "corpus" / page.name).write_bytes(page.read_bytes())
    clean_config = load_config(clean)
    build(clean_config, use_cache=False)
    assert files_of(clean_config.output_dir) == rebuilt
    # A page taken from the previous site is that site's file; every file the change reached is a new one.
    again = _inodes(config.output_dir)
    linked = {p for p in _resource_files(config.output_dir) if again[p] == inodes.get(p)}
    assert len(linked) == 4 * hits


def test_page_workers_take_and_keep_pages_as_this_process_does(synthetic: SiteInput,  # noqa: F811
                                                               tmp_path: Path) -> None:
    env = make_renderer(ROOT / "site")
    output = tmp_path / "site"
    workers = PageWorkers(ROOT / "site", processes=1, min_pages=1, here=False)
    plans = []
    for _ in range(2):
        with Cache(tmp_path / CACHE_FILE) as cache:
            staged = StagedFiles(staging_folder(output))
            reuse = PageReuse(cache, scope(ROOT / "site"), output, staged)
            plan = plan_site(synthetic, lambda t, c: render_with(env, t, c), workers=workers, files=staged,
                             reuse=reuse)
            plans.append(({p: staged[p] for p in staged}, plan.pages, plan.warnings, reuse.section.hits))
            write_site(staged, output)
            for section in reuse.sections:
                section.done()
    (first, pages, warnings, none), (second, pages_again, warnings_again, hits) = plans
    assert second == first and (pages_again, warnings_again) == (pages, warnings)
    entries = sqlite3.connect(tmp_path / CACHE_FILE).execute("SELECT count(*) FROM entries WHERE kind = ?",
                                                             (KIND,)).fetchone()[0]
    resources = len(_resource_files(output)) // 4
    # Kept by the worker for every page it made, and by this process for the pages that read the whole site.
    assert none == 0 and entries == resources > 200
    assert hits == resources - 1  # all but the dataset's


def test_a_site_file_written_over_a_link_replaces_it_and_leaves_the_linked_file_alone(tmp_path: Path) -> None:
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    previous.mkdir()
    (previous / "page.html").write_bytes(b"the previous site's page")
    (staging / "work").mkdir(parents=True)
    os.link(previous / "page.html", staging / "work" / "page.html")
    write_file(staging, "work/page.html", b"a new page")
    assert (staging / "work" / "page.html").read_bytes() == b"a new page"
    assert (previous / "page.html").read_bytes() == b"the previous site's page"


def test_without_hard_links_every_page_is_made_anew(built: Path, caplog: pytest.LogCaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(built)
    first = files_of(config.output_dir)

    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    # A file system that has no hard links refuses them like this (FAT, some network file systems).
    monkeypatch.setattr(reuse_module.os, "link", refuse)
    with caplog.at_level(logging.INFO, logger="exokg"):
        build(config)
    assert files_of(config.output_dir) == first
    assert "cannot link the previous site's files into the new one (Operation not permitted)" in caplog.text
    assert _hits(caplog.text)[0] == 0


def _plan_with_reuse(data: SiteInput, cache_file: Path, output: Path, workers: PageWorkers | None = None,
                     *, finish: bool = True) -> tuple[dict[str, bytes], PageReuse]:
    """One build of ``data``'s site into ``output`` with the page cache of ``cache_file``, following the change
    from the site in place as the pipeline does: its files, and the reuse it was built with (for its sections'
    counts). Without ``finish``, the build stops once its pages are planned and kept, as if interrupted."""
    env = make_renderer(ROOT / "site")
    loaded = load_graph(list(data.triples), output / DUMP_NT)
    with Cache(cache_file) as cache:
        staged = StagedFiles(staging_folder(output))
        reuse = PageReuse(cache, scope(ROOT / "site"), output, staged)
        reuse.follow(data, loaded.digest, loaded.change)
        plan_site(data, lambda t, c: render_with(env, t, c), workers=workers, files=staged, reuse=reuse)
        files = {p: staged[p] for p in staged}
        if not finish:
            for section in reuse.sections:
                section.flush()
            staged.discard()
            return files, reuse
        write_site(staged, output)
        reuse.settle()
        for section in reuse.sections:
            section.done()
    return files, reuse


@pytest.fixture
def slots_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of slots each page whose reads were looked up had read again (:func:`held_digest`)."""
    counted: list[int] = []
    digest = reuse_module.held_digest
    monkeypatch.setattr(reuse_module, "held_digest",
                        lambda site, slots: counted.append(len(slots)) or digest(site, slots))
    return counted


def test_a_page_whose_reads_are_unchanged_is_taken_without_working_out_its_context(
        synthetic: SiteInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        slots_read: list[int]) -> None:
    first, _ = _plan_with_reuse(synthetic, tmp_path / CACHE_FILE, tmp_path / "site")
    slots_read.clear()
    worked: list[str] = []
    context = resources_module.page_context
    monkeypatch.setattr(resources_module, "page_context",
                        lambda site, page, path: worked.append(page) or context(site, page, path))
    again, reuse = _plan_with_reuse(synthetic, tmp_path / CACHE_FILE, tmp_path / "site")
    assert again == first
    site = open_site(synthetic, lambda t, c: "")
    whole_site = sorted(page for page, _ in resource_pages(site) if needs_whole_site(site, page))
    # Only the pages that read more than the graph (the dataset's and the vocabulary terms') are worked out.
    assert sorted(worked) == whole_site and whole_site
    assert reuse.reads_section.hits == len(resource_pages(site)) - len(whole_site) > 200
    assert reuse.reads_section.misses == 0
    # The graph did not change, so no slot a page read is read again to know it.
    assert reuse.touched == frozenset() and slots_read == []


def _retitled(data: SiteInput) -> tuple[SiteInput, str]:
    """``data`` with the title of a work that another article cites changed, and the citing article."""
    view = GraphView(data.triples, data.base_iri)
    cites = "http://purl.org/spar/cito/cites"
    work, article = next((t.object.value, t.subject.value) for t in data.triples
                         if t.predicate.value == cites and view.label(t.object.value) != t.object.value
                         and view.describes(t.subject.value) and isinstance(t.object, NamedNode))
    title = view.label(work)
    triples = [Triple(t.subject, t.predicate, Literal("A title changed since the last build"))
               if t.subject.value == work and isinstance(t.object, Literal) and t.object.value == title else t
               for t in data.triples]
    return dataclasses.replace(data, triples=triples), article


@pytest.mark.parametrize("workers", [None, PageWorkers(ROOT / "site", processes=1, min_pages=1, here=False)],
                         ids=["here", "worker"])
def test_a_changed_label_remakes_every_page_that_shows_it(synthetic: SiteInput, tmp_path: Path,  # noqa: F811
                                                          workers: PageWorkers | None, slots_read: list[int]) -> None:
    _plan_with_reuse(synthetic, tmp_path / CACHE_FILE, tmp_path / "site", workers)
    slots_read.clear()
    changed, article = _retitled(synthetic)
    rebuilt, reuse = _plan_with_reuse(changed, tmp_path / CACHE_FILE, tmp_path / "site", workers)
    env = make_renderer(ROOT / "site")
    clean = plan_site(changed, lambda t, c: render_with(env, t, c)).files
    assert sorted(rebuilt) == sorted(clean)
    assert [p for p in clean if rebuilt[p] != clean[p]] == []
    # The change reached the page of the article that cites the work, which was made again for it.
    citing = page_file(Iris(changed.base_iri), article)
    assert citing is not None and "A title changed since the last build" in rebuilt[citing].decode("utf-8")
    assert 0 < reuse.reads_section.misses < reuse.reads_section.hits
    # The slots the change touched were followed: only the pages that read one of them had their slots read
    # again (and those made anew, to keep what they read), and where a worker made the pages, none here.
    assert reuse.touched
    assert len(slots_read) < reuse.reads_section.hits / 10 if workers is None else slots_read == []


def test_a_build_stopped_half_way_leaves_the_next_one_to_read_every_page(
        synthetic: SiteInput, tmp_path: Path, slots_read: list[int]) -> None:  # noqa: F811
    # The entries the stopped build kept are of a graph no site was made of: the change from the site in place
    # cannot be followed from them.
    cache, output = tmp_path / CACHE_FILE, tmp_path / "site"
    first, _ = _plan_with_reuse(synthetic, cache, output)
    _plan_with_reuse(_retitled(synthetic)[0], cache, output, finish=False)
    slots_read.clear()
    again, reuse = _plan_with_reuse(synthetic, cache, output)
    assert again == first
    assert reuse.touched is None and len(slots_read) >= reuse.reads_section.hits > 200
    slots_read.clear()
    _, reuse = _plan_with_reuse(synthetic, cache, output)
    assert reuse.touched == frozenset() and slots_read == []


def test_a_changed_setting_or_vocabulary_is_not_followed_as_a_change_of_the_graph(
        synthetic: SiteInput, tmp_path: Path) -> None:  # noqa: F811
    cache, output = tmp_path / CACHE_FILE, tmp_path / "site"
    _plan_with_reuse(synthetic, cache, output)
    retitled = dataclasses.replace(synthetic, title="Another title")
    env = make_renderer(ROOT / "site")
    again, reuse = _plan_with_reuse(retitled, cache, output)
    assert reuse.touched is None and again == plan_site(retitled, lambda t, c: render_with(env, t, c)).files
    fewer = dataclasses.replace(retitled, vocabulary=retitled.vocabulary[1:])
    _, reuse = _plan_with_reuse(fewer, cache, output)
    assert reuse.touched is None


def test_the_slots_a_change_touches_are_every_slot_whose_holding_it_changes(
        synthetic: SiteInput) -> None:  # noqa: F811
    rng = random.Random(7)
    triples = list(synthetic.triples)
    literals = [t for t in triples if isinstance(t.object, Literal)]
    links = [t for t in triples if isinstance(t.object, NamedNode)]
    labels = {"http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/title"}
    for _ in range(40):
        removed = set(rng.sample(triples, rng.randint(0, 3)))
        added = {Triple(t.subject, t.predicate, Literal(t.object.value + " (changed)"))
                 for t in rng.sample(literals, 2)}
        added |= {Triple(t.subject, NamedNode(rng.choice(sorted(labels))), Literal("a new label"))
                  for t in rng.sample(links, 1)}
        # A part of a page linking back: a new subject, and a page that now describes it.
        added |= {Triple(NamedNode(t.object.value.split("#", 1)[0] + "#new-part"), t.predicate, t.subject)
                  for t in rng.sample(links, 1) if isinstance(t.subject, NamedNode)}
        after = [t for t in triples if t not in removed] + sorted(added - set(triples), key=str)
        before_view, after_view = GraphView(triples, synthetic.base_iri), GraphView(after, synthetic.base_iri)
        candidates: set[tuple[str, ...]] = set()
        for t in [*removed, *added, *rng.sample(triples, 200)]:
            s, o = t.subject.value, t.object.value
            for iri in (s, o, s.split("#", 1)[0], o.split("#", 1)[0]):
                candidates |= {("l", iri), ("t", iri), ("d", iri), *(("v", iri, p) for p in before_view.out[iri]),
                               *(("w", iri, p) for p in before_view.inverse[iri])}
            candidates |= {("v", s, t.predicate.value), ("w", o, t.predicate.value)}
        changed = {slot for slot in candidates if before_view.held(slot) != after_view.held(slot)}
        assert changed and changed <= slots_changed(removed | added)


def test_what_a_slot_holds_tells_every_difference_a_page_could_show() -> None:
    base = "https://example.org/"
    work, part, other = NamedNode(base + "work/a"), NamedNode(base + "work/a#part-1"), NamedNode(base + "work/b")
    title, cites = NamedNode("http://purl.org/dc/terms/title"), NamedNode("http://purl.org/spar/cito/cites")
    triples = [Triple(work, title, Literal("1")), Triple(part, cites, other)]
    slots = [("v", work.value, title.value), ("w", other.value, cites.value), ("l", work.value),
             ("l", other.value), ("t", work.value), ("d", other.value)]

    def held(changed: list[Triple]) -> list[str]:
        view = GraphView(changed, base)
        return [view.held(slot) for slot in slots]

    before = held(triples)
    for value in (Literal("1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                  Literal("1", language="en"), Literal("2"), NamedNode(base + "1")):
        after = held([Triple(work, title, value), triples[1]])
        assert [after[i] != before[i] for i in (0, 4)] == [True, True], value
    # Another subject linking to b, a label for b, a page for b: each is seen by the slot that reads it.
    assert held([*triples, Triple(work, cites, other)])[1] != before[1]
    assert held([*triples, Triple(other, title, Literal(""))])[3] != before[3]
    assert held([*triples, Triple(other, title, Literal(""))])[5] != before[5]
    with pytest.raises(ValueError, match="not a slot"):
        GraphView(triples, base).held(("x", "y"))
