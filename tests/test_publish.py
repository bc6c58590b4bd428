"""The publish stage: pages and RDF files planned in memory, links checked, written atomically."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from graph_fixtures import INFO, small_corpus
from pyoxigraph import Literal, NamedNode, Triple
from rdflib.compare import isomorphic
from test_build import files_of

from exokg import __version__
from exokg.graph.iris import Iris
from exokg.graph.mapping import map_bibliography
from exokg.graph.store import read_turtle_folder
from exokg.model import Author, Corpus, Reference
from exokg.publish.plan import SiteInput, SitePlan, check_links, page_file, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.write import StagedFiles, staging_folder, write_site
from exokg.works import resolve

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_TITLE = '<script>alert("x")</script> {{ 7*7 }} \u202eevil\u202c "quoted" & ' + "long " * 2000


def plan(corpus: Corpus) -> SitePlan:
    return plan_triples(map_bibliography(resolve(corpus), INFO))


def plan_triples(triples: list[Triple]) -> SitePlan:
    env = make_renderer(ROOT / "site")
    data = SiteInput(triples=triples, title=INFO.title, base_iri=INFO.base_iri, build_date=INFO.build_date,
                     version="test", vocabulary=read_turtle_folder(ROOT / "ontology", "ontology"),
                     assets=read_assets(ROOT / "site"))
    return plan_site(data, lambda t, c: render_with(env, t, c))


def hostile_corpus() -> Corpus:
    listing, review = small_corpus().articles
    evil = dataclasses.replace(
        review,
        title=HOSTILE_TITLE,
        authors=(Author("<img src=x onerror=alert(1)>"), Author("O'Brien \"Bob\"")),
        abstract="</p><script>document.write('pwned')</script>",
        references=(Reference("<b>bold</b> {% raw %}", title="</title><script>x</script>", year=2001),),
    )
    return Corpus((listing, evil))


class _WellFormed(HTMLParser):
    """Checks that every opened element is closed in order (void elements excepted)."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The site's own scripts (files under assets/) and JSON-LD data blocks are expected; anything else is not.
        found = dict(attrs)
        own = found.get("type") == "application/ld+json" or "assets/" in (found.get("src") or "")
        self.scripts += tag == "script" and not own
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def test_every_resource_has_a_page_and_three_rdf_files() -> None:
    site = plan(small_corpus())
    assert site.warnings == []
    # The resources are read back from the dump, not from the plan: every subject under the base has its page.
    dump = rdflib.Graph().parse(data=site.files["dump.nt"].decode(), format="nt")
    iris = Iris(INFO.base_iri)
    resources = {str(s).split("#", 1)[0] for s in dump.subjects() if str(s).startswith(INFO.base_iri)}
    pages = sorted(p for r in resources if (p := page_file(iris, r)) and p != "index.html")
    assert "work/doi-10.3727_096368915x689622.html" in pages
    assert "ontology/Article.html" in site.files and "ontology/Article.ttl" in site.files
    for page in pages:
        assert page in site.files, page
        stem = page.removesuffix(".html")
        for ext in ("ttl", "jsonld", "nt"):
            assert f"{stem}.{ext}" in site.files, f"{stem}.{ext}"
        html = site.files[page].decode()
        assert f'<link rel="alternate" type="text/turtle" href="{Path(stem).name}.ttl"' in html


def test_every_rdf_file_parses_and_the_three_forms_agree() -> None:
    site = plan(small_corpus())
    for path in sorted(p for p in site.files if p.endswith(".ttl")):
        stem = path.removesuffix(".ttl")
        ttl = rdflib.Graph().parse(data=site.files[path].decode(), format="turtle")
        nt = rdflib.Graph().parse(data=site.files[f"{stem}.nt"].decode(), format="nt")
        jsonld = rdflib.Graph().parse(data=site.files[f"{stem}.jsonld"].decode(), format="json-ld")
        assert len(ttl) > 0, path
        assert isomorphic(ttl, nt) and isomorphic(ttl, jsonld), path


