"""Saved queries: headers, parameters bound as RDF terms (never spliced), output formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Store

from exokg.errors import QueryError
from exokg.query import QueryResult, bind, format_result, load_queries, load_query, run

DATA = Path(__file__).parent / "data" / "queries"
ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ['x" } ; DROP ALL #', "line one\nline two } }", "it's {{ }} \\ done", "<script>alert(1)</script>"]


def echo() -> tuple[Store, object]:
    return Store(), load_query(DATA / "echo.rq")


def test_header_and_parameters_are_read() -> None:
    query = load_query(DATA / "echo.rq")
    assert query.summary == "Echo the parameters back"
    assert [(p.name, p.kind, p.required, p.default) for p in query.parameters] == [
        ("count", "integer", True, "7"),
        ("node", "iri", False, None),
        ("text", "string", True, None),
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_values_stay_one_literal(value: str) -> None:
    store, query = echo()
    result = run(store, query, {"text": value})  # type: ignore[arg-type]
    assert result.variables == ("text", "count", "node", "flag")
    assert result.rows == ((value, 7, None, "}"),)


def test_typed_parameters_are_checked() -> None:
    store, query = echo()
    assert run(store, query, {"text": "a", "count": "12", "node": "http://example.org/x"}).rows == (  # type: ignore[arg-type]
        ("a", 12, "http://example.org/x", "}"),
    )
    with pytest.raises(QueryError, match="count must be integer"):
        run(store, query, {"text": "a", "count": "3 } DROP ALL"})  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="node must be iri"):
        run(store, query, {"text": "a", "node": "http://x/> } <y"})  # type: ignore[arg-type]


def test_missing_and_unknown_parameters_are_named() -> None:
    store, query = echo()
    with pytest.raises(QueryError, match="needs --param text=VALUE"):
        run(store, query, {})  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="has no parameter colour"):
        run(store, query, {"text": "a", "colour": "red"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("SELECT * { ?s ?p '{' }", "{ ?s ?p '{' }"),
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o . FILTER(?_x) }", "{ ?s ?p ?o . FILTER(?_x) }"),
        ('ASK { ?s ?p """}""" }', '{ ?s ?p """}""" }'),
    ],
)
def test_values_go_into_the_where_group(tmp_path: Path, text: str, group: str) -> None:
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: s\n" + text + ("" if "?_x" in text else " # ?_x"), encoding="utf-8")
    query = load_query(path)
    if not query.parameters:
        assert bind(query, {}) == query.text
        return
    bound = bind(query, {"x": "v"})
    assert bound.startswith("#+ summary: s\n" + text[: text.index(group) + 1] + '\nVALUES (?_x) { ("v") }')


def test_a_query_without_a_summary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    with pytest.raises(QueryError, match="summary"):
        load_query(path)


def test_every_saved_query_of_the_project_loads_and_runs_on_an_empty_store() -> None:
    queries = load_queries(ROOT / "queries")
    assert len(queries) >= 5
    placeholder = {"iri": "http://example.org/x", "integer": "1", "decimal": "1.5", "boolean": "true"}
    for query in queries.values():
        assert query.summary and query.description
        values = {p.name: placeholder.get(p.kind, "x") for p in query.parameters if p.required and p.default is None}
        assert run(Store(), query, values).rows == ()


def test_output_formats() -> None:
    result = QueryResult(("name", "n"), (("a, \"b\"", 2), ("c\td", None)))
    assert format_result(result, "csv") == 'name,n\n"a, ""b""",2\nc\td,\n'
    assert format_result(result, "tsv").splitlines()[0] == "name\tn"
    doc = json.loads(format_result(result, "json"))
    assert doc["head"]["vars"] == ["name", "n"]
    assert doc["results"]["bindings"][1] == {"name": {"type": "literal", "value": "c\td"}}
    table = format_result(result, "table")
    assert table.splitlines()[0].split(" | ") == ["name  ", "n"]
    assert table.endswith("(2 rows)\n")
    with pytest.raises(QueryError):
        format_result(result, "xml")
