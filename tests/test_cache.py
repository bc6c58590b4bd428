"""The build cache: what corpus files and documents gave, kept between builds; a rebuild reads only what changed,
and its output is the clean build's."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from project_fixtures import ROOT, copy_project

from exokg.cache import CACHE_FILE, MISSING, Cache, code_digest, open_cache
from exokg.claims import extract_corpus, load_scheme
from exokg.config import load_config
from exokg.pipeline import build
from exokg.sources.reading import read_corpus
from exokg.sources.retrieval import record_path

SEEDS = sorted((ROOT / "corpus").iterdir())


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_entry_is_found_again_by_its_content_and_scope_only(tmp_path: Path) -> None:
    with Cache(tmp_path / CACHE_FILE) as cache:
        section = cache.section("parse", "scope-1")
        section.put(b"content", {"articles": (1, 2)})
        section.done()
    with Cache(tmp_path / CACHE_FILE) as cache:
        same, other_scope = cache.section("parse", "scope-1"), cache.section("parse", "scope-2")
        assert same.get(b"content") == {"articles": (1, 2)}
        assert same.get(b"other content") is MISSING
        assert other_scope.get(b"content") is MISSING
        assert cache.section("claims", "scope-1").get(b"content") is MISSING
        assert (same.hits, same.misses) == (1, 1)


def test_the_entries_a_finished_run_did_not_use_are_dropped_and_other_kinds_kept(tmp_path: Path) -> None:
    with Cache(tmp_path / CACHE_FILE) as cache:
        first = cache.section("parse", "s")
        first.put(b"a", "A")
        first.put(b"b", "B")
        first.done()
        claims = cache.section("claims", "s")
        claims.put(b"c", "C")
        claims.done()
    with Cache(tmp_path / CACHE_FILE) as cache:
        second = cache.section("parse", "s")
        assert second.get(b"a") == "A"
        second.put(b"d", "D")
        second.done()
    with Cache(tmp_path / CACHE_FILE) as cache:
        third = cache.section("parse", "s")
        assert [third.get(k) for k in (b"a", b"b", b"d")] == ["A", MISSING, "D"]
        assert cache.section("claims", "s").get(b"c") == "C"


def test_an_interrupted_run_keeps_what_it_committed_and_the_file_stays_readable(tmp_path: Path) -> None:
    # The process dies the way a killed build does, without closing anything, midway through a batch.
    script = f"""
import os
from pathlib import Path
from exokg.cache import Cache
section = Cache(Path({str(tmp_path / CACHE_FILE)!r})).section("parse", "s")
for n in range(1234):
    section.put(str(n).encode(), n)
os._exit(3)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 3, done.stderr
    with Cache(tmp_path / CACHE_FILE) as cache:
        section = cache.section("parse", "s")
        found = [section.get(str(n).encode()) for n in range(1234)]
    kept = [n for n in found if n is not MISSING]
    assert kept == list(range(len(kept)))  # whole batches, in order, every value intact
    assert 1000 <= len(kept) < 1234


