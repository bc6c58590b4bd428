"""The query stage: the saved queries of ``queries/*.rq``, run on the store with bound parameters.

Each file starts with a header in the grlc decorator convention (``#+ summary:``, ``#+ description:``,
``#+ tags:``, ``#+ defaults:``), so the same folder can be served by grlc. Parameters are the variables
``?_name`` (required) and ``?__name`` (optional); a suffix gives the type: ``_iri``, ``_integer``,
``_decimal``, ``_boolean``, otherwise a string. Values are bound as RDF terms in a ``VALUES`` block,
never spliced into the query: a value with quotes, braces or newlines stays one term.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from exokg.errors import QueryError

XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM_RE = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9_]*)")
_IRI_RE = re.compile(r"<[^\s<>\"{}|^`\\]*>")
_WORD_RE = re.compile(r"[A-Za-z]+")
_TYPES = {"integer": XSD + "integer", "decimal": XSD + "decimal", "boolean": XSD + "boolean"}


@dataclass(frozen=True)
class Parameter:
    variable: str
    name: str
    kind: str
    required: bool
    default: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...] = field(default=())


@dataclass(frozen=True)
class QueryResult:
    """A SELECT result as plain values: IRIs and literals as strings, numbers as numbers, unbound as None."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def load_queries(queries_dir: Path) -> dict[str, SavedQuery]:
    """Every saved query, by name (file name without ``.rq``), each parsed once."""
    if not queries_dir.is_dir():
        return {}
    return {p.stem: load_query(p) for p in sorted(queries_dir.glob("*.rq"))}


def load_query(path: Path) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query: {exc}") from exc
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[2:].removeprefix(" "))
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: the '#+' header is not valid YAML: {exc}") from exc
    if not isinstance(header, dict) or not header.get("summary"):
        raise QueryError(f"{path}: the header needs at least '#+ summary: …'", "see queries/README.md")
    defaults: dict[str, str] = {}
    for item in header.get("defaults") or []:
        if isinstance(item, dict):
            defaults.update({str(k): str(v) for k, v in item.items()})
    params: dict[str, Parameter] = {}
    for match in _PARAM_RE.finditer(_strip_comments(text)):
        optional, full = match.group(1) == "__", match.group(2)
        name, kind = _name_and_kind(full)
        variable = match.group(1) + full
        params.setdefault(name, Parameter(variable, name, kind, not optional, defaults.get(name)))
    return SavedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        parameters=tuple(sorted(params.values(), key=lambda p: p.name)),
    )


def _name_and_kind(full: str) -> tuple[str, str]:
    for kind in ("iri", *_TYPES):
        if full.endswith("_" + kind):
            return full[: -len(kind) - 1], kind
    return full, "string"


def bind(query: SavedQuery, values: Mapping[str, str]) -> str:
    """The query text with the parameters bound in a ``VALUES`` block at the top of its WHERE group."""
    unknown = sorted(set(values) - {p.name for p in query.parameters})
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise QueryError(f"query '{query.name}' has no parameter {', '.join(unknown)} (parameters: {known})")
    names, terms = [], []
    for p in query.parameters:
        value = values.get(p.name, p.default)
        if value is None:
            if p.required:
                raise QueryError(f"query '{query.name}' needs --param {p.name}=VALUE ({p.kind})")
            continue
        names.append("?" + p.variable)
        terms.append(str(_term(query.name, p, value)))
    if not names:
        return query.text
    block = f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"
    at = _where_brace(query.text)
    return query.text[: at + 1] + "\n" + block + query.text[at + 1 :]


def _term(query: str, p: Parameter, value: str) -> NamedNode | Literal:
    try:
        if p.kind == "iri":
            return NamedNode(value)
        if p.kind in _TYPES:
            literal = Literal(value, datatype=NamedNode(_TYPES[p.kind]))
            if p.kind == "integer" and not re.fullmatch(r"[+-]?\d+", value):
                raise ValueError("not an integer")
            return literal
        return Literal(value)
    except ValueError as exc:
        raise QueryError(f"query '{query}': parameter {p.name} must be {p.kind}, got {value!r} ({exc})") from exc


def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (skipping strings, IRIs and comments).

    ``WHERE`` is optional in SPARQL: without it the group is the first top-level one, or the second
    in a CONSTRUCT query, whose first group is the template.
    """
    depth, form, opens = 0, "", []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if c in "\"'":
            i = _skip_string(text, i, text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c)
            continue
        iri = _IRI_RE.match(text, i) if c == "<" else None
        if iri:
            i = iri.end()
            continue
        word = _WORD_RE.match(text, i) if c.isalpha() and (i == 0 or not text[i - 1].isalnum()) else None
        if word:
            keyword = word.group(0).upper()
            if not form and keyword in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = keyword
            i = word.end()
            continue
        if c == "{":
            if depth == 0:
                if text[:i].rstrip().upper().endswith("WHERE"):
                    return i
                opens.append(i)
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    wanted = 1 if form == "CONSTRUCT" else 0
    if len(opens) <= wanted:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return opens[wanted]


def _skip_string(text: str, i: int, quote: str) -> int:
    i += len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(quote, i):
            return i + len(quote)
        i += 1
    return i


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def run(store: Store, query: SavedQuery, values: Mapping[str, str] | None = None) -> QueryResult:
    """Run a saved SELECT query with its parameters bound."""
    text = bind(query, values or {})
    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"{query.path}: the query is not valid SPARQL: {exc}") from exc
    if not isinstance(solutions, QuerySolutions):
        raise QueryError(f"{query.path}: only SELECT queries can be printed as rows")
    variables = tuple(v.value for v in solutions.variables)
    rows = tuple(tuple(_plain(row[v]) for v in variables) for row in solutions)
    return QueryResult(variables, rows)


def _plain(term: object) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = term.datatype.value
        if datatype in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(term.value)
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return getattr(term, "value", str(term))


def format_result(result: QueryResult, fmt: str) -> str:
    """The rows as ``table``, ``csv``, ``tsv`` or ``json`` (SPARQL 1.1 JSON results, values as strings)."""
    if fmt == "json":
        bindings = [
            {v: {"type": "literal", "value": _text(x)} for v, x in zip(result.variables, row, strict=True)
             if x is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([[_text(x) for x in row] for row in result.rows])
        return buffer.getvalue()
    if fmt == "table":
        cells = [list(result.variables)] + [[_text(x) for x in row] for row in result.rows]
        widths = [min(60, max(len(r[i]) for r in cells)) for i in range(len(result.variables))]
        lines = [" | ".join(c[:60].ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"
    raise QueryError(f"unknown output format {fmt!r} (table, csv, tsv, json)")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
