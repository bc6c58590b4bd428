"""The publish stage's fast paths give what the simple ones give, byte for byte, on real built sites.

The link reader (:func:`exokg.publish.plan.page_links`) must find exactly the links html.parser finds, and
:func:`exokg.publish.site.href` must write exactly what ``posixpath.relpath`` writes. Both are checked on
every page of the seed project, of a small synthetic corpus (``bench/corpus.py``) and of a hostile corpus.
"""

from __future__ import annotations

import gc
import itertools
import posixpath
import types
import weakref
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from project_fixtures import copy_project, synthetic_project
from pyoxigraph import NamedNode, Triple
from test_publish import hostile_corpus, plan

from exokg.config import load_config
from exokg.graph.mapping import lexical
from exokg.model import heap_frozen
from exokg.pipeline import read_graph, site_input
from exokg.publish.plan import check_links, page_links, parser_links, plan_site
from exokg.publish.render import make_renderer, render_with
from exokg.publish.site import href
from exokg.publish.view import GraphView

ROOT = Path(__file__).resolve().parents[1]


def _project_site(project: Path) -> dict[str, bytes]:
    config = load_config(project, environ={})
    graph = read_graph(config)
    env = make_renderer(config.site_dir)
    return plan_site(site_input(config, graph, None), lambda t, c: render_with(env, t, c)).files


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    seed = copy_project(tmp_path_factory.mktemp("seed") / "project")
    synthetic = synthetic_project(tmp_path_factory.mktemp("synthetic") / "project", 6, 3)
    return {"seed": _project_site(seed), "synthetic": _project_site(synthetic),
            "hostile": plan(hostile_corpus()).files}


def _pages(files: dict[str, bytes]) -> list[str]:
    return sorted(p for p in files if p.endswith(".html"))


def test_the_link_reader_finds_what_html_parser_finds_on_every_page(sites: dict[str, dict[str, bytes]]) -> None:
    for name, files in sites.items():
        pages = _pages(files)
        assert len(pages) > 20, name
        found = 0
        for path in pages:
            text = files[path].decode("utf-8")
            links = page_links(text)
            assert links == parser_links(text), f"{name}: {path}"
            found += len(links)
        assert found > 10 * len(pages), name  # the pages do link: an empty reader would not pass


def test_the_link_reader_on_markup_the_templates_do_not_write() -> None:
    page = """<!DOCTYPE html><html><head><link rel=stylesheet HREF='a.css'>
<script type="application/ld+json">{"x": "<a href=in-script.html>"}</script>
<style>a[href="in-style.html"] {}</style></head><body>
<!-- <a href="in-comment.html"> -->
<a data-href="not-me.html" title="src=nor-me" href="b.html?x=1&amp;y=2#f">b</a>
<img src=c.png/><img alt="" src="" ><a href>no value</a><a   href = "d.html" >d</a>
<div class="x" id=y>text with href="e.html" in it</div><iframe SRC="f.html"></iframe>
<a href=&quot;g.html>g</a> <a href="h.html"""
    expected = ["a.css", "b.html?x=1&y=2#f", "c.png/", "d.html", "f.html", '"g.html']
    assert parser_links(page) == expected
    assert page_links(page) == expected


def test_check_links_reports_the_same_dangling_links_either_way(sites: dict[str, dict[str, bytes]]) -> None:
    # The page-by-page comparison above covers every site; this one adds the resolution of what is found.
    for name in ("seed", "hostile"):
        files = sites[name]
        assert check_links(files) == [], name
        broken = dict(files)
        broken["work/broken.html"] = (b'<a href="../missing.html">x</a><a href="../index.html#top">ok</a>'
                                      b'<img src="nowhere.png"><a href="https://example.org/">out</a>')
        warnings = check_links(broken)
        assert warnings == check_links(broken, parser_links)
        assert warnings == ["work/broken.html: link to ../missing.html does not resolve to a file of the site",
                            "work/broken.html: link to nowhere.png does not resolve to a file of the site"]


