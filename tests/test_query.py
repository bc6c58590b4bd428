"""Saved queries: grlc headers and parameters, values bound as RDF terms (never spliced), the results
formats checked against pyoxigraph's own writers and readers, the ``exokg query`` command line, and the
SPARQL protocol client against servers that misbehave."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from exokg.cli import cli
from exokg.errors import QueryError
from exokg.query import (
    FORMATS,
    QueryResult,
    SavedQuery,
    bind,
    describe_queries,
    execute,
    format_result,
    load_queries,
    load_query,
    materialise,
    query_form,
    run,
)
from exokg.remote import Endpoint, RemoteError

DATA = Path(__file__).parent / "data" / "queries"
ROOT = Path(__file__).resolve().parents[1]
XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"
HOSTILE = [
    'x" } ; DROP ALL #',
    "line one\nline two } }",
    "it's {{ }} \\ done",
    "<script>alert(1)</script>",
    "> . ?s ?p ?o",
    '"""}"""',
    "back\\slash \\n \\\\ \\u00",
    "tab\there\rand CR",
    "",
]
# Servers may expand \u escapes anywhere in the query text before parsing it: such values are refused.
ESCAPES = ["\\u0022 } . ?s ?p ?o . #", "\\\\u0022)", "x\\U0000007D"]
HOSTILE_IRIS = ["http://x/> } <y", "http://x/ y", "http://x/\\u003E", "http://x/{}", "no-scheme", "http://x/\n", ""]


def echo() -> tuple[Store, SavedQuery]:
    return Store(), load_query(DATA / "echo.rq")


def write(tmp_path: Path, text: str, name: str = "q.rq") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_and_parameters_are_read() -> None:
    query = load_query(DATA / "echo.rq")
    assert query.summary == "Echo the parameters back"
    assert query.form == "SELECT"
    assert [(p.name, p.kind, p.required, p.default, p.datatype) for p in query.parameters] == [
        ("count", "integer", True, "7", XSD + "integer"),
        ("node", "iri", False, None, None),
        ("text", "string", True, None, None),
    ]


def test_parameter_types_follow_grlc(tmp_path: Path) -> None:
    query = load_query(write(tmp_path, (
        "#+ summary: types\n"
        "PREFIX voc: <http://example.org/types#>\n"
        "SELECT ?a ?b ?c ?d ?e ?f ?g ?h WHERE { BIND(?_plain AS ?a) BIND(?__link_iri AS ?b) BIND(?_n_number AS ?c)"
        " BIND(?_day_date AS ?d) BIND(?_word_en AS ?e) BIND(?_code_voc_code AS ?f) BIND(?_lit_literal AS ?g)"
        " BIND(?_s_string AS ?h) }")))
    found = {p.name: (p.kind, p.required, p.datatype, p.language) for p in query.parameters}
    assert found == {
        "plain": ("string", True, None, None),
        "link": ("iri", False, None, None),
        "n": ("number", True, None, None),
        "day": ("date", True, XSD + "date", None),
        "word": ("string@en", True, None, "en"),
        "code": ("voc:code", True, "http://example.org/types#code", None),
        "lit": ("string", True, None, None),
        "s": ("string", True, None, None),
    }
    values = {"plain": "p", "n": "2.5", "day": "2024-02-14", "word": "exosome", "code": "A1", "lit": "l", "s": "s"}
    row = run(Store(), query, values).terms[0]
    assert row == (Literal("p"), None, Literal("2.5", datatype=NamedNode(XSD + "decimal")),
                   Literal("2024-02-14", datatype=NamedNode(XSD + "date")), Literal("exosome", language="en"),
                   Literal("A1", datatype=NamedNode("http://example.org/types#code")), Literal("l"), Literal("s"))
    with pytest.raises(QueryError, match="day must be date"):
        bind(query, {**values, "day": "14 Feb 2024"})
    with pytest.raises(QueryError, match="n must be number"):
        bind(query, {**values, "n": "12 } ?s ?p ?o"})


def test_a_parameter_name_with_an_underscore_is_refused_as_grlc_would_misread_it(tmp_path: Path) -> None:
    path = write(tmp_path, "#+ summary: s\nSELECT * WHERE { ?s ?p ?o FILTER(?o > ?_min_citing_integer) }")
    with pytest.raises(QueryError, match=r"parameter 'min' typed citing:integer.*no prefix citing"):
        load_query(path)


def test_defaults_and_enumerate_headers(tmp_path: Path) -> None:
    query = load_query(write(tmp_path, (
        "#+ summary: colours\n#+ defaults:\n#+   - colour: red\n#+   - flag: true\n"
        "#+ enumerate:\n#+   - colour:\n#+     - red\n#+     - green\n#+   - shade\n"
        "SELECT ?c ?s ?f WHERE { BIND(?_colour AS ?c) BIND(?__shade AS ?s) BIND(?__flag_boolean AS ?f) }")))
    colour, flag, shade = query.parameters
    assert (colour.name, colour.default, colour.values) == ("colour", "red", ("red", "green"))
    assert (flag.default, flag.datatype) == ("true", XSD + "boolean")  # YAML's `true` stays the text "true"
    assert (shade.values, shade.default) == ((), None)  # a bare name: grlc asks the endpoint for values
    assert run(Store(), query).rows == (("red", None, True),)
    assert run(Store(), query, {"colour": "green", "shade": "dark"}).rows == (("green", "dark", True),)
    with pytest.raises(QueryError, match="colour must be one of red, green; got 'blue'"):
        run(Store(), query, {"colour": "blue"})
    assert describe_queries([query], "table").splitlines()[1].endswith(
        "colour (string, required, default red, one of red|green); flag (boolean, optional, default true); "
        "shade (string, optional)")


@pytest.mark.parametrize(("header", "message"), [
    ("#+ defaults:\n#+   - colour: blue\n#+ enumerate:\n#+   - colour: [red]\n", "default of parameter colour"),
    ("#+ defaults:\n#+   - color: red\n", "names color, which the query has no parameter for"),
    ("#+ enumerate:\n#+   - 3\n", "takes a list of 'name: value' entries"),
    ("#+ defaults:\n#+   - colour: [red, green]\n", "gives colour 2 values"),
])
def test_bad_headers_are_named(tmp_path: Path, header: str, message: str) -> None:
    path = write(tmp_path, "#+ summary: s\n" + header + "SELECT * WHERE { BIND(?_colour AS ?c) }")
    with pytest.raises(QueryError, match=message):
        load_query(path)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_values_stay_one_literal(value: str) -> None:
    store, query = echo()
    result = run(store, query, {"text": value})
    assert result.variables == ("text", "count", "node", "flag")
    assert result.terms == ((Literal(value), Literal("7", datatype=NamedNode(XSD + "integer")), None, Literal("}")),)


def _shape(node: Any, swap: tuple[rdflib.Literal, rdflib.Literal] | None = None) -> Any:
    """The algebra of a parsed query as nested tuples of node names and terms (variables, IRIs, literals)."""
    if isinstance(node, CompValue):
        return (node.name, tuple((k, _shape(v, swap)) for k, v in node.items() if not k.startswith("_")))
    if isinstance(node, dict):
        return tuple(sorted(((str(k), _shape(v, swap)) for k, v in node.items()), key=lambda kv: kv[0]))
    if isinstance(node, list | tuple | set | frozenset):
        return tuple(_shape(v, swap) for v in node)
    if swap is not None and node == swap[0]:
        return swap[1]
    return node if isinstance(node, rdflib.term.Node) else repr(node)


@pytest.mark.parametrize("value", [v for v in HOSTILE if v])
def test_a_hostile_value_changes_only_the_bound_literal_of_the_algebra(value: str) -> None:
    # An independent parser (rdflib's) reads the bound text: its algebra is the one a harmless value gives,
    # the harmless literal replaced by the hostile one — no pattern, variable or clause more or less.
    _, query = echo()
    harmless = translateQuery(parseQuery(bind(query, {"text": "harmless"}))).algebra
    hostile = translateQuery(parseQuery(bind(query, {"text": value}))).algebra
    assert _shape(hostile) == _shape(harmless, (rdflib.Literal("harmless"), rdflib.Literal(value)))


@pytest.mark.parametrize("value", ESCAPES)
def test_values_with_unicode_escapes_are_refused(value: str) -> None:
    store, query = echo()
    with pytest.raises(QueryError, match=r"text must be string.*\\u escape"):
        run(store, query, {"text": value})


@pytest.mark.parametrize("value", HOSTILE_IRIS)
def test_hostile_iri_values_are_refused(value: str) -> None:
    store, query = echo()
    with pytest.raises(QueryError, match="node must be iri"):
        run(store, query, {"text": "a", "node": value})


def test_typed_parameters_are_checked() -> None:
    store, query = echo()
    assert run(store, query, {"text": "a", "count": "12", "node": "http://example.org/x"}).rows == (
        ("a", 12, "http://example.org/x", "}"),
    )
    with pytest.raises(QueryError, match="count must be integer"):
        run(store, query, {"text": "a", "count": "3 } DROP ALL"})
    with pytest.raises(QueryError, match="node must be iri"):
        run(store, query, {"text": "a", "node": "http://x/> } <y"})


def test_missing_and_unknown_parameters_are_named() -> None:
    store, query = echo()
    with pytest.raises(QueryError, match="needs --param text=VALUE"):
        run(store, query, {})
    with pytest.raises(QueryError, match="has no parameter colour"):
        run(store, query, {"text": "a", "colour": "red"})


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("SELECT * { ?s ?p '{' }", "{ ?s ?p '{' }"),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o . FILTER(?_x) }", "{ ?s ?p ?o . FILTER(?_x) }"),
        ('ASK { ?s ?p """}""" }', '{ ?s ?p """}""" }'),
        ("SELECT * WHERE # { a comment\n { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ],
)
def test_values_go_into_the_where_group(tmp_path: Path, text: str, group: str) -> None:
    path = write(tmp_path, "#+ summary: s\n" + text + ("" if "?_x" in text else " # ?_x"))
    query = load_query(path)
    if not query.parameters:
        assert bind(query, {}) == query.text
        return
    bound = bind(query, {"x": "v"})
    assert bound.startswith("#+ summary: s\n" + text[: text.index(group) + 1] + '\nVALUES (?_x) { ("v") }')


SUBSELECT = f"""#+ summary: s
SELECT ?item ?n ?total WHERE {{
  {{ SELECT ?item (COUNT(?o) AS ?n) WHERE {{ ?_who_iri <{EX}likes> ?item . ?item <{EX}has> ?o }} GROUP BY ?item }}
  {{ SELECT (COUNT(*) AS ?total) {{ ?_who_iri <{EX}likes> ?any . FILTER EXISTS {{ ?any <{EX}has> ?o }} }} }}
  {{ SELECT ?item WHERE {{ ?item <{EX}has> ?o }} GROUP BY ?item }}
}} ORDER BY ?item"""


def test_a_parameter_inside_a_sub_select_is_bound_there_too(tmp_path: Path) -> None:
    # A sub-SELECT sees none of the outer bindings: bound only at the top, ?_who in the sub-queries would be
    # any subject at all. Bound in each group, the rows are those of the value written into the text.
    store = Store()
    for who, item, objects in (("ann", "a", 2), ("ann", "b", 1), ("bob", "b", 1), ("bob", "c", 3)):
        store.add(Quad(NamedNode(EX + who), NamedNode(EX + "likes"), NamedNode(EX + item)))
        for k in range(objects):
            store.add(Quad(NamedNode(EX + item), NamedNode(EX + "has"), Literal(f"{item}{k}")))
    query = load_query(write(tmp_path, SUBSELECT))
    bound = bind(query, {"who": EX + "ann"})
    assert bound.count("VALUES (?_who_iri)") == 3  # the top group and the two sub-queries that mention it
    written = SUBSELECT.replace("?_who_iri", f"<{EX}ann>")
    expected = [tuple(t.value for t in row) for row in store.query(written)]
    assert expected == [(EX + "a", "2", "2"), (EX + "b", "1", "2")]
    assert run(store, query, {"who": EX + "ann"}).rows == ((EX + "a", 2, 2), (EX + "b", 1, 2))


def test_variables_in_strings_and_iris_are_not_parameters(tmp_path: Path) -> None:
    query = load_query(write(tmp_path, '#+ summary: s\nSELECT * WHERE { <http://x/?_a> ?p "?_b" . BIND(?_c AS ?d) }'))
    assert [p.name for p in query.parameters] == ["c"]


@pytest.mark.parametrize(("text", "form"), [
    ("PREFIX ask: <http://x/> SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# SELECT in a comment\nASK { ?s ?p 'SELECT' }", "ASK"),
    ("BASE <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("describe <http://x/a>", "DESCRIBE"),
    ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", None),
])
def test_the_query_form_is_read_past_prefixes_comments_and_strings(text: str, form: str | None) -> None:
    assert query_form(text) == form


def test_an_update_is_not_a_saved_query(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="not a SELECT, ASK, CONSTRUCT or DESCRIBE query"):
        load_query(write(tmp_path, "#+ summary: s\nDELETE WHERE { ?s ?p ?o }"))


def test_a_query_without_a_summary_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="summary"):
        load_query(write(tmp_path, "SELECT * WHERE { ?s ?p ?o }", "bad.rq"))


def test_every_saved_query_of_the_project_loads_and_runs_on_an_empty_store() -> None:
    queries = load_queries(ROOT / "queries")
    assert len(queries) >= 15
    placeholder = {"iri": "http://example.org/x", "integer": "1", "decimal": "1.5", "boolean": "true"}
    for query in queries.values():
        assert query.summary and query.description and query.tags
        assert query.form == "SELECT"
        assert all("_" not in p.name for p in query.parameters)  # grlc reads the same names
        values = {p.name: placeholder.get(p.kind, "x") for p in query.parameters if p.required and p.default is None}
        assert run(Store(), query, values).rows == ()


# Results formats -------------------------------------------------------------------------------------------------

MIXED = f"""
SELECT ?iri ?text ?lang ?number ?decimal ?double ?flag ?year ?node ?nothing WHERE {{
  ?node <{EX}p> ?text .
  BIND (<{EX}a?b=c&d> AS ?iri)
  BIND ("exosome"@en-GB AS ?lang)
  BIND (42 AS ?number)
  BIND (-0.5 AS ?decimal)
  BIND (1.5e3 AS ?double)
  BIND (true AS ?flag)
  BIND ("2019"^^<{XSD}gYear> AS ?year)
}} ORDER BY ?text"""
TEXTS = ['a, "quoted" one', "tab\there", "new\nline and CR\r", "<b>&amp;</b>", "ünïcödé ✓", "plain"]


@pytest.fixture(scope="module")
def mixed_store() -> Store:
    store = Store()
    for number, text in enumerate(TEXTS):
        store.add(Quad(BlankNode(f"n{number}"), NamedNode(EX + "p"), Literal(text), DefaultGraph()))
    return store


def test_results_keep_each_terms_kind(mixed_store: Store) -> None:
    result = execute(mixed_store, MIXED)
    first = dict(zip(result.variables, result.terms[0], strict=True))
    assert isinstance(first["iri"], NamedNode) and isinstance(first["node"], BlankNode)
    assert first["lang"] == Literal("exosome", language="en-gb")  # the store keeps language tags in lower case
    assert first["year"] == Literal("2019", datatype=NamedNode(XSD + "gYear"))
    assert first["nothing"] is None
    plain_row = dict(zip(result.variables, result.rows[0], strict=True))
    assert plain_row["number"] == 42 and plain_row["flag"] is True and plain_row["double"] == 1500.0
    assert plain_row["iri"] == EX + "a?b=c&d" and plain_row["nothing"] is None


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_exact_formats_read_back_to_the_same_terms(mixed_store: Store, fmt: str) -> None:
    result = execute(mixed_store, MIXED)
    text = format_result(result, fmt)
    back = materialise(parse_query_results(text.encode("utf-8"), format=getattr(QueryResultsFormat, fmt.upper())))
    assert back.variables == result.variables
    assert back.terms == result.terms


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_formats_match_pyoxigraphs_own_writer(mixed_store: Store, fmt: str) -> None:
    ours = format_result(execute(mixed_store, MIXED), fmt)
    theirs = mixed_store.query(MIXED).serialize(format=getattr(QueryResultsFormat, fmt.upper())).decode("utf-8")
    if fmt == "json":
        assert json.loads(ours) == json.loads(theirs)
    else:
        assert ours == theirs


def test_xml_results_are_well_formed_and_match_pyoxigraphs_reading(mixed_store: Store) -> None:
    xml = format_result(execute(mixed_store, MIXED), "xml")
    root = ElementTree.fromstring(xml.encode("utf-8"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in root.iter(ns + "variable")][:3] == ["iri", "text", "lang"]
    theirs = mixed_store.query(MIXED).serialize(format=QueryResultsFormat.XML)
    assert list(parse_query_results(xml.encode(), format=QueryResultsFormat.XML)) == list(
        parse_query_results(theirs, format=QueryResultsFormat.XML))


def test_the_table_stays_one_line_per_row(mixed_store: Store) -> None:
    table = format_result(execute(mixed_store, MIXED), "table")
    lines = table.splitlines()
    assert len(lines) == 2 + len(TEXTS) + 1 and lines[-1] == f"({len(TEXTS)} rows)"
    assert lines[0].split()[:3] == ["iri", "|", "text"]
    assert "new line and CR" in table


def test_csv_quotes_as_rfc_4180() -> None:
    result = QueryResult(("name", "n"), ((Literal('a, "b"'), Literal("2", datatype=NamedNode(XSD + "integer"))),
                                         (Literal("c\td"), None)))
    assert format_result(result, "csv") == 'name,n\r\n"a, ""b""",2\r\nc\td,\r\n'
    assert format_result(result, "tsv") == '?name\t?n\n"a, \\"b\\""\t2\n"c\\td"\t\n'
    assert result.rows == (('a, "b"', 2), ("c\td", None))


