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
from pathlib import Path
from typing import Any

import rdflib
from pyoxigraph import RdfFormat, Store, Triple, parse, serialize

from exokg.errors import ConfigError
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


def memory_store(triples: Iterable[Triple]) -> Store:
    store = Store()
    _fill(store, triples)
    return store


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


def write_store(triples: Sequence[Triple], workdir: Path, *, source: Path | None = None,
                previous: Path | None = None) -> Path:
    """Write the graph as an on-disk store under ``workdir``, replacing any previous one whole.

    The new store is made beside the previous one and swapped in. Beside it is kept the SHA-256 of what it
    holds as N-Triples (:func:`ntriples`). ``source`` is a file of ``triples`` as N-Triples (the site's dump,
    already written) and ``previous`` the file the previous build wrote there: when the previous store holds
    what that file holds (by the digest kept), a copy of the previous store (a checkpoint: its files
    hard-linked) is changed by the lines the two files do not share, which is much quicker than loading the
    graph when few differ (:func:`_updated`).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    target, kept = workdir / STORE_DIR, workdir / STORE_SOURCE
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=workdir))
    try:
        db = staging / "db"
        made_from = None
        if target.is_dir() and source is not None and previous is not None:
            made_from = _updated(target, db, kept, previous, source, len(triples))
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


def _subject_predicate(line: bytes) -> bytes:
    """The subject and predicate of an N-Triples line (IRIs: no space within)."""
    return line[: line.find(b" ", line.find(b" ") + 1)]


# Beyond this share of the graph's triples changed, loading it anew is as quick as changing a copy.
_UPDATE_SHARE = 0.2


def _updated(target: Path, db: Path, kept: Path, previous: Path, source: Path, size: int) -> str | None:
    """The SHA-256 of ``source`` when ``db`` is now a store of what that N-Triples file holds, made from a copy of
    the store at ``target`` by removing and adding the lines the two files do not share. ``None`` when the
    store does not hold what ``previous`` holds (the digest ``kept`` names), ``source`` is not ``size`` lines
    (the graph's triples), the store cannot be copied, either file holds blank nodes (whose labels are the
    parser's own, so a line names no triple of the store), or more than a share of the triples changed."""
    try:
        before, text, expected = previous.read_bytes(), source.read_bytes(), kept.read_text(encoding="ascii")
    except OSError:
        return None
    if hashlib.sha256(before).hexdigest() != expected.strip():
        return None
    held, lines = set(before.splitlines()), set(text.splitlines())
    made_from = hashlib.sha256(text).hexdigest()
    del before, text
    if len(lines) != size:
        return None
    removed, added = sorted(held - lines), sorted(lines - held)
    del held
    if len(removed) + len(added) > _UPDATE_SHARE * size \
            or any(b"_:" in line for changed in (removed, added) for line in changed):
        return None
    # The store keeps numbers, dates and booleans by value: removing "1.0" removes "1" of the same subject and
    # property, which another line may still hold. Those lines are added again after the removals.
    # (A string is written without its datatype, so a typed literal's line is one of those.)
    by_value = {_subject_predicate(line) for line in removed if b'"^^<' in line}
    if by_value:
        added = sorted({*added, *(line for line in lines if _subject_predicate(line) in by_value)})
    del lines
    try:
        Store(str(target)).backup(str(db))
    except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged store as a RuntimeError
        log.debug("%s: not copied, the graph is loaded anew (%s)", target, exc)
        return None
    store = Store(str(db))
    # Removed first: a literal the graph writes in another form than the store's canonical one ("1.0" for "1")
    # is the same triple on both sides, removed and added again.
    for quad in parse(b"\n".join(removed), format=RdfFormat.N_TRIPLES):
        store.remove(quad)
    store.extend(parse(b"\n".join(added), format=RdfFormat.N_TRIPLES))
    store.flush()
    log.debug("%s: %d triple(s) removed from a copy of the previous store and %d added", db, len(removed),
              len(added))
    return made_from


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
