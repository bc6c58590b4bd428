"""The whole build, one stage after another: sources -> model -> graph -> validate -> publish.

Each stage is a function of the previous stage's output; this module only composes them. It logs
progress on the ``exokg`` logger and never prints; the CLI decides what the user sees.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store, Triple

from exokg import __version__
from exokg.cache import Cache, code_digest, open_cache
from exokg.claims import extract_corpus, load_scheme
from exokg.config import Config
from exokg.curation import apply_curation, load_curation
from exokg.errors import ConfigError, ExokgError, QueryError
from exokg.graph.claims import StatedClaim, map_claims
from exokg.graph.iris import Iris
from exokg.graph.mapping import DatasetInfo, lexical, map_bibliography, sort_triples
from exokg.graph.namespaces import CONCEPT_IRI
from exokg.graph.store import load_graph, memory_store, open_store, read_turtle_files, read_turtle_folder, write_store
from exokg.model import Corpus, Source, collector_paused
from exokg.processes import return_freed_memory
from exokg.publish.dataset import DUMP_NT
from exokg.publish.plan import PageWorkers, SiteInput, SitePlan, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.reuse import PageReuse
from exokg.publish.reuse import scope as page_scope
from exokg.publish.write import StagedFiles, staging_folder, write_site
from exokg.query import QueryResult, load_queries, run
from exokg.records import merge_records
from exokg.sources import read_corpus
from exokg.sources.retrieval import is_record as is_retrieval_record
from exokg.timing import Stages, stage
from exokg.validate import ValidationReport, load_shapes
from exokg.validate.incremental import KeptReports, validate_build
from exokg.works import Bibliography, resolve

log = logging.getLogger("exokg")
STAMP_FILE = "store.stamp"
CONCEPTS_FILE = "concepts.ttl"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


@dataclass(frozen=True)
class Graph:
    """The corpus as read, resolved into works, and mapped to sorted triples."""

    corpus: Corpus
    bibliography: Bibliography
    triples: list[Triple]
    claims: tuple[StatedClaim, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildResult:
    graph: Graph
    report: ValidationReport
    published: bool
    pages: int
    files: int
    bytes_written: int
    warnings: tuple[str, ...]
    seconds: float
    page_workers: int = 0  # worker processes started for the resource pages

    @property
    def summary(self) -> dict[str, object]:
        bib = self.graph.bibliography
        return {
            "articles": len(bib.articles),
            "references": sum(len(a.references) for a in self.graph.corpus.articles),
            "claim assertions": len(self.graph.claims),
            "works": len(bib.works),
            "triples": len(self.graph.triples),
            "violations": len(self.report.violations),
            "warnings": len(self.report.warnings) + len(self.warnings),
            "failed inputs": len(bib.failures),
            "pages": self.pages,
            "files": self.files,
            "bytes": self.bytes_written,
            "seconds": round(self.seconds, 2),
        }


def corpus_files(config: Config) -> list[Path]:
    """The saved pages of the project: every visible file directly in the corpus folder, by name, but the
    retrieval records that ``exokg fetch`` keeps beside the files it saved."""
    if not config.corpus_dir.is_dir():
        raise ConfigError(f"{config.corpus_dir}: the corpus folder does not exist",
                          "create it and put saved article pages in it, or fix [paths] corpus")
    return sorted(p for p in config.corpus_dir.iterdir()
                  if p.is_file() and not p.name.startswith(".") and not is_retrieval_record(p))


def read_graph(config: Config, pages: Sequence[Path] | None = None, stages: Stages | None = None,
               cache: Cache | None = None) -> Graph:
    """Sources -> model -> graph, for the project's corpus (or the given pages); ``stages`` times each.
    ``cache`` holds what earlier builds read from files and documents that have not changed since."""
    files = corpus_files(config) if pages is None else list(pages)
    log.info("reading %d page(s) from %s", len(files), config.corpus_dir)
    with stage(stages, "parse"), collector_paused():
        read = cache.section("parse", code_digest(), "corpus files") if cache is not None else None
        merged = merge_records(read_corpus(files, cache=read))
        corpus = merged.corpus
        bibliography = resolve(corpus)
    for failure in corpus.failures:
        log.error("%s: %s", failure.source, failure.reason)
    for name, sources in merged.sources.items():
        if len(sources) > 1:
            log.info("%s: merged with %s (the same article)", name, ", ".join(s.key for s in sources[1:]))
    for warning in bibliography.warnings:
        log.warning(warning)
    info = DatasetInfo(config.base_iri, config.title, config.description, config.licence, config.build_date)
    scheme_triples = read_turtle_files([p for p in [config.ontology_dir / CONCEPTS_FILE] if p.is_file()],
                                       "concept scheme")
    aliases = {s.key: name for name, sources in merged.sources.items() for s in sources}
    with stage(stages, "claims"), collector_paused():
        claims, warnings = read_claims(config, corpus, bibliography, scheme_triples, aliases, cache)
    for warning in warnings:
        log.warning(warning)
    iris = Iris(config.base_iri)
    curation = Source(config.curation_file.name, _sha256(config.curation_file)) \
        if config.curation_file.is_file() else None
    with stage(stages, "graph"), collector_paused():
        triples = sort_triples(map_bibliography(bibliography, info, merged.sources, merged.field_sources, ordered=False)
                               + map_claims(claims, iris, iris.software(__version__), curation)
                               + scheme_triples)
    log.info("%d article(s), %d work(s), %d claim assertion(s), %d triple(s)", len(bibliography.articles),
             len(bibliography.works), len(claims), len(triples))
    return Graph(corpus, bibliography, triples, tuple(claims), tuple(bibliography.warnings) + tuple(warnings))


def read_claims(
    config: Config,
    corpus: Corpus,
    bibliography: Bibliography,
    scheme_triples: Sequence[Triple],
    aliases: dict[str, str] | None = None,
    cache: Cache | None = None,
) -> tuple[list[StatedClaim], list[str]]:
    """The claims stage: extraction from every article, then the project's curation, attributed to works."""
    scheme_path = config.ontology_dir / CONCEPTS_FILE
    if not scheme_path.is_file():
        return [], [f"{scheme_path}: no concept scheme, so no claims are extracted"]
    scheme = load_scheme(scheme_path)
    log.info("extracting claims with the concept scheme %s", scheme_path)
    section = cache.section("claims", f"{code_digest()}\0{_sha256(scheme_path)}", "documents") \
        if cache is not None else None
    extracted = extract_corpus(corpus.articles, scheme, cache=section)
    labels = {lexical(t.subject)[len(CONCEPT_IRI):]: lexical(t.object) for t in scheme_triples
              if t.predicate.value == SKOS_PREF_LABEL and lexical(t.subject).startswith(CONCEPT_IRI)}
    curated, warnings = apply_curation(config.curation_file, load_curation(config.curation_file),
                                       corpus.articles, extracted, labels, aliases)
    files = {a.source.key: a.source.name for a in corpus.articles}  # a claim's record is its whole file
    stated = [StatedClaim(bibliography.entries[(key, a.asserted_by)], files.get(key, key), a)
              for key, found in sorted(curated.items()) for a in found]
    return stated, warnings


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(config: Config, *, publish_anyway: bool = False, strict: bool = False,
          stages: Stages | None = None, use_cache: bool = True) -> BuildResult:
    """The whole pipeline. The site is published only if the graph conforms (or ``publish_anyway``).
    ``stages`` records each stage's time and peak memory. Unless ``use_cache`` is false, what the corpus
    files and their documents gave is kept in the workdir, and a rebuild reads only what changed."""
    started = time.perf_counter()
    with open_cache(config.workdir) if use_cache else contextlib.nullcontext() as cache:
        graph = read_graph(config, stages=stages, cache=cache)
        log.info("validating against %s", config.shapes_dir)
        with stage(stages, "shacl"):
            # One store for the validation and the saved queries the site shows: filling one costs ≈ 3.5 s per
            # 1,000 articles. The graph the site in place publishes is what the change is worked out from.
            loaded = load_graph(graph.triples, config.output_dir / DUMP_NT)
            store: Store | None = loaded.store
            change, digest = loaded.change, loaded.digest
            kept = KeptReports(cache, config.shapes_dir) if cache is not None else None
            report = validate_build(graph.triples, load_shapes(config.shapes_dir), loaded, kept=kept,
                                    cache_dir=config.workdir / "shacl")
            del loaded
        plan = SitePlan()
        published = False
        bytes_written = 0
        if report.conforms or publish_anyway:
            env = make_renderer(config.site_dir)
            # The site is written into a staging folder as it is planned (memory holds only paths and sizes) and
            # swapped in at the end; whatever stops the build first removes the folder, and the previous site
            # stays.
            staged = StagedFiles(_output_staging(config.output_dir))
            try:
                reuse = PageReuse(cache, page_scope(config.site_dir), config.output_dir, staged) \
                    if cache is not None else None
                with stage(stages, "publish"):
                    inputs = site_input(config, graph, report, store)
                    if reuse is not None:
                        reuse.follow(inputs, digest, change)
                    store = None  # not needed for the site, whose planning is the build's peak of memory
                    return_freed_memory()
                    plan = plan_site(inputs, lambda t, c: render_with(env, t, c),
                                     workers=PageWorkers(config.site_dir), files=staged, reuse=reuse)
                for warning in plan.warnings:
                    log.warning(warning)
                # sh:Info results inform; only what the shapes call a warning fails a strict build.
                shacl = [f"SHACL warning: {r.focus_label} <{r.focus}>" + (f" [{r.path}]" if r.path else "")
                         + f": {r.message}" for r in report.warnings if r.severity == "Warning"]
                found = [*(f"input: {w}" for w in graph.warnings), *shacl,
                         *(f"site: {w}" for w in plan.warnings)]
                if strict and found:
                    shown = 20  # the site's warnings are all logged above; a long list would bury the message
                    more = f"\n  … and {len(found) - shown} more" if len(found) > shown else ""
                    raise ExokgError(f"--strict: {len(found)} warning(s), so nothing was written:\n  "
                                     + "\n  ".join(found[:shown]) + more,
                                     "fix what they name, or build without --strict to publish all the same")
                with stage(stages, "write"):
                    # The last build's store, which held the graph of the dump in place, is brought to this one by
                    # the lines that differ.
                    write_store(graph.triples, config.workdir, change=change)
                    (config.workdir / STAMP_FILE).write_text(graph_stamp(config) + "\n", encoding="utf-8")
                    log.info("putting %d file(s) in place at %s", len(plan.files), config.output_dir)
                    bytes_written = write_site(plan.files, config.output_dir)
                    if reuse is not None:
                        # The pages of the site now in place, and no others: what the next build can take.
                        reuse.settle()
                        for section in reuse.sections:
                            section.done()
            except OSError as exc:
                written = (staged.folder, config.output_dir.resolve().parent, config.workdir.resolve())
                if exc.filename and not any(Path(exc.filename).resolve().is_relative_to(w) for w in written):
                    raise  # not a file of the output: reading the project failed, which is not this error
                raise _write_error(exc, config.output_dir) from exc
            finally:
                staged.discard()  # nothing once the folder has been swapped in
            published = True
    return BuildResult(graph, report, published, plan.pages, len(plan.files), bytes_written,
                       tuple(plan.warnings), time.perf_counter() - started, plan.page_workers)