def test_ask_results() -> None:
    result = execute(Store(), "ASK { }")
    assert result.form == "ASK" and result.boolean is True
    assert format_result(result, "table") == "true\n"
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}
    assert bool(parse_query_results(format_result(result, "xml").encode(), format=QueryResultsFormat.XML)) is True
    assert format_result(execute(Store(), "ASK { ?s ?p ?o }"), "table") == "false\n"
    with pytest.raises(QueryError, match="an ASK query cannot be printed as csv"):
        format_result(result, "csv")


def test_construct_results_in_every_graph_format(mixed_store: Store) -> None:
    result = execute(mixed_store, f"CONSTRUCT {{ <{EX}s> <{EX}q> ?o }} WHERE {{ ?n <{EX}p> ?o }}")
    expected = {Triple(NamedNode(EX + "s"), NamedNode(EX + "q"), Literal(t)) for t in TEXTS}
    assert set(result.triples) == expected
    for fmt, rdf_format in (("ttl", RdfFormat.TURTLE), ("nt", RdfFormat.N_TRIPLES), ("jsonld", RdfFormat.JSON_LD)):
        text = format_result(result, fmt)
        assert text.endswith("\n")
        assert {Triple(q.subject, q.predicate, q.object) for q in parse(text.encode(), format=rdf_format)} == expected
    assert format_result(result, "nt") == format_result(execute(mixed_store, f"CONSTRUCT {{ <{EX}s> <{EX}q> ?o }} "
                                                                f"WHERE {{ ?n <{EX}p> ?o }}"), "nt")
    with pytest.raises(QueryError, match="cannot be printed as table"):
        format_result(result, "table")


