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
from pathlib import Path

import pytest
from project_fixtures import copy_project, synthetic_project
from test_publish import hostile_corpus, plan

from exokg.config import load_config
from exokg.model import heap_frozen
from exokg.pipeline import read_graph, site_input
from exokg.publish.plan import check_links, page_links, parser_links, plan_site
from exokg.publish.render import make_renderer, render_with
from exokg.publish.site import href

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
