"""Where the build's time goes, stage by stage, on a synthetic corpus of N articles.

    python bench/run.py --articles N [--json] [--seed S] [--sample K] [--keep DIR]

Generates N articles shaped like real ones (``bench/corpus.py``) in a temporary copy of the default
project, runs the real build on them with every stage timed (parse/ingest, claims, graph, SHACL,
publish: planning the site, writing it), then runs every cookbook query on the stored graph, then
*rebuilds* after one article's title changed (the build cache of the first build, the workdir's, as a user's
second build would find it, and in a process of its own as that build would run; ``--no-rebuild`` leaves it
out). In the same run it times two yardsticks:

* the *reference path*: rdflib's in-memory store filled with the same triples, and the per-resource
  rdflib serialisation a simple publisher does (measured on a sample of K resources and scaled to all
  of them, said so in the output); the SHACL reference is pyshacl on the whole graph (``--no-pyshacl``
  leaves it out at sizes where it takes an hour);
* the *physical limit* of the site: rendering as many pages with jinja2 from ready-made contexts, and
  writing the same bytes the site holds, with no RDF work at all.

It prints a table (seconds, throughput and peak RSS per stage, totals, ratios); ``--json`` prints one
JSON object instead. Timings live here, never in tests; a test runs this at a tiny N to keep it working.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jinja2
import rdflib
from pyoxigraph import NamedNode, Store

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import write_corpus  # noqa: E402
from exokg.config import load_config  # noqa: E402
from exokg.graph.store import open_store, to_rdflib  # noqa: E402
from exokg.pipeline import build  # noqa: E402
from exokg.publish.view import GraphView  # noqa: E402
from exokg.query import load_queries, run  # noqa: E402
from exokg.timing import Stages, StageTime  # noqa: E402
from exokg.validate import load_shapes, validate  # noqa: E402

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ARTICLE = NamedNode("https://w3id.org/exokg/ontology/Article")
PROJECT_PARTS = ("ontology", "shapes", "queries", "site")
PAGE = jinja2.Template("<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>"
                       "<p>{{ text }}</p><ul>{% for l in links %}<li><a href='{{ l }}'>{{ l }}</a></li>{% endfor %}"
                       "</ul></body></html>", autoescape=True)


def rebuild_apart(project: Path) -> tuple[list[StageTime], int]:
    """The project built again in a process of its own, as a user's second build runs. In this one, the first
    build's graph, still held for the reference path, added to the rebuild's memory and to every collection
    the garbage collector made: at 3,000 articles the same rebuild took 215 s in the benchmark's process and
    116 s in a new one, on one machine. Its stages, and how many page workers it started."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_rebuild, project).result()


def _rebuild(project: Path) -> tuple[list[StageTime], int]:
    again = Stages()
    result = build(load_config(project), publish_anyway=True, stages=again)
    return again.stages, result.page_workers


def make_project(folder: Path, articles: int, seed: int) -> tuple[Path, int]:
    """A copy of the default project's ontology, shapes, queries and site around a synthetic corpus."""
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, folder / part)
    (folder / "exokg.toml").write_text((ROOT / "exokg.toml").read_text(encoding="utf-8"), encoding="utf-8")
    size = write_corpus(folder / "corpus", articles, seed)
    return folder, size


