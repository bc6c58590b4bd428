"""Curated claims: a project file that adds claims the extractor missed, rejects wrong ones, corrects concepts.

Every entry names the article (its source file name, or ``doi:…``/``pmid:…``/``pmcid:…``) and the exact
evidence text. An entry whose evidence is not verbatim in that article's title or abstract is refused,
with the file, the entry and the nearest sentence, and nothing is built from the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from exokg.claims.tokens import term_key
from exokg.errors import InputError
from exokg.model import HEDGE_LEVELS, RELATIONS, Article, Assertion, ConceptRef

ACTIONS = ("add", "reject", "correct")
_FIELDS = {"action", "article", "evidence", "subject", "relation", "object", "negated", "hedge", "set", "note"}
_SETTABLE = {"subject", "relation", "object", "negated", "hedge"}


class CurationError(InputError):
    """The curated claims file has entries that cannot be applied."""


@dataclass(frozen=True)
class CurationEntry:
    number: int
    action: str
    article: str
    evidence: str
    subject: str
    relation: str
    object: str
    negated: bool
    hedge: str
    changes: Mapping[str, Any]
    note: str | None


def load_curation(path: Path) -> tuple[CurationEntry, ...]:
    """The entries of the curation file, checked for form; no file means no entries."""
    if not path.is_file():
        return ()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CurationError(f"{path}: cannot read the curated claims: {exc}") from exc
    if not isinstance(raw, list):
        raise CurationError(f"{path}: expected a list of entries (each starting with '- action: …')")
    problems: list[str] = []
    entries = []
    for number, item in enumerate(raw, start=1):
        where = f"{path}: entry {number}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping with action, article, evidence, subject, relation, object")
            continue
        unknown = sorted(set(item) - _FIELDS)
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
        action = item.get("action")
        if action not in ACTIONS:
            problems.append(f"{where}: action must be one of {', '.join(ACTIONS)}, got {action!r}")
        for key in ("article", "evidence", "subject", "relation", "object"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.append(f"{where}: '{key}' is required and must be text")
        changes = item.get("set") or {}
        if action == "correct" and (not isinstance(changes, dict) or not changes or set(changes) - _SETTABLE):
            problems.append(f"{where}: a correction needs 'set:' with some of {', '.join(sorted(_SETTABLE))}")
        for relation in (item.get("relation"), changes.get("relation") if isinstance(changes, dict) else None):
            if relation is not None and relation not in RELATIONS:
                problems.append(f"{where}: relation must be one of {', '.join(RELATIONS)}, got {relation!r}")
        hedge = item.get("hedge", "asserted")
        if hedge not in HEDGE_LEVELS:
            problems.append(f"{where}: hedge must be one of {', '.join(HEDGE_LEVELS)}, got {hedge!r}")
        if problems and problems[-1].startswith(where):
            continue
        entries.append(CurationEntry(
            number, str(action), item["article"].strip(), item["evidence"], item["subject"].strip(),
            item["relation"], item["object"].strip(), bool(item.get("negated", False)), hedge,
            changes if isinstance(changes, dict) else {}, item.get("note")))
    if problems:
        raise CurationError("the curated claims file has errors:\n  " + "\n  ".join(problems))
    return tuple(entries)


def apply_curation(
    path: Path,
    entries: Sequence[CurationEntry],
    articles: Sequence[Article],
    extracted: Mapping[str, Sequence[Assertion]],
    concepts: Mapping[str, str],
    aliases: Mapping[str, str] | None = None,
) -> tuple[dict[str, tuple[Assertion, ...]], list[str]]:
    """The assertions per source file after curation, and warnings (e.g. a reject that matches nothing).

    ``concepts`` maps the keys of the concept scheme to their labels; a key ``term:words`` names a
    term found in the text instead.
    """
    by_name = {a.source.key: a for a in articles}
    # A record merged into another article's (same DOI/PMID) is found under its own file name too.
    for alias, name in (aliases or {}).items():
        if name in by_name:
            by_name.setdefault(alias, by_name[name])
    for a in articles:
        for scheme, value in (("doi", a.doi), ("pmid", a.pmid), ("pmcid", a.pmcid)):
            if value:
                by_name.setdefault(f"{scheme}:{value.lower() if scheme == 'doi' else value}", a)
    result = {name: list(found) for name, found in extracted.items()}
    problems: list[str] = []
    warnings: list[str] = []
    for entry in entries:
        where = f"{path}: entry {entry.number} ({entry.action})"
        article = by_name.get(entry.article.lower() if entry.article.lower().startswith("doi:") else entry.article)
        if article is None:
            problems.append(f"{where}: no article {entry.article!r} in the corpus (give its file name or doi:/pmid:)")
            continue
        located = _locate(article, entry.evidence)
        if located is None:
            nearest = _nearest(article, entry.evidence)
            problems.append(f"{where}: the evidence is not verbatim in {article.source.key}; nearest sentence: "
                            f"{nearest!r}")
            continue
        section, start = located
        try:
            subject, obj = _concept(entry.subject, concepts), _concept(entry.object, concepts)
        except KeyError as exc:
            problems.append(f"{where}: {exc.args[0]}")
            continue
        own = result.setdefault(article.source.key, [])
        if entry.action == "add":
            own.append(Assertion(subject, entry.relation, obj, entry.negated, entry.hedge, (), entry.evidence,
                                 start, start + len(entry.evidence), section, "article", (), "curated"))
            continue
        matches = [i for i, a in enumerate(own) if _same(a, entry, subject, obj)]
        if not matches:
            warnings.append(f"{where}: no extracted claim ({entry.subject} {entry.relation} {entry.object}) in that "
                            f"sentence; nothing to {entry.action}")
            continue
        if entry.action == "reject":
            own[:] = [a for i, a in enumerate(own) if i not in matches]
            continue
        try:
            changed = _changes(entry.changes, concepts)
        except KeyError as exc:
            problems.append(f"{where}: {exc.args[0]}")
            continue
        for i in matches:
            own[i] = replace(own[i], method=f"{own[i].method}; corrected by curation", **changed)
    if problems:
        raise CurationError("curated claims refused:\n  " + "\n  ".join(problems))
    return {name: tuple(found) for name, found in result.items()}, warnings


def _concept(key: str, concepts: Mapping[str, str]) -> ConceptRef:
    if key.startswith("term:"):
        words = key[len("term:"):].strip()
        return ConceptRef(term_key(words), words, words, curated=False)
    if key not in concepts:
        raise KeyError(f"no concept {key!r} in the concept scheme (or write term:<words> for a term of the text)")
    return ConceptRef(key, concepts[key], concepts[key])


def _changes(changes: Mapping[str, Any], concepts: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("subject", "object"):
            out[key] = _concept(str(value), concepts)
        elif key == "hedge":
            out["hedge_level"] = value
        elif key == "negated":
            out["negated"] = bool(value)
        else:
            out[key] = value
    return out


def _same(a: Assertion, entry: CurationEntry, subject: ConceptRef, obj: ConceptRef) -> bool:
    return (entry.evidence in a.evidence or a.evidence in entry.evidence) and (
        a.subject.key, a.relation, a.object.key) == (subject.key, entry.relation, obj.key)


def _locate(article: Article, evidence: str) -> tuple[str, int] | None:
    for section, text in (("title", article.title), ("abstract", article.abstract)):
        if text and evidence and evidence in text:
            return section, text.index(evidence)
    return None


def _nearest(article: Article, evidence: str) -> str:
    text = " ".join(t for t in (article.title, article.abstract) if t)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    found = difflib.get_close_matches(evidence, sentences, n=1, cutoff=0.0)
    return found[0] if found else "(the article has no title or abstract)"
