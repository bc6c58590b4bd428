"""Author lists and affiliations as article pages (not reference lists) print them.

Pages print ``Ruili Long 1, Shuanglin Wang 2``, ``Anna K. Petrova,1 Jun Li,2 and Maria Rossi1,2``,
``Authors: Ivanov I. I., Petrova A. S.`` (in any script) or ``Smith, J., Jones, K.``; affiliations follow as
``1 Department of ...``. Superscript markers link the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exokg.model import Author
from exokg.sources.normalise import squash

_MARKER_CHARS = r"\d*†‡§¶#"
_LEADING_MARKERS = re.compile(rf"^[\s{_MARKER_CHARS},]+")
# Markers after a name: glued or spaced digits and symbols (Rossi1,2 / Long 1 / Smith*), or the
# single lower-case letters some publishers use (Lai a, b).
_TRAILING_MARKERS = re.compile(rf"(?:[\s,]+(?:[a-z]|\d+|[{_MARKER_CHARS}]+)(?=[\s,]|$))+[\s,]*$|[\s{_MARKER_CHARS},]+$")
_CONNECTOR = re.compile(r"\s+(?:and|&|и|та)\s+|;")
_ET_AL = re.compile(r"[,\s]*(?:et\.?\s*al\b\.?|and others|и\s+др\b\.?|та\s+ін\b\.?)\s*\.?\s*$")
# fmt: off
_PARTICLES = frozenset([
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "le", "la", "ter", "ten",
    "al", "el", "bin", "ibn", "y",
])
# fmt: on
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'\u2019\-]*\.?|(?:[^\W\d_]\.-?)+)$")
_INITIALS_ONLY = re.compile(r"^(?:[^\W\d_]\.?\s?-?){1,4}$")
_MAX_NAME_WORDS = 6

_AFFILIATION_WORDS = re.compile(
    r"universit|\bdepartment|\bdept\b|\binstitut|\bhospital|\bcollege\b|\bschool\b|\bcent(?:er|re)\b"
    r"|\blaborator(?:y|ies)\b|\bfacult(?:y|ad|é)\b|\bacademy\b|\bclinics?\b|\bfoundation\b|\bministry\b"
    r"|\binc\b|\bltd\b|\bgmbh\b|\bcorporation\b|\bdivision\b"
    r"|университет|институт|кафедр|больниц|центр|лаборатор|академи|факультет|клиник|університет|інститут",
    re.IGNORECASE,
)
_AFFILIATION_MARKER = re.compile(r"^\s*(?:\(?(\d{1,3}|[a-z])\)|(\d{1,3})\.?|([a-z]|[*†‡§¶#]))\s*(?=\S)")
# Site filler: phrases that may run on ("Soon will be listed here."), and short ones that must not
# ("N/A" is filler, "Nanomedicine Institute" is not).
_PLACEHOLDER_PHRASE = re.compile(
    r"^(?:soon will be listed|will be listed|to be listed|coming soon|not (?:yet )?(?:available|listed)"
    r"|no (?:authors?|affiliations?) (?:available|listed|found))\b",
    re.IGNORECASE,
)
_PLACEHOLDER_WORD = re.compile(r"^(?:n/?a|none|unknown|not specified|tba|tbd|-+|—)$", re.IGNORECASE)


@dataclass(frozen=True)
class ListedName:
    """A name as printed and the superscript markers printed with it."""

    name: str
    markers: tuple[str, ...]


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is a site's "nothing here yet" filler rather than data."""
    text = squash(text).rstrip(".")
    return bool(_PLACEHOLDER_PHRASE.match(text) or _PLACEHOLDER_WORD.match(text))


def looks_like_name(text: str) -> bool:
    """A person's name: 2-6 words, capitalised (particles and initials allowed), no digits."""
    tokens = text.split()
    if not 2 <= len(tokens) <= _MAX_NAME_WORDS or not tokens[0][0].isupper():
        return False
    for token in tokens:
        if token.casefold() in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(token) or not token[0].isupper():
            return False
    return True


