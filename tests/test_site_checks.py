"""The built site checked the way its users check it, file by file.

Independent parsers read every RDF file (Debian's ``rapper`` for Turtle and N-Triples; rdflib and the
pyld JSON-LD processor for JSON-LD), a strict reader checks every HTML page and follows every link, a
corpus of hostile strings goes through the real build, builds are repeated, and ``--strict`` turns
warnings into a failed build. Every check walks the whole output folder, so it covers every section of
the site, including the ones added after it was written.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import html.entities
import json
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from project_fixtures import ROOT, copy_project
from pyld import jsonld

from exokg.cache import CACHE_FILE
from exokg.cli import cli
from exokg.config import load_config
from exokg.graph.iris import Iris
from exokg.pipeline import BuildResult, build
from exokg.publish.plan import check_labels
from exokg.publish.site import Site, SiteInput, page_file

# Parsing with this base makes any relative IRI in a file show: no IRI of the site starts with it.
RELATIVE_BASE = "https://relative-iri.invalid/"
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
RAPPER_SYNTAX = {".ttl": "turtle", ".nt": "ntriples"}
ALTERNATE_SUFFIX = {"text/turtle": ".ttl", "application/n-triples": ".nt", "application/ld+json": ".jsonld"}
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
BUILD_DATE = dt.date(2001, 2, 3)
# A graph as the set of its triples without blank nodes and its canonicalised blank-node part (split_blank).
Split = tuple[frozenset[Any], ox.Dataset | None]
SEED_PAGE = ROOT / "corpus" / "003_96a32d462d26ac30.txt"

# -- a hostile corpus ------------------------------------------------------------------------------------

HOSTILE_TITLE = ('<script>alert("title")</script> Exosomes & \'single\' "double" """triple""" {{ 7*7 }} '
                 "{% raw %}{# comment #} C:\\path\\n \u202eevil\u202c </title></h1><!-- end")
# 10,000 characters, no run of spaces and no final period for the reader to normalise away.
LONG_TITLE = ("Exosomes " * 1112)[:9999] + "Z"
# A claim the extractor finds, so claim and concept pages show the hostile text as evidence.
HOSTILE_ABSTRACT = ("</p></section><script>document.write('pwned')</script> MSC-derived exosomes <b>reduce</b> "
                    'fibrosis & "inflammation" {{ 7*7 }} ]]> --> \\"escaped\\" \u202egnilaeh')
HOSTILE_AUTHORS = ("<img src=x onerror=alert(1)> O'Brien \"Bob\"", "\u202eRTL {{ 7*7 }}",
                   "<script>alert('group')</script> Consortium")
HOSTILE_JOURNAL = 'J "Evil" & <Co> {{ journal }}'
HOSTILE_KEYWORDS = ("<b>bold</b> keyword", "{% raw %}", "../../etc/passwd")


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attrs)
    child.text = text
    return child


def _pubmed_article(root: ET.Element, pmid: str, doi: str, title: str, abstract: str, authors: list[dict[str, str]],
                    cites: str | None) -> None:
    """One efetch ``PubmedArticle``; ElementTree escapes the text, so the reader sees it exactly."""
    record = _element(root, "PubmedArticle")
    citation = _element(record, "MedlineCitation", Status="MEDLINE", Owner="NLM")
    _element(citation, "PMID", pmid, Version="1")
    article = _element(citation, "Article", PubModel="Print")
    journal = _element(article, "Journal")
    _element(journal, "ISSN", "1234-5679", IssnType="Electronic")
    issue = _element(journal, "JournalIssue", CitedMedium="Internet")
    _element(issue, "Volume", "7")
    _element(issue, "Issue", "2")
    date = _element(issue, "PubDate")
    _element(date, "Year", "2021")
    _element(date, "Month", "Mar")
    _element(journal, "Title", HOSTILE_JOURNAL)
    _element(journal, "ISOAbbreviation", HOSTILE_JOURNAL)
    _element(article, "ArticleTitle", title)
    pagination = _element(article, "Pagination")
    _element(pagination, "MedlinePgn", "1-10")
    _element(article, "ELocationID", doi, EIdType="doi", ValidYN="Y")
    _element(_element(article, "Abstract"), "AbstractText", abstract)
    author_list = _element(article, "AuthorList", CompleteYN="Y")
    for parts in authors:
        author = _element(author_list, "Author", ValidYN="Y")
        for tag, text in parts.items():
            _element(author, tag, text)
    _element(article, "Language", "eng")
    types = _element(article, "PublicationTypeList")
    _element(types, "PublicationType", "Journal Article", UI="D016428")
    keywords = _element(citation, "KeywordList", Owner="NOTNLM")
    for keyword in HOSTILE_KEYWORDS:
        _element(keywords, "Keyword", keyword, MajorTopicYN="N")
    data = _element(record, "PubmedData")
    ids = _element(data, "ArticleIdList")
    _element(ids, "ArticleId", pmid, IdType="pubmed")
    _element(ids, "ArticleId", doi, IdType="doi")
    if cites is not None:
        reference = _element(_element(data, "ReferenceList"), "Reference")
        _element(reference, "Citation", f"{HOSTILE_AUTHORS[0]}. {HOSTILE_TITLE}. {HOSTILE_JOURNAL}. 2021;7:1-10.")
        _element(_element(reference, "ArticleIdList"), "ArticleId", cites, IdType="doi")


def write_hostile_corpus(corpus: Path) -> None:
    """Two saved efetch files of articles whose every field is hostile; the first cites the second.

    One article a file: the claims stage keys articles by file name, so it would keep the claims of only
    one article of a file that holds several.
    """
    first, second = ET.Element("PubmedArticleSet"), ET.Element("PubmedArticleSet")
    _pubmed_article(first, "90000001", "10.5555/hostile.1", HOSTILE_TITLE, HOSTILE_ABSTRACT, [
        {"LastName": "O'Brien \"Bob\"", "ForeName": "<img src=x onerror=alert(1)>"},
        {"LastName": "{{ 7*7 }}", "ForeName": "\u202eRTL"},
        {"CollectiveName": "<script>alert('group')</script> Consortium"},
    ], cites="10.5555/hostile.2")
    _pubmed_article(second, "90000002", "10.5555/hostile.2", LONG_TITLE, HOSTILE_ABSTRACT[::-1],
                    [{"LastName": "Tables", "ForeName": "Robert'); DROP TABLE works;--"}], cites=None)
    for name, root in (("hostile-1.xml", first), ("hostile-2.xml", second)):
        (corpus / name).write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8"))


# -- building -------------------------------------------------------------------------------------------


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def small_project(target: Path, pages: list[Path]) -> Path:
    """The default project with only ``pages`` in its corpus (and no curation, which names other pages)."""
    project = copy_project(target)
    shutil.rmtree(project / "corpus")
    (project / "corpus").mkdir()
    for page in pages:
        shutil.copy(page, project / "corpus")
    (project / "curation.yaml").unlink()
    return project


# A concept scheme of one concept: the claims stage runs (without it the build warns) and the build is quick.
TINY_SCHEME = """\
@prefix concept: <https://w3id.org/exokg/concept/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
concept: a skos:ConceptScheme ; skos:prefLabel "concepts"@en ; skos:hasTopConcept concept:cell .
concept:cell a skos:Concept ; skos:inScheme concept: ; skos:topConceptOf concept: ; skos:prefLabel "cell"@en .
"""


def tiny_project(target: Path) -> Path:
    """One seed page and a one-concept scheme: a quick build."""
    project = small_project(target, [SEED_PAGE])
    (project / "ontology" / "concepts.ttl").write_text(TINY_SCHEME, encoding="utf-8")
    return project


class Built:
    """One real build and what the checks read of it, each read once."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.config = load_config(project, environ={})
        self.result: BuildResult = build(self.config)
        assert self.result.published, self.result.report.as_text()
        self.out = self.config.output_dir
        self.files = files_of(self.out)
        self.iris = Iris(self.config.base_iri)
        self._splits: dict[str, Split] = {}

    def data(self, path: str) -> bytes:
        """A file's content, decompressed when it is gzipped (``dump.nt.gz`` is N-Triples)."""
        content = self.files[path]
        return gzip.decompress(content) if path.endswith(".gz") else content

    @cached_property
    def rdf_files(self) -> list[str]:
        return sorted(p for p in self.files if Path(p.removesuffix(".gz")).suffix in RDF_FORMATS)

    @cached_property
    def graphs(self) -> dict[str, rdflib.Graph | str]:
        """Every RDF file read by rdflib, or why it could not be."""
        read: dict[str, rdflib.Graph | str] = {}
        for path in self.rdf_files:
            fmt = RDF_FORMATS[Path(path.removesuffix(".gz")).suffix]
            try:
                read[path] = rdflib.Graph().parse(data=self.data(path).decode("utf-8"), format=fmt,
                                                  publicID=RELATIVE_BASE)
            except Exception as exc:  # rdflib raises many unrelated types for bad input
                read[path] = f"{type(exc).__name__}: {exc}"
        return read

    def split(self, path: str) -> Split:
        if path not in self._splits:
            self._splits[path] = split_blank(self.graph(path))
        return self._splits[path]

    def graph(self, path: str) -> rdflib.Graph:
        found = self.graphs[path]
        assert isinstance(found, rdflib.Graph), f"{path}: {found}"
        return found

    @cached_property
    def pages(self) -> dict[str, Page]:
        read = {}
        for path in sorted(p for p in self.files if p.endswith(".html")):
            page = Page()
            try:
                page.read(self.files[path].decode("utf-8"))
            except UnicodeDecodeError as exc:
                page.problems.append(f"not UTF-8: {exc}")
            read[path] = page
        return read


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(copy_project(tmp_path_factory.mktemp("seed") / "project"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The default project (concept scheme and all, so claims are found) with only the hostile articles."""
    project = small_project(tmp_path_factory.mktemp("hostile") / "project", [])
    write_hostile_corpus(project / "corpus")
    return Built(project)


@pytest.fixture(scope="module", params=["seed", "hostile"])
def site(request: pytest.FixtureRequest) -> Built:
    built: Built = request.getfixturevalue(f"{request.param}_site")
    return built


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: install the Debian package {package}")
    return found


# -- RDF ------------------------------------------------------------------------------------------------


def rapper_ntriples(rapper: str, content: bytes, syntax: str) -> tuple[list[str], list[str]]:
    """``content`` parsed by rapper: the triples it read as N-Triples lines, in order, and what else it said.

    The lines are checked against rapper's own count of the triples it read.
    """
    done = subprocess.run([rapper, "-i", syntax, "-o", "ntriples", "-", RELATIVE_BASE], input=content,
                          capture_output=True, timeout=120, check=False)
    lines = [line for line in done.stdout.decode("utf-8").splitlines() if line.strip()]
    count, said = None, []
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        found = re.fullmatch(r"rapper: Parsing returned (\d+) triples?", line)
        if found:
            count = int(found[1])
        elif not re.match(r"rapper: (Parsing file <stdin> with parser|Serializing with serializer) ", line):
            said.append(line)
    if done.returncode != 0:
        said.append(f"rapper exited with {done.returncode}")
    if count != len(lines):
        said.append(f"rapper says it read {count} triples but wrote {len(lines)}")
    return lines, said


_PREFIX = re.compile(rb"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


MARK = "<urn:x-exokg-test:end-of-file> <urn:x-exokg-test:end-of-file> <urn:x-exokg-test:end-of-file> ."


def rapper_counts(rapper: str, files: list[tuple[str, bytes]], syntax: str) -> tuple[list[int], list[str]]:
    """How many triples rapper reads in each file, with one rapper process for all of them.

    (A process a file would take most of the test's time.) The files are read one after the other, a
    marker triple after each, so the output splits into one count a file. Before each Turtle file the base
    and every prefix any file declares are reset, so each is read as it would be alone: a prefix it
    uses but does not declare (or a relative IRI) reads as an IRI that names the file. An error names the
    file of its line.
    """
    reset = b""
    if syntax == "turtle":
        names = sorted({m.group(1) or b"" for _, content in files for m in _PREFIX.finditer(content)})
        reset = b"@base <%s> .\n" % RELATIVE_BASE.encode() + b"".join(
            b"@prefix %s: <urn:x-undeclared-prefix:%s> .\n" % (name, name) for name in names)
    batch, starts, line = [], [], 1
    for path, content in files:
        part = reset + content + (b"" if content.endswith(b"\n") else b"\n") + MARK.encode() + b"\n"
        starts.append((line, path))
        line += part.count(b"\n")
        batch.append(part)
    lines, said = rapper_ntriples(rapper, b"".join(batch), syntax)
    counts, count, problems = [], 0, []
    for triple in lines:
        if triple == MARK:
            counts.append(count)
            count = 0
            continue
        count += 1
        if "<urn:x-undeclared-prefix:" in triple or f"<{RELATIVE_BASE}" in triple:
            problems.append(f"{files[len(counts)][0]}: an undeclared prefix or a relative IRI: {triple}")
    for message in said:
        at = re.search(r":(\d+)(?: column \d+)? - ", message)
        where = next((p for first, p in reversed(starts) if first <= int(at[1])), "?") if at else "the batch"
        problems.append(f"{where}: {message}")
    if not problems and len(counts) != len(files):
        problems.append(f"rapper read {len(counts)} of {len(files)} files")
    return counts, problems


def split_blank(graph: rdflib.Graph) -> Split:
    """A graph's triples without blank nodes, as a set, and the ones with blank nodes, canonicalised.

    Two graphs are isomorphic exactly when both parts are equal. The blank-node part is put in canonical
    form (RDFC-1.0, by pyoxigraph) because rdflib's own matching takes seconds on a few hundred SHACL
    property shapes.
    """
    ground, blank = set(), []
    for t in graph:
        if any(isinstance(term, rdflib.BNode) for term in t):
            blank.append(t)
        else:
            ground.add(t)
    if not blank:
        return frozenset(ground), None
    nodes: dict[rdflib.BNode, ox.BlankNode] = {}

    def term(value: Any) -> Any:
        if isinstance(value, rdflib.BNode):
            return nodes.setdefault(value, ox.BlankNode())
        if isinstance(value, rdflib.Literal):
            if value.language:
                return ox.Literal(str(value), language=value.language)
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)) if value.datatype else None)
        return ox.NamedNode(str(value))

    dataset = ox.Dataset([ox.Quad(term(s), term(p), term(o)) for s, p, o in blank])
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(ground), dataset


def same_split(one: Split, other: Split) -> bool:
    return one[0] == other[0] and one[1] == other[1]


def same_graph(one: rdflib.Graph, other: rdflib.Graph) -> bool:
    return same_split(split_blank(one), split_blank(other))


def test_every_turtle_and_ntriples_file_parses_with_rapper_as_rdflib_reads_it(site: Built) -> None:
    rapper = tool("rapper", "raptor2-utils")
    files = [p for p in site.rdf_files if Path(p.removesuffix(".gz")).suffix in RAPPER_SYNTAX]
    assert any(p.startswith("work/") for p in files) and "dump.ttl" in files and "dump.nt" in files
    problems = [f"{p}: rdflib: {site.graphs[p]}" for p in files if isinstance(site.graphs[p], str)]
    for syntax in sorted(set(RAPPER_SYNTAX.values())):
        batch = [p for p in files if RAPPER_SYNTAX[Path(p.removesuffix(".gz")).suffix] == syntax
                 and isinstance(site.graphs[p], rdflib.Graph)]
        counts, said = rapper_counts(rapper, [(p, site.data(p)) for p in batch], syntax)
        problems += said or [f"{path}: rapper read {count} triples, rdflib {len(site.graph(path))}"
                             for path, count in zip(batch, counts, strict=True)
                             if count != len(site.graph(path)) or count == 0]
    assert problems == []


def test_a_batch_of_files_is_read_as_each_would_be_alone() -> None:
    rapper = tool("rapper", "raptor2-utils")
    declares = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c , ex:d .\n"
    borrows = b"ex:a ex:b ex:e .\n"  # uses the prefix the file before declared
    counts, problems = rapper_counts(rapper, [("one.ttl", declares), ("two.ttl", declares)], "turtle")
    assert (counts, problems) == ([2, 2], [])
    _, problems = rapper_counts(rapper, [("one.ttl", declares), ("two.ttl", borrows), ("three.ttl", declares)],
                                "turtle")
    assert len(problems) == 1 and problems[0].startswith("two.ttl: an undeclared prefix")
    broken = b'<http://example.org/a> <http://example.org/b> "unterminated .\n'
    good = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    _, problems = rapper_counts(rapper, [("good.nt", good), ("bad.nt", broken), ("last.nt", good)], "ntriples")
    named = {p.split(": ", 1)[0] for p in problems}
    assert "bad.nt" in named and not named & {"good.nt", "last.nt"}


def test_rapper_reads_the_same_graph_as_rdflib_in_the_dumps(site: Built) -> None:
    rapper = tool("rapper", "raptor2-utils")
    for path, syntax in (("dump.ttl", "turtle"), ("dump.nt", "ntriples")):
        lines, said = rapper_ntriples(rapper, site.files[path], syntax)
        assert said == [], path
        theirs = rdflib.Graph().parse(data="\n".join(lines) + "\n", format="nt")
        assert len(site.graph(path)) > 0 and same_graph(theirs, site.graph(path)), path


def _refuse_remote(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise RuntimeError(f"the file needs the remote document {url}; a published file must not")


def test_every_jsonld_file_parses_and_expands_offline_to_the_same_graph(site: Built) -> None:
    files = [p for p in site.rdf_files if p.removesuffix(".gz").endswith(".jsonld")]
    assert "dump.jsonld" in files and any(p.startswith("work/") for p in files)
    problems = []
    for path in files:
        try:
            document = json.loads(site.data(path))
            # The JSON-LD processor expands the document (no remote context may be needed) and makes RDF of it.
            nquads = jsonld.to_rdf(document, {"documentLoader": _refuse_remote, "base": RELATIVE_BASE,
                                              "format": "application/n-quads"})
        except Exception as exc:  # pyld wraps a refused remote context in its own error type
            problems.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        ours = site.graphs[path]
        if isinstance(ours, str):
            problems.append(f"{path}: rdflib: {ours}")
        elif len(ours) == 0 or not same_split(site.split(path), split_blank(rdflib.Graph().parse(data=nquads,
                                                                                                   format="nt"))):
            problems.append(f"{path}: pyld and rdflib read different graphs (or none)")
    assert problems == []


def test_no_rdf_file_holds_a_relative_iri(site: Built) -> None:
    relative = sorted({f"{path}: {term}" for path in site.rdf_files for t in site.graph(path) for term in t
                       if isinstance(term, rdflib.URIRef) and str(term).startswith(RELATIVE_BASE)})
    assert relative == []


def test_the_forms_of_each_resource_and_of_the_dumps_are_the_same_graph(site: Built) -> None:
    # A resource's forms are the alternates its page names; a dump's, the files of one name.
    groups: dict[frozenset[str], str] = {}
    for path, page in site.pages.items():
        alternates = {_resolve(path, a["href"]) for a in page.alternates if a.get("type") in ALTERNATE_SUFFIX}
        if alternates:
            groups.setdefault(frozenset(alternates), path)
    by_stem: dict[str, set[str]] = {}
    for path in site.rdf_files:
        by_stem.setdefault(path.removesuffix(".gz").rsplit(".", 1)[0], set()).add(path)
    for stem, forms in by_stem.items():
        if len(forms) > 1:
            groups.setdefault(frozenset(forms), stem)
    assert "dump" in groups.values() and sum(name.startswith("work/") for name in groups.values()) > 1
    problems = []
    for forms, name in sorted(groups.items(), key=lambda item: item[1]):
        suffixes = {Path(f.removesuffix(".gz")).suffix for f in forms}
        if not set(RDF_FORMATS) <= suffixes:
            problems.append(f"{name}: only {sorted(forms)}")
        if any(f not in site.graphs for f in forms):
            continue  # a missing file: the link check names it
        first, *others = sorted(forms)
        if len(site.graph(first)) == 0:
            problems.append(f"{first}: no triples")
        problems += [f"{name}: {first} and {other} differ" for other in others
                     if not same_split(site.split(first), site.split(other))]
    assert problems == []


def test_every_gzipped_file_is_reproducible_and_matches_its_plain_copy(site: Built) -> None:
    zipped = [p for p in site.files if p.endswith(".gz")]
    problems = []
    for path in zipped:
        header = site.files[path][:10]
        if header[4:8] != b"\0\0\0\0" or header[3] & 0x08:
            problems.append(f"{path}: the gzip header holds a time or a file name")
        plain = path.removesuffix(".gz")
        if plain in site.files and site.data(path) != site.files[plain]:
            problems.append(f"{path}: does not unpack to {plain}")
    assert problems == []


def test_every_json_file_parses(site: Built) -> None:
    problems = []
    for path in (p for p in site.files if p.endswith(".json")):
        try:
            json.loads(site.files[path])
        except ValueError as exc:
            problems.append(f"{path}: {exc}")
    assert problems == []


# -- HTML -----------------------------------------------------------------------------------------------

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
RAW_TEXT = frozenset({"script", "style"})
# A start tag whose every attribute value is quoted.
_START_TAG = re.compile(r"""<[a-zA-Z][a-zA-Z0-9-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*\s*/?>""")
_REFERENCE = re.compile(r"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?")
_RAW_BLOCKS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
LINK_ATTRIBUTES = ("href", "src", "action")


class Page(HTMLParser):
    """A strict reading of one page: well-formedness problems, ids, links, scripts and text.

    Stricter than browsers on purpose: every non-void element is closed explicitly and in order, every
    attribute value is quoted, every ``&`` starts a known character reference.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.stack: list[str] = []
        self.counts: dict[str, int] = {}
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.alternates: list[dict[str, str]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: dict[str, list[str]] = {"h1": [], "title": [], "body": []}
        self.closed_html = False
        self.seen_doctype = False
        # Whether each open element isolates its content's direction (<bdi>, or any element with dir=).
        self.isolating: list[bool] = []
        self.run: list[str] = []  # the text since the last tag
        self.bidi_leaks: list[str] = []

    def read(self, source: str) -> None:
        """Check one whole page (``feed`` in pieces would split references)."""
        outside = _RAW_BLOCKS.sub("", source)  # script and style content holds no character references
        for ref in _REFERENCE.finditer(outside):
            name = ref.group(1)
            if name is None:
                self.problems.append(f"bare & at …{outside[max(0, ref.start() - 30):ref.start() + 10]!r}")
            elif not name.startswith("#") and name not in html.entities.html5:
                self.problems.append(f"unknown character reference &{name}")
        self.feed(source)
        self.close()

    def handle_decl(self, decl: str) -> None:
        if decl.lower() != "doctype html" or self.counts:
            self.problems.append(f"<!{decl}> (expected <!DOCTYPE html> first)")
        self.seen_doctype = True

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> dict[str, str]:
        self._end_run()
        raw = self.get_starttag_text() or ""
        if not _START_TAG.fullmatch(raw):
            self.problems.append(f"start tag with an unquoted or malformed attribute: {raw[:120]!r}")
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"<{tag}> repeats an attribute: {raw[:120]!r}")
        if self.closed_html or (tag != "html" and not self.stack):
            self.problems.append(f"<{tag}> outside <html>")
        if not self.seen_doctype:
            self.problems.append("no <!DOCTYPE html> before the first element")
            self.seen_doctype = True
        self.counts[tag] = self.counts.get(tag, 0) + 1
        self.tags.add(tag)
        values = {name: value or "" for name, value in attrs}
        self.attributes.update(values)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if name in values:
                if values[name] in self.ids:
                    self.problems.append(f"id {values[name]!r} used twice")
                self.ids.add(values[name])
        self.links += [values[name] for name in LINK_ATTRIBUTES if values.get(name)]
        if tag == "link" and "alternate" in values.get("rel", "").split():
            self.alternates.append(values)
        return values

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = self._start(tag, attrs)
        if tag == "script":
            self.scripts.append((values, ""))
        if tag not in VOID:
            self.stack.append(tag)
            self.isolating.append(tag == "bdi" or "dir" in values)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag not in VOID:
            self.problems.append(f"<{tag}/> closes itself, which HTML ignores for a non-void element")

    def handle_endtag(self, tag: str) -> None:
        self._end_run()
        if tag in VOID:
            self.problems.append(f"</{tag}> ends a void element")
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag not in self.stack:
                return
            while self.stack[-1] != tag:
                self.stack.pop()
                self.isolating.pop()
        self.stack.pop()
        self.isolating.pop()
        if tag == "html":
            self.closed_html = True

    def _text(self, text: str) -> None:
        for name in ("h1", "title"):
            if name in self.stack:
                self.text[name].append(text)
        if "body" in self.stack:
            self.text["body"].append(text)
            self.run.append(text)

    def _end_run(self) -> None:
        """A direction override left open in a run of text reverses what follows it, unless isolated."""
        text = "".join(self.run)
        self.run = []
        if not _bidi_closed(text) and not any(self.isolating):
            self.bidi_leaks.append(text[:100])

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "script":
            attrs, content = self.scripts[-1]
            self.scripts[-1] = (attrs, content + data)
            return
        if self.stack and self.stack[-1] in RAW_TEXT:
            return
        if "<" in data:
            self.problems.append(f"a raw < in text: {data[:80]!r}")
        if data.strip() and (self.closed_html or not self.stack):
            self.problems.append(f"text outside <html>: {data[:80]!r}")
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._text(html.unescape(f"&#{name};"))

    def close(self) -> None:
        super().close()
        self._end_run()
        if self.stack:
            self.problems.append(f"never closed: {self.stack}")
        for tag in ("html", "head", "body", "title"):
            if self.counts.get(tag) != 1:
                self.problems.append(f"{self.counts.get(tag, 0)} <{tag}> elements, expected one")

    def shown(self, part: str) -> str:
        """The text of the part as a reader sees it: references resolved, whitespace squashed."""
        return " ".join("".join(self.text[part]).split())


def _bidi_closed(text: str) -> bool:
    """Whether every directional embedding, override and isolate the text opens, it also closes."""
    expected: list[str] = []
    for char in text:
        if char in "\u202a\u202b\u202d\u202e":
            expected.append("\u202c")
        elif char in "\u2066\u2067\u2068":
            expected.append("\u2069")
        elif char in "\u202c\u2069" and (not expected or expected.pop() != char):
            return False
    return not expected


def _resolve(page: str, target: str) -> str:
    """The site file a relative link of ``page`` names (a folder's ``index.html`` for a folder)."""
    path = unquote(urlsplit(target).path)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return f"{resolved}/index.html" if path.endswith("/") else resolved


def test_the_strict_reader_finds_what_it_should() -> None:
    head = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>'
    broken = {
        "<p>open": "</body> closes <p>",
        "<p><b>x</p></b>": "</p> closes <b>",
        "<a href=x>y</a>": "unquoted",
        "<p>a & b</p>": "bare &",
        "<p>&nosuch;</p>": "unknown character reference",
        '<p id="x">a</p><p id="x">b</p>': "used twice",
        "<div/>": "closes itself",
        "<br></br>": "ends a void element",
        "<p>1 < 2</p>": "raw <",
    }
    for body, expected in broken.items():
        page = Page()
        page.read(f"{head}{body}</body></html>\n")
        assert any(expected in problem for problem in page.problems), (body, page.problems)
    page = Page()
    page.read(f"{head}<p>x</p>")
    assert any("never closed" in problem for problem in page.problems)
    page = Page()
    page.read(f'{head}<p id="x">a &amp; b &#8212; <a href="#x">c</a><br></p></body></html>\n')
    assert page.problems == [] and page.ids == {"x"} and page.links == ["#x"] and page.shown("body") == "a & b \u2014 c"


def test_every_html_page_is_well_formed(site: Built) -> None:
    assert "index.html" in site.pages and len(site.pages) > 3
    problems = [f"{path}: {problem}" for path, page in site.pages.items() for problem in page.problems]
    assert problems == []


def test_every_link_and_alternate_resolves_to_a_file_and_every_fragment_to_an_id(site: Built) -> None:
    base = site.config.base_iri
    problems, followed = [], 0
    for path, page in site.pages.items():
        for target in page.links:
            parts = urlsplit(target)
            if parts.scheme.lower() == "javascript":
                problems.append(f"{path}: a javascript: link")
                continue
            if parts.scheme or target.startswith("//"):
                if not target.startswith(base):
                    continue  # the wider web: not this site's to check
                # An IRI under the base is served from the site: its page or file must exist.
                resolved = page_file(site.iris, parts._replace(query="", fragment="").geturl())
            else:
                resolved = _resolve(path, target) if parts.path else path
            followed += 1
            if resolved is None or resolved.startswith("../") or resolved not in site.files:
                problems.append(f"{path}: {target} names no file of the site")
            elif parts.fragment and (resolved not in site.pages or unquote(parts.fragment) not in
                                     site.pages[resolved].ids):
                problems.append(f"{path}: {target} names no element of {resolved}")
        for alternate in page.alternates:
            expected = ALTERNATE_SUFFIX.get(alternate.get("type", ""))
            if expected and not alternate.get("href", "").endswith(expected):
                problems.append(f"{path}: alternate {alternate} is not a {expected} file")
    assert followed > len(site.pages)
    assert problems == []


def test_every_script_is_json_ld_or_a_script_file_of_the_site(site: Built) -> None:
    problems = []
    for path, page in site.pages.items():
        for attrs, content in page.scripts:
            if attrs.get("type") == "application/ld+json":
                # Inside <script> only these escapes keep the data from ending the element or reading as HTML.
                if any(char in content for char in "<>&"):
                    problems.append(f"{path}: a <, > or & left unescaped in a JSON-LD script")
                try:
                    json.loads(content)
                except ValueError as exc:
                    problems.append(f"{path}: a JSON-LD script that is not JSON: {exc}")
            elif not (attrs.get("src", "").endswith(".js") and _resolve(path, attrs["src"]) in site.files
                      and not content.strip()):
                problems.append(f"{path}: a script that is neither JSON-LD nor a script file of the site: {attrs}")
    assert problems == []


def test_every_iri_under_the_base_in_the_dump_has_a_page_or_file(site: Built) -> None:
    base = site.config.base_iri
    iris = {str(term).split("#", 1)[0] for t in site.graph("dump.nt") for term in t
            if isinstance(term, rdflib.URIRef) and str(term).startswith(base)}
    assert len(iris) > 3
    missing = sorted(iri for iri in iris if page_file(site.iris, iri) not in site.files)
    assert missing == []


def test_resources_shown_by_their_iri_for_want_of_a_label_are_warned_about() -> None:
    base = "https://example.org/kg/"
    dcterms, rdfs = "http://purl.org/dc/terms/", "http://www.w3.org/2000/01/rdf-schema#"

    def triple(s: str, p: str, o: str | ox.Literal) -> ox.Triple:
        return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o))

    work, person, blank, ghost = (base + "work/w", base + "person/p", base + "person/blank", base + "person/ghost")
    triples = [
        triple(work, dcterms + "title", ox.Literal("A work")),
        triple(work, dcterms + "creator", person),  # described, but with no label
        triple(person, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://xmlns.com/foaf/0.1/Person"),
        triple(work, dcterms + "creator", blank),
        triple(blank, rdfs + "label", ox.Literal("  ")),
        triple(work, dcterms + "contributor", ghost),  # linked, never described
        triple(work, dcterms + "source", base + "dump.ttl"),  # a file of the site, not a resource
        triple(work, dcterms + "subject", "https://elsewhere.example/term"),  # not the site's to label
    ]
    site = Site(SiteInput(triples, "t", base, BUILD_DATE, "test"), lambda template, context: "")
    warnings = check_labels(site)
    assert [w.split(": ", 1)[0] for w in warnings] == [blank, ghost, person]
    assert "says nothing about it" in warnings[1] and "says nothing" not in warnings[0] + warnings[2]


def test_the_seed_project_builds_without_any_warning(seed_site: Built) -> None:
    result = seed_site.result
    assert result.warnings == ()
    assert result.graph.warnings == ()
    assert [r for r in result.report.results if r.severity == "Warning"] == []


# -- hostile input --------------------------------------------------------------------------------------


def _page_of(site: Built, title: str) -> str:
    dump = site.graph("dump.nt")
    subjects = list(dump.subjects(DCTERMS.title, rdflib.Literal(title)))
    assert len(subjects) == 1, f"{len(subjects)} resources titled {title[:40]!r}…"
    page = page_file(site.iris, str(subjects[0]))
    assert page is not None and page in site.pages
    return page


def test_hostile_input_adds_no_element_or_attribute_of_its_own(hostile_site: Built, seed_site: Built) -> None:
    seed_tags = set().union(*(p.tags for p in seed_site.pages.values()))
    seed_attributes = set().union(*(p.attributes for p in seed_site.pages.values()))
    problems = []
    for path, page in hostile_site.pages.items():
        problems += [f"{path}: <{tag}>" for tag in sorted(page.tags - seed_tags)]
        problems += [f"{path}: attribute {name}" for name in sorted(page.attributes - seed_attributes)]
        problems += [f"{path}: event handler {name}" for name in sorted(page.attributes) if name.startswith("on")]
    assert problems == []


def _strings(value: Any) -> Iterator[str]:
    """Every string in decoded JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def test_hostile_strings_are_shown_as_the_text_they_are(hostile_site: Built) -> None:
    path = _page_of(hostile_site, HOSTILE_TITLE)
    page = hostile_site.pages[path]
    assert HOSTILE_TITLE in page.shown("h1") and HOSTILE_TITLE in page.shown("title")
    assert "49" not in page.shown("h1")
    body = page.shown("body")
    for text in (*HOSTILE_AUTHORS, HOSTILE_ABSTRACT, HOSTILE_JOURNAL):
        assert " ".join(text.split()) in body, text
    source = hostile_site.files[path].decode("utf-8")
    assert "&lt;script&gt;alert(" in source and "<script>alert(" not in source
    evidence = [p for p, shown in hostile_site.pages.items() if p != path and HOSTILE_ABSTRACT in shown.shown("body")]
    assert evidence, "no claim page shows the hostile abstract as evidence"
    embedded = [json.loads(content) for attrs, content in page.scripts if attrs.get("type") == "application/ld+json"]
    assert embedded and HOSTILE_TITLE in set(_strings(embedded))
    long_page = hostile_site.pages[_page_of(hostile_site, LONG_TITLE)]
    assert LONG_TITLE in long_page.shown("h1")


def test_direction_overrides_in_the_data_stay_inside_their_own_text(hostile_site: Built) -> None:
    leaks = [f"{path}: {text!r}" for path, page in hostile_site.pages.items() for text in page.bidi_leaks]
    assert leaks == []


def test_hostile_literals_survive_every_rdf_form_exactly(hostile_site: Built) -> None:
    rapper = tool("rapper", "raptor2-utils")
    for title in (HOSTILE_TITLE, LONG_TITLE):
        stem = _page_of(hostile_site, title).removesuffix(".html")
        forms = {p: hostile_site.graph(p) for p in (f"{stem}.ttl", f"{stem}.nt", f"{stem}.jsonld", "dump.ttl",
                                                    "dump.nt", "dump.jsonld")}
        lines, said = rapper_ntriples(rapper, hostile_site.files[f"{stem}.ttl"], "turtle")
        assert said == []
        forms["rapper"] = rdflib.Graph().parse(data="\n".join(lines), format="nt")
        for name, graph in forms.items():
            literals = {str(o) for o in graph.objects(None, DCTERMS.title)}
            assert title in literals, name
            if title == HOSTILE_TITLE:
                assert {*HOSTILE_AUTHORS, HOSTILE_ABSTRACT} <= {str(o) for o in graph.objects()}, name
    assert LONG_TITLE.encode("utf-8") in hostile_site.files["dump.nt"]


def test_hostile_names_make_safe_file_names(hostile_site: Built, seed_site: Built) -> None:
    # Hidden files (.htaccess, .well-known/) are the site's own, in every site; none may come from the data.
    unsafe = [p for p in hostile_site.files if not re.fullmatch(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*", p)
              or (re.search(r"(^|/)\.", p) and p not in seed_site.files)]
    assert unsafe == []


# -- repeated builds ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], Path, str]:
    """A small project with hostile input and a build date that is not today, built twice.

    First by the pipeline without SOURCE_DATE_EPOCH, then by the command line with SOURCE_DATE_EPOCH on
    the configured day: the files of the first, where the second went, and what the second printed.
    """
    root = tmp_path_factory.mktemp("dated")
    project = tiny_project(root / "project")
    write_hostile_corpus(project / "corpus")
    settings = project / "exokg.toml"
    text, count = re.subn(r"(?m)^build_date = .*$", f'build_date = "{BUILD_DATE.isoformat()}"',
                          settings.read_text(encoding="utf-8"))
    assert count == 1
    settings.write_text(text, encoding="utf-8")
    result = build(load_config(project, environ={}).with_output(root / "first"))
    assert result.published, result.report.as_text()
    out = root / "second"
    moment = dt.datetime.combine(BUILD_DATE, dt.time(12, 30), tzinfo=dt.UTC)
    done = CliRunner().invoke(cli, ["build", str(project), "-o", str(out)], catch_exceptions=False,
                              env={"SOURCE_DATE_EPOCH": str(int(moment.timestamp()))})
    assert done.exit_code == 0, done.stderr
    return files_of(root / "first"), out, done.stderr


def test_a_second_build_with_source_date_epoch_on_the_build_date_is_byte_identical(
        dated_builds: tuple[dict[str, bytes], Path, str]) -> None:
    first, out, _ = dated_builds
    again = files_of(out)
    assert sorted(again) == sorted(first)
    assert [p for p in first if again[p] != first[p]] == []


def test_the_only_date_in_the_site_is_the_configured_one(dated_builds: tuple[dict[str, bytes], Path, str]) -> None:
    files = dated_builds[0]
    today = dt.datetime.now(tz=dt.UTC).date()
    assert today != BUILD_DATE
    stamps = {today.isoformat(), today.strftime("%d %b %Y"), today.strftime("%b %d, %Y"), today.strftime("%Y%m%d")}
    assert [p for p, content in files.items() for stamp in stamps if stamp.encode() in content] == []
    assert any(BUILD_DATE.isoformat().encode() in content for content in files.values())


_UNITS = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}


def test_the_build_prints_pages_files_size_and_time(dated_builds: tuple[dict[str, bytes], Path, str]) -> None:
    _, out, err = dated_builds
    found = re.search(r"wrote ([\d,]+) pages, ([\d,]+) files, ([\d.,]+) (bytes|kB|MB|GB) to (.+) in ([\d.]+) "
                      r"seconds", err)
    assert found, err
    on_disk = files_of(out)
    assert int(found[1].replace(",", "")) == sum(p.endswith(".html") for p in on_disk)
    assert int(found[2].replace(",", "")) == len(on_disk)
    unit = _UNITS[found[4]]
    assert abs(float(found[3].replace(",", "")) * unit - sum(map(len, on_disk.values()))) <= unit * 0.05
    assert Path(found[5]).resolve() == out.resolve()
    assert float(found[6]) > 0


# -- --strict -------------------------------------------------------------------------------------------

UNLABELLED = "https://w3id.org/exokg/ontology/UnlabelledTerm"
WARNING_MESSAGE = "a titled resource should say what it is about (a test's warning)"
PROBLEMS = {
    "dangling link": "no-such-page.html",
    "missing label": UNLABELLED,
    "SHACL warning": WARNING_MESSAGE,
}


def add_problem(project: Path, kind: str) -> None:
    """Give the project one thing the build only warns about."""
    if kind == "dangling link":
        template = project / "site" / "templates" / "index.html"
        text = template.read_text(encoding="utf-8")
        assert "{% block main %}" in text
        template.write_text(text.replace("{% block main %}", '{% block main %}\n<a href="{{ root }}'
                                         'no-such-page.html">gone</a>', 1), encoding="utf-8")
    elif kind == "missing label":
        (project / "ontology" / "unlabelled.ttl").write_text(
            f"<{UNLABELLED}> a <http://www.w3.org/2002/07/owl#Class> .\n", encoding="utf-8")
    else:
        (project / "shapes" / "advice.ttl").write_text(f"""\
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:exokg-test:AdviceShape> a sh:NodeShape ;
    sh:targetSubjectsOf <http://purl.org/dc/terms/title> ;
    sh:property [ sh:path <urn:exokg-test:about> ; sh:minCount 1 ; sh:severity sh:Warning ;
                  sh:message "{WARNING_MESSAGE}" ] .
""", encoding="utf-8")


def run_cli(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"SOURCE_DATE_EPOCH": None})
    return done.exit_code, done.stderr


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_strict_fails_on_each_kind_of_warning_and_names_it(kind: str, tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "project")
    add_problem(project, kind)
    out = tmp_path / "out"
    code, err = run_cli("build", str(project), "-o", str(out), "--strict")
    assert code != 0 and "Traceback" not in err
    assert PROBLEMS[kind] in err.split("error: --strict", 1)[-1], err
    # Neither the site nor the stored graph is written; only the caches may be (the validation's and the build's,
    # both keyed by content).
    assert not out.exists() and not (project / ".exokg" / "store").exists()
    assert {p.name for p in (project / ".exokg").iterdir()} <= {"shacl", CACHE_FILE} \
        if (project / ".exokg").exists() else True


def test_without_strict_the_warnings_are_printed_and_with_it_the_previous_site_stays(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "project")
    for kind in PROBLEMS:
        add_problem(project, kind)
    out = tmp_path / "out"
    code, err = run_cli("build", str(project), "-o", str(out))
    assert code == 0, err
    assert all(text in err for text in PROBLEMS.values()), err
    before = files_of(out)
    code, err = run_cli("build", str(project), "-o", str(out), "--strict")
    assert code != 0
    assert all(text in err.split("error: --strict", 1)[-1] for text in PROBLEMS.values()), err
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]