def test_describe_gives_a_graph() -> None:
    store = Store()
    store.add(Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), Literal("o"), DefaultGraph()))
    result = execute(store, f"DESCRIBE <{EX}s>")
    assert result.triples == (Triple(NamedNode(EX + "s"), NamedNode(EX + "p"), Literal("o")),)
    assert format_result(result, "nt") == f'<{EX}s> <{EX}p> "o" .\n'


def test_every_form_has_formats_and_a_default() -> None:
    assert FORMATS["SELECT"][0] == "table" and FORMATS["ASK"][0] == "table"
    assert FORMATS["CONSTRUCT"][0] == "ttl" and FORMATS["DESCRIBE"] == FORMATS["CONSTRUCT"]


# The command line ------------------------------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """A project with the seed's queries and no pages: its graph is only the dataset description."""
    project = tmp_path / "project"
    (project / "corpus").mkdir(parents=True)
    (project / "queries").mkdir()
    for path in (ROOT / "queries").glob("*.rq"):
        (project / "queries" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return project


def test_list_shows_names_summaries_and_parameters(empty_project: Path) -> None:
    code, out, _ = invoke("query", "--list", str(empty_project))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "SUMMARY", "PARAMETERS"]
    names = [line.split()[0] for line in lines[1:]]
    assert names == sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    cocited = next(line for line in lines if line.startswith("co-cited-works "))
    assert cocited.endswith("min (integer, required, default 2)")
    cooccurrence = next(line for line in lines if line.startswith("concept-cooccurrence "))
    assert cooccurrence.endswith("concept (iri, optional)")
    code, out, _ = invoke("query", "--list", str(empty_project), "--format", "json")
    assert code == 0
    listed = {q["name"]: q for q in json.loads(out)}
    assert listed["claims-about-concept"]["parameters"] == [{
        "name": "concept", "variable": "?_concept_iri", "type": "iri", "datatype": None, "language": None,
        "required": True, "default": "https://w3id.org/exokg/concept/msc-exosome", "values": []}]
    assert listed["concept-cooccurrence"]["parameters"][0]["required"] is False
    code, _, err = invoke("query", "--list", str(empty_project), "--format", "csv")
    assert code == 2 and "--list prints as table or json" in err


