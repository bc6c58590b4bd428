"""The query stage: the saved queries of ``queries/*.rq``, run with bound parameters, and their results.

Each file starts with a header in the grlc decorator convention (``#+ summary:``, ``#+ description:``,
``#+ tags:``, ``#+ defaults:``, ``#+ enumerate:``), so the same folder can be served by grlc unchanged.
Parameters follow grlc's names too: ``?_name`` (required) and ``?__name`` (optional), then an optional
type: ``_iri``, ``_number``, ``_string``/``_literal``, an XSD datatype (``_integer``, ``_date`` …), a
two-letter language (``_en``) or ``_prefix_local`` for a datatype ``prefix:local``. As in grlc, a name
has no ``_`` in it (``?_min_citing_integer`` would be the parameter ``min`` typed ``citing:integer``).

Values are bound as RDF terms in a ``VALUES`` block at the top of the WHERE group, and of every
sub-SELECT's group that mentions them, never spliced into the query: a value with quotes, braces or
newlines stays one term. The same bound text runs on the
embedded store and on a SPARQL 1.1 server (:mod:`exokg.remote`), so both give the same rows.

Results keep each term's kind (IRI, literal with its datatype or language, blank node), so the SPARQL
JSON and XML results are exact; the table and CSV show plain values.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import yaml
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Store, Triple

from exokg.errors import QueryError
from exokg.graph import store as rdf

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Output formats by query form; the first is the default.
FORMATS: dict[str, tuple[str, ...]] = {
    "SELECT": ("table", "csv", "tsv", "json", "xml"),
    "ASK": ("table", "json", "xml"),
    "CONSTRUCT": ("ttl", "jsonld", "nt"),
    "DESCRIBE": ("ttl", "jsonld", "nt"),
}
LIST_FORMATS = ("table", "json")
ALL_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "jsonld", "nt")

# The XSD datatypes a parameter suffix can name; anything else of two letters is a language.
_XSD_TYPES = frozenset((
    "string", "boolean", "decimal", "integer", "double", "float", "date", "time", "dateTime", "dateTimeStamp",
    "duration", "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay",
    "anyURI", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "hexBinary",
    "base64Binary", "normalizedString", "token", "language",
))
_INTEGER_TYPES = frozenset(XSD + t for t in (
    "integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_TIMEZONE = r"(Z|[+-]\d{2}:\d{2})?"
_INTEGER = r"[+-]?\d+"
_DECIMAL = r"[+-]?(\d+(\.\d*)?|\.\d+)"
_DOUBLE = r"(INF|[+-]INF|NaN|[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)"
# Lexical forms checked for the datatypes people type on a command line; other datatypes take any text.
_LEXICAL = {
    **{t: re.compile(_INTEGER) for t in _INTEGER_TYPES},
    XSD + "decimal": re.compile(_DECIMAL),
    XSD + "double": re.compile(_DOUBLE),
    XSD + "float": re.compile(_DOUBLE),
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}" + _TIMEZONE),
    XSD + "dateTime": re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?" + _TIMEZONE),
    XSD + "gYear": re.compile(r"-?\d{4,}" + _TIMEZONE),
    XSD + "gYearMonth": re.compile(r"-?\d{4,}-\d{2}" + _TIMEZONE),
}
# Turtle's short forms, which the SPARQL TSV results format may use for these datatypes.
_SHORT_FORMS = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}
# grlc's own reading of a parameter variable (after the "?"): required/optional, name, type, user type.
_GRLC_PARAM = re.compile(r"(?P<required>_{1,2})(?P<name>[^_]+)_?(?P<type>[a-zA-Z0-9]+)?_?(?P<user>[a-zA-Z0-9]+)?.*$")
_VARNAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D"
                      r"\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]+")
_IRI_RE = re.compile(r"<[^\s<>\"{}|^`\\]*>")
_IRI_VALUE = re.compile(r"[^\x00-\x20<>\"{}|^`\\]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_WORD_RE = re.compile(r"[A-Za-z]+")
# A prefixed name (``exo:Article``, ``ask:x``, ``:local``): never a keyword, whatever its parts spell.
_PNAME_RE = re.compile(r"[A-Za-z][\w.-]*:[\w.%:-]*|:[\w.%:-]*")
# Many servers expand \u escapes in the whole query text before parsing it, so no quoting can keep one.
_UNICODE_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
_PREFIX_RE = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Parameter:
    """One ``?_name`` of a saved query: its type, whether it must be given, its default and allowed values."""

    variable: str  # as written, without the "?": "_concept_iri"
    name: str
    kind: str  # shown to people: "iri", "string", "number", "integer", "string@en", "ex:code" …
    required: bool
    default: str | None = None
    datatype: str | None = None  # the full IRI of a typed literal's datatype
    language: str | None = None
    values: tuple[str, ...] = ()  # the header's ``enumerate`` list: the only values allowed, when given

    def term(self, value: str, query: str = "") -> NamedNode | Literal:
        """The value as the RDF term this parameter takes, or a :class:`QueryError` saying what was expected."""
        where = f"query '{query}': " if query else ""
        if self.values and value not in self.values:
            raise QueryError(f"{where}parameter {self.name} must be one of {', '.join(self.values)}; got {value!r}")
        problem = _term_problem(self, value)
        if problem:
            raise QueryError(f"{where}parameter {self.name} must be {self.kind}, got {value!r} ({problem})")
        if self.kind == "iri":
            return NamedNode(value)
        if self.kind == "number":
            number = "integer" if re.fullmatch(_INTEGER, value) else "decimal" if re.fullmatch(_DECIMAL, value) \
                else "double"
            return Literal(value, datatype=NamedNode(XSD + number))
        if self.language:
            return Literal(value, language=self.language)
        if self.datatype:
            return Literal(value, datatype=NamedNode(self.datatype))
        return Literal(value)


def _term_problem(p: Parameter, value: str) -> str | None:
    if p.kind == "iri":
        if not _IRI_VALUE.fullmatch(value) or not _SCHEME.match(value):
            return "an absolute IRI, without spaces, quotes, braces or angle brackets"
        try:
            NamedNode(value)
        except ValueError as exc:
            return str(exc)
        return None
    if p.kind == "number":
        return None if re.fullmatch(_DOUBLE, value) else "not a number"
    if _UNICODE_ESCAPE.search(value):
        return "a \\u escape, which SPARQL servers expand before reading the query: write the character itself"
    pattern = _LEXICAL.get(p.datatype or "")
    if pattern is not None and not pattern.fullmatch(value):
        return f"not a valid xsd:{(p.datatype or '').removeprefix(XSD)}"
    return None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...] = field(default=())
    form: str = "SELECT"


Term = NamedNode | Literal | BlankNode


@dataclass(frozen=True)
class QueryResult:
    """What a query gave: rows of RDF terms (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    ``terms`` keeps every term as the store gave it (``None`` where a variable is unbound); ``rows`` is the
    same table as plain values — IRIs and literals as strings, numbers as numbers, booleans as booleans.
    """

    variables: tuple[str, ...]
    terms: tuple[tuple[Term | None, ...], ...] = ()
    form: str = "SELECT"
    boolean: bool | None = None
    triples: tuple[Triple, ...] = ()

    @cached_property
    def rows(self) -> tuple[tuple[Any, ...], ...]:
        return tuple(tuple(plain(t) for t in row) for row in self.terms)


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
    header = _header(path, text)
    form = query_form(text)
    if form is None:
        raise QueryError(f"{path}: not a SELECT, ASK, CONSTRUCT or DESCRIBE query",
                         "a saved query reads the graph; updates are not run")
    defaults = _named_values(path, header, "defaults")
    enumerate_ = _named_values(path, header, "enumerate")
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_RE.finditer(_code(text))}
    params: dict[str, Parameter] = {}
    for variable in _variables(text):
        match = _GRLC_PARAM.match(variable)
        if not match or match.group("name") in params:
            continue
        name = match.group("name")
        default = defaults.get(name)
        params[name] = _parameter(path, variable, match, prefixes, None if default is None else default[0],
                                  tuple(enumerate_.get(name, ())))
    for key, given in (("defaults", defaults), ("enumerate", enumerate_)):
        unknown = sorted(set(given) - set(params))
        if unknown:
            raise QueryError(f"{path}: '#+ {key}:' names {', '.join(unknown)}, which the query has no parameter for "
                             f"(parameters: {', '.join(sorted(params)) or 'none'})",
                             "parameters are the variables ?_name and ?__name; grlc names have no '_' in them")
    query = SavedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description") or "").strip(),
        tags=_tags(header.get("tags")),
        parameters=tuple(sorted(params.values(), key=lambda p: p.name)),
        form=form,
    )
    for p in query.parameters:
        if p.default is not None:
            try:
                p.term(p.default)
            except QueryError as exc:
                raise QueryError(f"{path}: the default of {exc.message}") from exc
    return query


def _tags(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    return tuple(str(t) for t in raw) if isinstance(raw, list) else (str(raw),)


def _header(path: Path, text: str) -> dict[str, Any]:
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
        raise QueryError(f"{path}: the header needs at least '#+ summary: …'",
                         "see the 'Saved queries' section of README.md")
    return header


def _named_values(path: Path, header: Mapping[str, Any], key: str) -> dict[str, list[str]]:
    """A ``defaults`` or ``enumerate`` header as ``name -> values``, in grlc's list-of-mappings syntax.

    grlc also allows a bare name under ``enumerate`` (values read from the endpoint): that gives no list.
    """
    raw = header.get(key)
    if raw is None:
        return {}
    items = raw if isinstance(raw, list) else [raw]
    found: dict[str, list[str]] = {}
    for item in items:
        if isinstance(item, str) and key == "enumerate":
            found.setdefault(item, [])
            continue
        if not isinstance(item, dict):
            raise QueryError(f"{path}: '#+ {key}:' takes a list of 'name: value' entries, got {item!r}",
                             f"#+ {key}:\n#+   - name: value")
        for name, value in item.items():
            values = value if isinstance(value, list) else [value]
            if key == "defaults" and len(values) != 1:
                raise QueryError(f"{path}: '#+ defaults:' gives {name} {len(values)} values; it takes one")
            found.setdefault(str(name), []).extend(_yaml_text(v) for v in values)
    return found


def _yaml_text(value: object) -> str:
    # YAML reads `true` and `2` as a bool and an int; parameters are always text until they become terms.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parameter(path: Path, variable: str, match: re.Match[str], prefixes: Mapping[str, str],
               default: str | None, values: tuple[str, ...]) -> Parameter:
    name, kind, user = match.group("name"), match.group("type"), match.group("user")
    required = match.group("required") == "_"
    datatype = language = None
    if kind in (None, "string", "literal"):
        shown = "string"
    elif kind in ("iri", "number"):
        shown = kind
    elif kind in _XSD_TYPES:
        shown, datatype = kind, XSD + kind
    elif len(kind) == 2:
        shown, language = f"string@{kind}", kind
    elif user:
        if kind not in prefixes:
            raise QueryError(f"{path}: ?{variable} reads as parameter '{name}' typed {kind}:{user}, but the query "
                             f"declares no prefix {kind}:",
                             "as in grlc, a parameter name has no '_' in it: ?_name_type")
        shown, datatype = f"{kind}:{user}", prefixes[kind] + user
    else:
        shown = "string"  # grlc reads an unknown type as a plain string
    return Parameter(variable, name, shown, required, default, datatype, language, values)


def bind(query: SavedQuery, values: Mapping[str, str]) -> str:
    """The query text with the parameters bound in a ``VALUES`` block at the top of its WHERE group and of
    each sub-SELECT group that mentions them."""
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
        terms.append(sparql_term(p.term(value, query.name)))
    if not names:
        return query.text
    return with_values(query.text, names, [terms])


def with_values(text: str, variables: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The query text with a ``VALUES`` block of ``rows`` (terms in SPARQL syntax, :func:`sparql_term`) for
    ``variables`` (``?name``) at the top of its WHERE group, and of each sub-SELECT group that mentions any of
    them (with those columns only)."""
    # A sub-SELECT sees none of the outer group's bindings, so each one that mentions a variable gets a
    # VALUES block of its own. That is what grlc's substitution of the value into the text means, and it lets
    # the engine start a sub-query from the values instead of evaluating it for every possible one.
    groups = [(_where_brace(text), list(variables))]
    groups += [(at, [v for v in variables if v in inside]) for at, inside in _subselect_groups(text)]
    for at, used in sorted(groups, reverse=True):
        if used:
            columns = [variables.index(v) for v in used]
            kept = dict.fromkeys(tuple(row[c] for c in columns) for row in rows)
            block = f"VALUES ({' '.join(used)}) {{ {' '.join('(' + ' '.join(row) + ')' for row in kept)} }}\n"
            text = text[: at + 1] + "\n" + block + text[at + 1 :]
    return text


def sparql_term(term: NamedNode | Literal) -> str:
    """A term in SPARQL syntax. Only ``\\``, ``"``, CR and LF need escaping in a quoted string; a ``\\`` is
    always doubled, so even a server that expands ``\\u`` escapes before parsing cannot end the string early.
    """
    if isinstance(term, NamedNode):
        if not _IRI_VALUE.fullmatch(term.value):
            raise QueryError(f"cannot write {term.value!r} as an IRI")
        return f"<{term.value}>"
    text = '"' + (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r").replace("\t", "\\t")) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype.value != XSD + "string":
        return f"{text}^^<{term.datatype.value}>"
    return text


def _lex(text: str) -> Iterator[tuple[str, int, str]]:
    """The query's words, variables and braces, with strings, IRIs and comments skipped."""
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
        if c in "?$":
            var = _VARNAME.match(text, i + 1)
            if var:
                yield "var", i, var.group(0)
                i = var.end()
                continue
        pname = _PNAME_RE.match(text, i) if (c.isalpha() or c == ":") and (i == 0 or not _in_name(text[i - 1])) \
            else None
        if pname:
            i = pname.end()
            continue
        word = _WORD_RE.match(text, i) if c.isalpha() and (i == 0 or not _in_name(text[i - 1])) else None
        if word:
            yield "word", i, word.group(0).upper()
            i = word.end()
            continue
        if c in "{}":
            yield c, i, c
        i += 1


def _in_name(c: str) -> bool:
    return c.isalnum() or c in "_-.:"


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first form keyword (``None`` for an update)."""
    for kind, _at, value in _lex(text):
        if kind == "word" and value in FORMS:
            return value
        if kind == "word" and value in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "WITH"):
            return None
    return None


def _variables(text: str) -> list[str]:
    return [value for kind, _at, value in _lex(text) if kind == "var"]


def _code(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (skipping strings, IRIs and comments).

    ``WHERE`` is optional in SPARQL: without it the group is the first top-level one, or the second
    in a CONSTRUCT query, whose first group is the template.
    """
    depth, form, opens, previous = 0, "", [], ""
    for kind, at, value in _lex(text):
        if kind == "word" and not form and value in FORMS:
            form = value
        if kind == "{":
            if depth == 0:
                if previous == "WHERE":
                    return at
                opens.append(at)
            depth += 1
        elif kind == "}":
            depth -= 1
        previous = value
    wanted = 1 if form == "CONSTRUCT" else 0
    if len(opens) <= wanted:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return opens[wanted]


def _subselect_groups(text: str) -> list[tuple[int, set[str]]]:
    """Each sub-SELECT's WHERE group: the index of its ``{`` and the variables written inside it."""
    tokens = list(_lex(text))
    groups = []
    depth, wanted, previous = 0, -1, ""
    for n, (kind, _at, value) in enumerate(tokens):
        if kind == "word" and value == "SELECT" and depth > 0:
            wanted = depth
        elif kind == "{":
            if depth == wanted and previous != "EXISTS":
                groups.append(n)
                wanted = -1
            depth += 1
        elif kind == "}":
            depth -= 1
        previous = value
    found = []
    for n in groups:
        level, inside = 0, set()
        for kind, _at, value in tokens[n:]:
            level += {"{": 1, "}": -1}.get(kind, 0)
            if kind == "var":
                inside.add("?" + value)
            if level == 0:
                break
        found.append((tokens[n][1], inside))
    return found


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


def run(store: Store, query: SavedQuery, values: Mapping[str, str] | None = None) -> QueryResult:
    """Run a saved query on the store with its parameters bound."""
    return execute(store, bind(query, values or {}), str(query.path))


def execute(store: Store, text: str, source: str = "the query") -> QueryResult:
    try:
        answer = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"{source}: the query is not valid SPARQL: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"{source}: the store could not answer: {exc}") from exc
    return materialise(answer)


def materialise(answer: Any) -> QueryResult:
    """A query answer (solutions, a boolean or triples, as pyoxigraph gives them) read whole into a result."""
    if isinstance(answer, QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        terms = tuple(tuple(row[v] for v in variables) for row in answer)
        return QueryResult(variables, terms)
    if isinstance(answer, QueryBoolean | bool):
        return QueryResult((), form="ASK", boolean=bool(answer))
    triples = sorted((Triple(t.subject, t.predicate, t.object) for t in answer),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return QueryResult((), form="CONSTRUCT", triples=tuple(triples))


def plain(term: object) -> Any:
    """A term as a plain value: numbers and booleans as such, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return getattr(term, "value", str(term))


def default_format(form: str) -> str:
    return FORMATS.get(form, FORMATS["SELECT"])[0]


def check_format(form: str, fmt: str) -> None:
    """Refuse, before anything runs, an output format the query's form cannot be written in."""
    allowed = FORMATS.get(form, ())
    if fmt not in allowed:
        article = "an" if form == "ASK" else "a"
        raise QueryError(f"{article} {form} query cannot be printed as {fmt} "
                         f"(formats for {form}: {', '.join(allowed)})")


def format_result(result: QueryResult, fmt: str) -> str:
    """The result as text: ``table``, ``csv``, ``tsv``, ``json``, ``xml`` (SPARQL 1.1 results formats) for
    SELECT and ASK; ``ttl``, ``jsonld`` or ``nt`` for CONSTRUCT and DESCRIBE."""
    check_format(result.form, fmt)
    if result.form == "ASK":
        return {"table": _ask_text, "json": _ask_json, "xml": _ask_xml}[fmt](bool(result.boolean))
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        serialise = {"ttl": rdf.turtle, "jsonld": rdf.jsonld, "nt": rdf.ntriples}[fmt]
        text = serialise(result.triples).decode("utf-8")
        return text if not text or text.endswith("\n") else text + "\n"
    return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[fmt](result)


def _ask_text(value: bool) -> str:
    return "true\n" if value else "false\n"


def _ask_json(value: bool) -> str:
    return json.dumps({"head": {}, "boolean": value}, indent=2) + "\n"


def _ask_xml(value: bool) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{RESULTS_NS}">\n  <head/>\n'
            f"  <boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n")


def _text(term: Term | None) -> str:
    """The CSV (and table) form of a term: IRIs and literals as bare text, blank nodes as ``_:id``."""
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return str(term)
    return str(term.value)


def _table(result: QueryResult) -> str:
    width_limit = 60
    cells = [list(result.variables)] + [[_cell(t, width_limit) for t in row] for row in result.terms]
    widths = [max(len(r[i]) for r in cells) for i in range(len(result.variables))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    lines.append(f"({len(result.terms)} row{'s' if len(result.terms) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell(term: Term | None, limit: int) -> str:
    text = " ".join(_text(term).split())  # one line per row, whatever the literal holds
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _csv(result: QueryResult) -> str:
    # RFC 4180, as the SPARQL 1.1 CSV results format asks: CRLF line ends, quotes only where needed.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([[_text(t) for t in row] for row in result.terms])
    return buffer.getvalue()


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.terms]
    return "\n".join(lines) + "\n"


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        short = _SHORT_FORMS.get(term.datatype.value)
        if short is not None and short.fullmatch(term.value):
            return str(term.value)
        return sparql_term(term)
    return str(term)  # <iri> or _:id


def _json(result: QueryResult) -> str:
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.terms]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        found["datatype"] = term.datatype.value
    return found


def _xml(result: QueryResult) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{RESULTS_NS}">', "  <head>"]
    lines += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    lines += ["  </head>", "  <results>"]
    for row in result.terms:
        lines.append("    <result>")
        for variable, term in zip(result.variables, row, strict=True):
            if term is not None:
                lines.append(f"      <binding name={quoteattr(variable)}>{_xml_term(term)}</binding>")
        lines.append("    </result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def _xml_term(term: Term) -> str:
    if _XML_INVALID.search(term.value):
        raise QueryError(f"the value {term.value!r} holds a control character XML 1.0 cannot carry; "
                         "use --format json or tsv")
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    value = escape(term.value, {"\r": "&#13;"})  # a bare CR would be read back as a line end
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{value}</literal>"
    if term.datatype.value != XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{value}</literal>"
    return f"<literal>{value}</literal>"


def describe_queries(queries: Sequence[SavedQuery], fmt: str) -> str:
    """``exokg query --list``: each query's name, summary and parameters, as a table or as JSON."""
    if fmt not in LIST_FORMATS:
        raise QueryError(f"--list prints as {' or '.join(LIST_FORMATS)}, not {fmt}")
    if fmt == "json":
        doc = [{"name": q.name, "summary": q.summary, "description": q.description, "tags": list(q.tags),
                "form": q.form,
                "parameters": [{"name": p.name, "variable": "?" + p.variable, "type": p.kind,
                                "datatype": p.datatype, "language": p.language, "required": p.required,
                                "default": p.default, "values": list(p.values)} for p in q.parameters]}
               for q in queries]
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    rows = [("NAME", "SUMMARY", "PARAMETERS")]
    rows += [(q.name, q.summary, "; ".join(_describe_parameter(p) for p in q.parameters) or "-") for q in queries]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    return "".join(f"{r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() + "\n" for r in rows)


def _describe_parameter(p: Parameter) -> str:
    # A required parameter with a default need not be given: grlc still calls it required.
    default = f", default {p.default}" if p.default is not None else ""
    choices = f", one of {'|'.join(p.values)}" if p.values else ""
    return f"{p.name} ({p.kind}, {'required' if p.required else 'optional'}{default}{choices})"
