"""Results of the build's pure steps kept between builds, so that a rebuild redoes only what changed.

An entry is what one step made of one piece of input (the articles of a corpus file, the claims of a
document), found by a key that hashes everything that result depends on: the input's bytes and a *scope*
naming the code and data that read them (exokg's version and a digest of its own source files, the concept
scheme's bytes). A changed input, scheme or exokg is a miss, so a stale result is never used, and a result
read from the cache is the one the step would make: the build's output is byte for byte the same.

The entries live in one SQLite file in the project's workdir. Entries are committed in batches as they are
made, each batch a transaction, so an interrupted build keeps what it had finished and never leaves a torn
entry. When a step has run to its end, the entries of its kind that the run did not use are dropped, so the
cache holds the last build's results and no more. A file that is not a readable cache (damaged, or not
SQLite) is set aside with a warning and the build starts a new one; a cache that cannot be written at all
(a read-only workdir) only costs the time it would have saved.

Values are pickled: the cache is the project's own working data, as trusted as the workdir it sits in.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

from exokg import __version__

log = logging.getLogger("exokg")

CACHE_FILE = "cache.sqlite3"
# Bumped when the layout of the file or of the keys changes.
FORMAT: Final = "1"
MISSING: Final = object()
_BATCH = 500  # entries per transaction: one commit costs a sync, and an interrupted build loses one batch at most
_BATCH_SECONDS = 5.0
_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, " \
          "PRIMARY KEY (kind, key)) WITHOUT ROWID"


@functools.cache
def code_digest() -> str:
    """A digest of exokg's version and of every source file of the package: any change to the code that
    made a result makes a new scope, whether or not the version was bumped."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    add_folder(digest, Path(__file__).resolve().parent, "*.py")
    return digest.hexdigest()


def add_folder(digest: Any, folder: Path, pattern: str = "*") -> None:
    """Add to ``digest`` (a :mod:`hashlib` object) every file under ``folder`` that ``pattern`` matches, in
    path order: its path relative to the folder, and the SHA-256 of its bytes."""
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


class Cache:
    """The results file of a workdir; :meth:`section` gives the entries of one step."""

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        """``timeout``: how long to wait for another build that holds the file."""
        self.path = path
        self._db: sqlite3.Connection | None = _connect(path, timeout)

    def section(self, kind: str, scope: str, unit: str = "entries") -> CacheSection:
        """The entries a step of ``kind`` made in ``scope`` (a digest of the code and data it reads with);
        ``unit`` names what an entry is in the log (``corpus files``)."""
        return CacheSection(self, kind, scope, unit)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, action: str, sql: str, params: tuple[Any, ...] = (),
             many: list[tuple[Any, ...]] | None = None) -> list[Any]:
        """One statement, for ``params`` or for each of ``many``; on a database error the cache is given up for
        this build, with a warning, and the step goes on without it."""
        if self._db is None:
            return []
        try:
            if many is not None:
                self._db.executemany(sql, many)
                return []
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            log.warning("%s: cannot %s the build cache (%s); going on without it", self.path, action, exc)
            self.close()
            return []

    def _commit(self) -> None:
        if self._db is None:
            return
        try:
            self._db.commit()
        except sqlite3.Error as exc:
            log.warning("%s: cannot write the build cache (%s); going on without it", self.path, exc)
            self.close()