def test_query_forms_and_formats_on_the_command_line(empty_project: Path, tmp_path: Path) -> None:
    ask = write(tmp_path, "#+ summary: any dataset?\nPREFIX void: <http://rdfs.org/ns/void#>\n"
                          "ASK { ?d a void:Dataset }", "ask.rq")
    construct = write(tmp_path, "#+ summary: datasets\nPREFIX void: <http://rdfs.org/ns/void#>\n"
                                "CONSTRUCT { ?d a void:Dataset } WHERE { ?d a void:Dataset }", "construct.rq")
    code, out, _ = invoke("query", str(ask), str(empty_project))
    assert (code, out) == (0, "true\n")
    code, out, _ = invoke("query", str(ask), str(empty_project), "--format", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}
    code, out, _ = invoke("query", str(construct), str(empty_project))
    assert code == 0 and out.startswith("@prefix") and "void:Dataset" in out
    code, out, _ = invoke("query", str(construct), str(empty_project), "--format", "nt")
    assert code == 0 and out == "<https://w3id.org/exokg/dataset> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
                                "<http://rdfs.org/ns/void#Dataset> .\n"
    code, _, err = invoke("query", str(construct), str(empty_project), "--format", "csv")
    assert code == 2 and "a CONSTRUCT query cannot be printed as csv" in err and "Traceback" not in err
    code, _, err = invoke("query", "articles-by-year", str(empty_project), "--format", "jsonld")
    assert code == 2 and "a SELECT query cannot be printed as jsonld" in err
    code, out, _ = invoke("query", "articles-by-year", str(empty_project), "--format", "xml")
    assert code == 0 and "<variable name=\"year\"/>" in out
    code, _, err = invoke("query", str(empty_project))
    assert code == 2 and "no saved query named" in err
    code, _, err = invoke("query")
    assert code == 2 and "which query?" in err
    code, _, err = invoke("query", "co-cited-works", str(empty_project), "--param", "min_citing=2")
    assert code == 2 and "has no parameter min_citing (parameters: min)" in err
    code, _, err = invoke("query", "co-cited-works", str(empty_project), "--param", "min=two")
    assert code == 2 and "min must be integer" in err