def test_href_is_relpath_for_every_link_of_every_page(sites: dict[str, dict[str, bytes]]) -> None:
    for name, files in sites.items():
        checked = 0
        for path in _pages(files):
            folder = posixpath.dirname(path) or "."
            for target in page_links(files[path].decode("utf-8")):
                plain = target.split("#", 1)[0]
                if not plain or ":" in plain.split("/", 1)[0] or plain.startswith("//"):
                    continue
                resolved = posixpath.normpath(posixpath.join(folder, plain))
                if resolved in files:
                    assert href(path, resolved) == posixpath.relpath(resolved, folder), f"{name}: {path} -> {resolved}"
                    checked += 1
        assert checked > 10 * len(_pages(files)), name


def test_href_is_relpath_for_every_pair_of_site_paths(sites: dict[str, dict[str, bytes]]) -> None:
    paths = sorted(set(itertools.chain.from_iterable(sites.values())))
    odd = ["", "/", "/abs/x.html", "./a.html", "../up.html", "a//b.html", "work/", "work/../a.html", "a/./b.html"]
    froms = paths[:: max(1, len(paths) // 300)] + odd
    tos = paths[:: max(1, len(paths) // 300)] + odd
    for source, target in itertools.product(froms, tos):
        expected: object
        try:
            expected = posixpath.relpath(target, posixpath.dirname(source) or ".")
        except ValueError as exc:
            expected = types.SimpleNamespace(error=str(exc))
        try:
            got: object = href(source, target)
        except ValueError as exc:
            got = types.SimpleNamespace(error=str(exc))
        assert got == expected, (source, target)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_frozen_heap_still_collects_what_the_block_makes_and_thaws_on_leaving() -> None:
    before = _Cycle()
    gone_before = weakref.ref(before)
    with heap_frozen():
        assert gc.get_freeze_count() > 0
        made = _Cycle()
        gone_made = weakref.ref(made)
        del made, before
        gc.collect()
        assert gone_made() is None  # made in the block: collected there
        assert gone_before() is not None  # alive on entry: frozen, left for after the block
        with heap_frozen():
            pass
        assert gc.get_freeze_count() > 0  # an inner block leaves the outer one's freeze alone
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone_before() is None


def test_a_frozen_heap_thaws_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), heap_frozen():
        raise RuntimeError("stop")
    assert gc.get_freeze_count() == 0


def _simple_view(triples: list[Triple]) -> tuple[dict[str, Any], ...]:
    """What :class:`GraphView` holds, triple by triple: the simple path of its construction."""
    by_page: dict[str, list[Triple]] = defaultdict(list)
    out: dict[str, dict[str, list[Triple]]] = defaultdict(lambda: defaultdict(list))
    inverse: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    order = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
             "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name")
    for t in triples:
        s, p, o = lexical(t.subject), t.predicate.value, t.object
        by_page[s.split("#", 1)[0]].append(t)
        out[s][p].append(t)
        if isinstance(o, NamedNode):
            inverse[o.value][p].append(s)
        elif p in order and p not in labels[s]:
            labels[s][p] = lexical(o)
    return (dict(by_page), {s: dict(ps) for s, ps in out.items()}, {o: dict(ps) for o, ps in inverse.items()},
            {s: next(found[p] for p in order if p in found) for s, found in labels.items()})


@pytest.mark.parametrize("project", ["seed", "synthetic"])
def test_the_view_holds_what_the_graph_holds_triple_by_triple(project: str, tmp_path: Path) -> None:
    # The view works out a subject once for its run of triples: in graph order, and with the runs broken up.
    folder = copy_project(tmp_path / "p") if project == "seed" else synthetic_project(tmp_path / "p", 6, 3)
    triples = list(read_graph(load_config(folder, environ={})).triples)
    half = len(triples) // 2
    interleaved = [t for pair in itertools.zip_longest(triples[:half], triples[half:]) for t in pair if t is not None]
    for order in (triples, interleaved, [*triples, *triples[:50]]):
        view = GraphView(order, "https://w3id.org/exokg/")
        made = (dict(view.by_page), {s: dict(ps) for s, ps in view.out.items()},
                {o: dict(ps) for o, ps in view.inverse.items()}, view._labels)
        assert made == _simple_view(order)
