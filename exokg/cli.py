"""The ``exokg`` command. It wires the stages together and maps errors to exit codes; nothing else."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
from http import HTTPStatus
from pathlib import Path
from typing import Any

import click
from pyoxigraph import DefaultGraph

from exokg import __version__
from exokg.claims import ConceptScheme, extract, load_scheme
from exokg.claims.evaluate import evaluate as evaluate_claims
from exokg.config import Config, load_config
from exokg.errors import ConfigError, ExokgError, InputError, QueryError, UnreadablePage
from exokg.fetch import Fetcher, FetchReport, NoProgress, read_ids
from exokg.graph import store as rdf
from exokg.graph.iris import Iris, concept_iri
from exokg.model import Assertion
from exokg.pipeline import CONCEPTS_FILE, query_store, read_graph
from exokg.pipeline import build as run_build
from exokg.push import Target, check_endpoint, update_endpoint_for
from exokg.push import push as push_graph
from exokg.query import (
    ALL_FORMATS,
    bind,
    check_format,
    default_format,
    describe_queries,
    execute,
    format_result,
    load_queries,
    load_query,
)
from exokg.remote import Endpoint
from exokg.serve.messages import Request
from exokg.serve.pool import Limits
from exokg.serve.project import open_app
from exokg.serve.server import Server
from exokg.sources import read_records
from exokg.sources.http import HttpClient
from exokg.sources.http import services as http_services
from exokg.validate import load_shapes, validate

EXIT_CODES = """\b
Exit codes:
  0  success
  1  the graph does not conform to the SHACL shapes
  2  usage or configuration error
  3  an input could not be read (the others were still processed)"""

log = logging.getLogger("exokg")
project_argument = click.argument(
    "project", required=False, type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)


class _StderrFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        return f"exokg: {level}{record.getMessage()}"


class _Group(click.Group):
    """Turns an :class:`ExokgError` into its message on stderr and its exit code: never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExokgError as exc:
            click.echo(f"exokg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="exokg")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Print debugging detail on stderr.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Build a linked-data knowledge graph of the literature on MSC-derived exosomes.

    Data goes to stdout, messages to stderr. Every command takes an exokg project
    directory (default: the current one), configured by its exokg.toml.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_StderrFormatter())
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO)
    ctx.ensure_object(dict).update(verbose=verbose, quiet=quiet)


def _config(project: Path | None, **overrides: Any) -> Config:
    return load_config(project, overrides=overrides)


@cli.command(epilog=EXIT_CODES)
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PAGE...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per page, in a JSON array.")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path),
              help="Project whose concept scheme recognises claims (default: the current directory).")
def parse(pages: tuple[Path, ...], as_json: bool, project: Path | None) -> None:
    """Parse saved article pages and saved PubMed XML (efetch) files; print what was understood, claims included.

    An efetch file gives one record per PubmedArticle in it.
    """
    scheme = _scheme(_config(project))
    records, failed = [], 0
    for page in pages:
        try:
            articles = read_records(page)
        except UnreadablePage as exc:
            log.error(str(exc))
            failed += 1
            continue
        except OSError as exc:
            log.error("%s: cannot read the file: %s", page, exc.strerror or exc)
            failed += 1
            continue
        for article in articles:
            for warning in article.warnings:
                log.warning("%s: %s", page.name, warning)
            record = article.to_json()
            record["claims"] = [_claim_json(a) for a in extract(article, scheme)] if scheme is not None else []
            records.append(record)
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for record in records:
            click.echo(_describe(record))
    if failed:
        sys.exit(InputError.exit_code)


def _scheme(config: Config) -> ConceptScheme | None:
    path = config.ontology_dir / CONCEPTS_FILE
    if not path.is_file():
        log.warning("%s: no concept scheme; claims are not extracted", path)
        return None
    return load_scheme(path)


def _claim_json(assertion: Assertion) -> dict[str, Any]:
    record = assertion.to_json()
    record["subject_iri"] = concept_iri(assertion.subject.key, curated=assertion.subject.curated)
    record["object_iri"] = concept_iri(assertion.object.key, curated=assertion.object.curated)
    return record