def _output_staging(output: Path) -> Path:
    try:
        return staging_folder(output)
    except OSError as exc:
        raise _write_error(exc, output) from exc


def _write_error(exc: OSError, output: Path) -> ExokgError:
    return ExokgError(f"{exc.filename or output}: cannot write the build output: {exc.strerror or exc}",
                      "check the -o/--output path and [paths] output and workdir")


def site_input(config: Config, graph: Graph, report: ValidationReport | None,
               store: Store | None = None) -> SiteInput:
    """What the publish stage needs of the project and of this build.

    Each saved query is run on this build's graph, as ``exokg query`` would. A query that needs a parameter
    value its header gives no default for, or that fails to run (a syntax error, say), gets an empty result
    and is still published: its page says why, and the log says what failed. ``store``, when given, holds
    exactly the graph's triples and the queries run on it.
    """
    queries = []
    saved = load_queries(config.queries_dir)
    if saved and store is None:
        store = memory_store(graph.triples)
    for query in saved.values():
        result = QueryResult((), ())
        if store is not None and not any(p.required and p.default is None for p in query.parameters):
            try:
                result = run(store, query)
            except QueryError as exc:
                log.warning("%s; the site shows the query without a result", exc)
        queries.append((query, result))
    return SiteInput(
        triples=graph.triples,
        title=config.title,
        base_iri=config.base_iri,
        build_date=config.build_date,
        version=__version__,
        description=config.description,
        licence=config.licence,
        vocabulary=read_turtle_folder(config.ontology_dir, "ontology", exclude=(CONCEPTS_FILE,)),
        # The same files as the vocabulary and the validation read, published as they are.
        vocabulary_files={p.name: p.read_bytes() for p in sorted(config.ontology_dir.glob("*.ttl"))
                          if p.name != CONCEPTS_FILE},
        shapes=read_turtle_folder(config.shapes_dir, "shapes"),
        shapes_files={p.name: p.read_bytes() for p in sorted(config.shapes_dir.glob("*.ttl"))},
        report=report,
        queries=queries,
        assets=read_assets(config.site_dir),
        vendor_dirs=(config.project_dir / "node_modules",),
    )


def graph_stamp(config: Config) -> str:
    """A digest of everything the graph is made from, to tell whether a stored graph is current."""
    digest = hashlib.sha256()
    for part in (__version__, config.base_iri, config.title, config.description, config.licence,
                 config.build_date.isoformat()):
        digest.update(part.encode("utf-8") + b"\0")
    for path in [*corpus_files(config), config.curation_file, config.ontology_dir / CONCEPTS_FILE]:
        if not path.is_file():
            continue
        digest.update(path.name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def query_store(config: Config) -> Store:
    """The store of the last build when it is current; otherwise the graph is made again, in memory."""
    stamp = config.workdir / STAMP_FILE
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == graph_stamp(config):
        store = open_store(config.workdir)
        if store is not None:
            log.info("querying the stored graph in %s", config.workdir)
            return store
    log.info("no current stored graph: reading the corpus")
    return memory_store(read_graph(config).triples)
