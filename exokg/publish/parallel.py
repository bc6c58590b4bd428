"""Resource pages on several cores, for :func:`exokg.publish.resources.plan_resources`.

Rendering the pages is pure Python and most of the publish stage. A resource's page and files depend on
the graph alone, so worker processes (``python -m exokg.publish.worker``, fresh interpreters as
:mod:`exokg.processes` explains) each read the graph as N-Triples, make the same view of it, and plan
pages while this process plans others. Who makes which page is settled as they go: this process takes runs
of pages from the front of the list, the workers from the back, through a small file both lock
(:class:`Runs`), so a worker that is slow to start, or a machine that is busy, shifts the work instead of
stalling it. There are as many workers as idle cores, and as the memory holds: each holds its own view of
the graph, about as much as this process. The pages that read more than the graph (the dataset's, the
vocabulary terms') are made here.

Workers write their files themselves, into the plan's staging folder when it has one, and answer with
their paths and sizes. The plan is the same whoever made a page: files are keyed by path, and warnings are
put back in page order.
A worker also reads the links of the pages it made, which the link check at the end would otherwise read.
A worker that fails costs time, not the result: the pages it did not deliver are made here.
"""

from __future__ import annotations

import dataclasses
import logging
import pickle
import struct
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from exokg.graph import store
from exokg.processes import Worker, idle_cores, workers_memory_allows
from exokg.publish.site import PageWorkers, Site
from exokg.publish.write import StagedFiles

try:
    import fcntl
except ImportError:  # not a POSIX system: the pages are made in one process
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("exokg")
PlanOne = Callable[[Site, str, str], list[str]]
# Pages taken at once: small enough to share the tail evenly, large enough that the lock is not felt.
RUN = 50
# What a worker answers, for each page it made: (page index, [(path, size)] of the files it wrote, the page
# last, warnings, the page's link targets as plan.page_links reads them).
Made = list[tuple[int, list[tuple[str, int]], list[str], list[str]]]
# With the build cache (exokg.publish.reuse), for each of its page sections (PageReuse.sections): the keys of the
# entries a worker used or kept, its hits, its misses.
Kept = list[tuple[list[str], int, int]]
Answer = tuple[Made, Kept]