def _describe(record: dict[str, Any]) -> str:
    lines = [f"{record['source']} ({record['layout']} layout)"]
    for key in ("title", "pmid", "doi", "pmcid", "journal", "year", "publication_date"):
        if record.get(key) is not None:
            lines.append(f"  {key}: {record[key]}")
    authors = ", ".join(record["authors"]) + ("" if record["authors_complete"] else " et al.")
    lines.append(f"  authors: {authors or '(none shown)'}")
    lines.append(f"  keywords: {'; '.join(record['keywords']) or '(none shown)'}")
    lines.append(f"  references: {len(record['references'])}, cited by: {len(record['cited_by'])}")
    for claim in record.get("claims", []):
        polarity = "NOT " if claim["negated"] else ""
        lines.append(f"  claim ({claim['hedge_level']}, {claim['section']}): {claim['subject']} {polarity}"
                     f"{claim['relation']} {claim['object']}")
    return "\n".join(lines) + "\n"


@cli.command(epilog=EXIT_CODES)
@project_argument
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Write the site here instead of the project's output folder (default _site/).")
@click.option("--publish-anyway", is_flag=True, help="Write the site even if the graph has SHACL violations.")
@click.option("--strict", is_flag=True,
              help="Treat warnings (dangling links, missing labels, SHACL warnings) as failures: nothing is written.")
@click.option("--no-cache", is_flag=True,
              help="Read every corpus file and extract every claim again, ignoring and leaving alone the build "
                   "cache in the workdir (the output is the same either way).")
def build(project: Path | None, output: Path | None, publish_anyway: bool, strict: bool, no_cache: bool) -> None:
    """Build the knowledge graph and the static site: parse, model, graph, validate, publish.

    What each corpus file and each document gave is kept in the workdir's build cache, so a rebuild reads
    only the files that changed."""
    config = _config(project).with_output(output)
    result = run_build(config, publish_anyway=publish_anyway, strict=strict, use_cache=not no_cache)
    if result.report.results:
        click.echo(result.report.as_text(), err=True)
    site_figures = ("pages", "files", "bytes", "seconds")
    summary = ", ".join(f"{v} {k}" for k, v in result.summary.items() if k not in site_figures)
    if result.published:
        log.info("built %s: %s", _shown(config.output_dir), summary)
        log.info("wrote %s pages, %s files, %s to %s in %.1f seconds", f"{result.pages:,}", f"{result.files:,}",
                 _size(result.bytes_written), _shown(config.output_dir), result.seconds)
    else:
        log.error("nothing written: the graph does not conform to the shapes (--publish-anyway writes it "
                  "all the same): %s; %.1f seconds", summary, result.seconds)
    if not result.report.conforms:
        sys.exit(1)
    if result.graph.corpus.failures:
        sys.exit(InputError.exit_code)


def _size(count: int) -> str:
    """A size in decimal units, as file managers and web servers show it: ``12.3 MB``."""
    if count < 1000:
        return f"{count} bytes"
    value, unit = count / 1000, "kB"
    for larger in ("MB", "GB"):
        if value < 999.95:  # what would print as 1000.0 kB is 1.0 MB
            break
        value, unit = value / 1000, larger
    return f"{value:,.1f} {unit}"


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cli.command(epilog=EXIT_CODES)
@project_argument
def validate_cmd(project: Path | None) -> None:
    """Check the graph against the project's SHACL shapes and print a readable report."""
    config = _config(project)
    graph = read_graph(config)
    report = validate(graph.triples, load_shapes(config.shapes_dir))
    click.echo(report.as_text())
    if not report.conforms:
        sys.exit(1)
    if graph.corpus.failures:
        sys.exit(InputError.exit_code)


validate_cmd.name = "validate"


@cli.command(epilog=EXIT_CODES + "\n  4  --endpoint: the SPARQL server could not be reached or refused the query")
@click.argument("name", metavar="NAME|FILE", required=False)
@project_argument
@click.option("--format", "fmt", type=click.Choice(ALL_FORMATS), default=None,
              help="SELECT and ASK: table (default), csv, tsv, json or xml (the SPARQL 1.1 results formats); "
                   "CONSTRUCT and DESCRIBE: ttl (default), jsonld or nt; --list: table or json.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A value for one of the query's parameters, bound as an RDF term; may be repeated.")
@click.option("--list", "list_queries", is_flag=True,
              help="List the saved queries (name, summary, parameters) instead: exokg query --list [DIR].")
@click.option("--endpoint", metavar="URL",
              help="Run the query on this SPARQL 1.1 server instead of the project's graph.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for the --endpoint server.")