class CacheSection:
    """Entries of one kind and scope: :meth:`get` and :meth:`put` by the content a result was made from."""

    def __init__(self, cache: Cache, kind: str, scope: str, unit: str = "entries") -> None:
        self.cache, self.kind, self.unit = cache, kind, unit
        self._prefix = hashlib.sha256(f"{FORMAT}\0{kind}\0{scope}\0".encode()).digest()
        self._used: set[str] = set()
        self._pending: list[tuple[str, str, bytes]] = []
        self._since = time.monotonic()
        self.hits = self.misses = 0

    def key(self, content: bytes) -> str:
        return hashlib.sha256(self._prefix + content).hexdigest()

    def get(self, content: bytes) -> Any:
        """The result made from ``content`` before, or :data:`MISSING`."""
        return self.get_key(self.key(content))

    def get_key(self, key: str, usable: Callable[[Any], bool] | None = None) -> Any:
        """The result kept under ``key`` (:meth:`key`), or :data:`MISSING`. ``usable`` is given the result
        first and may refuse it (what the result names outside the cache has changed), which makes it a miss;
        it may also take the result into use (:meth:`exokg.publish.reuse.PageReuse.take` links files)."""
        value = self._read(key)
        if value is not MISSING and (usable is None or usable(value)):
            self._used.add(key)
            self.hits += 1
            return value
        self.misses += 1
        return MISSING

    def pop_key(self, key: str) -> Any:
        """The result kept under ``key``, taken out of the cache at once (committed), or :data:`MISSING`; not
        counted as a hit or a miss."""
        value = self._read(key)
        self.cache._run("write", "DELETE FROM entries WHERE kind = ? AND key = ?", (self.kind, key))
        self.cache._commit()
        return value

    def _read(self, key: str) -> Any:
        """The value kept under ``key``, or :data:`MISSING` when there is none or it cannot be unpickled."""
        rows = self.cache._run("read", "SELECT value FROM entries WHERE kind = ? AND key = ?", (self.kind, key))
        if not rows:
            return MISSING
        try:
            return pickle.loads(rows[0][0])
        except Exception:  # any unpickling failure is a damaged entry, which is only a miss
            return MISSING

    def put(self, content: bytes, value: Any) -> None:
        """Keep ``value`` as the result made from ``content`` (written with the next batch)."""
        self.put_key(self.key(content), value)

    def noted(self, keys: Iterable[str], hits: int, misses: int) -> None:
        """What another process did with this section's entries: it used or kept the entries under ``keys``,
        with ``hits`` and ``misses``. Counted, and kept by :meth:`done`, as if done here."""
        self._used.update(keys)
        self.hits += hits
        self.misses += misses

    def used(self) -> list[str]:
        """The keys of the entries found or kept so far."""
        return sorted(self._used)

    def put_key(self, key: str, value: Any) -> None:
        """Keep ``value`` under ``key`` (:meth:`key`), written with the next batch."""
        self._used.add(key)
        self._pending.append((self.kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        if len(self._pending) >= _BATCH or time.monotonic() - self._since > _BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit the entries put so far."""
        if self._pending:
            self.cache._run("write", "INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)",
                            many=self._pending)
            self.cache._commit()
        self._pending = []
        self._since = time.monotonic()

    def done(self) -> None:
        """The step ran to its end: commit, and drop the entries of this kind that it did not use."""
        self.flush()
        self.cache._run("prune", "CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        self.cache._run("prune", "DELETE FROM temp.used")
        self.cache._run("prune", "INSERT INTO temp.used (key) VALUES (?)", many=[(k,) for k in self._used])
        self.cache._run("prune", "DELETE FROM entries WHERE kind = ? AND key NOT IN (SELECT key FROM temp.used)",
                        (self.kind,))
        self.cache._commit()
        if self.hits or self.misses:
            log.info("%s: %s of %s %s from the build cache", self.kind, f"{self.hits:,}",
                     f"{self.hits + self.misses:,}", self.unit)


def open_cache(workdir: Path) -> Cache:
    """The build cache of a workdir (``cache.sqlite3``), made when there is none."""
    return Cache(workdir / CACHE_FILE)


def _connect(path: Path, timeout: float) -> sqlite3.Connection | None:
    for attempt in (1, 2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=timeout)
            try:
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM entries WHERE kind = ''").fetchall()
                db.commit()
            except sqlite3.Error:
                db.close()
                raise
            return db
        except sqlite3.OperationalError as exc:
            # Locked by another build past the timeout, or a disk that refuses writes: the file may be sound.
            log.warning("%s: cannot open the build cache (%s); building without it", path, exc)
            return None
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or not path.is_file():
                log.warning("%s: cannot open the build cache (%s); building without it", path, exc)
                return None
            # Not a cache this code can read (damaged, or another file under that name): kept beside, for a
            # look, and a new one begun.
            aside = path.with_name(path.name + ".unreadable")
            log.warning("%s: not a readable build cache (%s); moved to %s and starting a new one", path, exc,
                        aside.name)
            try:
                path.replace(aside)
            except OSError as move:
                log.warning("%s: cannot move it aside (%s); building without the cache", path, move)
                return None
        except OSError as exc:
            log.warning("%s: cannot open the build cache (%s); building without it", path, exc)
            return None
    return None