def test_a_damaged_cache_is_set_aside_with_a_warning_and_a_new_one_begun(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / CACHE_FILE
    path.write_bytes(b"this is not an SQLite database, whatever its name says" * 100)
    with caplog.at_level(logging.WARNING, logger="exokg"), open_cache(tmp_path) as cache:
        section = cache.section("parse", "s")
        section.put(b"a", "A")
        section.done()
    assert f"{path}: not a readable build cache" in caplog.text
    assert (tmp_path / (CACHE_FILE + ".unreadable")).is_file()
    with open_cache(tmp_path) as cache:
        assert cache.section("parse", "s").get(b"a") == "A"


def test_a_cache_another_build_holds_is_left_alone(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / CACHE_FILE
    with Cache(path) as cache:
        section = cache.section("parse", "s")
        section.put(b"a", "A")
        section.done()
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="exokg"), Cache(path, timeout=0.1) as cache:
            assert cache.section("parse", "s").get(b"a") is MISSING
    finally:
        other.rollback()
        other.close()
    assert f"{path}: cannot open the build cache (database is locked)" in caplog.text
    assert not (tmp_path / (CACHE_FILE + ".unreadable")).exists()
    with Cache(path) as cache:
        assert cache.section("parse", "s").get(b"a") == "A"


def test_a_workdir_that_cannot_hold_a_cache_only_costs_the_cache(tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    workdir = tmp_path / "workdir"
    workdir.write_text("a file where the workdir should be")
    with caplog.at_level(logging.WARNING, logger="exokg"), open_cache(workdir) as cache:
        section = cache.section("parse", "s")
        section.put(b"a", "A")
        assert section.get(b"a") is MISSING
        section.done()
    assert f"{workdir / CACHE_FILE}: cannot open the build cache" in caplog.text


def test_the_code_digest_names_the_package_sources() -> None:
    assert len(code_digest()) == 64 and code_digest() == code_digest()


def test_reading_a_corpus_from_the_cache_gives_what_reading_the_files_gives(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    (corpus / "empty.html").write_bytes(b"")  # a failure is kept too
    files = sorted(corpus.iterdir())
    plain = read_corpus(files)
    assert len(plain.failures) == 1 and len(plain.articles) == len(SEEDS)

    with open_cache(tmp_path) as cache:
        first = cache.section("parse", "s")
        assert read_corpus(files, cache=first) == plain
        assert (first.hits, first.misses) == (0, len(files))
    with open_cache(tmp_path) as cache:
        again = cache.section("parse", "s")
        assert read_corpus(files, cache=again) == plain
        assert (again.hits, again.misses) == (len(files), 0)

    changed = files[1]
    changed.write_bytes(changed.read_bytes().replace(b"exosome", b"exosomes", 1))
    record_path(files[2]).write_text('{"service": "x"}', encoding="utf-8")  # a malformed record beside a file
    with open_cache(tmp_path) as cache:
        third = cache.section("parse", "s")
        assert read_corpus(files, cache=third) == read_corpus(files)
        assert (third.hits, third.misses) == (len(files) - 2, 2)


def test_claims_from_the_cache_are_the_claims_extraction_gives(tmp_path: Path) -> None:
    articles = read_corpus(SEEDS).articles
    scheme = load_scheme(ROOT / "ontology" / "concepts.ttl")
    plain = extract_corpus(articles, scheme, processes=0)
    assert sum(len(found) for found in plain.values()) > 10
    with open_cache(tmp_path) as cache:
        first = cache.section("claims", "s")
        assert extract_corpus(articles, scheme, processes=0, cache=first) == plain
        documents = first.misses
        assert first.hits == 0 and documents >= len(articles)
    with open_cache(tmp_path) as cache:
        again = cache.section("claims", "s")
        assert extract_corpus(articles, scheme, processes=0, cache=again) == plain
        assert (again.hits, again.misses) == (documents, 0)


def test_a_rebuild_after_one_file_changed_is_the_clean_build_of_the_changed_corpus(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = load_config(project)
    build(config)
    assert (config.workdir / CACHE_FILE).is_file()
    first = files_of(config.output_dir)
    build(config)  # every file and document from the cache
    assert files_of(config.output_dir) == first

    page = sorted(config.corpus_dir.iterdir())[0]
    page.write_text(page.read_text(encoding="utf-8").replace("exosomes", "extracellular vesicles", 1),
                    encoding="utf-8")
    build(config)
    rebuilt = files_of(config.output_dir)
    assert rebuilt != first

    clean = copy_project(tmp_path / "clean")
    (clean / "corpus" / page.name).write_bytes(page.read_bytes())
    clean_config = load_config(clean)
    build(clean_config, use_cache=False)
    assert not (clean_config.workdir / CACHE_FILE).exists()
    assert files_of(clean_config.output_dir) == rebuilt