class Runs:
    """The pages still to make, ``[front, back)``, in a file the processes lock to take runs of them."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, path: Path, total: int) -> Runs:
        path.write_bytes(struct.pack("<qq", 0, total))
        return cls(path)

    def front(self, count: int) -> range:
        return self._take(count, from_front=True)

    def back(self, count: int) -> range:
        return self._take(count, from_front=False)

    def _take(self, count: int, *, from_front: bool) -> range:
        assert fcntl is not None
        with open(self.path, "r+b") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
            front, back = struct.unpack("<qq", file.read(16))
            if from_front:
                taken = range(front, min(back, front + count))
                front = taken.stop
            else:
                taken = range(max(front, back - count), back)
                back = taken.start
            file.seek(0)
            file.write(struct.pack("<qq", front, back))
        return taken


def pages_in_processes(site: Site, pages: Sequence[tuple[str, str]], plan_one: PlanOne,
                       workers: PageWorkers, first: Sequence[int] = ()) -> bool:
    """Plan ``pages`` (resource, path) with ``plan_one`` here and in worker processes; ``False`` (nothing
    planned) when workers are not worth starting, so the caller plans the pages itself.

    ``first``: the indexes of the pages only this process makes, which it makes before any other while the
    workers start. The dataset's page makes the dumps and the statistics (21 s of a rebuild at 3,000
    articles): made last, after the workers had stopped, they kept one core idle all that time; made first,
    the workers make more of the other pages meanwhile."""
    if fcntl is None or len(pages) < max(1, workers.min_pages):
        return False
    processes = (idle_cores() - 1) if workers.processes is None else workers.processes
    if processes < 1:
        return False
    warnings: dict[int, list[str]] = {}
    by_workers = 0
    staged = site.plan.files if isinstance(site.plan.files, StagedFiles) else None
    # Beside the staged site when there is one: the graph's file is as large as its dump, too large for a /tmp
    # that is held in memory.
    beside = staged.folder.parent if staged is not None else None
    with tempfile.TemporaryDirectory(prefix=".exokg-pages-", dir=beside) as folder:
        runs = Runs.create(Path(folder) / "runs", len(pages))
        graph = Path(folder) / "graph.nt"
        # Workers write their files where the plan keeps its own, or else where this process reads them back.
        written = staged.folder if staged is not None else Path(folder) / "files"
        reuse = site.reuse if staged is not None else None
        job = pickle.dumps({**worker_job(site, pages, workers.site_dir), "graph": str(graph), "runs": str(runs.path),
                            "folder": str(written),
                            "reuse": None if reuse is None or not reuse.on else
                            {"cache": str(reuse.section.cache.path), "scope": reuse.scope,
                             "previous": str(reuse.previous), "touched": reuse.touched}},
                           protocol=pickle.HIGHEST_PROTOCOL)
        if workers.processes is None:
            # A worker's triples and view of them are about what this process holds, and it gets them from the
            # graph's file, parsed as it is read: the job it is sent is the rest.
            fit = workers_memory_allows(processes, len(job))
            if fit < processes:
                log.info("%d page-making process(es) instead of %d: each holds its own view of the graph, and the "
                         "memory available holds no more", fit, processes)
            processes = fit
            if processes < 1:
                return False
        store.write_ntriples(site.input.triples, graph)
        started = [Worker("exokg.publish.worker", job) for _ in range(processes)]
        site.plan.page_workers = len(started)
        try:
            for i in first if workers.here else ():
                warnings[i] = plan_apart(site, pages[i], plan_one)[1]
            while workers.here and (taken := runs.front(RUN)):
                for i in taken:
                    if i not in warnings:
                        warnings[i] = plan_apart(site, pages[i], plan_one)[1]
            for worker in started:
                answer = _checked(worker.result(), pages, warnings)
                if answer is None:
                    log.warning("a page-making process failed (%s); its pages are made here instead",
                                worker.error or "an answer that does not fit the pages it was given")
                    continue
                made, kept = answer
                if reuse is not None:  # ``kept`` is empty when the worker was given no cache (reuse turned off)
                    for section, (keys, hits, misses) in zip(reuse.sections, kept, strict=False):
                        section.noted(keys, hits, misses)
                by_workers += len(made)
                for i, files, said, links in made:
                    for path, size in files:
                        if staged is not None:
                            staged.record(path, size)
                            site.known_links.pop(path, None)
                        else:
                            site.add_file(path, (written / path).read_bytes())
                    site.known_links[files[-1][0]] = links
                    site.plan.pages += 1
                    warnings[i] = said
        finally:
            for worker in started:
                worker.stop()
    for i, page in enumerate(pages):
        if i not in warnings:  # the dataset's and the terms' pages, or what a failed worker had taken
            warnings[i] = plan_apart(site, page, plan_one)[1]
    site.plan.warnings.extend(w for i in range(len(pages)) for w in warnings[i])
    log.debug("resource pages: %d made by %d worker process(es), %d here", by_workers, len(started),
              len(pages) - by_workers)
    return True


def plan_apart(site: Site, page: tuple[str, str], plan_one: PlanOne) -> tuple[list[str], list[str]]:
    """Plan one page: the paths it planned, and its warnings, taken out of the plan to go back in page order
    (here) or to be sent back (in a worker)."""
    before = len(site.plan.warnings)
    files = plan_one(site, *page)
    said = site.plan.warnings[before:]
    del site.plan.warnings[before:]
    return files, said


def _checked(answer: object, pages: Sequence[tuple[str, str]], done: dict[int, list[str]]) -> Answer | None:
    """A worker's answer when it is what was asked for: pages not made here, each with its page last."""
    if not (isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], list)
            and isinstance(answer[1], list)
            and all(isinstance(k, tuple) and len(k) == 3 and isinstance(k[0], list) and isinstance(k[1], int)
                    and isinstance(k[2], int) for k in answer[1])):
        return None
    for item in answer[0]:
        if not (isinstance(item, tuple) and len(item) == 4 and isinstance(item[0], int)
                and 0 <= item[0] < len(pages) and item[0] not in done and isinstance(item[1], list)
                and item[1] and item[1][-1][0] == pages[item[0]][1]
                and all(isinstance(f, tuple) and len(f) == 2 and isinstance(f[1], int) for f in item[1])
                and isinstance(item[2], list)
                and isinstance(item[3], list)):
            return None
    return answer


def worker_job(site: Site, pages: Sequence[tuple[str, str]], site_dir: Path) -> dict[str, Any]:
    """What every worker needs but the graph: the site's input without it, the vocabulary as N-Triples, the
    templates' folder and the pages. The graph's N-Triples file (pickling a million terms one by one takes 25
    times as long as writing and parsing them; a file is parsed as it is read, where bytes sent in the job
    stay in the worker's memory beside what they became), the file of runs and the folder to write in are
    added to it."""
    data = site.input
    # Without the assets too: the planning process has put them in the plan, and a worker's plan writes what
    # it holds into the staging folder.
    light = dataclasses.replace(data, triples=(), vocabulary=(), report=None, queries=(), shapes=(),
                                shapes_files={}, vocabulary_files={}, assets={})
    return {"input": light, "vocabulary": store.ntriples(data.vocabulary), "site_dir": str(site_dir),
            "pages": list(pages)}
