"""The graph's on-disk store: loaded whole, or made from a copy of the previous one by the lines of the graph's
N-Triples that changed, and the same store either way."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import pytest
from graph_fixtures import INFO, small_corpus
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from exokg.graph.mapping import map_bibliography, triple_order
from exokg.graph.store import STORE_DIR, STORE_SOURCE, load_graph, ntriples, open_store, write_store
from exokg.works import resolve

EX = "https://example.org/"
DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
UPDATED = r"(\d+) triple\(s\) removed from a copy of the previous store and (\d+) added"


def _graph() -> list[Triple]:
    return list(map_bibliography(resolve(small_corpus()), INFO))


def _held(workdir: Path) -> bytes:
    """What the store in ``workdir`` holds, as sorted N-Quads lines."""
    store = open_store(workdir)
    assert store is not None
    return b"\n".join(sorted((store.dump(format=RdfFormat.N_QUADS) or b"").splitlines()))


def _loaded(triples: list[Triple], folder: Path) -> bytes:
    """What a store loaded from nothing with ``triples`` holds."""
    return _held(write_store(triples, folder).parent)


class Builds:
    """Stores written as builds write them: with the change from the graph of the last build's dump."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.workdir, self.count = folder, folder / "work", 0

    def write(self, triples: list[Triple]) -> Path:
        self.count += 1
        change = load_graph(triples, self.folder / f"dump-{self.count - 1}.nt").change
        (self.folder / f"dump-{self.count}.nt").write_bytes(ntriples(triples))
        return write_store(triples, self.workdir, change=change)


def _changed(triples: list[Triple]) -> list[Triple]:
    """The graph with a few triples gone, one changed and a few added, one of them a non-canonical number."""
    kept = [t for i, t in enumerate(triples) if i % 97 != 5]
    kept[3] = Triple(kept[3].subject, kept[3].predicate, Literal("a value changed since"))
    added = [Triple(NamedNode(EX + "x"), NamedNode(EX + "p"), Literal("1.50", datatype=DECIMAL)),
             Triple(NamedNode(EX + "x"), NamedNode(EX + "q"), Literal("ünïcode \"quoted\"\n", language="en"))]
    return sorted([*kept, *added], key=triple_order)


def test_a_store_made_from_the_previous_one_holds_what_a_loaded_one_holds(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    builds, first, second = Builds(tmp_path), _graph(), _changed(_graph())
    assert len(first) > 200
    builds.write(first)
    with caplog.at_level(logging.DEBUG, logger="exokg"):
        builds.write(second)
    removed, added = map(int, re.findall(UPDATED, caplog.text)[-1])
    assert removed == sum(i % 97 == 5 for i in range(len(first))) + 1 and added == 3
    assert _held(builds.workdir) == _loaded(second, tmp_path / "clean")
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="exokg"):
        builds.write(second)
    assert re.findall(UPDATED, caplog.text) == [("0", "0")]
    assert _held(builds.workdir) == _loaded(second, tmp_path / "clean")
    assert sorted(p.name for p in builds.workdir.iterdir()) == [STORE_DIR, STORE_SOURCE]


def test_a_number_removed_in_one_form_stays_stored_in_another(tmp_path: Path) -> None:
    # The store holds "1.0" and "1" as one value: removing the one line must not remove the other's triple.
    builds, x, p = Builds(tmp_path), NamedNode(EX + "x"), NamedNode(EX + "p")
    both = [Triple(x, p, Literal("1", datatype=DECIMAL)), Triple(x, p, Literal("1.0", datatype=DECIMAL)),
            *_graph()]
    builds.write(sorted(both, key=triple_order))
    builds.write(sorted(both[:1] + both[2:], key=triple_order))
    assert _held(builds.workdir) == _loaded(both[:1] + both[2:], tmp_path / "clean")
    assert b'"1"^^<http://www.w3.org/2001/XMLSchema#decimal>' in _held(builds.workdir)


@pytest.mark.parametrize("change", ["most of the graph", "blank nodes", "a damaged store", "an edited dump",
                                    "no kept digest", "no previous dump"])
def test_a_store_is_loaded_anew_when_a_copy_would_not_do(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                         change: str) -> None:
    builds, first = Builds(tmp_path), _graph()
    builds.write(first)
    second = _changed(first)
    if change == "most of the graph":
        second = first[: len(first) // 2]
    elif change == "blank nodes":
        second.append(Triple(BlankNode("b1"), NamedNode(EX + "p"), Literal("in a blank node")))
    elif change == "a damaged store":
        for path in (builds.workdir / STORE_DIR).iterdir():
            path.write_bytes(b"not a store")
    elif change == "an edited dump":
        with (tmp_path / "dump-1.nt").open("ab") as dump:
            dump.write(b"<https://example.org/y> <https://example.org/p> \"added by hand\" .\n")
    elif change == "no kept digest":
        (builds.workdir / STORE_SOURCE).unlink()
    elif change == "no previous dump":
        (tmp_path / "dump-1.nt").unlink()
    with caplog.at_level(logging.DEBUG, logger="exokg"):
        builds.write(second)
    assert not re.findall(UPDATED, caplog.text)
    # What is kept names what the store holds, whatever the files said.
    assert (builds.workdir / STORE_SOURCE).read_text() == hashlib.sha256(ntriples(second)).hexdigest() + "\n"
    if change == "blank nodes":
        store = open_store(builds.workdir)
        assert store is not None and len(store) == len(second)
    else:
        assert _held(builds.workdir) == _loaded(second, tmp_path / "clean")
