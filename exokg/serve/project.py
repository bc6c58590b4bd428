"""What ``exokg serve`` needs of a project: its built site (built first when missing) and its graph."""

from __future__ import annotations

import logging

from exokg.config import Config
from exokg.errors import ConfigError, NonConformingData
from exokg.graph.namespaces import PREFIXES
from exokg.graph.store import STORE_DIR
from exokg.pipeline import STAMP_FILE, build, graph_stamp
from exokg.query import load_queries
from exokg.serve.app import App
from exokg.serve.pool import Limits, QueryPool
from exokg.serve.worker import GraphSource

log = logging.getLogger("exokg")
DUMP = "dump.nt"


def ensure_built(config: Config) -> None:
    """Build the project when its output folder holds no site; warn when the site is older than its inputs."""
    if not (config.output_dir / "index.html").is_file():
        log.info("no built site in %s: building it first", config.output_dir)
        result = build(config)
        if not result.published:
            raise NonConformingData("the graph does not conform to the shapes, so there is no site to serve",
                                    "run exokg validate, fix what it reports, and serve again")
        return
    stamp = config.workdir / STAMP_FILE
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() != graph_stamp(config):
        log.warning("the built site is older than the project's corpus or configuration: run exokg build "
                    "to serve the current graph")


def graph_source(config: Config) -> GraphSource:
    """The graph the endpoint queries: the store of the last build, else the served site's N-Triples dump."""
    store = config.workdir / STORE_DIR
    if store.is_dir():
        return GraphSource("store", str(store), dict(PREFIXES))
    dump = config.output_dir / DUMP
    if dump.is_file():
        log.info("no stored graph in %s: the endpoint loads %s into memory", config.workdir, dump)
        return GraphSource("dump", str(dump), dict(PREFIXES))
    raise ConfigError(f"nothing to query: neither the store {store} nor the dump {dump} exists",
                      "run exokg build")


def open_app(config: Config, limits: Limits) -> App:
    """The server's request handler for the project, its site built first when there is none."""
    ensure_built(config)
    pool = QueryPool(graph_source(config), limits)
    return App(config.output_dir, config.base_iri, pool, title=config.title,
               queries=list(load_queries(config.queries_dir).values()))
