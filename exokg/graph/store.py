"""The embedded store (pyoxigraph, on disk in the work directory) and the graph's serialisations.

See docs/decisions/0002-store.md for why pyoxigraph, and where rdflib is still used (pyshacl).
Serialisations take triples in the order given; callers pass them sorted, so output is byte-identical
from one build to the next.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import rdflib
from pyoxigraph import RdfFormat, Store, Triple, parse, serialize

from exokg.errors import ConfigError
from exokg.graph.mapping import triple_order
from exokg.graph.namespaces import PREFIXES

STORE_DIR = "store"


def ntriples(triples: Iterable[Triple]) -> bytes:
    """Canonical N-Triples, one triple a line, in the order given."""
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


def write_ntriples(triples: Iterable[Triple], path: Path) -> None:
    """:func:`ntriples` written straight to a file, never held whole in memory."""
    serialize(triples, output=str(path), format=RdfFormat.N_TRIPLES)


def turtle(triples: Iterable[Triple], prefixes: dict[str, str] | None = None) -> bytes:
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes or PREFIXES) or b""


def jsonld(triples: Iterable[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.JSON_LD, prefixes=PREFIXES) or b""


def to_rdflib(triples: Sequence[Triple]) -> rdflib.Graph:
    """An rdflib copy of the triples, for libraries that need one (pyshacl).

    Parsed from N-Triples by rdflib itself: plain literals stay plain, which a bridge store does not
    guarantee (a plain-literal match then finds nothing).
    """
    graph = rdflib.Graph()
    graph.parse(data=ntriples(triples).decode("utf-8"), format="nt")
    return graph


def memory_store(triples: Iterable[Triple]) -> Store:
    store = Store()
    _fill(store, triples)
    return store


# Triples per N-Triples chunk handed to the store: bounded memory whatever the graph's size.
_CHUNK = 200_000


def _fill(store: Store, triples: Iterable[Triple]) -> None:
    """Add the triples to the store's default graph. They go through N-Triples text, serialised and parsed in
    native code: making a Quad of each triple in Python took twice as long (5.7 s against 3.1 s for 834,000)."""
    chunk: list[Triple] = []
    for triple in triples:
        chunk.append(triple)
        if len(chunk) == _CHUNK:
            store.bulk_load(serialize(chunk, format=RdfFormat.N_TRIPLES), format=RdfFormat.N_TRIPLES)
            chunk = []
    if chunk:
        store.bulk_load(serialize(chunk, format=RdfFormat.N_TRIPLES), format=RdfFormat.N_TRIPLES)


def write_store(triples: Iterable[Triple], workdir: Path) -> Path:
    """Write the graph as an on-disk store under ``workdir``, replacing any previous one whole."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / STORE_DIR
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=workdir))
    try:
        store = Store(str(staging / "db"))
        _fill(store, triples)
        store.flush()
        del store
        old = workdir / ".store-old"
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        (staging / "db").rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def open_store(workdir: Path) -> Store | None:
    """The store a previous build wrote, opened read-only, or None when there is none."""
    path = workdir / STORE_DIR
    if not path.is_dir():
        return None
    return Store.read_only(str(path))


def read_turtle_folder(folder: Path, what: str, exclude: tuple[str, ...] = ()) -> list[Triple]:
    """The triples of every ``*.ttl`` file in ``folder`` (the ontology), sorted; a bad file is named."""
    paths = sorted(p for p in folder.glob("*.ttl") if p.name not in exclude) if folder.is_dir() else []
    return read_turtle_files(paths, what)


def read_turtle_files(paths: list[Path], what: str) -> list[Triple]:
    triples: set[Triple] = set()
    for path in paths:
        try:
            for quad in parse(path=str(path), format=RdfFormat.TURTLE):
                triples.add(Triple(quad.subject, quad.predicate, quad.object))
        except SyntaxError as exc:
            raise ConfigError(f"{path}: the {what} is not valid Turtle: {exc}") from exc
    return sorted(triples, key=triple_order)
