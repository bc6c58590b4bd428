"""Accept headers (RFC 9110, section 12.5.1): which of the offered media types a client prefers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header: ``type/subtype`` (either may be ``*``) with its quality."""

    type: str
    subtype: str
    quality: float

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        # The most specific range that matches a type decides its quality: text/turtle > text/* > */*.
        return 0 if self.type == "*" else 1 if self.subtype == "*" else 2


def parse_accept(header: str | None) -> list[MediaRange]:
    """The ranges of an Accept header; a malformed entry is skipped, as browsers and servers do.

    An absent or empty header is ``*/*``: the client takes anything.
    """
    ranges: list[MediaRange] = []
    for entry in (header or "").split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    quality = 0.0  # an unreadable weight is no preference, not a strong one
        ranges.append(MediaRange(kind, sub, quality))
    return ranges or [MediaRange("*", "*", 1.0)]


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The quality the client gives ``media_type``: that of the most specific matching range, else 0."""
    best: MediaRange | None = None
    for candidate in ranges:
        if candidate.matches(media_type) and (best is None or candidate.specificity > best.specificity
                                              or (candidate.specificity == best.specificity
                                                  and candidate.quality > best.quality)):
            best = candidate
    return best.quality if best is not None else 0.0


def choose(header: str | None, offers: Sequence[tuple[str, str]]) -> str | None:
    """The key of the offer the client prefers, or None when it accepts none of them.

    ``offers`` are ``(media type, key)`` in the server's order of preference, which breaks ties (so
    ``*/*`` gets the first); several media types may share a key (an alias such as ``application/json``
    for JSON-LD).
    """
    ranges = parse_accept(header)
    best_key, best_quality = None, 0.0
    for media_type, key in offers:
        q = quality(ranges, media_type)
        if q > best_quality:
            best_key, best_quality = key, q
    return best_key
