"""The embedded store (pyoxigraph, on disk in the work directory) and the graph's serialisations.

See docs/decisions/0002-store.md for why pyoxigraph, and where rdflib is still used (pyshacl).
Serialisations take triples in the order given; callers pass them sorted, so output is byte-identical
from one build to the next.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from pyoxigraph import RdfFormat, Store, Triple, parse, serialize

from exokg.errors import ConfigError
from exokg.graph.change import Change, graph_change
from exokg.graph.mapping import triple_order
from exokg.graph.namespaces import PREFIXES

STORE_DIR = "store"
# Beside the store: the SHA-256 of what it holds as N-Triples, one triple a line (see write_store).
STORE_SOURCE = "store.source.sha256"
log = logging.getLogger("exokg")


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


def memory_store(triples: Iterable[Triple], digest: Any = None) -> Store:
    """The triples in an in-memory store; ``digest`` (a :mod:`hashlib` object), when given, is updated with their
    :func:`ntriples`."""
    store = Store()
    _fill(store, triples, digest)
    return store


@dataclass(frozen=True)
class Loaded:
    """A graph in an in-memory store, the SHA-256 of its N-Triples, and its change from the previous build's
    graph (``None`` when there is none to follow)."""

    store: Store
    digest: str
    change: Change | None


def load_graph(triples: list[Triple], previous: Path) -> Loaded:
    """``triples`` in a memory store. ``previous`` is the N-Triples file of the previous build's graph (the dump
    it published): when it is there, the change from it is worked out as well."""
    if not previous.is_file():
        digest = hashlib.sha256()
        return Loaded(memory_store(triples, digest), digest.hexdigest(), None)
    # Held whole only here, where the lines are compared: a first build fills the store chunk by chunk.
    text = ntriples(triples)
    current = hashlib.sha256(text).hexdigest()
    store = Store()
    store.bulk_load(text, format=RdfFormat.N_TRIPLES)
    return Loaded(store, current, graph_change(text, current, previous))


# Triples per N-Triples chunk handed to the store: bounded memory whatever the graph's size.
_CHUNK = 200_000


def _fill(store: Store, triples: Iterable[Triple], digest: Any = None) -> None:
    """Add the triples to the store's default graph. They go through N-Triples text, serialised and parsed in
    native code: making a Quad of each triple in Python took twice as long (5.7 s against 3.1 s for 834,000).
    ``digest`` (a :mod:`hashlib` object), when given, is updated with the text: :func:`ntriples` of them."""
    chunk: list[Triple] = []
    for triple in triples:
        chunk.append(triple)
        if len(chunk) == _CHUNK:
            _load(store, serialize(chunk, format=RdfFormat.N_TRIPLES) or b"", digest)
            chunk = []
    if chunk:
        _load(store, serialize(chunk, format=RdfFormat.N_TRIPLES) or b"", digest)


def _load(store: Store, text: bytes, digest: Any) -> None:
    store.bulk_load(text, format=RdfFormat.N_TRIPLES)
    if digest is not None:
        digest.update(text)


def write_store(triples: Sequence[Triple], workdir: Path, *, change: Change | None = None) -> Path:
    """Write the graph as an on-disk store under ``workdir``, replacing any previous one whole.

    The new store is made beside the previous one and swapped in. Beside it is kept the SHA-256 of what it
    holds as N-Triples (:func:`ntriples`). ``change`` is how ``triples`` differ from the previous build's graph:
    when the previous store holds that graph (by the digest kept), a copy of it (a checkpoint: its files
    hard-linked) is changed by the lines that differ, which is much quicker than loading the graph when few do
    (:func:`_updated`).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    target, kept = workdir / STORE_DIR, workdir / STORE_SOURCE
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=workdir))
    try:
        db = staging / "db"
        made_from = None
        if target.is_dir() and change is not None:
            made_from = _updated(target, db, kept, change, triples)
        if made_from is None:
            shutil.rmtree(db, ignore_errors=True)
            store = Store(str(db))
            digest = hashlib.sha256()
            _fill(store, triples, digest)
            made_from = digest.hexdigest()
            store.flush()
            del store
        # Whatever stops the swap, no digest names a store it was not made from.
        kept.unlink(missing_ok=True)
        old = workdir / ".store-old"
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        db.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        kept.write_text(made_from + "\n", encoding="ascii")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _updated(target: Path, db: Path, kept: Path, change: Change, triples: Sequence[Triple]) -> str | None:
    """``change.current`` when ``db`` is now a store of ``triples``, made from a copy of the store at ``target``
    by removing and adding the changed lines. ``None`` when that store does not hold the graph the change is
    from (the digest ``kept`` names) or cannot be copied."""
    try:
        expected = kept.read_text(encoding="ascii").strip()
    except OSError:
        return None
    if expected != change.previous:
        return None
    added = list(change.added)
    # The store keeps numbers, dates and booleans by value: removing "1.0" removes "1" of the same subject and
    # property, which another triple may still hold. Those triples are added again after the removals.
    # (A string is written without its datatype, so a typed literal's line is one of those.)
    by_value = [line for line in change.removed if b'"^^<' in line]
    if by_value:
        pairs = {(q.subject, q.predicate) for q in parse(b"\n".join(by_value), format=RdfFormat.N_TRIPLES)}
        again = ntriples(t for t in triples if (t.subject, t.predicate) in pairs).splitlines()
        added = sorted({*added, *again})
    try:
        Store(str(target)).backup(str(db))
    except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged store as a RuntimeError
        log.debug("%s: not copied, the graph is loaded anew (%s)", target, exc)
        return None
    store = Store(str(db))
    # Removed first: a literal the graph writes in another form than the store's canonical one ("1.0" for "1")
    # is the same triple on both sides, removed and added again.
    for quad in parse(b"\n".join(change.removed), format=RdfFormat.N_TRIPLES):
        store.remove(quad)
    store.extend(parse(b"\n".join(added), format=RdfFormat.N_TRIPLES))
    store.flush()
    log.debug("%s: %d triple(s) removed from a copy of the previous store and %d added", db,
              len(change.removed), len(added))
    return change.current


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
