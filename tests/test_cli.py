"""The command line: help, exit codes, stdout for data and stderr for messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from exokg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
NOT_AN_ARTICLE = "Grandma's apple pie\n\nIngredients\n\n3 apples, 200 g flour, 100 g butter.\n\nBake for 40 minutes.\n"
NO_IDENTIFIER = (
    "Exosomes and wound healing\n\nAuthors: Jane Roe\n\nAbstract\n\n"
    "Exosomes from mesenchymal stem cells promote wound healing in a mouse model of diabetic ulcers. "
    "They increase angiogenesis and collagen deposition.\n"
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", [[], ["parse"], ["build"], ["validate"], ["query"], ["export"]])
def test_every_command_has_help(command: list[str]) -> None:
    code, out, _ = invoke(*command, "--help")
    assert code == 0
    assert "Usage: " in out and "Exit codes:" in out


def test_usage_errors_exit_2() -> None:
    code, _, err = invoke("export", "--format", "xml")
    assert code == 2 and "Invalid value for '--format'" in err
    code, _, _ = invoke("no-such-command")
    assert code == 2


def test_parse_json_prints_one_object_per_page() -> None:
    pages = sorted(str(p) for p in (ROOT / "corpus").iterdir())
    code, out, _ = invoke("parse", "--json", *pages)
    assert code == 0
    records = json.loads(out)
    assert [r["source"] for r in records] == [Path(p).name for p in pages]
    expected_keys = {"source", "layout", "pmid", "doi", "pmcid", "title", "journal", "year", "publication_date",
                     "publication_types", "authors", "authors_complete", "keywords", "abstract", "references",
                     "cited_by"}
    for record in records:
        assert expected_keys <= set(record)
        for ref in record["references"] + record["cited_by"]:
            assert {"text", "title", "authors", "journal", "year", "doi", "pmid", "pmcid"} <= set(ref)


def test_parse_reports_unreadable_pages_and_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    recipe = tmp_path / "recipe.txt"
    recipe.write_text(NOT_AN_ARTICLE, encoding="utf-8")
    good = ROOT / "corpus" / "003_96a32d462d26ac30.txt"
    code, out, err = invoke("parse", "--json", str(empty), str(good), str(recipe), str(tmp_path / "missing.txt"))
    assert code == 3
    assert [r["source"] for r in json.loads(out)] == [good.name]
    assert "empty.txt" in err and "recipe.txt" in err and "missing.txt" in err
    assert "Traceback" not in err


def test_build_writes_the_site_and_prints_a_summary(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = invoke("build", str(project), "-o", str(out))
    assert code == 0, err
    assert stdout == ""
    for word in ("articles", "references", "triples", "violations", "pages", "seconds"):
        assert word in err
    assert (out / "index.html").is_file() and (out / "dump.ttl").is_file() and (out / "dump.nt").is_file()
    assert not (project / "_site").exists()


def test_build_goes_on_past_an_unreadable_page_and_exits_3(project: Path) -> None:
    (project / "corpus" / "zz_recipe.txt").write_text(NOT_AN_ARTICLE, encoding="utf-8")
    code, _, err = invoke("build", str(project))
    assert code == 3
    assert "zz_recipe.txt" in err
    assert len(list((project / "_site" / "work").glob("*.html"))) > 5


def test_violations_stop_the_build_unless_published_anyway(project: Path) -> None:
    (project / "corpus" / "zz_no_identifier.txt").write_text(NO_IDENTIFIER, encoding="utf-8")
    code, _, err = invoke("build", str(project))
    assert code == 1
    assert "an article has at least one identifier" in err
    assert not (project / "_site").exists()
    code, _, _ = invoke("build", str(project), "--publish-anyway")
    assert code == 1
    assert (project / "_site" / "index.html").is_file()
    code, out, _ = invoke("validate", str(project))
    assert code == 1 and "Violation: Exosomes and wound healing" in out


def test_validate_a_conforming_project(project: Path) -> None:
    code, out, _ = invoke("validate", str(project))
    assert code == 0
    assert "conforms" in out


def test_bad_configuration_exits_2_with_the_field(project: Path) -> None:
    (project / "exokg.toml").write_text('[project]\nbase_iri = "not an iri"\n', encoding="utf-8")
    code, _, err = invoke("build", str(project))
    assert code == 2
    assert "base_iri" in err and "Traceback" not in err


def test_export_prints_the_whole_graph(project: Path) -> None:
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        code, out, _ = invoke("export", str(project), "--format", fmt)
        assert code == 0
        graph = rdflib.Graph().parse(data=out, format=parser)
        assert len(graph) > 500


def test_query_by_name_file_and_unknown_name(project: Path) -> None:
    code, out, _ = invoke("query", "articles-by-year", str(project), "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "year,articles"
    code, out, _ = invoke("query", str(project / "queries" / "keywords.rq"), str(project), "--format", "tsv")
    assert code == 0 and out.splitlines()[0] == "?keyword\t?label\t?articles"  # SPARQL 1.1 TSV: variables with ?
    code, _, err = invoke("query", "no-such-query", str(project))
    assert code == 2 and "no saved query named 'no-such-query'" in err
    code, _, err = invoke("query", "co-cited-works", str(project), "--param", "min=two")
    assert code == 2 and "min must be integer" in err


def test_an_unwritable_output_is_a_clear_error_and_the_old_site_stays(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = invoke("build", str(project), "-o", str(blocker / "site"))
    assert code == 2
    assert "cannot write the build output" in err and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_parse_json_lists_claims_with_every_field() -> None:
    code, out, _ = invoke("parse", "--json", "--project", str(ROOT), str(ROOT / "corpus" / "002_1498dab3321b66eb.txt"))
    assert code == 0
    (record,) = json.loads(out)
    assert record["claims"]
    required = {"subject", "relation", "object", "subject_iri", "object_iri", "negated", "hedged", "hedge_level",
                "hedge_cues", "evidence", "evidence_start", "evidence_end", "section"}
    for claim in record["claims"]:
        assert required <= set(claim)
        assert claim["subject_iri"].startswith("https://w3id.org/exokg/concept/")
        text = record["abstract"] if claim["section"].startswith("abstract") else record["title"]
        if claim["asserted_by"] == "article":
            assert text[claim["evidence_start"]:claim["evidence_end"]] == claim["evidence"]
    tumour = [c for c in record["claims"] if c["object_iri"].endswith("/tumour-formation")]
    assert tumour and all(c["negated"] and c["hedged"] and c["hedge_level"] == "possible" for c in tumour)


def test_evaluate_prints_precision_recall_and_misses() -> None:
    pages = sorted(str(p) for p in (ROOT / "corpus").iterdir())
    code, out, _ = invoke("evaluate", str(ROOT / "tests" / "data" / "gold"), *pages, "--project", str(ROOT))
    assert code == 0
    assert "precision" in out and "recall" in out and "F1" in out
    assert "negation accuracy" in out and "hedge accuracy" in out and "missed" in out
    code, _, err = invoke("evaluate", str(ROOT / "no-such-gold"), pages[0])
    assert code == 2 and "does not exist" in err


def test_a_project_without_a_concept_scheme_builds_without_claims(project: Path) -> None:
    (project / "ontology" / "concepts.ttl").unlink()
    code, _, err = invoke("build", str(project))
    assert code == 0, err
    assert "no concept scheme, so no claims are extracted" in err
    assert "0 claim assertions" in err
    assert not (project / "_site" / "claim").exists()


def test_parse_reads_every_record_of_an_efetch_file() -> None:
    code, out, _ = invoke("parse", "--json", str(ROOT / "tests" / "data" / "api" / "ncbi" / "biopython_pubmed2.xml"))
    assert code == 0
    records = json.loads(out)
    assert [r["pmid"] for r in records] == ["11748933", "11700088"]
    assert all(r["layout"] == "pubmed-xml" for r in records)
    # The first record is MEDLINE-indexed; the second is PubMed-not-MEDLINE and has no MeSH headings.
    assert [len(r["mesh"]) for r in records] == [11, 0]