def _markers(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+|\b[a-z]\b|[*†‡§¶#]", text))


def parse_author_line(line: str) -> tuple[list[ListedName], bool] | None:
    """``(names, complete)`` when ``line`` is a list of people's names, else ``None``."""
    text = re.sub(r"^(?:by|authors?:)\s+", "", squash(line), flags=re.IGNORECASE)
    if not text or len(text) > 3000:
        return None
    complete = True
    et_al = _ET_AL.search(text)
    if et_al:
        text, complete = text[: et_al.start()], False
    had_markers = bool(re.search(r"[^\W\d_]\s?\d|[†‡§¶*]", text))
    names: list[ListedName] = []
    for piece in _CONNECTOR.sub(",", text).split(","):
        leading = _LEADING_MARKERS.match(piece)
        if leading and names:
            # "Petrova,1 Jun Li": the 1 belongs to Petrova.
            previous = names[-1]
            names[-1] = ListedName(previous.name, previous.markers + _markers(leading.group()))
        body = _LEADING_MARKERS.sub("", piece)
        trailing = _TRAILING_MARKERS.search(body)
        markers = _markers(trailing.group()) if trailing else ()
        name = _TRAILING_MARKERS.sub("", body).strip()
        if not name:
            continue
        if not looks_like_name(name):
            return None
        names.append(ListedName(name, markers))
    if not names or (len(names) == 1 and complete and not had_markers):
        return None
    return names, complete


def split_author_field(value: str) -> tuple[list[str], bool]:
    """The value of an ``Authors:`` field as names: ``(names, complete)``.

    Handles ``;`` or ``,`` separated lists, ``and``, ``et al.`` and the inverted ``Smith, J., Jones, K.``.
    """
    text = squash(value)
    complete = True
    et_al = _ET_AL.search(text)
    if et_al:
        text, complete = text[: et_al.start()], False
    separator = ";" if ";" in text else ","
    pieces = [p.strip() for p in re.split(rf"{separator}|\s+(?:and|&|и|та)\s+", text)]
    pieces = [_TRAILING_MARKERS.sub("", _LEADING_MARKERS.sub("", p)).strip() for p in pieces]
    pieces = [p for p in pieces if p]
    inverted = (
        separator == ","
        and len(pieces) >= 2
        and len(pieces) % 2 == 0
        and all(_INITIALS_ONLY.match(p) for p in pieces[1::2])
        and not any(_INITIALS_ONLY.match(p) for p in pieces[0::2])
    )
    if inverted:
        pieces = [f"{surname}, {initials}" for surname, initials in zip(pieces[0::2], pieces[1::2], strict=True)]
    return pieces, complete


def split_affiliation(line: str) -> tuple[str | None, str]:
    """``("1", "Department of ...")`` from ``1 Department of ...``; ``(None, line)`` when unmarked."""
    text = squash(line)
    match = _AFFILIATION_MARKER.match(text)
    if match and len(text) > match.end():
        marker = next(group for group in match.groups() if group)
        rest = text[match.end() :]
        # A bare lower-case letter is a marker only before a capitalised word ("a Department").
        if not marker.isalpha() or rest[:1].isupper():
            return marker, rest
    return None, text


def looks_like_affiliation(text: str) -> bool:
    """An institution's address: names a kind of institution, has address parts, is not filler."""
    return (
        not is_placeholder(text) and bool(_AFFILIATION_WORDS.search(text)) and ("," in text or len(text.split()) <= 8)
    )


def attach_affiliations(names: list[ListedName], affiliations: dict[str, str]) -> tuple[Author, ...]:
    """Authors with the affiliations their markers point to (markers without a match are dropped)."""
    return tuple(
        Author(
            name=listed.name,
            affiliations=tuple(dict.fromkeys(affiliations[m] for m in listed.markers if m in affiliations)),
        )
        for listed in names
    )
