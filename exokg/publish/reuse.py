"""Resource pages of the previous build used again, when what they are made from has not changed.

A resource's page and its three RDF files are a function of the page's template, its template context and
its description (:func:`exokg.publish.resources.plan_resource`), given the code and the templates. A page
whose :meth:`PageReuse.key` (a digest of all of them) is in the build cache is not rendered, serialised or
written again: its four files are hard-linked from the site in place into the staging folder. Working out
the context and description is itself skipped when every slot of the graph the page read as it was made
holds what it held then (:meth:`PageReuse.unchanged`; docs/decisions/0013-pages-by-what-they-read.md), and
what they hold is not even read when the change from the previous build's graph touches none of them
(:meth:`PageReuse.follow`; docs/decisions/0015-pages-the-change-reaches.md).

A page's entry in the cache names each file with its inode, size and modification time as written, and a
file that no longer matches them (edited, replaced, a site put there by something else) makes the page a
miss, rendered anew. The entry also keeps the page's link targets, which the link check would otherwise read
from its HTML.

The output is byte for byte the clean build's: a hit is only what the same key made before. A linked file
is the previous site's file, so nothing may write through it: :func:`exokg.publish.write.write_file`
replaces a file that is there instead of writing into it. A file system without hard links, or a site
folder on another one than the staging folder, turns reuse off for the build, with a note in the log.
See docs/decisions/0012-page-reuse.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import logging
import os
import pickle
import platform
import sys
import zlib
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exokg.cache import MISSING, Cache, CacheSection, add_folder, code_digest
from exokg.graph import store
from exokg.graph.change import Change
from exokg.publish.view import EVERYTHING, Slot, slots_changed
from exokg.publish.write import StagedFiles

if TYPE_CHECKING:
    from exokg.publish.site import Site, SiteInput

log = logging.getLogger("exokg")
KIND = "pages"
READS_KIND = "page-reads"
# What a page's entry holds: each file as (site path, inode, size, modification time in ns), the page last;
# and the page's link targets, pickled and compressed (≈ 3.4 kB a page as they are, ≈ 0.55 kB compressed).
Entry = tuple[tuple[tuple[str, int, int, int], ...], bytes]


# What a page read of the graph as it was made: the digest of what its slots held, the key of its entry, and
# the slots, sorted, pickled and compressed.
Reads = tuple[bytes, str, bytes]
# Changed triples beyond which a rebuild reads every page's slots (:meth:`PageReuse.follow`): the slots they touch
# are sent to every page worker, and would reach most pages anyway.
FOLLOWED = 50_000


def held_digest(site: Site, slots: Sequence[Slot]) -> bytes:
    """A digest of what ``slots`` hold now in ``site`` (:meth:`Site.held`), in their order."""
    held = site.held
    # One string hashed once: a slot's parts (IRIs and names, which hold no control characters) joined by NUL,
    # then the length of what it holds, then that.
    text = "".join(f"{chr(0).join(slot)}\x01{len(now)}\x01{now}" for slot in slots for now in (held(slot),))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


# The libraries whose output a page's files are: the serialisers, the templates' engine and its escaping.
LIBRARIES = ("pyoxigraph", "jinja2", "markupsafe")


def scope(site_dir: Path) -> str:
    """What every page depends on besides its own inputs: exokg's code, the site's templates, and the
    versions of Python and of the libraries that write the files."""
    digest = hashlib.sha256(code_digest().encode("ascii") + b"\0")
    digest.update(" ".join([platform.python_version(), *(f"{name}={version(name)}" for name in LIBRARIES)])
                  .encode("utf-8") + b"\0")
    add_folder(digest, site_dir / "templates")
    return digest.hexdigest()


class PageReuse:
    """The resource pages of the previous build that this one can take as they are."""

    def __init__(self, cache: Cache, scope: str, previous: Path, staged: StagedFiles) -> None:
        """The pages of the site at ``previous`` that ``cache`` knows in ``scope`` (:func:`scope`), to be taken
        into ``staged``'s folder. A page worker is given the scope the planning process worked out, so that
        both look for the same keys even if the code changed meanwhile."""
        self.scope = scope
        self.section = cache.section(KIND, scope, "resource pages")
        self.reads_section = cache.section(READS_KIND, scope, "resource pages' reads of the graph")
        self.previous = previous.resolve()
        self.staged = staged
        self.on = True
        # The slots the change from the previous build's graph touches, when it is followed (:meth:`follow`).
        self.touched: frozenset[Slot] | None = None
        self._state: tuple[str, str] | None = None

    def follow(self, data: SiteInput, graph: str, change: Change | None) -> None:
        """Follow ``change``, from the graph of the site in place to ``data``'s (whose N-Triples' SHA-256 is
        ``graph``): a page none of whose slots the changed triples touch (:func:`slots_changed`) holds what it
        held, which :meth:`unchanged` then knows without reading them.

        Only when the entries are known to be of that graph: a build that ran to its end keeps beside them the
        digest of its graph and of what else a page may read (:func:`rest_digest`; :meth:`settle`). That is
        taken out here, before this build keeps any entry, so that a build stopped half-way leaves none, and
        the next one reads every page's slots."""
        rest = rest_digest(data)
        state = self.reads_section.pop_key(self._state_key())
        self._state = (graph, rest)
        if change is not None and len(change) <= FOLLOWED and state == (change.previous, rest):
            self.touched = frozenset(slots_changed([*change.removed_triples(), *change.added_triples()]))
            log.debug("page reads: following %d changed triple(s), %d slot(s) touched", len(change),
                      len(self.touched))

    def settle(self) -> None:
        """Keep beside the entries the graph they are of (:meth:`follow`), once the site is in place: called
        before the sections are done."""
        if self._state is not None:
            self.reads_section.put_key(self._state_key(), self._state)

    def _state_key(self) -> str:
        return self.reads_section.key(b"state")

    def key(self, path: str, template: str, description: bytes, context: dict[str, Any]) -> str:
        """The digest of everything a page's files are made from: its path, template, description (as
        N-Triples) and template context."""
        pickled = io.BytesIO()
        pickler = pickle.Pickler(pickled, protocol=pickle.HIGHEST_PROTOCOL)
        # Without the memo, equal contexts pickle to equal bytes: with it, the bytes would also say which
        # values happen to be one object, which differs with what caches held when the page was made.
        pickler.fast = True
        pickler.dump(context)
        return self.section.key(b"\0".join((path.encode("utf-8"), template.encode("utf-8"), description,
                                            pickled.getvalue())))

    def take(self, key: str, paths: Sequence[str]) -> list[str] | None:
        """The page kept under ``key`` as the files ``paths`` (the page last), linked into the staging folder
        and recorded there; the page's link targets, or ``None`` when it must be made."""
        if not self.on:
            return None
        taken: list[list[str]] = []

        def link(entry: Entry) -> bool:
            try:
                files, links = entry
                targets = _unpacked(links)
            except Exception:  # a damaged entry is only a miss, as in the cache itself
                return False
            if [path for path, *_ in files] != list(paths) or not isinstance(targets, list):
                return False
            for path, inode, size, mtime in files:
                try:
                    found = os.stat(self.previous / path)
                except OSError:
                    return False
                if (found.st_ino, found.st_size, found.st_mtime_ns) != (inode, size, mtime):
                    return False
            linked: list[Path] = []
            try:
                for path, *_ in files:
                    target = self.staged.folder / path
                    try:
                        os.link(self.previous / path, target)
                    except FileNotFoundError:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.link(self.previous / path, target)
                    linked.append(target)
            except OSError as exc:
                for target in linked:
                    target.unlink(missing_ok=True)
                self.on = False
                log.info("%s: cannot link the previous site's files into the new one (%s); every page is made "
                         "anew", self.previous, exc.strerror or exc)
                return False
            for path, _, size, _ in files:
                self.staged.record(path, size)
            # One string object for each target repeated across pages, as the page workers send them.
            taken.append([sys.intern(t) for t in targets])
            return True

        return taken[0] if self.section.get_key(key, link) is not MISSING else None

    def unchanged(self, site: Site, path: str) -> str | None:
        """The key the page at ``path`` was kept under (:meth:`take` it), known without its context or
        description worked out: when every slot of the graph the page read as it was made (:meth:`keep_reads`)
        holds what it held then. ``None`` when that is not known to be so."""
        if not self.on:
            return None
        found: list[str] = []

        def same(entry: Reads) -> bool:
            try:
                digest, key, packed = entry
                slots = _unpacked(packed)
                if (self.touched is None or not self.touched.isdisjoint(slots)) \
                        and held_digest(site, slots) != digest:
                    return False
            except Exception:  # a damaged entry is only a miss
                return False
            found.append(key)
            return True

        return found[0] if self.reads_section.get_key(self._reads_key(site, path), same) is not MISSING else None

    def keep_reads(self, site: Site, path: str, reads: set[Slot], key: str) -> None:
        """Keep what the page at ``path``, kept under ``key``, read of the graph as it was made, and what that
        held (:func:`held_digest`): a page that read the whole graph is not kept so."""
        if EVERYTHING in reads:
            return
        slots = sorted(reads)
        self.reads_section.put_key(self._reads_key(site, path), (held_digest(site, slots), key, _packed(slots)))

    @property
    def sections(self) -> tuple[CacheSection, CacheSection]:
        """The cache's entries of pages, and of what pages read, in that order."""
        return self.section, self.reads_section

    def _reads_key(self, site: Site, path: str) -> str:
        # Not a digest of content: the one entry of a page's path, replaced when the page is made again.
        return self.reads_section.key(b"\0".join((b"reads", site.iris.base.encode("utf-8"), path.encode("utf-8"))))

    def entry(self, files: Sequence[str], links: list[str]) -> Entry:
        """The entry of a page whose ``files`` (the page last) were just written into the staging folder."""
        stats = []
        for path in files:
            found = os.stat(self.staged.folder / path)
            stats.append((path, found.st_ino, found.st_size, found.st_mtime_ns))
        return tuple(stats), _packed(links)

    def keep(self, key: str, files: Sequence[str], links: list[str]) -> None:
        """Keep the page just written under ``key``, for the next build."""
        self.section.put_key(key, self.entry(files, links))


def rest_digest(data: SiteInput) -> str:
    """A digest of what a page may read besides the graph: the site's settings (every plain value of ``data``,
    which :meth:`Site.setting` reads) and the vocabulary."""
    settings = [(f.name, value) for f in dataclasses.fields(data)
                if isinstance(value := getattr(data, f.name), (str, int, float, dt.date))]
    digest = hashlib.sha256(repr(settings).encode("utf-8"))
    digest.update(store.ntriples(data.vocabulary))
    return digest.hexdigest()


def _packed(value: Any) -> bytes:
    """A list an entry keeps (link targets, slots), pickled and compressed: quick, since most pages are kept."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpacked(data: bytes) -> Any:
    return pickle.loads(zlib.decompress(data))
