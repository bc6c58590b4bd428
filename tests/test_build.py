"""Whole builds: byte-identical when repeated, validated, and every RDF file of the site parses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import rdflib
from pyoxigraph import Literal, NamedNode

from exokg.config import load_config
from exokg.graph.iris import Iris
from exokg.pipeline import build, query_store, read_graph
from exokg.publish.site import page_file

ROOT = Path(__file__).resolve().parents[1]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_in_separate_processes_are_byte_identical(project: Path, tmp_path: Path) -> None:
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / run
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        done = subprocess.run([sys.executable, "-m", "exokg", "-q", "build", str(project), "-o", str(out)],
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(files_of(out))
    assert list(outputs[0]) == list(outputs[1])
    different = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert different == []


def test_the_seed_corpus_conforms_and_every_rdf_file_parses(project: Path) -> None:
    result = build(load_config(project, environ={}))
    assert result.report.conforms, result.report.as_text()
    assert result.published
    summary = result.summary
    assert (summary["articles"], summary["references"], summary["failed inputs"]) == (5, 20, 0)
    site = project / "_site"
    dump = rdflib.Graph().parse(site / "dump.nt", format="nt")
    assert len(dump) == summary["triples"]
    base = "https://w3id.org/exokg/"
    resources = {str(s).split("#", 1)[0] for s in dump.subjects() if str(s).startswith(base)} - {base}
    ttl_files = sorted(site.rglob("*.ttl"))
    iris = Iris(base)
    expected = {site / f"{page_file(iris, r).removesuffix('.html')}.ttl" for r in resources}  # type: ignore[union-attr]
    assert expected <= set(ttl_files)  # each resource's Turtle
    for path in ttl_files:
        graph = rdflib.Graph().parse(path, format="turtle")
        assert len(graph) > 0, path


def test_the_stored_graph_is_reused_by_query_only_while_current(project: Path) -> None:
    config = load_config(project, environ={})
    build(config)
    title = NamedNode("http://purl.org/dc/terms/title")
    lai = Literal("Mesenchymal stem cell exosomes")
    assert list(query_store(config).quads_for_pattern(None, title, lai))
    (project / "corpus" / "003_96a32d462d26ac30.txt").unlink()
    # The stored graph no longer matches the corpus: the graph is read again, without the removed page.
    assert not list(query_store(config).quads_for_pattern(None, title, lai))


def test_build_uses_sorted_output_and_the_configured_date(project: Path) -> None:
    result = build(load_config(project, environ={}))
    assert result.published
    dataset = (project / "_site" / "dataset.ttl").read_text(encoding="utf-8")
    assert '"2026-11-21"^^xsd:date' in dataset
    graph = rdflib.Graph().parse(project / "_site" / "dump.ttl", format="turtle")
    assert graph.value(rdflib.URIRef("https://w3id.org/exokg/dataset"), rdflib.URIRef(
        "http://purl.org/dc/terms/issued")) == rdflib.Literal("2026-11-21", datatype=rdflib.XSD.date)


def test_mesh_headings_become_concepts_mapped_to_mesh(project: Path) -> None:
    import shutil

    shutil.copy(Path(__file__).parent / "data" / "api" / "ncbi" / "biopython_pubmed4.xml", project / "corpus")
    result = build(load_config(project, environ={}))
    assert result.report.conforms, result.report.as_text()
    graph = rdflib.Graph().parse(project / "_site" / "dump.nt", format="nt")
    exo = rdflib.Namespace("https://w3id.org/exokg/ontology/")
    work = rdflib.URIRef("https://w3id.org/exokg/work/doi-10.1136_gutjnl-2016-312510")
    headings = list(graph.objects(work, exo.meshHeading))
    assert len(headings) == 21
    mapped = {graph.value(graph.value(h, exo.descriptor), rdflib.SKOS.exactMatch) for h in headings}
    assert all(str(m).startswith("http://id.nlm.nih.gov/mesh/D") for m in mapped)
    assert (project / "_site" / "concept" / "mesh").is_dir()


def test_every_record_of_a_file_with_several_keeps_its_own_claims(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import articles
    finally:
        sys.path.remove(str(ROOT / "bench"))
    project = tmp_path / "p"
    for part in ("ontology", "shapes", "queries", "site"):
        shutil.copytree(ROOT / part, project / part)
    (project / "exokg.toml").write_text((ROOT / "exokg.toml").read_text(encoding="utf-8"), encoding="utf-8")
    docs = [data.decode() for _, data in articles(3, seed=3)]
    records = [doc[doc.index("<PubmedArticle>"):doc.index("</PubmedArticleSet>")] for doc in docs]
    (project / "corpus").mkdir()
    (project / "corpus" / "set.xml").write_text(docs[0][:docs[0].index("<PubmedArticle>")] + "".join(records)
                                                + "</PubmedArticleSet>\n", encoding="utf-8")
    alone = {}
    for name, data in articles(3, seed=3):
        (tmp_path / name).write_bytes(data)
        alone[name] = len(read_graph(load_config(project, environ={}), pages=[tmp_path / name]).claims)
    together = Counter(c.work for c in read_graph(load_config(project, environ={})).claims)
    assert sorted(together.values()) == sorted(alone.values()) and len(together) == 3 and min(alone.values()) > 0