def query(name: str | None, project: Path | None, fmt: str | None, params: tuple[str, ...], list_queries: bool,
          endpoint: str | None, timeout: float) -> None:
    """Run a saved query (a name from queries/, or a .rq file) and print its result."""
    if list_queries:
        if name is not None and project is not None:
            raise QueryError("--list takes at most the project DIR, not a query name")
        config = _config(project or (Path(name) if name is not None else None))
        click.echo(describe_queries(list(load_queries(config.queries_dir).values()), fmt or "table"), nl=False)
        return
    if name is None:
        raise QueryError("which query? give a NAME from queries/ or a .rq FILE", "exokg query --list shows them")
    config = _config(project)
    saved = load_queries(config.queries_dir)
    if name in saved:
        chosen = saved[name]
    elif name.endswith(".rq") and Path(name).is_file():
        chosen = load_query(Path(name))
    else:
        known = ", ".join(saved) or "none"
        raise QueryError(f"no saved query named '{name}' in {config.queries_dir} (known: {known})")
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"--param takes NAME=VALUE, got {item!r}")
        values[key] = value
    fmt = fmt or default_format(chosen.form)
    check_format(chosen.form, fmt)
    text = bind(chosen, values)
    if endpoint is not None:
        with Endpoint(endpoint, timeout=timeout, contact=config.contact) as server:
            result = server.query(text, chosen.form)
    else:
        result = execute(query_store(config), text, str(chosen.path))
    click.echo(format_result(result, fmt), nl=False)


@cli.command(epilog=EXIT_CODES)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="GOLD_DIR")
@click.argument("pages", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                metavar="PAGES...")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path),
              help="Project whose concept scheme is used (default: the current directory).")
def evaluate(gold_dir: Path, pages: tuple[Path, ...], project: Path | None) -> None:
    """Score the claim extractor against gold annotations (one GOLD_DIR/<page>.json per page).

    Prints precision, recall and F1 (overall and for core claims), negation and hedge accuracy on
    matched claims, and the misses and false positives.
    """
    scheme = _scheme(_config(project))
    if scheme is None:
        raise ConfigError("no concept scheme to extract claims with", "add ontology/concepts.ttl to the project")
    click.echo(evaluate_claims(gold_dir, list(pages), scheme).as_text())


@cli.command(epilog=EXIT_CODES)
@project_argument
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld"]), default="ttl", show_default=True,
              help="RDF serialisation to print.")
def export(project: Path | None, fmt: str) -> None:
    """Print the whole graph to stdout."""
    config = _config(project)
    graph = read_graph(config)
    serialise = {"ttl": rdf.turtle, "nt": rdf.ntriples, "jsonld": rdf.jsonld}[fmt]
    sys.stdout.buffer.write(serialise(graph.triples))
    sys.stdout.buffer.flush()
    if graph.corpus.failures:
        sys.exit(InputError.exit_code)


class _ProgressBar:
    """Fetch progress on stderr: a bar redrawn in place on a terminal, its label once a task otherwise."""

    def __init__(self) -> None:
        self._bar: Any = None

    def begin(self, label: str, total: int) -> None:
        self.end()
        self._bar = click.progressbar(length=total, label=f"exokg: fetching {label}", file=sys.stderr,
                                      show_pos=True, show_percent=False)
        self._bar.__enter__()

    def advance(self, steps: int) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def end(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _fetcher_for(ctx: click.Context, config: Config, *, offline: bool, refresh: bool) -> tuple[HttpClient, Fetcher]:
    # The root context's object may carry a clock: tests pass one that only pretends to sleep.
    options = ctx.find_root().obj or {}
    client = HttpClient(config.http_cache_dir, contact=config.contact, ncbi_api_key=config.ncbi_api_key,
                        offline=offline, refresh=refresh, clock=options.get("clock"))
    progress = NoProgress() if options.get("quiet") else _ProgressBar()
    fetcher = Fetcher(client, http_services(config.sources), config.corpus_dir, refresh=refresh, progress=progress)
    return client, fetcher


def _fetch_summary(client: HttpClient, report: FetchReport) -> None:
    for name, reason in report.failed:
        log.error("%s: %s", name, reason)
    for name in report.not_found:
        log.warning("%s: not found", name)
    log.info("%d saved, %d already in the corpus, %d not found, %d failed; requests: %s",
             len(report.saved), len(report.skipped), len(report.not_found), len(report.failed), client.summary)
    if not report.ok:
        sys.exit(InputError.exit_code)


@cli.command(epilog=EXIT_CODES)
@click.argument("ids", nargs=-1, required=True, metavar="ID... [DIR]")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path),
              help="Project whose corpus receives the records (default: DIR, else the current directory).")
