"""Words with their offsets, and the normal forms that labels and cues are matched on.

A token is a run of letters/digits (an apostrophe inside a word is kept: ``Alzheimer's``) or one
punctuation character. A hyphen or slash written between two words without spaces (``MSC-derived``,
``stem/stromal``) is not a token: it is remembered as the *joiner* of the following word, so labels match
with or without it, while the cue matcher still sees ``msc-derived`` as one written unit.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

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

    # Derived once, when the token is made: the recogniser and the cue matchers read them again at every window
    # and rule. Not compared, so tokens equal as before.
    lower: str = field(init=False, repr=False, compare=False)  # lower case, curly apostrophe straightened
    norm: str = field(init=False, repr=False, compare=False)  # ``normal_form`` of the text
    is_word: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = self.text
        object.__setattr__(self, "lower", text.lower().replace("\u2019", "'"))
        object.__setattr__(self, "norm", normal_form(text))
        object.__setattr__(self, "is_word", text[0].isalnum())


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


@lru_cache(maxsize=65536)  # a corpus repeats a small vocabulary; the fold is a pure function of the word
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
        self._words: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:
        """Every run of word characters that starts anywhere in the text and runs to the end of its word: a
        pattern whose :func:`leading_words` are none of these matches nowhere in it."""
        if self._words is None:
            self._words = frozenset(run[k:] for run in _WORD_RUN.findall(self.text) for k in range(len(run)))
        return self._words

    def token_at(self, char: int) -> int:
        """The index of the token that contains (or first follows) character ``char``."""
        return max(bisect_right(self.starts, char) - 1, 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Token indices ``[first, last)`` covered by the characters ``[start, end)``."""
        return self.token_at(start), self.token_at(max(end - 1, start)) + 1

    def finditer(self, pattern: re.Pattern[str]) -> list[tuple[int, int, re.Match[str]]]:
        """The non-empty matches of ``pattern``, as ``(first, last, match)`` with token indices.

        The cue lists run dozens of patterns over every sentence, so this finds what :meth:`finditer_plain`
        finds with two shortcuts (:func:`shortcuts`): a pattern none of whose leading words the sentence has
        is not run, and a pattern that starts with the look-behind ``(?<![\\w-])``, which keeps the regular
        expression engine from skipping ahead to the characters a match can start with, is searched for
        without it, each place found then tried with the pattern itself, left to right.
        """
        known = _SHORTCUTS.get(id(pattern))  # shortcuts(pattern), without the call: this runs a million times
        fast = known[1] if known is not None and known[0] is pattern else shortcuts(pattern)
        if fast.leading is not None and fast.leading.isdisjoint(self._words if self._words is not None else self.words):
            return []
        if fast.candidates is None:
            return self.finditer_plain(pattern)
        text = self.text
        found: list[tuple[int, int, re.Match[str]]] = []
        pos = 0
        while (candidate := fast.candidates.search(text, pos)) is not None:
            start = candidate.start()
            match = pattern.match(text, start)
            if match is None:
                pos = start + 1
            elif match.end() == start:  # an empty match: leave finditer's rules for stepping past it to finditer
                return self.finditer_plain(pattern)
            else:
                found.append((*self.span(start, match.end()), match))
                pos = match.end()
        return found

    def finditer_plain(self, pattern: re.Pattern[str]) -> list[tuple[int, int, re.Match[str]]]:
        """:meth:`finditer` without its shortcuts."""
        return [(*self.span(m.start(), m.end()), m) for m in pattern.finditer(self.text) if m.end() > m.start()]


@dataclass(frozen=True)
class Shortcuts:
    """What :meth:`CueText.finditer` may skip for a pattern."""

    candidates: re.Pattern[str] | None  # matches wherever the pattern does: the pattern without its look-behind
    leading: frozenset[str] | None  # the words its matches can begin with (:func:`leading_words`)


_LOOK_BEHIND = r"(?<![\w-])"
# By the pattern's id, which it keeps while it is held here: a pattern's own hash digests its whole program.
_SHORTCUTS: dict[int, tuple[re.Pattern[str], Shortcuts]] = {}
_MAX_SHORTCUTS = 1024  # patterns are module constants; a caller compiling patterns anew is not remembered


def shortcuts(pattern: re.Pattern[str]) -> Shortcuts:
    """The shortcuts of ``pattern``, worked out at its first use."""
    known = _SHORTCUTS.get(id(pattern))
    if known is not None and known[0] is pattern:
        return known[1]
    found = Shortcuts(_candidates(pattern), leading_words(pattern))
    if len(_SHORTCUTS) < _MAX_SHORTCUTS:
        _SHORTCUTS[id(pattern)] = (pattern, found)
    return found


