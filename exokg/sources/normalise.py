"""One spelling of spaces, hyphens and line ends, so no layout has to know about the others.

Saved pages arrive with non-breaking and thin spaces, zero-width characters, soft hyphens and the
Unicode hyphens U+2010/U+2011. They are all folded here, once, before a layout sees the text.
En and em dashes are kept, because in titles they are punctuation; they are folded only where they
stand for a range (pages) or inside an identifier, by :func:`fold_dashes`.
"""

from __future__ import annotations

import re

_SPACE_CHARS = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_DROPPED_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_HYPHEN_CHARS = "\u2010\u2011"
_LINE_BREAK_CHARS = "\u2028\u2029\x0b\x0c\x85"
# Full-width colons (CJK input methods) so that labels read the same: "Keywords\uff1a" is "Keywords:".
_COLON_CHARS = "\uff1a\ufe55"

_TABLE: dict[int, str | None] = {
    **{ord(c): " " for c in _SPACE_CHARS},
    **{ord(c): None for c in _DROPPED_CHARS},
    **{ord(c): "-" for c in _HYPHEN_CHARS},
    **{ord(c): "\n" for c in _LINE_BREAK_CHARS},
    **{ord(c): ":" for c in _COLON_CHARS},
}

# Same length in and out, so offsets found in a folded copy are valid in the original.
_DASH_TABLE = {ord(c): "-" for c in "\u2012\u2013\u2014\u2015\u2212\u2010\u2011"}

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """Fold exotic spaces and hyphens, unify line ends and drop trailing blanks on every line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def squash(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


def fold_dashes(text: str) -> str:
    """Replace every dash-like character by ``-``; the result has the same length as the input."""
    return text.translate(_DASH_TABLE)


def normalise_range(text: str) -> str:
    """A page range as ``355-366``: Unicode dashes folded, spaces around the dash removed."""
    return re.sub(r"\s*-\s*", "-", fold_dashes(squash(text)))


def control_ratio(text: str) -> float:
    """Share of C0 control characters other than tab and line ends: high for binary data."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)