def test_a_cited_work_page_shows_who_cites_it_and_how() -> None:
    page = plan(small_corpus()).files["work/doi-10.3727_096368915x689622.html"].decode()
    assert "Cited by (2)" in page
    assert "Cell Transpl. 2016;25:829-48." in page
    assert 'href="https://doi.org/10.3727/096368915x689622"' in page


def test_a_work_one_list_cites_twice_shows_both_entries_in_list_order() -> None:
    listing, review = small_corpus().articles
    first = review.references[0]
    again = dataclasses.replace(first, text="Squillaro T et al. Clinical trials with mesenchymal stem cells: an "
                                "update. Cell Transpl 2016 (cited again)")
    corpus = Corpus((listing, dataclasses.replace(review, references=(first, *review.references[1:], again))))
    page = plan(corpus).files["work/doi-10.3727_096368915x689622.html"].decode()
    printed = page.index("Cell Transpl. 2016;25:829-48.")
    assert printed < page.index("(cited again)")  # the second entry, after the first as the list has them
    assert "Cited by (2)" in page


def test_hostile_strings_are_escaped_and_rdf_stays_valid() -> None:
    site = plan(hostile_corpus())
    for path, content in site.files.items():
        if path.endswith(".html"):
            checker = _WellFormed()
            checker.feed(content.decode())
            assert checker.stack == [], path
            assert checker.scripts == 0, path
        if path.endswith(".ttl"):
            rdflib.Graph().parse(data=content.decode(), format="turtle")
    article = next(p for p, c in site.files.items() if p.startswith("work/doi-10.1016") and p.endswith(".html"))
    html = site.files[article].decode()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }}" in html
    assert "O&#39;Brien &#34;Bob&#34;" in html
    graph = rdflib.Graph().parse(data=site.files[article.replace(".html", ".ttl")].decode(), format="turtle")
    assert rdflib.Literal(HOSTILE_TITLE) in set(graph.objects())


def test_dangling_links_are_reported() -> None:
    files = {"index.html": b'<a href="work/x.html">x</a><a href="https://doi.org/10.1/x">d</a><a href="#top">t</a>',
             "work/y.html": b'<a href="../index.html">home</a>'}
    assert check_links(files) == ["index.html: link to work/x.html does not resolve to a file of the site"]


def test_writing_swaps_the_new_site_in_and_a_failure_leaves_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"old", "a/b.html": b"b"}, out)
    assert (out / "index.html").read_bytes() == b"old"
    write_site({"index.html": b"new"}, out)
    assert (out / "index.html").read_bytes() == b"new" and not (out / "a").exists()
    with pytest.raises(OSError):
        # "x" is both a file and a folder: the write fails half-way.
        write_site({"index.html": b"broken", "x": b"file", "x/y.html": b"child"}, out)
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_staged_files_are_a_plan_on_disk_and_are_swapped_in_whole(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"old"}, out)
    staged = StagedFiles(staging_folder(out))
    staged["index.html"] = b"new"
    staged["work/a.html"] = b"a"
    staged["work/a.html"] = b"again"  # planned over: the last bytes count, once
    (staged.folder / "work" / "b.ttl").write_bytes(b"<x> <y> <z> .\n")  # as a worker process writes
    staged.record("work/b.ttl", 14)
    assert sorted(staged) == ["index.html", "work/a.html", "work/b.ttl"] and len(staged) == 3
    assert "work/a.html" in staged and "work/c.html" not in staged
    assert staged["work/a.html"] == b"again" and staged.size() == 3 + 5 + 14
    with pytest.raises(KeyError):
        staged["work/c.html"]
    assert (out / "index.html").read_bytes() == b"old"  # nothing is in place before the swap
    assert write_site(staged, out) == 22
    assert files_of(out) == {"index.html": b"new", "work/a.html": b"again", "work/b.ttl": b"<x> <y> <z> .\n"}
    staged.discard()  # after the swap: nothing to remove, and the site stays
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"] and (out / "index.html").is_file()