def _time(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure(articles: int, seed: int, sample: int, keep: Path | None, pyshacl: bool = True,
            rdflib_reference: bool = True, rebuild: bool = True) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="exokg-bench-")) if keep is None else keep
    try:
        project, corpus_bytes = make_project(work / "project", articles, seed)
        config = load_config(project)
        stages = Stages()
        result = build(config, publish_anyway=True, stages=stages)
        # The claims and the resource pages are also made in worker processes: the largest one's peak, which
        # adds to the build's own while they run.
        workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        triples = result.graph.triples
        site_files = sorted(p for p in config.output_dir.rglob("*") if p.is_file())
        site_bytes = sum(p.stat().st_size for p in site_files)

        store = open_store(config.workdir)
        if store is None:
            raise SystemExit("the build wrote no store")
        query_times: dict[str, float] = {}
        with stages.stage("queries") as counts:
            article = _middle_article(store)
            for name, query in sorted(load_queries(config.queries_dir).items()):
                if any(p.required and p.default is None for p in query.parameters):
                    continue
                # A default naming a resource of the default corpus (an article, say) names nothing here and
                # would time an empty lookup: such a parameter is given an article of this corpus instead.
                values = {p.name: article for p in query.parameters if p.kind == "iri" and p.default is not None
                          and article is not None and not _present(store, p.default)}
                query_times[name], _ = _time(lambda q=query, v=values: run(store, q, v))
            counts["queries"] = len(query_times)

        # What is measured so far, before the reference path (which needs as much memory again as the build):
        # a run that cannot finish still shows the build's figures.
        print(json.dumps({"articles": articles, "build_so_far": _stage_figures(stages.stages),
                          "worker_peak_rss_mb": round(workers_mb, 1), "page_workers": result.page_workers,
                          "queries": {k: round(v, 4) for k, v in query_times.items()}}),
              file=sys.stderr, flush=True)
        rebuilt: list[StageTime] = []
        rebuild_workers = 0
        if rebuild:
            del store  # the rebuild replaces the stored graph
            change_one_article(config.corpus_dir)
            rebuilt, rebuild_workers = rebuild_apart(project)
            print(json.dumps({"rebuild": _stage_figures(rebuilt), "page_workers": rebuild_workers}), file=sys.stderr,
                  flush=True)
        reference = _reference(triples, config.base_iri, sample) if rdflib_reference else {
            "rdflib_load_seconds": None, "rdflib_load_triples_per_s": None, "serialise_sample": 0,
            "serialise_seconds_per_page": None, "serialise_seconds_all_pages": None, "pages": result.pages}
        reference["pyshacl_seconds"] = _time(lambda: validate(triples, load_shapes(config.shapes_dir)))[0] \
            if pyshacl else None
        physical = _physical(site_files, config.output_dir, result.pages, work / "physical")
        return _report(articles, corpus_bytes, len(triples), result.pages, len(site_files), site_bytes,
                       stages.stages, query_times, reference, physical, workers_mb, rebuilt, result.page_workers,
                       rebuild_workers)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def change_one_article(corpus: Path) -> Path:
    """Correct the title of the corpus file in the middle by name, as a curator would: the rebuild's input."""
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    changed = text.replace("<ArticleTitle>", "<ArticleTitle>Corrected: ", 1)
    if changed == text:
        raise SystemExit(f"{path}: no <ArticleTitle> to change for the rebuild")
    path.write_text(changed, encoding="utf-8")
    return path


