"""The lines two graphs' N-Triples do not share, found by walking both texts in their common order: the same as
the set differences, whatever was removed, added or moved, however the blocks and windows fall (mid-line too)."""

from __future__ import annotations

import random

import pytest

import exokg.graph.change
from exokg.graph.change import differing


@pytest.mark.parametrize(("block", "window"), [(1, 1), (3, 16), (64, 7), (4096, 4096), (1 << 20, 1 << 12)])
def test_the_lines_that_differ_are_the_set_differences(block: int, window: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exokg.graph.change, "_BLOCK", block)
    monkeypatch.setattr(exokg.graph.change, "_WINDOW", window)
    rng = random.Random(block)
    for _ in range(600):
        # Lines of several lengths that share long beginnings, so that texts differ in the middle of lines and
        # one line can begin another.
        pool = [f"<https://example.org/{n // 3:05d}> <p> \"{'o' * (1 + n % 3)}\" .".encode()
                for n in range(rng.randint(1, 500))]
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
        texts = [b"".join(line + b"\n" for line in lines) for lines in (before, after)]
        if rng.random() < 0.1:  # a file whose last line has no line end
            texts = [text.removesuffix(b"\n") for text in texts]
        assert differing(*texts) == (sorted(set(before) - set(after)), sorted(set(after) - set(before)))