def test_a_discarded_staging_folder_leaves_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site({"index.html": b"old"}, out)
    staged = StagedFiles(staging_folder(out))
    staged["index.html"] = b"half a plan"
    staged.discard()
    assert files_of(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def claims_site(evidence: str, cue: str) -> SitePlan:
    from pyoxigraph import Literal, NamedNode, Triple

    from exokg.graph.claims import StatedClaim, map_claims
    from exokg.model import Assertion, ConceptRef

    listing, review = small_corpus().articles
    review = dataclasses.replace(review, abstract=evidence)
    corpus = Corpus((listing, review))
    bib = resolve(corpus)
    exo = ConceptRef("msc-exosome", "MSC-derived exosome", "MSC-derived exosomes")
    tumour = ConceptRef("tumour-formation", "tumour formation", "tumor formation")
    stated = [StatedClaim("doi:10.1016/j.reth.2024.01.009", "000_review.txt",
                          Assertion(exo, "causes", tumour, True, "possible", (cue,), evidence, 0, len(evidence),
                                    "abstract"))]
    concept = "https://w3id.org/exokg/concept/"
    skos = "http://www.w3.org/2004/02/skos/core#"
    scheme = [Triple(NamedNode(concept + key), NamedNode(p), o) for key, label in
              (("msc-exosome", "MSC-derived exosome"), ("tumour-formation", "tumour formation"))
              for p, o in ((RDF_TYPE, NamedNode(skos + "Concept")), (skos + "prefLabel", Literal(label)),
                           (skos + "inScheme", NamedNode(concept)), (skos + "exactMatch",
                                                                     NamedNode("http://id.nlm.nih.gov/mesh/D055354")))]
    scheme.append(Triple(NamedNode(concept), NamedNode(RDF_TYPE), NamedNode(skos + "ConceptScheme")))
    iris = Iris(INFO.base_iri)
    triples = map_bibliography(bib, INFO) + map_claims(stated, iris, iris.software(__version__))
    return plan_triples(sorted(set(triples + scheme), key=str))


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_claim_concept_and_article_pages_show_claims_with_cues_marked() -> None:
    site = claims_site("MSC-derived exosomes might carry no risk of tumor formation.", "might")
    assert site.warnings == []
    claim = site.files["claim/msc-exosome.causes.tumour-formation.not.html"].decode()
    assert "<h1>MSC-derived exosome does not cause tumour formation</h1>" in claim
    assert '<mark class="cue">might</mark> carry no risk' in claim
    assert "1 work: 0 firmly, 1 only with hedges" in claim
    assert 'href="../work/doi-10.1016_j.reth.2024.01.009.html"' in claim
    concept = site.files["concept/msc-exosome.html"].decode()
    assert 'href="../claim/msc-exosome.causes.tumour-formation.not.html"' in concept
    assert 'href="http://id.nlm.nih.gov/mesh/D055354"' in concept
    article = site.files["work/doi-10.1016_j.reth.2024.01.009.html"].decode()
    assert "Claims (1)" in article and "possible" in article


def test_hostile_evidence_is_escaped_around_marked_cues() -> None:
    evidence = '<script>x</script> "MSC" exosomes may & {{ cause }} no tumours'
    page = claims_site(evidence, "may").files["claim/msc-exosome.causes.tumour-formation.not.html"].decode()
    escaped = '&lt;script&gt;x&lt;/script&gt; &#34;MSC&#34; exosomes <mark class="cue">may</mark> &amp; {{ cause }}'
    assert escaped in page
    checker = _WellFormed()
    checker.feed(page)
    assert checker.stack == [] and checker.scripts == 0


def test_an_iri_a_browser_would_run_is_shown_never_linked() -> None:
    triples = map_bibliography(resolve(small_corpus()), INFO)
    work = next(t.subject for t in triples if t.predicate.value == RDF_TYPE and t.object.value.endswith("Article"))
    hostile = [Triple(work, NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                      NamedNode("javascript:alert(1)")),
               Triple(work, NamedNode("data:text/html,alert(2)"), Literal("x"))]
    site = plan_triples(sorted(set(triples + hostile), key=str))
    pages = {p: site.files[p].decode() for p in site.files if p.endswith(".html")}
    shown = [p for p, text in pages.items() if "javascript:alert(1)" in text]
    assert shown  # the IRI is on the page, as text
    for path, text in pages.items():
        assert 'href="javascript:' not in text and 'href="data:' not in text, path