def _middle_article(store: Store) -> str | None:
    """The article in the middle of the corpus by IRI, so the same N and seed time the same lookup."""
    found = sorted(q.subject.value for q in store.quads_for_pattern(None, RDF_TYPE, ARTICLE))
    return found[len(found) // 2] if found else None


def _present(store: Store, iri: str) -> bool:
    return next(iter(store.quads_for_pattern(NamedNode(iri), None, None)), None) is not None


def _reference(triples: list[Any], base: str, sample: int) -> dict[str, Any]:
    load_seconds, graph = _time(lambda: to_rdflib(triples))
    view = GraphView(triples, base)
    pages = view.pages()
    chosen = pages[:: max(1, len(pages) // sample)][:sample] if pages else []

    def serialise() -> None:
        for page in chosen:
            g = rdflib.Graph()
            for s, p, o in graph.triples((rdflib.URIRef(page), None, None)):
                g.add((s, p, o))
            g.serialize(format="turtle")

    seconds, _ = _time(serialise)
    per_page = seconds / len(chosen) if chosen else 0.0
    return {"rdflib_load_seconds": load_seconds, "rdflib_load_triples_per_s": len(triples) / load_seconds,
            "serialise_sample": len(chosen), "serialise_seconds_per_page": per_page,
            "serialise_seconds_all_pages": per_page * len(pages), "pages": len(pages)}


# Bytes of site read at once for the physical limit's writing: the site itself may be larger than memory.
PHYSICAL_CHUNK = 256 * 2**20


def _physical(files: list[Path], site: Path, pages: int, folder: Path) -> dict[str, Any]:
    texts = [p.read_bytes().decode("utf-8", "replace")[:1500] for p in files[:1000]] or [""]

    def render() -> list[str]:
        return [PAGE.render(title=f"page {i}", text=texts[i % len(texts)], links=[f"p{i + k}.html" for k in range(8)])
                for i in range(pages)]

    render_seconds, _ = _time(render)

    def write(contents: list[tuple[Path, bytes]]) -> None:
        for rel, data in contents:
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    # Read a chunk, then time writing it: only the writing counts.
    write_seconds, chunk, size = 0.0, [], 0
    for path in [*files, None]:
        if path is not None:
            data = path.read_bytes()
            chunk.append((path.relative_to(site), data))
            size += len(data)
        if chunk and (path is None or size >= PHYSICAL_CHUNK):
            write_seconds += _time(lambda c=chunk: write(c))[0]
            chunk, size = [], 0
    return {"render_seconds": render_seconds, "write_seconds": write_seconds,
            "seconds": render_seconds + write_seconds, "pages": pages, "files": len(files)}


def _stage_figures(stages: list[StageTime]) -> dict[str, dict[str, float]]:
    return {s.name: {"seconds": round(s.seconds, 3), "peak_rss_mb": round(s.peak_rss_mb, 1)} for s in stages}


def _report(articles: int, corpus_bytes: int, triples: int, pages: int, files: int, site_bytes: int,
            stages: list[StageTime], query_times: dict[str, float], reference: dict[str, Any],
            physical: dict[str, Any], workers_mb: float = 0.0,
            rebuilt: list[StageTime] | None = None, page_workers: int = 0,
            rebuild_workers: int = 0) -> dict[str, Any]:
    by_name = {s.name: s for s in stages}
    build_stages = [s for s in stages if s.name != "queries"]
    publish = sum(s.seconds for s in stages if s.name in ("publish", "write"))
    shacl = by_name["shacl"].seconds if "shacl" in by_name else 0.0
    ratios = {
        "graph_vs_rdflib_load": by_name["graph"].seconds / reference["rdflib_load_seconds"]
        if "graph" in by_name and reference["rdflib_load_seconds"] else None,
        "shacl_vs_pyshacl_whole_graph": shacl / reference["pyshacl_seconds"]
        if shacl and reference["pyshacl_seconds"] else None,
        "publish_vs_rdflib_per_resource": publish / reference["serialise_seconds_all_pages"]
        if reference["serialise_seconds_all_pages"] else None,
        "publish_vs_physical_limit": publish / physical["seconds"] if physical["seconds"] else None,
    }
    times = sorted(query_times.values())
    return {
        "articles": articles,
        "corpus_bytes": corpus_bytes,
        "triples": triples,
        "pages": pages,
        "files": files,
        "site_bytes": site_bytes,
        "stages": _stage_figures(stages),
        "total_seconds": round(sum(s.seconds for s in build_stages), 3),
        "peak_rss_mb": round(max(s.peak_rss_mb for s in stages), 1),
        "worker_peak_rss_mb": round(workers_mb, 1),
        # How many page-making processes the memory and the idle cores allowed (exokg.publish.parallel).
        "page_workers": page_workers,
        "rebuild": {"stages": _stage_figures(rebuilt), "total_seconds": round(sum(s.seconds for s in rebuilt), 3),
                    "page_workers": rebuild_workers} if rebuilt else None,
        "queries": {"count": len(times), "median_seconds": round(statistics.median(times), 4) if times else None,
                    "max_seconds": round(times[-1], 4) if times else None,
                    "slowest": max(query_times, key=query_times.__getitem__) if times else None},
        "reference": {k: round(v, 4) if isinstance(v, float) else v for k, v in reference.items()},
        "physical_limit": {k: round(v, 4) if isinstance(v, float) else v for k, v in physical.items()},
        "ratios": {k: round(v, 2) if v is not None else None for k, v in ratios.items()},
    }


def _table(report: dict[str, Any]) -> str:
    n, triples, pages = report["articles"], report["triples"], report["pages"]
    lines = [f"exokg benchmark: {n:,} articles, {triples:,} triples, {pages:,} pages, "
             f"{report['files']:,} files ({report['site_bytes'] / 1e6:,.1f} MB)", "",
             f"{'stage':<10} {'seconds':>9} {'articles/s':>11} {'triples/s':>11} {'pages/s':>9} {'peak RSS MB':>12}"]
    for name, figures in report["stages"].items():
        seconds = figures["seconds"] or 1e-9
        lines.append(f"{name:<10} {figures['seconds']:>9.2f} {n / seconds:>11,.0f} {triples / seconds:>11,.0f} "
                     f"{pages / seconds:>9,.0f} {figures['peak_rss_mb']:>12,.0f}")
    total = report["total_seconds"] or 1e-9
    lines.append(f"{'build':<10} {report['total_seconds']:>9.2f} {n / total:>11,.0f} {triples / total:>11,.0f} "
                 f"{pages / total:>9,.0f} {report['peak_rss_mb']:>12,.0f}")
    lines.append(f"(worker processes, claims and pages: peak RSS {report['worker_peak_rss_mb']:,.0f} MB each at most, "
                 f"besides the build's own; page workers started: {report['page_workers']})")
    if report["rebuild"] is not None:
        parts = ", ".join(f"{k} {v['seconds']:.2f}" for k, v in report["rebuild"]["stages"].items())
        lines += ["", f"rebuild after one article changed: {report['rebuild']['total_seconds']:.2f} s ({parts}; "
                      f"page workers started: {report['rebuild']['page_workers']})"]
    q = report["queries"]
    lines += ["", f"cookbook: {q['count']} queries, median {q['median_seconds']} s, max {q['max_seconds']} s "
                  f"({q['slowest']})"]
    ref, phys, ratios = report["reference"], report["physical_limit"], report["ratios"]
    lines += ["", "reference path:"]
    if ref["rdflib_load_seconds"] is None:
        lines.append("  rdflib in-memory load and per-resource Turtle: not run (--no-rdflib)")
    else:
        lines += [f"  rdflib in-memory load      {ref['rdflib_load_seconds']:>9.2f} s "
                  f"({ref['rdflib_load_triples_per_s']:,.0f} triples/s); graph stage / it: "
                  f"{ratios['graph_vs_rdflib_load']}",
                  f"  rdflib per-resource Turtle {ref['serialise_seconds_all_pages']:>9.2f} s for {ref['pages']:,} "
                  f"resources (scaled from a sample of {ref['serialise_sample']:,}); publish / it: "
                  f"{ratios['publish_vs_rdflib_per_resource']}"]
    lines += [(f"  pyshacl on the whole graph {ref['pyshacl_seconds']:>9.2f} s; shacl stage / it: "
               f"{ratios['shacl_vs_pyshacl_whole_graph']}" if ref["pyshacl_seconds"] is not None
               else "  pyshacl on the whole graph: not run (--no-pyshacl)"),
              "physical limit of the site:",
              f"  jinja2 rendering of {phys['pages']:,} pages {phys['render_seconds']:.2f} s + writing "
              f"{phys['files']:,} files {phys['write_seconds']:.2f} s; publish / it: "
              f"{ratios['publish_vs_physical_limit']}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--articles", type=int, required=True, help="corpus size N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=2000, help="resources in the rdflib serialisation sample")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--no-rdflib", action="store_true",
                        help="leave out rdflib's load and per-resource serialisation (as much memory again as the "
                             "build: at 10,000 articles more than 24 GB in all)")
    parser.add_argument("--no-pyshacl", action="store_true",
                        help="leave out the pyshacl reference (about 3 minutes per 1,000 articles)")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="leave out the rebuild after one article changed (as long again as the build, "
                             "less what the build cache saves)")
    args = parser.parse_args()
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    report = measure(args.articles, args.seed, args.sample, args.keep, pyshacl=not args.no_pyshacl,
                     rdflib_reference=not args.no_rdflib, rebuild=not args.no_rebuild)
    print(json.dumps(report, indent=2) if args.json else _table(report))


if __name__ == "__main__":
    main()