# The SPARQL protocol client against servers that misbehave ------------------------------------------------------


class _Canned(BaseHTTPRequestHandler):
    """Answers every request with the reply scripted for its path; records what it was sent."""

    replies: ClassVar[dict[str, tuple[int, str, bytes]]] = {}
    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        path = self.path.split("?")[0]
        status, content_type, payload = self.replies.get(path, (404, "text/plain", b"no such endpoint"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def canned(replies: dict[str, tuple[int, str, bytes]]) -> Iterator[tuple[str, list[Any]]]:
    handler = type("Handler", (_Canned,), {"replies": replies, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


JSON_ROWS = json.dumps({"head": {"vars": ["x", "n"]}, "results": {"bindings": [
    {"x": {"type": "uri", "value": EX + "a"}, "n": {"type": "literal", "value": "3", "datatype": XSD + "integer"}},
    {"x": {"type": "literal", "value": "chat", "xml:lang": "fr"}},
]}}).encode()


def test_the_client_posts_the_bound_query_and_reads_json_results() -> None:
    _, query = echo()
    reply = (200, "application/sparql-results+json; charset=utf-8", JSON_ROWS)
    with canned({"/sparql": reply}) as (url, seen), Endpoint(url + "/sparql", contact="team@example.org") as endpoint:
        result = endpoint.run(query, {"text": 'a " } b'})
    assert result.terms == ((NamedNode(EX + "a"), Literal("3", datatype=NamedNode(XSD + "integer"))),
                            (Literal("chat", language="fr"), None))
    method, _path, headers, body = seen[0]
    assert method == "POST" and headers["content-type"].startswith("application/sparql-query")
    assert headers["accept"].startswith("application/sparql-results+json")
    assert headers["user-agent"].startswith("exokg/") and "mailto:team@example.org" in headers["user-agent"]
    assert body.decode("utf-8") == bind(query, {"text": 'a " } b'})


def test_a_server_that_takes_only_forms_gets_a_form() -> None:
    with canned({"/sparql": (415, "text/plain", b"Unsupported Media Type")}) as (url, seen), \
            pytest.raises(RemoteError, match="HTTP 415"):
        Endpoint(url + "/sparql").query("SELECT * WHERE { ?s ?p ?o }", "SELECT")
    assert [s[0] for s in seen] == ["POST", "POST"]
    assert seen[1][2]["content-type"] == "application/x-www-form-urlencoded"
    assert b"query=SELECT" in seen[1][3]


def test_xml_results_and_graphs_are_read() -> None:
    xml = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
           b"<boolean>true</boolean></sparql>")
    graph = f"<{EX}s> <{EX}p> \"o\" .\n".encode()
    with canned({"/ask": (200, "application/sparql-results+xml", xml),
                 "/graph": (200, "text/plain; charset=utf-8", graph)}) as (url, seen):
        assert Endpoint(url + "/ask").query("ASK {}", "ASK").boolean is True
        found = Endpoint(url + "/graph").query("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT")
    assert found.triples == (Triple(NamedNode(EX + "s"), NamedNode(EX + "p"), Literal("o")),)
    assert seen[1][2]["accept"].startswith("application/n-triples")


@pytest.mark.parametrize(("reply", "form", "message"), [
    ((500, "text/html", b"<html><body><h1>Query failed</h1><p>Parse error: line 3</p></body></html>"), "SELECT",
     r"HTTP 500 Internal Server Error: Query failed Parse error: line 3"),
    ((200, "text/html", b"<html>a web page</html>"), "SELECT", r"answered text/html, not SPARQL results"),
    ((200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": '), "SELECT",
     r"not valid SPARQL results"),
    ((200, "application/sparql-results+json", b'{"head": {}, "boolean": true}'), "SELECT",
     r"answered a SELECT query with a boolean"),
    ((200, "application/x-unknown", b"??"), "CONSTRUCT", r"answered application/x-unknown, not an RDF graph"),
    ((200, "text/turtle", b"<a> <b"), "CONSTRUCT", r"not valid"),
])
def test_bad_answers_are_errors_naming_the_endpoint(reply: tuple[int, str, bytes], form: str, message: str) -> None:
    with canned({"/q": reply}) as (url, _seen), pytest.raises(RemoteError, match=message) as caught:
        Endpoint(url + "/q").query("SELECT * WHERE { ?s ?p ?o }", form)
    assert str(caught.value).startswith(url + "/q: ")
    assert caught.value.exit_code == 4


def test_a_wrong_path_says_which_url_and_status() -> None:
    with canned({}) as (url, _seen), pytest.raises(RemoteError, match="/nowhere: HTTP 404 Not Found: no such endpoint"):
        Endpoint(url + "/nowhere").query("ASK {}", "ASK")


def test_no_server_and_a_silent_server_are_clear_errors() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more: the connection is refused.
    with pytest.raises(RemoteError, match=rf"127.0.0.1:{port}/sparql: cannot connect"):
        Endpoint(f"http://127.0.0.1:{port}/sparql").query("ASK {}", "ASK")
    # A socket that listens but never answers: the client gives up after its timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(RemoteError, match=r"no answer within 0.3 seconds"):
            Endpoint(url, timeout=0.3).query("ASK {}", "ASK")


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "localhost:7878/query", "http://", "sparql"])
def test_an_endpoint_must_be_an_http_url(url: str, empty_project: Path) -> None:
    code, _, err = invoke("query", "articles-by-year", str(empty_project), "--endpoint", url)
    assert code == 2 and "is not an http:// or https:// URL" in err
