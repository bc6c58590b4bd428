"""The benchmark keeps working: it runs end to end at a tiny N and reports every stage (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = {"parse", "claims", "graph", "shacl", "publish", "write", "queries"}


def test_the_benchmark_reports_every_stage_as_json() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--articles", "3", "--sample", "20",
                           "--json"], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["articles"] == 3 and report["triples"] > 3 * 100 and report["pages"] > 3
    assert set(report["stages"]) == STAGES
    for figures in report["stages"].values():
        assert figures["seconds"] >= 0 and figures["peak_rss_mb"] > 0
    assert report["total_seconds"] > 0 and report["queries"]["count"] >= 10
    assert report["page_workers"] == 0  # a handful of pages is not worth a process (PageWorkers.min_pages)
    assert set(report["ratios"]) == {"graph_vs_rdflib_load", "shacl_vs_pyshacl_whole_graph",
                                     "publish_vs_rdflib_per_resource", "publish_vs_physical_limit"}
    # The rebuild after one changed article reports the build's stages (the stored graph is not queried again).
    assert set(report["rebuild"]["stages"]) == STAGES - {"queries"} and report["rebuild"]["total_seconds"] > 0
    assert report["rebuild"]["page_workers"] == 0


def test_the_synthetic_corpus_is_deterministic_and_shaped_like_a_real_one(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import articles
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from exokg.sources.reading import read_corpus

    first, again = list(articles(30, seed=7)), list(articles(30, seed=7))
    assert first == again and first != list(articles(30, seed=8))
    for name, data in first:
        (tmp_path / name).write_bytes(data)
    corpus = read_corpus(sorted(tmp_path.iterdir()))
    assert not corpus.failures and len(corpus.articles) == 30
    references = [len(a.references) for a in corpus.articles]
    authors = [len(a.authors) for a in corpus.articles]
    assert 30 <= sum(references) / 30 <= 50 and 3 <= sum(authors) / 30 <= 7
    assert all(1200 <= len(a.abstract or "") <= 2200 for a in corpus.articles)
    cited = [r.doi for a in corpus.articles for r in a.references if r.doi]
    assert len(cited) > len(set(cited))  # shared references: co-citation is not empty


def test_the_benchmark_can_leave_the_references_out_and_shows_the_build_first() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--articles", "3", "--no-rdflib",
                           "--no-pyshacl"], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "not run (--no-rdflib)" in done.stdout and "not run (--no-pyshacl)" in done.stdout
    assert "graph stage / it" not in done.stdout and "physical limit of the site" in done.stdout
    assert "rebuild after one article changed:" in done.stdout
    # The build's figures reach stderr before the reference path runs, so a run that cannot finish keeps them.
    early = json.loads(next(line for line in done.stderr.splitlines() if line.startswith('{"articles"')))
    assert set(early["build_so_far"]) == STAGES and early["queries"]


def test_the_benchmark_can_leave_the_rebuild_out() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--articles", "2", "--no-rdflib",
                           "--no-pyshacl", "--no-rebuild", "--json"], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["rebuild"] is None


def test_the_rebuild_input_changes_one_title(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from run import change_one_article

        from corpus import write_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from exokg.sources.reading import read_corpus

    write_corpus(tmp_path, 5, 3)
    before = {a.source.key: a for a in read_corpus(sorted(tmp_path.iterdir())).articles}
    changed = change_one_article(tmp_path)
    after = {a.source.key: a for a in read_corpus(sorted(tmp_path.iterdir())).articles}
    differ = [k for k in before if before[k] != after[k]]
    assert differ == [changed.name]
    assert after[changed.name].title == "Corrected: " + before[changed.name].title
