"""Grouping records that name the same thing: union-find, and the identifier keys records are joined by."""

from __future__ import annotations

from collections import defaultdict


class DisjointSets:
    """Union-find over ``0 … n-1``. A group's root is its smallest member, so grouping is stable."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> tuple[int, int] | None:
        """Join the groups of ``a`` and ``b``: (kept root, absorbed root), or None if already one group."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        low, high = min(ra, rb), max(ra, rb)
        self.parent[high] = low
        return low, high

    def groups(self) -> dict[int, list[int]]:
        """Root -> members, both in index order."""
        found: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            found[self.find(i)].append(i)
        return dict(found)


def identifier_keys(doi: str | None, pmid: str | None, pmcid: str | None) -> list[str]:
    """The keys two records of one work share: DOIs are case-insensitive, PMCIDs upper-case."""
    keys = [f"doi:{doi.lower()}" if doi else "", f"pmid:{pmid}" if pmid else "",
            f"pmcid:{pmcid.upper()}" if pmcid else ""]
    return [k for k in keys if k]
