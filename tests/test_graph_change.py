"""The lines two graphs' N-Triples do not share, found by walking both in their common order: the same as the
set differences, whatever was removed, added or moved, and however the blocks fall."""

from __future__ import annotations

import random

import pytest

import exokg.graph.change
from exokg.graph.change import differing


@pytest.mark.parametrize("block", [1, 3, 64, 4096])
def test_the_lines_that_differ_are_the_set_differences(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exokg.graph.change, "_BLOCK", block)
    rng = random.Random(block)
    for _ in range(600):
        pool = [f"<https://example.org/{n:05d}> <p> \"o\" .".encode() for n in range(rng.randint(1, 500))]
        before = sorted(rng.sample(pool, rng.randint(0, len(pool))))
        after = list(before)
        for _ in range(rng.randint(0, 12)):
            kind = rng.random()
            if kind < 0.4 and after:
                del after[rng.randrange(len(after))]
            elif kind < 0.8:
                line = rng.choice(pool)
                if line not in after:
                    after.insert(rng.randrange(len(after) + 1), line)
            elif after:  # a line moved: both hold it, at other places
                after.insert(rng.randrange(len(after)), after.pop(rng.randrange(len(after))))
        if rng.random() < 0.05:
            after = sorted(rng.sample(pool, rng.randint(0, len(pool))))
        assert differing(before, after) == (sorted(set(before) - set(after)), sorted(set(after) - set(before)))
