"""Records of one article from several sources merge into one, with each field's source kept."""

from __future__ import annotations

from pathlib import Path

import rdflib

from exokg.config import load_config
from exokg.model import Article, Author, Corpus, Reference, Source
from exokg.pipeline import build
from exokg.records import merge_records

PAGE = Article(Source("003.txt", "a" * 64), "pubmed", title="Mesenchymal stem cell exosomes",
               doi="10.1016/j.semcdb.2015.03.001", journal="Semin Cell Dev Biol", year=2015,
               authors=(Author("Ruenn Chai Lai"),), authors_complete=False, keywords=("Exosome",))
XML = Article(Source("pubmed-25765629.xml", "b" * 64), "pubmed-xml", title="Mesenchymal stem cell exosomes",
              pmid="25765629", doi="10.1016/j.semcdb.2015.03.001", journal="Seminars in cell & developmental biology",
              authors=(Author("Ruenn Chai Lai"), Author("Ronne Wee Yeh Yeo")), abstract="MSCs are widely used.",
              references=(Reference("Lai RC. A paper. 2010.", title="A paper", year=2010),))
OTHER = Article(Source("004.txt", "c" * 64), "pubmed", title="Another article", doi="10.1038/s41409-019-0616-z")


def test_records_of_one_article_merge_by_identifier_in_source_precedence() -> None:
    merged = merge_records(Corpus((PAGE, OTHER, XML)))
    assert [a.source.name for a in merged.corpus.articles] == ["004.txt", "pubmed-25765629.xml"]
    article = merged.corpus.articles[1]
    # PubMed XML comes first; the page fills only what the XML lacks (the year, the keywords).
    assert (article.pmid, article.journal, article.year, article.keywords) == (
        "25765629", "Seminars in cell & developmental biology", 2015, ("Exosome",))
    assert len(article.authors) == 2 and article.authors_complete and len(article.references) == 1
    assert merged.sources["pubmed-25765629.xml"] == (XML.source, PAGE.source)
    origin = merged.field_sources["pubmed-25765629.xml"]
    assert (origin["journal"], origin["year"], origin["keywords"], origin["abstract"]) == (
        "pubmed-25765629.xml", "003.txt", "003.txt", "pubmed-25765629.xml")
    assert "004.txt" not in merged.field_sources


def test_a_saved_page_and_a_copy_build_one_article_with_both_sources(project: Path) -> None:
    corpus = project / "corpus"
    copy = corpus / "zz_copy.txt"
    copy.write_bytes((corpus / "003_96a32d462d26ac30.txt").read_bytes() + b"\n")
    result = build(load_config(project, environ={}))
    assert result.report.conforms, result.report.as_text()
    assert result.summary["articles"] == 5
    graph = rdflib.Graph().parse(project / "_site" / "dump.nt", format="nt")
    work = rdflib.URIRef("https://w3id.org/exokg/work/doi-10.1016_j.semcdb.2015.03.001")
    sources = {str(s).rsplit("/", 1)[1] for s in graph.objects(work, rdflib.PROV.wasDerivedFrom)}
    assert sources == {"003_96a32d462d26ac30.txt", "zz_copy.txt"}
    exo = rdflib.Namespace("https://w3id.org/exokg/ontology/")
    title = next(n for n in graph.objects(work, exo.fieldProvenance) if str(n).endswith("#field-title"))
    assert str(graph.value(title, rdflib.PROV.wasDerivedFrom)).endswith("/003_96a32d462d26ac30.txt")