@click.option("--refresh", is_flag=True, help="Fetch again, even ids already in the corpus or the HTTP cache.")
@click.option("--offline", is_flag=True, help="Use only the HTTP cache; fail for what it does not hold.")
@click.option("--depth", type=click.IntRange(0, 3), default=0, show_default=True,
              help="Also fetch the works the articles cite, this many levels down (0: the articles only).")
@click.option("--citing", is_flag=True, help="With --depth, also fetch the works that cite the articles.")
@click.pass_context
def fetch(ctx: click.Context, ids: tuple[str, ...], project: Path | None, refresh: bool, offline: bool,
          depth: int, citing: bool) -> None:
    """Fetch article records (pmid:N, doi:10.x/y, pmcid:PMCn, or @FILE with one id per line) into the corpus.

    PMIDs come from NCBI efetch (200 per request), DOIs from Crossref, PMCIDs from Europe PMC.
    References and citing works come from Europe PMC (PMIDs) or, for DOIs, from the reference list
    deposited with Crossref and from OpenCitations. Beside each saved file goes its retrieval record
    (FILE.retrieval.json: the request and when it was answered), published with the graph.
    """
    # DIR is the last argument when it names a folder: an id is never one, and an id list is a file.
    if ids and Path(ids[-1]).is_dir():
        project = _one_project(project, Path(ids[-1]))
        ids = ids[:-1]
    if not ids:
        raise click.UsageError("give at least one id (pmid:N, doi:10.x/y, pmcid:PMCn or @FILE)")
    config = _config(project)
    article_ids = read_ids(ids)
    client, fetcher = _fetcher_for(ctx, config, offline=offline, refresh=refresh)
    with client:
        report = fetcher.fetch(article_ids, depth=depth, citing=citing)
    _fetch_summary(client, report)


@cli.command(epilog=EXIT_CODES)
@click.argument("query_text", metavar="QUERY")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path),
              help="Project whose corpus receives the records (default: DIR, else the current directory).")
@click.option("--max", "limit", type=click.IntRange(1, 10000), default=100, show_default=True,
              help="Fetch at most this many hits.")
@click.option("--refresh", is_flag=True, help="Ask the network again instead of the HTTP cache.")
@click.option("--offline", is_flag=True, help="Use only the HTTP cache.")
@click.option("--depth", type=click.IntRange(0, 3), default=0, show_default=True,
              help="Also fetch the works the hits cite, this many levels down (0: the hits only).")
@click.option("--citing", is_flag=True, help="With --depth, also fetch the works that cite the hits.")
@click.option("--source", type=click.Choice(["pubmed", "europepmc"]), default="pubmed", show_default=True,
              help="Search PubMed (E-utilities) or Europe PMC (its query syntax; cursorMark paging).")
@click.pass_context
def search(ctx: click.Context, query_text: str, directory: Path | None, project: Path | None, limit: int,
           refresh: bool, offline: bool, depth: int, citing: bool, source: str) -> None:
    """Search PubMed (esearch, paged through the history server) or Europe PMC, and fetch the hits'
    records into the corpus."""
    config = _config(_one_project(project, directory) if directory else project)
    client, fetcher = _fetcher_for(ctx, config, offline=offline, refresh=refresh)
    with client:
        if source == "europepmc":
            count, messages = fetcher.search_europepmc(query_text, limit, depth=depth, citing=citing), ""
        else:
            result = fetcher.search(query_text, limit, depth=depth, citing=citing)
            count, messages = result.count, "; ".join(result.errors + result.warnings)
    if count == 0 and not fetcher.report.failed:
        name = "Europe PMC" if source == "europepmc" else "PubMed"
        log.info("no %s articles match %r%s; nothing written", name, query_text, f" ({messages})" if messages else "")
        return
    _fetch_summary(client, fetcher.report)


HTTP_EXIT_CODES = EXIT_CODES + "\n  4  serve --get: the answer's status was not 2xx; push: the SPARQL server failed"


@cli.command(epilog=HTTP_EXIT_CODES)
@project_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port; the URL is printed).")
@click.option("--get", "get_path", metavar="PATH",
              help="Answer one GET request for PATH without listening: status line and headers on stderr, "
                   "body on stdout.")
