"""A page-making process (``python -m exokg.publish.worker``), started by :mod:`exokg.publish.parallel`.

It reads one pickled job from stdin (the site's input, the file of the graph as N-Triples, the templates'
folder, the resource pages, the file that shares them out and the folder to write in; with the build cache, its
file and the previous site's folder), takes runs of pages from the back until none are left, writes their
files (or links the previous build's, :mod:`exokg.publish.reuse`), and writes the pickled list of what it made
to stdout. A module of its own, imported by nothing else, so that running it with ``-m`` does not load it
twice.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, Triple, parse

from exokg.cache import Cache
from exokg.model import heap_frozen
from exokg.publish.parallel import RUN, Answer, Kept, Made, Runs, plan_apart
from exokg.publish.plan import open_site
from exokg.publish.render import make_renderer, render_with
from exokg.publish.resources import needs_whole_site, plan_resource
from exokg.publish.reuse import PageReuse
from exokg.publish.write import StagedFiles


def make_pages(job: dict[str, Any]) -> Answer:
    """The pages this process takes, each as its files (the page last), the warnings it gave and its link
    targets; with the build cache, for each of its page sections, the keys of the entries it used or kept,
    and its hits and misses."""
    data = dataclasses.replace(job["input"], triples=_triples(path=job["graph"]),
                               vocabulary=_triples(job["vocabulary"]))
    env = make_renderer(Path(job["site_dir"]))
    staged = StagedFiles(Path(job["folder"]))
    cache = Cache(Path(job["reuse"]["cache"])) if job.get("reuse") else None
    reuse = PageReuse(cache, job["reuse"]["scope"], Path(job["reuse"]["previous"]), staged) \
        if cache is not None else None
    if reuse is not None:
        reuse.touched = job["reuse"]["touched"]  # the change the planning process follows (PageReuse.follow)
    site = open_site(data, lambda template, context: render_with(env, template, context), staged, reuse=reuse)
    pages: list[tuple[str, str]] = job["pages"]
    site.resource_paths = frozenset(path for _, path in pages)
    runs = Runs(Path(job["runs"]))
    made: Made = []
    with heap_frozen():  # the graph's view, read by every page, is not walked by each collection
        while taken := runs.back(RUN):
            for i in taken:
                page, path = pages[i]
                if needs_whole_site(site, page):
                    continue
                files, said = plan_apart(site, (page, path), plan_resource)
                made.append((i, [(file, staged.release(file)) for file in files], said,
                             site.known_links.pop(path)))
    kept: Kept = []
    if reuse is not None:
        for section in reuse.sections:
            section.flush()
            kept.append((section.used(), section.hits, section.misses))
        reuse.section.cache.close()
    return made, kept


def _triples(ntriples: bytes | None = None, path: str | None = None) -> list[Triple]:
    return [Triple(q.subject, q.predicate, q.object)
            for q in parse(ntriples, format=RdfFormat.N_TRIPLES, path=path)]


def main() -> None:
    job = pickle.load(sys.stdin.buffer)
    sys.stdout.buffer.write(pickle.dumps(make_pages(job), protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
