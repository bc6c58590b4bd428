"""Words with their offsets, and the normal forms that labels and cues are matched on.

A token is a run of letters/digits (an apostrophe inside a word is kept: ``Alzheimer's``) or one
punctuation character. A hyphen or slash written between two words without spaces (``MSC-derived``,
``stem/stromal``) is not a token: it is remembered as the *joiner* of the following word, so labels match
with or without it, while the cue matcher still sees ``msc-derived`` as one written unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|\S")
_JOINERS = {"-", "/", "\u2010", "\u2011", "\u2013"}
_IRREGULAR = {"mice": "mouse", "media": "medium", "data": "data", "criteria": "criterion", "feet": "foot",
              "teeth": "tooth", "children": "child", "women": "woman", "men": "man", "bodies": "body",
              "analyses": "analysis", "stroma": "stroma"}


@dataclass(frozen=True)
class Token:
    """One word or punctuation mark; ``start``/``end`` index the field the sentence came from."""

    index: int
    text: str
    start: int
    end: int
    joiner: str  # what precedes it: "" (sentence start or glued punctuation), " ", "-" or "/"

    @property
    def lower(self) -> str:
        return self.text.lower().replace("\u2019", "'")

    @property
    def norm(self) -> str:
        return normal_form(self.text)

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def singular(word: str) -> str:
    """A regular English plural folded to its singular (``injuries`` -> ``injury``); other words unchanged."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ys", "'s")) or len(word) < 3 or not word[-2].isalpha():
        return word
    return word[:-1] if word.endswith("s") else word


def normal_form(text: str) -> str:
    """Lower case, curly apostrophe straightened, possessive ``'s`` dropped, regular plural folded."""
    word = text.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return singular(word)


def is_acronym(label_word: str) -> bool:
    """Whether a label word must match with its casing: it has two or more capitals (``MSC``, ``sEV``)."""
    return sum(1 for ch in label_word if ch.isupper()) >= 2


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """The tokens of ``text``; offsets are shifted by ``offset`` (the sentence's start in its field)."""
    raw = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    tokens: list[Token] = []
    pending = ""
    for i, (word, start, end) in enumerate(raw):
        glued_left = i > 0 and raw[i - 1][2] == start
        glued_right = i + 1 < len(raw) and raw[i + 1][1] == end
        if word in _JOINERS and glued_left and glued_right and tokens and tokens[-1].is_word \
                and raw[i + 1][0][0].isalnum():
            pending = "/" if word == "/" else "-"
            continue
        if pending:
            joiner, pending = pending, ""
        elif not tokens:
            joiner = ""
        else:
            joiner = "" if glued_left and not word[0].isalnum() else " "
        tokens.append(Token(len(tokens), word, start + offset, end + offset, joiner))
    return tokens


class CueText:
    """The lower-cased tokens of a sentence as one string, for regular-expression cue lists.

    Words are separated by one space, or by their joiner (``-`` or ``/``), so a pattern anchored with
    ``(?<![\\w-])`` never starts inside a hyphenated word. ``span`` maps a match back to token indices.
    """

    def __init__(self, tokens: list[Token]) -> None:
        parts: list[str] = []
        self.starts: list[int] = []
        position = 0
        for token in tokens:
            sep = "" if not parts else (token.joiner if token.joiner in ("-", "/") else " ")
            parts.append(sep)
            position += len(sep)
            self.starts.append(position)
            parts.append(token.lower)
            position += len(token.lower)
        self.text = "".join(parts)
        self.tokens = tokens

    def token_at(self, char: int) -> int:
        """The index of the token that contains (or first follows) character ``char``."""
        lo, hi = 0, len(self.starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.starts[mid] <= char:
                lo = mid + 1
            else:
                hi = mid
        return max(lo - 1, 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Token indices ``[first, last)`` covered by the characters ``[start, end)``."""
        return self.token_at(start), self.token_at(max(end - 1, start)) + 1

    def finditer(self, pattern: re.Pattern[str]) -> list[tuple[int, int, re.Match[str]]]:
        return [(*self.span(m.start(), m.end()), m) for m in pattern.finditer(self.text) if m.end() > m.start()]


def word_set(text: str) -> frozenset[str]:
    """A closed word list written as a block of whitespace-separated words."""
    return frozenset(text.split())


_NOT_KEY = re.compile(r"[^a-z0-9]+")


def term_key(words: str) -> str:
    """The key of a term minted from words of the text: ``Functional stability`` -> ``functional-stability``."""
    return _NOT_KEY.sub("-", words.lower()).strip("-")