@click.option("--accept", metavar="TYPE", help="The Accept header of the --get request.")
@click.option("--query-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped (503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) one SPARQL answer may hold; a larger one is refused (413).")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Query processes, so this many queries run side by side.")
def serve(project: Path | None, host: str, port: int, get_path: str | None, accept: str | None,
          query_timeout: float, max_rows: int, workers: int) -> None:
    """Serve the built site (built first when there is none) on a local port, with what a static host
    cannot do: content negotiation on every resource IRI and a SPARQL 1.1 endpoint with a query page at
    /sparql. Paths work with or without the base IRI's path (/work/x and /exokg/work/x)."""
    config = _config(project)
    app = open_app(config, Limits(timeout=query_timeout, max_rows=max_rows, workers=workers))
    try:
        if get_path is not None:
            headers = {"host": "localhost", **({"accept": accept} if accept else {})}
            response = app.handle(Request("GET", get_path if get_path.startswith("/") else "/" + get_path, headers))
            click.echo(f"HTTP/1.1 {response.status} {HTTPStatus(response.status).phrase}", err=True)
            for name, value in response.headers:
                click.echo(f"{name}: {value}", err=True)
            if response.file is not None:
                with response.file.open("rb") as stream:
                    shutil.copyfileobj(stream, sys.stdout.buffer)
            else:
                sys.stdout.buffer.write(response.body)
            sys.stdout.buffer.flush()
            if not 200 <= response.status < 300:
                sys.exit(4)
            return
        try:
            server = Server(app, host, port)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                              "choose another --port (0 picks a free one) or stop what uses it") from exc
        app.pool.warm_up()

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        click.echo(f"exokg: serving {_shown(config.output_dir)} at {server.url} (SPARQL endpoint and query page: "
                   f"{server.url}sparql); Ctrl-C stops", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log.info("stopped")
        finally:
            server.server_close()
    finally:
        app.pool.close()


@cli.command(epilog=HTTP_EXIT_CODES)
@project_argument
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's Graph Store endpoint (Oxigraph: http://host:7878/store; Fuseki: .../ds/data).")
@click.option("--graph", "graph_iri", metavar="IRI", help="The named graph to replace (default: the dataset IRI).")
@click.option("--update-endpoint", metavar="URL",
              help="The server's SPARQL Update endpoint (default: from the --endpoint layout, e.g. /store -> "
                   "/update).")
@click.option("--chunk-size", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Triples per request; a larger graph goes in chunks to a temporary graph, then MOVE.")
@click.option("--user", metavar="NAME", help="HTTP Basic user; the password comes from EXOKG_PUSH_PASSWORD.")
def push(project: Path | None, endpoint: str, graph_iri: str | None, update_endpoint: str | None,
         chunk_size: int, user: str | None) -> None:
    """Load the built graph into a SPARQL 1.1 server by the Graph Store HTTP Protocol, replacing one named
    graph atomically (in chunks for a large graph), with progress on stderr."""
    config = _config(project)
    check_endpoint(endpoint, "--endpoint")
    update = check_endpoint(update_endpoint, "--update-endpoint") if update_endpoint else \
        update_endpoint_for(endpoint)
    auth = None
    if user is not None:
        password = os.environ.get("EXOKG_PUSH_PASSWORD")
        if password is None:
            raise ConfigError("--user needs the password in the environment variable EXOKG_PUSH_PASSWORD")
        auth = (user, password)
    graph = graph_iri or Iris(config.base_iri).dataset()
    triples = [quad.triple for quad in query_store(config).quads_for_pattern(None, None, None, DefaultGraph())]
    log.info("pushing %s triples to <%s> at %s", f"{len(triples):,}", graph, endpoint)

    def progress(done: int, total: int, sent: int) -> None:
        log.info("chunk %d/%d sent (%s of %s triples)", done, total, f"{sent:,}", f"{len(triples):,}")

    result = push_graph(triples, Target(endpoint, graph, update, auth), chunk_size=chunk_size, progress=progress)
    how = "in one PUT" if result.method == "put" else f"in {result.chunks} chunks, then MOVE"
    log.info("replaced <%s> with %s triples %s", graph, f"{result.triples:,}", how)


def _one_project(option: Path | None, argument: Path) -> Path:
    if option is not None and option.resolve() != argument.resolve():
        raise click.UsageError(f"two projects given: DIR {argument} and --project {option}")
    return argument


def main() -> None:
    """Console entry point."""
    cli()
