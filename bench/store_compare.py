"""The store decision, measured: pyoxigraph's embedded store against rdflib's in-memory store.

    python bench/store_compare.py --articles N [--seed S] [--json] [--skip-rdflib-query] [--timeout T]

A deterministic synthetic graph shaped like the one exokg.graph.mapping writes (same predicates, the IRIs
minted by exokg.graph.iris) is generated with pyoxigraph terms and written once as N-Triples. Each store then
runs the same steps in a fresh worker process of its own (so memory deltas are clean and one store's garbage
never slows the other): load, insert, two SPARQL aggregations, Turtle and N-Triples serialisation, memory.
Every step has a time limit (``--timeout``); a step that does not finish is reported as ``> T s``, its worker
is killed and a new one carries on with the remaining steps, so the script always ends.

Shape per article: an ``exo:Article``/``fabio:Expression`` with title, abstract, DOI, PMID, year, journal,
keywords, provenance; ``--authors`` authorship entries (``exo:authorship`` -> hash node with
``schema:position``, ``exo:agent`` -> shared ``foaf:Person``); ``--refs`` reference-list entries (``frbr:part``
-> ``biro:BibliographicReference`` with label, position, ``biro:references``, ``c4o:hasContent``) plus the
matching ``cito:cites``. Cited works come from a shared pool with a Zipf-like skew, so popular works are cited
by many articles; most cited works are outside the corpus, a few citations point at earlier corpus articles.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import select
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from exokg.graph.iris import Iris, doi_iri, pubmed_iri
from exokg.graph.namespaces import PREFIXES

BASE = "https://w3id.org/exokg/"
NT = RdfFormat.N_TRIPLES

# ---------------------------------------------------------------------------------------------------------
# Queries. CITED_TWICE is queries/co-cited-works.rq with ?_min_integer bound to 2.

_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

COCITATION = _PREFIXES + """
SELECT ?a ?b (COUNT(?citing) AS ?n)
WHERE {
  ?citing cito:cites ?a .
  ?citing cito:cites ?b .
  FILTER (STR(?a) < STR(?b))
}
GROUP BY ?a ?b
ORDER BY DESC(?n) ?a ?b
LIMIT 20
"""

CITED_TWICE = _PREFIXES + """
SELECT ?work ?label ?doi ?citing_articles
WHERE {
  {
    SELECT ?work (COUNT(DISTINCT ?citing) AS ?citing_articles)
    WHERE { ?citing a exo:Article ; cito:cites ?work . }
    GROUP BY ?work
  }
  FILTER (?citing_articles >= 2)
  ?work rdfs:label ?label .
  OPTIONAL { ?work prism:doi ?doi }
}
ORDER BY DESC(?citing_articles) ?label
"""

# ---------------------------------------------------------------------------------------------------------
# The synthetic graph.

_WORDS = (
    "mesenchymal stem stromal cell cells exosome exosomes extracellular vesicle vesicles derived bone marrow "
    "umbilical cord adipose tissue repair regeneration therapy therapeutic paracrine signalling pathway "
    "microRNA miRNA protein cargo uptake secretion isolation ultracentrifugation characterisation nanoparticle "
    "tracking analysis inflammation immune modulation macrophage polarisation T-cell apoptosis proliferation "
    "migration angiogenesis wound healing cartilage osteoarthritis fibrosis liver kidney injury acute chronic "
    "myocardial infarction ischaemia reperfusion stroke neuroprotection spinal cord lung sepsis diabetes "
    "hypoxia preconditioning engineered loading targeting delivery biodistribution in vivo in vitro model "
    "mouse rat patients clinical trial safety efficacy dose response expression upregulated downregulated "
    "inhibits promotes attenuates enhances via through mediated by the of in and with a novel review"
)
_GIVEN = ("Yi Wei Li Jun Hui Xin Anna Maria Luca Sara Tom Ana Jose Kenji Yuki Min Ji Hyun Raj Priya Omar "
         "Lena Paul Eva Ivan Olga Chen Ming Fang Lei Ying Hao Mei Tao Ravi Nina Mark Emma")
_SURNAMES = ("Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Kim Lee Park "
            "Choi Jung Kang Cho Yoon Tanaka Suzuki Sato Ito Rossi Russo Ferrari Esposito Bianchi Garcia "
            "Martinez Lopez Gonzalez Rodriguez Fernandez Smith Johnson Brown Jones Miller Davis Wilson Taylor "
            "Anderson Thomas Moore Martin Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Kumar "
            "Singh Sharma Patel Gupta Ivanov Petrov Silva Santos Oliveira Costa Pereira Nguyen Tran Le Pham "
            "Cohen Levi Kaya Demir Yilmaz Novak Horvat Kowalski Nowak Jensen Hansen Nielsen Larsen")
_JOURNALS = ("Stem Cell Res Ther|Stem Cells Int|J Extracell Vesicles|Theranostics|Int J Mol Sci|Cells|"
            "Front Cell Dev Biol|Front Immunol|Biomaterials|J Nanobiotechnology|Cell Death Dis|Sci Rep|"
            "PLoS One|Mol Ther|Stem Cells|Stem Cell Reports|Cytotherapy|Regen Ther|Bioact Mater|"
            "Acta Biomater|J Control Release|Nat Commun|Cell Stem Cell|Adv Sci|ACS Nano|Exp Mol Med|"
            "World J Stem Cells|Tissue Eng Part A|J Cell Mol Med|Oxid Med Cell Longev|Aging|Mol Med Rep|"
            "Exp Cell Res|Biomed Pharmacother|J Transl Med|Front Bioeng Biotechnol|Int J Nanomedicine|"
            "Cell Prolif|Transl Res|Cell Commun Signal")
WORDS, GIVEN, SURNAMES = _WORDS.split(), _GIVEN.split(), _SURNAMES.split()
JOURNALS = _JOURNALS.split("|")
PUBLISHERS = ("BioMed Central", "MDPI", "Elsevier", "Springer Nature", "Wiley", "Frontiers Media", "Hindawi")
CITIES = ("Shanghai", "Beijing", "Seoul", "Tokyo", "Milan", "Madrid", "Boston", "Berlin", "Mumbai", "Sao Paulo")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _iri(curie: str) -> NamedNode:
    prefix, _, local = curie.partition(":")
    return NamedNode(PREFIXES[prefix] + local)


RDF_TYPE, LABEL, TITLE, ABSTRACT = (_iri(c) for c in ("rdf:type", "rdfs:label", "dcterms:title",
                                                       "dcterms:abstract"))
XSD_INTEGER, XSD_GYEAR, XSD_DATE, XSD_BOOLEAN, XSD_DATETIME = (
    _iri(c) for c in ("xsd:integer", "xsd:gYear", "xsd:date", "xsd:boolean", "xsd:dateTime"))
EXPRESSION, ARTICLE, REVIEW, JOURNAL, PERSON, AUTHORSHIP, BIBREF, CONCEPT, SCHEME = (
    _iri(c) for c in ("fabio:Expression", "exo:Article", "fabio:ReviewArticle", "fabio:Journal", "foaf:Person",
                      "exo:Authorship", "biro:BibliographicReference", "skos:Concept", "skos:ConceptScheme"))
(DOI, OWL_SAME, PMID, SCHEMA_SAME, YEAR, VOLUME, ISSUE, PAGES, PART_OF, AUTHORS_COMPLETE, AUTHORSHIP_P,
 CREATOR, POSITION, AGENT, NAME_PRINTED, AFFILIATION, FOAF_NAME, PUB_TYPE, DATE_PRINTED, ISSUED, PUBLISHER,
 CITATION_COUNT, SUBJECT, GENERATED_BY, DERIVED_FROM, CITES, PART, REFERENCES, CONTENT, MATCH_KEY, IN_SCHEME,
 PREF_LABEL, SHA256, LAYOUT, USED, ASSOCIATED, ENDED) = (_iri(c) for c in (
    "prism:doi", "owl:sameAs", "fabio:hasPubMedId", "schema:sameAs", "fabio:hasPublicationYear", "prism:volume",
    "prism:issueIdentifier", "prism:pageRange", "dcterms:isPartOf", "exo:authorListComplete", "exo:authorship",
    "dcterms:creator", "schema:position", "exo:agent", "exo:nameAsPrinted", "exo:affiliationAsPrinted",
    "foaf:name", "exo:publicationType", "exo:publicationDateAsPrinted", "dcterms:issued", "schema:publisher",
    "exo:statedCitationCount", "dcterms:subject", "prov:wasGeneratedBy", "prov:wasDerivedFrom", "cito:cites",
    "frbr:part", "biro:references", "c4o:hasContent", "exo:matchKey", "skos:inScheme", "skos:prefLabel",
    "exo:sha256", "exo:layout", "prov:used", "prov:wasAssociatedWith", "prov:endedAtTime"))
PROV_ENTITY, SOURCE_RECORD, ACTIVITY = (_iri(c) for c in ("prov:Entity", "exo:SourceRecord", "prov:Activity"))


class Synthetic:
    """Generates the triples; every random choice comes from one ``Random(seed)`` in a fixed order."""

    def __init__(self, articles: int, seed: int, authors: int, refs: int) -> None:
        self.n, self.n_authors, self.n_refs = articles, authors, refs
        self.rng = Random(seed)
        self.iris = Iris(BASE)
        self.out: list[Triple] = []
        self.software = NamedNode(self.iris.software("0.1.0"))
        self.stamp = Literal("2026-11-21T00:00:00Z", datatype=XSD_DATETIME)
        self.persons = self.person_pool(max(50, 3 * articles))
        self.keywords = sorted({" ".join(self.rng.sample(WORDS, 2)) for _ in range(400)})
        # Zipf-like popularity, weight 1 / (rank + 30) over a pool of 30 works per article: the most cited work
        # is cited by ~15 % of the articles, ~60 % of the cited works by one article only.
        self.pool_size = 30 * articles + 1000
        self.cum = list(accumulate(1.0 / (r + 30) for r in range(self.pool_size)))
        self.described: dict[object, NamedNode] = {}
        self.citation_text: dict[int, str] = {}
        self.article_iris: list[NamedNode] = []
        self.citing: Counter[str] = Counter()

    def person_pool(self, size: int) -> list[str]:
        """``size`` distinct names (``Yi M. Zhang``): distinct names mint distinct person IRIs."""
        names: dict[str, None] = {}
        letters = "ABCDEFGHJKLMNPRSTWY"
        while len(names) < size:
            given, surname = self.rng.choice(GIVEN), self.rng.choice(SURNAMES)
            initials = self.rng.choice(letters) + (self.rng.choice(letters) if len(names) > 20_000 else "")
            names.setdefault(f"{given} {initials}. {surname}")
        return list(names)

    # -- helpers -----------------------------------------------------------------------------------------
    def t(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.out.append(Triple(s, p, o))

    def text(self, low: int, high: int) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize()

    def journal(self, name: str) -> NamedNode:
        node = self.described.get(("journal", name))
        if node is None:
            node = self.described[("journal", name)] = NamedNode(self.iris.journal(name))
            self.t(node, RDF_TYPE, JOURNAL)
            self.t(node, TITLE, Literal(name))
            self.t(node, LABEL, Literal(name))
        return node

    def person(self, name: str) -> NamedNode:
        node = self.described.get(("person", name))
        if node is None:
            node = self.described[("person", name)] = NamedNode(self.iris.person(name))
            self.t(node, RDF_TYPE, PERSON)
            self.t(node, FOAF_NAME, Literal(name))
            self.t(node, LABEL, Literal(name))
        return node

    def keyword(self, label: str) -> NamedNode:
        node = self.described.get(("keyword", label))
        if node is None:
            scheme = NamedNode(self.iris.keyword_scheme())
            if ("scheme",) not in self.described:
                self.described[("scheme",)] = scheme
                self.t(scheme, RDF_TYPE, SCHEME)
                self.t(scheme, PREF_LABEL, Literal("Author keywords", language="en"))
                self.t(scheme, LABEL, Literal("Author keywords"))
            node = self.described[("keyword", label)] = NamedNode(self.iris.keyword(label))
            self.t(node, RDF_TYPE, CONCEPT)
            self.t(node, IN_SCHEME, scheme)
            self.t(node, PREF_LABEL, Literal(label))
            self.t(node, LABEL, Literal(label))
        return node

    def pool_work(self, j: int) -> NamedNode:
        """A work outside the corpus, described the first time it is cited (as exokg does from references)."""
        node = self.described.get(("work", j))
        if node is not None:
            return node
        rng = self.rng
        title = self.text(6, 14)
        year = rng.randint(1995, 2024)
        journal = rng.choice(JOURNALS)
        volume, first_page = str(rng.randint(1, 60)), rng.randint(1, 900)
        pages = f"{first_page}-{first_page + rng.randint(3, 20)}"
        first = f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGHJKLMNPRSTWXYZ')}"
        kind = rng.random()
        if kind < 0.75:
            doi = f"10.{rng.randint(1000, 9999)}/{journal.split()[0].lower()}.{year}.{j:07d}"
            node = NamedNode(self.iris.work(f"doi:{doi}"))
            ids = [(DOI, Literal(doi)), (OWL_SAME, NamedNode(doi_iri(doi)))]
            suffix = f" doi: {doi}."
        elif kind < 0.9:
            pmid = str(10_000_000 + j)
            node = NamedNode(self.iris.work(f"pmid:{pmid}"))
            ids = [(PMID, Literal(pmid)), (SCHEMA_SAME, NamedNode(pubmed_iri(pmid)))]
            suffix = f" PMID: {pmid}."
        else:
            key = f"{first.split()[0].lower()}-{year}-{title.split()[0].lower()}-{j}"
            node = NamedNode(self.iris.work(f"ref:{key}"))
            ids = [(MATCH_KEY, Literal(key))]
            suffix = ""
        self.described[("work", j)] = node
        self.t(node, RDF_TYPE, EXPRESSION)
        self.t(node, LABEL, Literal(title))
        self.t(node, TITLE, Literal(title))
        for p, o in ids:
            self.t(node, p, o)
        self.t(node, YEAR, Literal(str(year), datatype=XSD_GYEAR))
        self.t(node, VOLUME, Literal(volume))
        self.t(node, PAGES, Literal(pages))
        self.t(node, PART_OF, self.journal(journal))
        self.citation_text[j] = f"{first}, et al. {title}. {journal}. {year};{volume}:{pages}.{suffix}"
        return node

    def cited(self, i: int) -> list[tuple[NamedNode, str]]:
        """The ``refs`` distinct works article ``i`` cites, with the text of each reference entry."""
        chosen: list[tuple[NamedNode, str]] = []
        seen: set[object] = set()
        while len(chosen) < self.n_refs:
            if i > 0 and self.rng.random() < 0.05:
                k = self.rng.randrange(i)
                if ("a", k) not in seen:
                    seen.add(("a", k))
                    chosen.append((self.article_iris[k], f"Reference to corpus article {k}."))
                continue
            j = self.rng.choices(range(self.pool_size), cum_weights=self.cum)[0]
            if j not in seen:
                seen.add(j)
                node = self.pool_work(j)
                chosen.append((node, self.citation_text[j]))
        return chosen

    # -- the graph ---------------------------------------------------------------------------------------
    def generate(self) -> list[Triple]:
        ds = NamedNode(self.iris.dataset())
        self.t(ds, RDF_TYPE, _iri("void:Dataset"))
        self.t(ds, RDF_TYPE, _iri("dcat:Dataset"))
        self.t(ds, LABEL, Literal("exokg synthetic benchmark graph"))
        self.t(ds, _iri("prov:wasAttributedTo"), self.software)
        self.t(self.software, RDF_TYPE, _iri("prov:SoftwareAgent"))
        for i in range(self.n):
            self.article(i)
        return self.out

    def article(self, i: int) -> None:
        rng = self.rng
        year = rng.randint(2010, 2025)
        journal = rng.choice(JOURNALS)
        doi = f"10.{rng.randint(1000, 9999)}/{journal.split()[0].lower()}.{year}.a{i:07d}"
        w = NamedNode(self.iris.work(f"doi:{doi}"))
        self.article_iris.append(w)
        title = self.text(8, 18)
        self.t(w, RDF_TYPE, EXPRESSION)
        self.t(w, RDF_TYPE, ARTICLE)
        review = rng.random() < 0.15
        if review:
            self.t(w, RDF_TYPE, REVIEW)
        self.t(w, LABEL, Literal(title))
        self.t(w, TITLE, Literal(title))
        self.t(w, DOI, Literal(doi))
        self.t(w, OWL_SAME, NamedNode(doi_iri(doi)))
        pmid = str(30_000_000 + i)
        self.t(w, PMID, Literal(pmid))
        self.t(w, SCHEMA_SAME, NamedNode(pubmed_iri(pmid)))
        self.t(w, YEAR, Literal(str(year), datatype=XSD_GYEAR))
        first_page = rng.randint(1, 900)
        self.t(w, VOLUME, Literal(str(rng.randint(1, 60))))
        self.t(w, ISSUE, Literal(str(rng.randint(1, 12))))
        self.t(w, PAGES, Literal(f"{first_page}-{first_page + rng.randint(5, 20)}"))
        self.t(w, PART_OF, self.journal(journal))
        self.t(w, AUTHORS_COMPLETE, Literal("true", datatype=XSD_BOOLEAN))
        for number, k in enumerate(rng.sample(range(len(self.persons)), self.n_authors), start=1):
            name = self.persons[k]
            person = self.person(name)
            entry = NamedNode(self.iris.fragment(w.value, "author", number))
            self.t(w, AUTHORSHIP_P, entry)
            self.t(w, CREATOR, person)
            self.t(entry, RDF_TYPE, AUTHORSHIP)
            self.t(entry, LABEL, Literal(f"author {number}: {name}"))
            self.t(entry, POSITION, Literal(str(number), datatype=XSD_INTEGER))
            self.t(entry, AGENT, person)
            self.t(entry, NAME_PRINTED, Literal(name))
            self.t(entry, AFFILIATION, Literal(f"Department of {rng.choice(WORDS).capitalize()}, "
                                               f"{rng.choice(CITIES)} University, {rng.choice(CITIES)}"))
        for ptype in ("Journal Article", "Review") if review else ("Journal Article",):
            self.t(w, PUB_TYPE, Literal(ptype))
        self.t(w, ABSTRACT, Literal(self.text(180, 260) + "."))
        month, day = rng.randrange(12), rng.randint(1, 28)
        self.t(w, DATE_PRINTED, Literal(f"{year} {MONTHS[month]} {day}"))
        self.t(w, ISSUED, Literal(f"{year}-{month + 1:02d}-{day:02d}", datatype=XSD_DATE))
        self.t(w, PUBLISHER, Literal(rng.choice(PUBLISHERS)))
        self.t(w, CITATION_COUNT, Literal(str(rng.randint(0, 300)), datatype=XSD_INTEGER))
        for label in rng.sample(self.keywords, 5):
            self.t(w, SUBJECT, self.keyword(label))
        name = f"{i:06d}_{rng.getrandbits(64):016x}.txt"
        source = NamedNode(self.iris.source(name))
        activity = NamedNode(f"{source.value}#parse")
        self.t(w, GENERATED_BY, activity)
        self.t(w, DERIVED_FROM, source)
        self.t(source, RDF_TYPE, PROV_ENTITY)
        self.t(source, RDF_TYPE, SOURCE_RECORD)
        self.t(source, LABEL, Literal(name))
        self.t(source, SHA256, Literal(hashlib.sha256(name.encode()).hexdigest()))
        self.t(source, LAYOUT, Literal("pubmed_abstract_page"))
        self.t(activity, RDF_TYPE, ACTIVITY)
        self.t(activity, LABEL, Literal(f"parsing {name}"))
        self.t(activity, USED, source)
        self.t(activity, ASSOCIATED, self.software)
        self.t(activity, ENDED, self.stamp)
        for position, (work, text) in enumerate(self.cited(i), start=1):
            self.citing[work.value] += 1
            entry = NamedNode(self.iris.fragment(w.value, "ref", position))
            self.t(w, CITES, work)
            self.t(w, PART, entry)
            self.t(entry, RDF_TYPE, BIBREF)
            self.t(entry, LABEL, Literal(f"reference {position}"))
            self.t(entry, POSITION, Literal(str(position), datatype=XSD_INTEGER))
            self.t(entry, REFERENCES, work)
            self.t(entry, CONTENT, Literal(text))
            self.t(work, DERIVED_FROM, source)  # the cited work's mentioned_in


# ---------------------------------------------------------------------------------------------------------
# Workers: one process per store, steps reported as JSON lines on stdout.

def rss_bytes(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _digest(rows: list[Any]) -> str:
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def _cocitation_summary(rows: list[tuple[str, str, int]]) -> dict[str, Any]:
    return {"rows": len(rows), "top": rows[:3], "digest": _digest(rows)}


def _cited_summary(rows: list[tuple[str, int]]) -> dict[str, Any]:
    return {"rows": len(rows), "citations": sum(n for _, n in rows), "top": rows[:3], "digest": _digest(rows)}


def rdflib_worker(nt: str, steps: list[str]) -> Callable[[str], tuple[float, dict[str, Any]]]:
    from rdflib import Graph

    state: dict[str, Any] = {}

    def new_graph() -> Graph:
        g = Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True, replace=True)
        return g

    def run(step: str) -> tuple[float, dict[str, Any]]:
        if step == "parse":
            state.pop("g", None)
            gc.collect()
            rss0, hwm0 = rss_bytes(), rss_bytes("VmHWM")
            t0 = time.perf_counter()
            g = new_graph()
            g.parse(nt, format="nt")
            secs = time.perf_counter() - t0
            gc.collect()
            state["g"] = g
            return secs, {"triples": len(g), "rss_bytes": rss_bytes() - rss0,
                          "peak_rss_bytes": rss_bytes("VmHWM") - hwm0}
        if step == "add":
            triples = list(state.pop("g"))
            gc.collect()
            g = new_graph()
            add = g.add
            t0 = time.perf_counter()
            for triple in triples:
                add(triple)
            secs = time.perf_counter() - t0
            del triples
            state["g"] = g
            return secs, {"triples": len(g)}
        if step == "memory":
            gc.collect()
            tracemalloc.start()
            base = tracemalloc.get_traced_memory()[0]
            t0 = time.perf_counter()
            g = new_graph()
            g.parse(nt, format="nt")
            secs = time.perf_counter() - t0
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            return secs, {"triples": len(g), "traced_bytes": current - base, "traced_peak_bytes": peak - base}
        g = state["g"]
        t0 = time.perf_counter()
        if step == "cocitation":
            rows = [(str(r.a), str(r.b), int(r.n)) for r in g.query(COCITATION)]
            return time.perf_counter() - t0, _cocitation_summary(rows)
        if step == "cited2":
            rows2 = [(str(r.work), int(r.citing_articles)) for r in g.query(CITED_TWICE)]
            return time.perf_counter() - t0, _cited_summary(rows2)
        if step in ("turtle", "ntriples"):
            data = g.serialize(format="turtle" if step == "turtle" else "nt", encoding="utf-8")
            return time.perf_counter() - t0, {"bytes": len(data), "lines": data.count(b"\n")}
        raise ValueError(step)

    return run


def oxigraph_worker(nt: str, steps: list[str]) -> Callable[[str], tuple[float, dict[str, Any]]]:
    state: dict[str, Any] = {}

    def run(step: str) -> tuple[float, dict[str, Any]]:
        if step == "load":
            state.pop("store", None)
            gc.collect()
            rss0, hwm0 = rss_bytes(), rss_bytes("VmHWM")
            t0 = time.perf_counter()
            store = Store()
            store.load(path=nt, format=NT)
            secs = time.perf_counter() - t0
            gc.collect()
            state["store"] = store
            return secs, {"triples": len(store), "rss_bytes": rss_bytes() - rss0,
                          "peak_rss_bytes": rss_bytes("VmHWM") - hwm0}
        if step == "bulk_extend":
            quads = [Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in parse(path=nt, format=NT)]
            other = Store()
            t0 = time.perf_counter()
            other.bulk_extend(quads)
            return time.perf_counter() - t0, {"triples": len(other)}
        if step == "bulk_load":
            other = Store()
            t0 = time.perf_counter()
            other.bulk_load(path=nt, format=NT)
            return time.perf_counter() - t0, {"triples": len(other)}
        store = state["store"]
        t0 = time.perf_counter()
        if step == "cocitation":
            rows = [(s["a"].value, s["b"].value, int(s["n"].value)) for s in store.query(COCITATION)]
            return time.perf_counter() - t0, _cocitation_summary(rows)
        if step == "cited2":
            rows2 = [(s["work"].value, int(s["citing_articles"].value)) for s in store.query(CITED_TWICE)]
            return time.perf_counter() - t0, _cited_summary(rows2)
        if step in ("turtle", "ntriples"):
            fmt = RdfFormat.TURTLE if step == "turtle" else NT
            data = store.dump(format=fmt, from_graph=DefaultGraph(), prefixes=PREFIXES if step == "turtle" else None)
            return time.perf_counter() - t0, {"bytes": len(data), "lines": data.count(b"\n")}
        raise ValueError(step)

    return run


WORKERS = {"rdflib": rdflib_worker, "pyoxigraph": oxigraph_worker}


def worker_main(kind: str, nt: str, steps: list[str]) -> None:
    run = WORKERS[kind](nt, steps)
    for step in steps:
        print(json.dumps({"start": step}), flush=True)
        secs, extra = run(step)
        print(json.dumps({"done": step, "seconds": secs, **extra}), flush=True)


# ---------------------------------------------------------------------------------------------------------
# The parent: runs the workers under time limits.

def run_steps(kind: str, nt: str, steps: list[str], loader: str | None, timeout: float,
              results: dict[str, dict[str, Any]]) -> None:
    """Runs ``steps`` in worker processes, each step within ``timeout`` s; ``loader`` is re-run after a kill."""
    remaining = [s for s in steps if s != loader]
    first = True
    while first or remaining:
        first = False
        todo = ([loader] if loader else []) + remaining
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--nt", nt, "--steps", ",".join(todo)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, bufsize=0)
        assert proc.stdout is not None
        fd, buf, current = proc.stdout.fileno(), b"", None
        deadline = time.monotonic() + timeout
        outcome = "exit"
        while True:
            if b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                event = json.loads(line)
                if "start" in event:
                    current, deadline = event["start"], time.monotonic() + timeout
                else:
                    step = event.pop("done")
                    results.setdefault(step, event)
                    if step in remaining:
                        remaining.remove(step)
                    print(f"  {kind:10} {step:12} {event['seconds']:9.2f} s", file=sys.stderr, flush=True)
                    current = None
                continue
            wait = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(wait, 0))[0] if wait > 0 else []
            if not ready:
                outcome = "timeout"
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                outcome = "exit"
                break
            buf += chunk
        if outcome == "timeout":
            proc.kill()
        proc.wait()
        proc.stdout.close()
        if outcome == "exit" and proc.returncode == 0 and current is None:
            for step in remaining:  # a clean exit runs every step; anything left over is a bug
                results.setdefault(step, {"error": "not reported"})
            break
        failed = current or (todo[0] if todo else None)
        if failed is None:
            break
        verdict = {"timeout": timeout} if outcome == "timeout" else {"error": f"worker exited {proc.returncode}"}
        results.setdefault(failed, verdict)
        shown = f"> {timeout:g} s" if outcome == "timeout" else "error"
        print(f"  {kind:10} {failed:12} {shown}", file=sys.stderr, flush=True)
        if failed in remaining:
            remaining.remove(failed)
        if failed == loader or current is None:
            for step in remaining:
                results.setdefault(step, {"not_run": f"{failed} did not finish"})
            remaining = []


def fmt_seconds(r: dict[str, Any] | None) -> str:
    if r is None:
        return "—"
    if "timeout" in r:
        return f"> {r['timeout']:g} s"
    if "skipped" in r:
        return "skipped"
    if "not_run" in r:
        return "not run"
    if "error" in r:
        return "error"
    s = r["seconds"]
    return f"{s:.3f} s" if s < 1 else f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def seconds_or_bound(r: dict[str, Any] | None) -> tuple[float | None, bool]:
    if r is None:
        return None, False
    if "seconds" in r:
        return r["seconds"], False
    if "timeout" in r:
        return r["timeout"], True
    return None, False


def ratio(a: tuple[float | None, bool], b: tuple[float | None, bool]) -> str:
    (x, x_bound), (y, y_bound) = a, b
    if x is None or y is None or y_bound or y <= 0:
        return "—"
    return f"{'> ' if x_bound else ''}{x / y:.1f}x"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, help="corpus articles to generate")
    ap.add_argument("--seed", type=int, default=1, help="random seed (the graph is a function of it)")
    ap.add_argument("--authors", type=int, default=5, help="authors per article")
    ap.add_argument("--refs", type=int, default=40, help="reference-list entries per article")
    ap.add_argument("--timeout", type=float, default=120.0, help="time limit of every step, seconds")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--skip-rdflib-query", action="store_true",
                    help="do not run rdflib's co-citation query (it takes > 300 s at 10,000 articles)")
    ap.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    ap.add_argument("--nt", help=argparse.SUPPRESS)
    ap.add_argument("--steps", help=argparse.SUPPRESS)
    ap.add_argument("--table", metavar="FILE", help="print the table of a saved --json output and exit")
    args = ap.parse_args(argv)
    if args.table:
        print(render(json.loads(Path(args.table).read_text(encoding="utf-8"))))
        return 0
    if args.worker:
        worker_main(args.worker, args.nt, args.steps.split(","))
        return 0

    t0 = time.perf_counter()
    synth = Synthetic(args.articles, args.seed, args.authors, args.refs)
    triples = synth.generate()
    generate_secs = time.perf_counter() - t0
    n_triples = len(triples)
    assert len(set(triples)) == n_triples, "the generator wrote a triple twice"
    cited_works = len(synth.citing)
    cited_twice = sum(1 for c in synth.citing.values() if c >= 2)
    top_cited = max(synth.citing.values())
    print(f"generated {n_triples:,} triples for {args.articles:,} articles in {generate_secs:.1f} s",
          file=sys.stderr, flush=True)

    results: dict[str, dict[str, dict[str, Any]]] = {"rdflib": {}, "pyoxigraph": {}}
    with tempfile.TemporaryDirectory(prefix="exokg-bench-") as tmp:
        nt = str(Path(tmp) / "graph.nt")
        serialize(triples, nt, NT)
        del triples, synth
        gc.collect()
        nt_bytes = Path(nt).stat().st_size
        run_steps("pyoxigraph", nt, ["load", "cocitation", "cited2", "turtle", "ntriples", "bulk_extend",
                                     "bulk_load"], "load", args.timeout, results["pyoxigraph"])
        rdf_steps = ["parse", "add", "cited2", "ntriples", "turtle"]
        if args.skip_rdflib_query:
            results["rdflib"]["cocitation"] = {"skipped": "--skip-rdflib-query"}
        else:
            rdf_steps.append("cocitation")
        run_steps("rdflib", nt, rdf_steps, "parse", args.timeout, results["rdflib"])
        if "seconds" in results["rdflib"].get("parse", {}):
            run_steps("rdflib", nt, ["memory"], None, args.timeout, results["rdflib"])
        else:  # tracemalloc makes parsing slower still: it cannot finish either
            results["rdflib"]["memory"] = {"not_run": "parse did not finish"}

    rdf, ox = results["rdflib"], results["pyoxigraph"]
    agree: dict[str, bool | None] = {}
    for step in ("cocitation", "cited2"):
        a, b = rdf.get(step, {}), ox.get(step, {})
        agree[step] = a["digest"] == b["digest"] if "digest" in a and "digest" in b else None
    agree["cited2_matches_generator"] = ox.get("cited2", {}).get("rows") == cited_twice if "rows" in ox.get(
        "cited2", {}) else None
    agree["triple_counts"] = all(r.get("triples", n_triples) == n_triples for side in (rdf, ox) for r in side.values())

    summary = {
        "articles": args.articles, "seed": args.seed, "authors": args.authors, "refs": args.refs,
        "triples": n_triples, "triples_per_article": round(n_triples / max(args.articles, 1), 1),
        "nt_bytes": nt_bytes, "generate_seconds": round(generate_secs, 2), "cited_works": cited_works,
        "cited_by_2_or_more": cited_twice, "most_cited_by": top_cited, "timeout_seconds": args.timeout,
        "agree": agree, "rdflib": rdf, "pyoxigraph": ox,
        "versions": {"python": platform.python_version(), "rdflib": _version("rdflib"),
                     "pyoxigraph": _version("pyoxigraph")},
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(render(summary))
    return 0


def render(summary: dict[str, Any]) -> str:
    """The table of one run (also from a saved ``--json`` output: ``--table FILE``)."""
    rdf, ox, n_triples, n = summary["rdflib"], summary["pyoxigraph"], summary["triples"], summary["articles"]

    def per_triple(r: dict[str, Any] | None, key: str) -> tuple[str, float | None]:
        if r is None or key not in r:
            return (fmt_seconds(r) if r and "seconds" not in r else "—"), None
        value = r[key] / n_triples
        return f"{value:,.0f} B", value

    rows: list[tuple[str, str, str, str]] = []
    for label, rk, ok in (
        ("load N-Triples: Graph.parse | Store.load", "parse", "load"),
        ("insert: Graph.add loop | Store.bulk_extend", "add", "bulk_extend"),
        ("Store.bulk_load N-Triples (pyoxigraph only)", None, "bulk_load"),
        ("co-citation pairs, top 20", "cocitation", "cocitation"),
        ("works cited by >= 2 articles", "cited2", "cited2"),
        ("serialise Turtle", "turtle", "turtle"),
        ("serialise N-Triples", "ntriples", "ntriples"),
    ):
        r, o = rdf.get(rk) if rk else None, ox.get(ok)
        rows.append((label, fmt_seconds(r), fmt_seconds(o), ratio(seconds_or_bound(r), seconds_or_bound(o))))
    for label, (rk, rkey), (ok, okey) in (
        ("memory/triple: tracemalloc | RSS delta", ("memory", "traced_bytes"), ("load", "rss_bytes")),
        ("memory/triple: RSS delta | RSS delta", ("parse", "rss_bytes"), ("load", "rss_bytes")),
        ("peak RSS growth while loading, /triple", ("parse", "peak_rss_bytes"), ("load", "peak_rss_bytes")),
    ):
        (rs, rv), (os_, ov) = per_triple(rdf.get(rk), rkey), per_triple(ox.get(ok), okey)
        rows.append((label, rs, os_, f"{rv / ov:.1f}x" if rv and ov else "—"))

    width = max(len(r[0]) for r in rows)
    versions = summary["versions"]
    agree = (f"{k}={'n/a' if v is None else 'yes' if v else 'NO'}" for k, v in summary["agree"].items())
    return "\n".join([
        f"{n:,} articles (seed {summary['seed']}, {summary['authors']} authors, {summary['refs']} refs): "
        f"{n_triples:,} triples ({n_triples / max(n, 1):.1f}/article), N-Triples {summary['nt_bytes'] / 1e6:.1f} MB; "
        f"{summary['cited_works']:,} cited works, {summary['cited_by_2_or_more']:,} cited by >= 2 articles, "
        f"top cited by {summary['most_cited_by']:,}; generated in {summary['generate_seconds']:.1f} s",
        f"{'step':<{width}}  {'rdflib':>10}  {'pyoxigraph':>10}  {'ratio':>8}",
        *(f"{label:<{width}}  {a:>10}  {b:>10}  {c:>8}" for label, a, b, c in rows),
        "results agree: " + ", ".join(agree),
        f"rdflib {versions['rdflib']}, pyoxigraph {versions['pyoxigraph']}, Python {versions['python']}, "
        f"{summary['cpus']} CPUs; time limit {summary['timeout_seconds']:g} s per step",
    ])


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    sys.exit(main())
