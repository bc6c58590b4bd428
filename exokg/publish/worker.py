"""A page-making process (``python -m exokg.publish.worker``), started by :mod:`exokg.publish.parallel`.

It reads one pickled job from stdin (the site's input, the file of the graph as N-Triples, the templates'
folder, the resource pages, the file that shares them out and the folder to write in), takes runs of pages from the
back until none are left, writes their files, and writes the pickled list of what it made to stdout. A
module of its own, imported by nothing else, so that running it with ``-m`` does not load it twice.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, Triple, parse

from exokg.model import heap_frozen
from exokg.publish.parallel import RUN, Made, Runs, plan_apart
from exokg.publish.plan import open_site, page_links
from exokg.publish.render import make_renderer, render_with
from exokg.publish.resources import needs_whole_site, plan_resource
from exokg.publish.write import write_file


def make_pages(job: dict[str, Any]) -> Made:
    """The pages this process takes, each as its files (the page last) and the warnings it gave."""
    data = dataclasses.replace(job["input"], triples=_triples(path=job["graph"]),
                               vocabulary=_triples(job["vocabulary"]))
    env = make_renderer(Path(job["site_dir"]))
    site = open_site(data, lambda template, context: render_with(env, template, context))
    pages: list[tuple[str, str]] = job["pages"]
    runs, folder = Runs(Path(job["runs"])), Path(job["folder"])
    made: Made = []
    with heap_frozen():  # the graph's view, read by every page, is not walked by each collection
        while taken := runs.back(RUN):
            for i in taken:
                page, path = pages[i]
                if needs_whole_site(site, page):
                    continue
                files, said = plan_apart(site, (page, path), plan_resource)
                written = []
                for file in files:
                    content = site.plan.files.pop(file)
                    write_file(folder, file, content)
                    written.append((file, len(content)))
                # The page is the last file. Its links mostly repeat other pages' (the same folder, the same
                # targets): one string object each, which the answer's pickle then sends once, and the planning
                # process keeps once, for all its pages (gigabytes at 10,000 articles otherwise).
                links = [sys.intern(target) for target in page_links(content.decode("utf-8"))]
                made.append((i, written, said, links))
    return made


def _triples(ntriples: bytes | None = None, path: str | None = None) -> list[Triple]:
    return [Triple(q.subject, q.predicate, q.object)
            for q in parse(ntriples, format=RdfFormat.N_TRIPLES, path=path)]


def main() -> None:
    job = pickle.load(sys.stdin.buffer)
    sys.stdout.buffer.write(pickle.dumps(make_pages(job), protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