def _candidates(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    # Without a leading zero-width condition a pattern matches at least wherever it matched; a quantifier
    # after the look-behind would change what the rest means.
    text = pattern.pattern
    if not text.startswith(_LOOK_BEHIND) or text[len(_LOOK_BEHIND):][:1] in ("*", "+", "?", "{"):
        return None
    try:
        return re.compile(text[len(_LOOK_BEHIND):], pattern.flags)
    except re.error:
        return None


_WORD_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_MAX_LEADING = 4096


class _Unknown(Exception):
    """A construct :func:`leading_words` does not follow."""


def leading_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Every word a match of ``pattern`` can begin with, or ``None`` when the pattern does not say.

    The word is the match's leading run of word characters, which the pattern must close itself (a
    non-word character, or a look-ahead for one): then the text's own run of word characters at the
    match is that word, and a text none of whose :attr:`CueText.words` is one has no match. The cue lists
    run dozens of patterns over every sentence, most of which name none of their verbs.

    The words are read from the pattern's parse (the standard library's ``re._parser``, which is not a
    public interface): any construct this reading does not follow, or no parser, gives ``None``, which
    only means the pattern is always run.
    """
    if pattern.flags & (re.IGNORECASE | re.ASCII):  # case variants; a word that ends sooner than the text's
        return None
    try:
        parser, constants = importlib.import_module("re._parser"), importlib.import_module("re._constants")
        states = _walk(list(parser.parse(pattern.pattern, pattern.flags)), {("", False)}, constants)
    except (ImportError, AttributeError, TypeError, ValueError, re.error, _Unknown):
        return None
    if any(not closed or not word for word, closed in states):
        return None
    return frozenset(word for word, _ in states)


def _walk(items: list[tuple[Any, Any]], states: set[tuple[str, bool]], c: Any) -> set[tuple[str, bool]]:
    """The (leading word so far, closed) states after matching ``items`` from each of ``states``."""
    for op, av in items:
        if all(closed for _, closed in states):
            return states
        if op is c.LITERAL:
            states = _step(states, {chr(av)})
        elif op is c.IN:
            states = _step(states, _chars(av, c))
        elif op is c.SUBPATTERN:
            if av[1] or av[2]:  # flags switched on or off inside the group
                raise _Unknown
            states = _walk(list(av[3]), states, c)
        elif op is c.BRANCH:
            states = set().union(*(_walk(list(alternative), states, c) for alternative in av[1]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
            low, high, sub = av
            if high > 4:
                raise _Unknown
            found: set[tuple[str, bool]] = set()
            for count in range(high + 1):
                if count >= low:
                    found |= states
                if count < high:
                    states = _walk(list(sub), states, c)
            states = found
        elif op is c.ASSERT_NOT and av[0] == 1 and _is_word_class(list(av[1]), c):
            states = {(word, True) for word, _ in states}  # (?![\w...]): the word ends here
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # a condition the match must meet: leaving it out only lets more words in
        else:
            raise _Unknown
        if len(states) > _MAX_LEADING:
            raise _Unknown
    return states


def _step(states: set[tuple[str, bool]], chars: set[str]) -> set[tuple[str, bool]]:
    out: set[tuple[str, bool]] = set()
    for word, closed in states:
        if closed:
            out.add((word, True))
            continue
        for char in chars:
            out.add((word + char, False) if _WORD_CHAR.match(char) else (word, True))
    return out


def _chars(items: list[tuple[Any, Any]], c: Any) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < 64:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:
            raise _Unknown
    return chars


def _is_word_class(items: list[tuple[Any, Any]], c: Any) -> bool:
    if len(items) != 1 or items[0][0] is not c.IN:
        return False
    members = items[0][1]
    return all(op is not c.NEGATE for op, _ in members) and any(
        op is c.CATEGORY and av in (c.CATEGORY_WORD, c.CATEGORY_UNI_WORD) for op, av in members)


def word_set(text: str) -> frozenset[str]:
    """A closed word list written as a block of whitespace-separated words."""
    return frozenset(text.split())


_NOT_KEY = re.compile(r"[^a-z0-9]+")


def term_key(words: str) -> str:
    """The key of a term minted from words of the text: ``Functional stability`` -> ``functional-stability``."""
    return _NOT_KEY.sub("-", words.lower()).strip("-")
