"""Dataset-level files: the dumps of the whole graph, and its VoID and DCAT description with statistics.

The description states the dumps' byte sizes and checksums, so it cannot be inside them: it is published
as files of its own (``void.ttl``, ``void.nt``, ``void.jsonld`` and, for discovery by VoID section 7,
``.well-known/void``) and merged into the dataset resource's own files, so that dereferencing the dataset
IRI gives the statistics too. The model writes one default graph and no named graphs, so there is no
TriG or N-Quads dump: it would repeat the N-Triples dump with nothing to add.

The dataset page is rendered by :mod:`exokg.publish.resources` before :func:`plan_dumps` runs, and shows the
dumps' sizes; both therefore read one description, made on first use and kept for the site it describes.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import quote
from weakref import WeakKeyDictionary

from pyoxigraph import Literal, NamedNode, Triple

from exokg.graph import store
from exokg.graph.mapping import lexical, triple_order
from exokg.graph.namespaces import PREFIXES
from exokg.model import collector_paused
from exokg.publish.site import Site, href, page_file, web_href
from exokg.publish.view import Value, compact

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "http://schema.org/"
SPDX = "http://spdx.org/rdf/terms#"
FORMATS = "http://www.w3.org/ns/formats/"
IANA = "https://www.iana.org/assignments/media-types/"
# The VoID files name two vocabularies the graph itself does not use.
VOID_PREFIXES = {**PREFIXES, "formats": FORMATS, "spdx": SPDX}


@dataclass(frozen=True)
class Dump:
    """One download of the whole graph: its site path, what it is called and how it is encoded."""

    path: str
    name: str
    media_type: str
    format: str  # a W3C format IRI (http://www.w3.org/ns/formats/)
    compression: str | None = None  # the media type of the compression, when compressed


# The graph as N-Triples, one triple a line in the graph's order (the on-disk store is made from it too).
DUMP_NT = "dump.nt"
DUMPS = (
    Dump("dump.ttl", "Turtle", "text/turtle", FORMATS + "Turtle"),
    Dump(DUMP_NT, "N-Triples", "application/n-triples", FORMATS + "N-Triples"),
    Dump("dump.nt.gz", "N-Triples, gzip-compressed", "application/n-triples", FORMATS + "N-Triples",
         "application/gzip"),
    Dump("dump.jsonld", "JSON-LD", "application/ld+json", FORMATS + "JSON-LD"),
)
# The description files: (site path, name, media type). ``.well-known/void`` is Turtle (VoID section 7).
DESCRIPTIONS = (("void.ttl", "Turtle", "text/turtle"), ("void.nt", "N-Triples", "application/n-triples"),
                ("void.jsonld", "JSON-LD", "application/ld+json"), (".well-known/void", "Turtle", "text/turtle"))


@dataclass(frozen=True)
class Target:
    """A dataset the graph links into, recognised by the IRIs of its resources."""

    key: str
    title: str
    uri_space: str
    homepage: str


LINK_TARGETS = (
    Target("doi", "DOI", "https://doi.org/", "https://www.doi.org/"),
    Target("pubmed", "PubMed", "https://pubmed.ncbi.nlm.nih.gov/", "https://pubmed.ncbi.nlm.nih.gov/"),
    Target("pmc", "PubMed Central", "https://www.ncbi.nlm.nih.gov/pmc/", "https://www.ncbi.nlm.nih.gov/pmc/"),
    Target("mesh", "MeSH", "http://id.nlm.nih.gov/mesh/", "https://id.nlm.nih.gov/mesh/"),
)
_EXAMPLES = 3


@dataclass(frozen=True)
class ClassPartition:
    entities: int
    triples: int  # the triples whose subject is an instance of the class


@dataclass(frozen=True)
class PropertyPartition:
    triples: int
    distinct_subjects: int
    distinct_objects: int


@dataclass(frozen=True)
class Statistics:
    """What VoID states of a graph: sizes, class and property partitions, links into other datasets."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, ClassPartition]
    properties: dict[str, PropertyPartition]
    links: dict[tuple[str, str], int]  # (target key, link predicate) -> triples
    vocabularies: list[str]
    examples: list[str]


def statistics(triples: Iterable[Triple], base: str) -> Statistics:
    """The statistics of ``triples`` in one pass over them; the work and memory grow linearly with the graph.

    An entity is a subject with an IRI (VoID's definition; the dataset states no ``void:uriRegexPattern``
    to narrow it). Examples are the first instances, in IRI order, of the most populous classes that have
    a page of their own under ``base``.
    """
    count = 0
    subjects: set[object] = set()
    objects: set[object] = set()
    per_subject: Counter[str] = Counter()
    instances: dict[str, set[str]] = defaultdict(set)
    predicate_triples: Counter[str] = Counter()
    predicate_subjects: dict[str, set[object]] = defaultdict(set)
    predicate_objects: dict[str, set[object]] = defaultdict(set)
    links: Counter[tuple[str, str]] = Counter()
    for t in triples:
        count += 1
        s, p, o = t.subject, t.predicate.value, t.object
        subjects.add(s)
        objects.add(o)
        predicate_triples[p] += 1
        predicate_subjects[p].add(s)
        predicate_objects[p].add(o)
        if isinstance(s, NamedNode):
            per_subject[s.value] += 1
        if isinstance(o, NamedNode):
            if p == RDF + "type" and isinstance(s, NamedNode):
                instances[o.value].add(s.value)
            for target in LINK_TARGETS:
                if o.value.startswith(target.uri_space):
                    links[(target.key, p)] += 1
    classes = {c: ClassPartition(len(members), sum(per_subject[m] for m in members))
               for c, members in sorted(instances.items())}
    properties = {p: PropertyPartition(n, len(predicate_subjects[p]), len(predicate_objects[p]))
                  for p, n in sorted(predicate_triples.items())}
    examples: list[str] = []
    for c in sorted(classes, key=lambda c: (-classes[c].entities, c)):
        own = sorted(m for m in instances[c] if m.startswith(base) and "#" not in m and m not in examples)
        if own and len(examples) < _EXAMPLES:
            examples.append(own[0])
    return Statistics(
        triples=count,
        entities=sum(1 for s in subjects if isinstance(s, NamedNode)),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        classes=classes,
        properties=properties,
        links=dict(sorted(links.items())),
        vocabularies=sorted({namespace(i) for i in [*properties, *classes]}),
        examples=examples,
    )


def namespace(iri: str) -> str:
    """The vocabulary a term belongs to: a known prefix's namespace, else the IRI up to its last ``#`` or ``/``."""
    known = [ns for ns in PREFIXES.values() if iri.startswith(ns)]
    if known:
        return max(known, key=len)
    return iri[: max(iri.rfind("#"), iri.rfind("/")) + 1] or iri


class DumpFile(NamedTuple):
    """A dump as the description tells of it: how many bytes, and their SHA-256."""

    size: int
    sha256: str


@dataclass(frozen=True)
class Description:
    """The dumps of one site (by site path) and the VoID/DCAT description of the dataset they hold."""

    dumps: dict[str, DumpFile]
    stats: Statistics
    triples: list[Triple]


_MADE: WeakKeyDictionary[Site, Description] = WeakKeyDictionary()


def describe(site: Site) -> Description:
    """The dataset's description for ``site``, made once however many callers ask, and its dumps.

    Each dump is added to the site's plan as soon as it is made, and only its size and digest are kept: at
    10,000 articles the four dumps are gigabytes, which the process would otherwise hold to the end.
    """
    found = _MADE.get(site)
    if found is None:
        graph = site.input.triples
        dumps: dict[str, DumpFile] = {}

        def add(path: str, content: bytes) -> None:
            site.add_file(path, content)
            dumps[path] = DumpFile(len(content), hashlib.sha256(content).hexdigest())

        add("dump.ttl", store.turtle(graph))
        nt = store.ntriples(graph)
        add(DUMP_NT, nt)
        # mtime 0 and no file name in the header: the same graph always gives the same bytes. Level 6, gzip's
        # own default: on the 1,000-article dump level 9 took 3.5 s for a file 7.1 % smaller than level 6's 1.4 s,
        # in the serial part of every build (decision 0008).
        add("dump.nt.gz", gzip.compress(nt, compresslevel=6, mtime=0))
        del nt
        add("dump.jsonld", store.jsonld(graph))
        # Every triple's terms are new objects as they are read, and the sets keep the distinct ones: with the
        # collector running, its collections walked them all over again (7.3 s against 4.3 to 5.1 s at 1,000
        # articles).
        with collector_paused():
            stats = statistics(graph, site.iris.base)
        found = _MADE[site] = Description(dumps, stats, _void_triples(site, stats, dumps))
    return found


def plan_dumps(site: Site) -> None:
    """The dumps, the VoID/DCAT description files, and the dataset resource's files with the statistics."""
    described = describe(site)  # which planned the dumps
    dataset = site.iris.dataset()
    # Every description file holds the same graph, which names void.ttl as the description document.
    document = site.iris.base + DESCRIPTIONS[0][0]
    triples = _readable({*described.triples, *_document(site, document)}, document, dataset)
    for path, _, _ in DESCRIPTIONS:
        site.add_file(path, _serialise(path, triples))
    page = page_file(site.iris, dataset)
    if page is not None and page in site.plan.files:
        # The resource files plan_resources wrote hold only the graph's statements about the dataset.
        stem, merged = page.removesuffix(".html"), _readable(described.triples, dataset)
        for ext in ("ttl", "nt", "jsonld"):
            site.add_file(f"{stem}.{ext}", _serialise(f"{stem}.{ext}", merged))


def _readable(triples: Iterable[Triple], *first: str) -> list[Triple]:
    """Sorted as everywhere else, but with the given subjects (the document, the dataset) leading."""
    lead = {s: i for i, s in enumerate(first)}
    return sorted(triples, key=lambda t: (lead.get(lexical(t.subject), len(lead)), triple_order(t)))


def _serialise(path: str, triples: Sequence[Triple]) -> bytes:
    if path.endswith(".nt"):
        return store.ntriples(triples)
    if path.endswith(".jsonld"):
        return store.jsonld(triples)
    return store.turtle(triples, prefixes=VOID_PREFIXES)


def _document(site: Site, doc: str) -> list[Triple]:
    # VoID's recommended header: the file is a description whose primary topic is the dataset.
    return [_iri(doc, RDF + "type", VOID + "DatasetDescription"),
            _triple(doc, DCTERMS + "title", Literal(f"VoID and DCAT description of {site.input.title}")),
            _iri(doc, FOAF + "primaryTopic", site.iris.dataset())]


def _iri(s: str, p: str, o: str) -> Triple:
    return Triple(NamedNode(s), NamedNode(p), NamedNode(o))


def _triple(s: str, p: str, o: Literal) -> Triple:
    return Triple(NamedNode(s), NamedNode(p), o)


def _typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + datatype))


def fragment(kind: str, term: str) -> str:
    """A readable, IRI-safe fragment for a part of the description (``class-fabio:Expression``)."""
    return f"{kind}-" + quote(compact(term), safe=":/")


def _void_triples(site: Site, stats: Statistics, dumps: dict[str, DumpFile]) -> list[Triple]:
    """The dataset as VoID and DCAT describe it; every IRI minted here is a part (``#…``) of the dataset's IRI."""
    data, view = site.input, site.view
    ds = site.iris.dataset()
    out: list[Triple] = []

    def part(name: str) -> str:
        return f"{ds}#{name}"

    def number(s: str, p: str, n: int) -> None:
        out.append(_triple(s, p, _typed(n, "integer")))

    issued = _typed(data.build_date.isoformat(), "date")
    out.append(_iri(ds, RDF + "type", VOID + "Dataset"))
    out.append(_iri(ds, RDF + "type", DCAT + "Dataset"))
    # The graph's own statements about the dataset win; the project's settings fill what it lacks.
    # Only an IRI names a licence; a literal one in the graph (which the shapes reject) is not repeated here.
    stated = [t.object.value for t in view.out.get(ds, {}).get(DCTERMS + "license", [])
              if isinstance(t.object, NamedNode)]
    licence = stated[0] if stated else data.licence
    if view.value(ds, DCTERMS + "title") is None:
        out.append(_triple(ds, DCTERMS + "title", Literal(data.title)))
    if licence and not stated:
        out.append(_iri(ds, DCTERMS + "license", licence))
    if view.value(ds, DCTERMS + "description") is None and data.description:
        out.append(_triple(ds, DCTERMS + "description", Literal(data.description)))
    if view.value(ds, DCTERMS + "issued") is None:
        out.append(_triple(ds, DCTERMS + "issued", issued))
    out.append(_triple(ds, DCTERMS + "created", issued))
    # A dataset is versioned by its build: the configured build date names it.
    out.append(_triple(ds, DCAT + "version", Literal(data.build_date.isoformat())))
    out.append(_iri(ds, DCAT + "landingPage", site.iris.base))
    out.append(_iri(ds, FOAF + "homepage", site.iris.base))
    out.append(_triple(ds, VOID + "uriSpace", Literal(site.iris.base)))
    software = site.iris.software(data.version)
    build = part("build")
    out.append(_iri(ds, PROV + "wasGeneratedBy", build))
    out.append(_iri(build, RDF + "type", PROV + "Activity"))
    out.append(_triple(build, RDFS + "label", Literal(f"exokg {data.version} build of {data.build_date.isoformat()}")))
    out.append(_iri(build, PROV + "wasAssociatedWith", software))
    out.append(_iri(software, RDF + "type", PROV + "SoftwareAgent"))
    out.append(_triple(software, RDFS + "label", Literal(f"exokg {data.version}")))
    out.append(_triple(software, SCHEMA + "softwareVersion", Literal(data.version)))

    number(ds, VOID + "triples", stats.triples)
    number(ds, VOID + "entities", stats.entities)
    number(ds, VOID + "distinctSubjects", stats.distinct_subjects)
    number(ds, VOID + "distinctObjects", stats.distinct_objects)
    number(ds, VOID + "classes", len(stats.classes))
    number(ds, VOID + "properties", len(stats.properties))
    for vocabulary in stats.vocabularies:
        out.append(_iri(ds, VOID + "vocabulary", vocabulary))
    for example in stats.examples:
        out.append(_iri(ds, VOID + "exampleResource", example))
    for cls, counts in stats.classes.items():
        node = part(fragment("class", cls))
        out.append(_iri(ds, VOID + "classPartition", node))
        out.append(_iri(node, VOID + "class", cls))
        number(node, VOID + "entities", counts.entities)
        number(node, VOID + "triples", counts.triples)
    for prop, pcounts in stats.properties.items():
        node = part(fragment("property", prop))
        out.append(_iri(ds, VOID + "propertyPartition", node))
        out.append(_iri(node, VOID + "property", prop))
        number(node, VOID + "triples", pcounts.triples)
        number(node, VOID + "distinctSubjects", pcounts.distinct_subjects)
        number(node, VOID + "distinctObjects", pcounts.distinct_objects)

    targets = {t.key: t for t in LINK_TARGETS}
    for key in sorted({key for key, _ in stats.links}):
        target, node = targets[key], part(f"target-{key}")
        # Untyped: void:target's range makes it a void:Dataset, and its licence and date are not ours to state.
        out.append(_triple(node, DCTERMS + "title", Literal(target.title)))
        out.append(_triple(node, VOID + "uriSpace", Literal(target.uri_space)))
        out.append(_iri(node, FOAF + "homepage", target.homepage))
    for (key, predicate), n in stats.links.items():
        node = part(fragment(f"links-{key}", predicate))
        out.append(_iri(ds, VOID + "subset", node))
        out.append(_iri(node, RDF + "type", VOID + "Linkset"))
        out.append(_triple(node, DCTERMS + "title",
                           Literal(f"Links to {targets[key].title} by {compact(predicate)}")))
        if licence:
            out.append(_iri(node, DCTERMS + "license", licence))
        out.append(_triple(node, DCTERMS + "issued", issued))
        for role in ("target", "subjectsTarget"):
            out.append(_iri(node, VOID + role, ds))
        for role in ("target", "objectsTarget"):
            out.append(_iri(node, VOID + role, part(f"target-{key}")))
        out.append(_iri(node, VOID + "linkPredicate", predicate))
        number(node, VOID + "triples", n)

    for dump in DUMPS:
        made = dumps[dump.path]
        url, node = site.iris.base + dump.path, part(f"distribution-{dump.path}")
        out.append(_iri(ds, VOID + "dataDump", url))
        out.append(_iri(ds, VOID + "feature", dump.format))
        out.append(_iri(ds, DCAT + "distribution", node))
        out.append(_iri(node, RDF + "type", DCAT + "Distribution"))
        out.append(_triple(node, DCTERMS + "title", Literal(f"{dump.name} dump of the whole graph")))
        out.append(_iri(node, DCAT + "downloadURL", url))
        out.append(_iri(node, DCAT + "accessURL", url))
        out.append(_iri(node, DCAT + "mediaType", IANA + dump.media_type))
        out.append(_iri(node, DCTERMS + "format", dump.format))
        if dump.compression:
            out.append(_iri(node, DCAT + "compressFormat", IANA + dump.compression))
        # DCAT 3 recommends xsd:nonNegativeInteger for sizes (DCAT 2 allowed xsd:decimal).
        out.append(_triple(node, DCAT + "byteSize", _typed(made.size, "nonNegativeInteger")))
        if licence:
            out.append(_iri(node, DCTERMS + "license", licence))
        out.append(_triple(node, DCTERMS + "issued", issued))
        checksum = f"{node}-sha256"
        out.append(_iri(node, SPDX + "checksum", checksum))
        out.append(_iri(checksum, RDF + "type", SPDX + "Checksum"))
        out.append(_iri(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256"))
        out.append(_triple(checksum, SPDX + "checksumValue",
                           _typed(made.sha256, "hexBinary")))
    # With the graph's own statements about the dataset, so that the description stands on its own.
    return sorted({*view.description(ds), *out}, key=triple_order)


def dataset_context(site: Site, page: str, path: str) -> dict[str, Any]:
    """What the dataset's page shows beyond its statements: statistics, downloads, description files.

    Only the project's dataset has them; another ``void:Dataset`` in the graph gets ``dataset: None``.
    """
    if page != site.iris.dataset():
        return {"dataset": None}
    described = describe(site)
    stats, view, data = described.stats, site.view, site.input

    def link(iri: str) -> Value:
        return site.link(iri, path)

    figures = [("triples", "Triples", stats.triples), ("entities", "Entities (subjects with an IRI)", stats.entities),
               ("distinct-subjects", "Distinct subjects", stats.distinct_subjects),
               ("distinct-objects", "Distinct objects", stats.distinct_objects),
               ("classes", "Classes", len(stats.classes)), ("properties", "Properties", len(stats.properties)),
               ("links", "Links to other datasets", sum(stats.links.values()))]
    targets = {t.key: t for t in LINK_TARGETS}
    licence = view.value(page, DCTERMS + "license") or data.licence
    software = site.iris.software(data.version)
    return {"dataset": {
        "figures": [{"key": key, "label": label, "value": value, "text": f"{value:,}"}
                    for key, label, value in figures],
        "classes": sorted(({"class": link(c), "entities": f"{n.entities:,}", "triples": f"{n.triples:,}",
                            "count": n.entities} for c, n in stats.classes.items()),
                          key=lambda row: (-row["count"], row["class"].text.lower(), row["class"].iri)),
        "properties": sorted(({"property": link(p), "triples": f"{n.triples:,}", "count": n.triples,
                               "subjects": f"{n.distinct_subjects:,}", "objects": f"{n.distinct_objects:,}"}
                              for p, n in stats.properties.items()),
                             key=lambda row: (-row["count"], row["property"].text.lower(), row["property"].iri)),
        "linksets": [{"target": targets[key].title, "target_href": targets[key].homepage,
                      "space": targets[key].uri_space, "predicate": link(predicate), "triples": f"{n:,}"}
                     for (key, predicate), n in stats.links.items()],
        "dumps": [{"name": d.name, "href": href(path, d.path), "file": d.path, "media_type": d.media_type,
                   "compression": d.compression, "bytes": described.dumps[d.path].size,
                   "size": f"{described.dumps[d.path].size:,}", "human": human_size(described.dumps[d.path].size),
                   "sha256": described.dumps[d.path].sha256} for d in DUMPS],
        "descriptions": [{"name": name, "href": href(path, p), "file": p, "media_type": media}
                         for p, name, media in DESCRIPTIONS],
        "examples": [link(e) for e in stats.examples],
        "vocabularies": [Value(v, v, href=web_href(v)) for v in stats.vocabularies],
        "licence": Value(licence, licence, href=licence) if licence else None,
        "version": data.build_date.isoformat(),
        "issued": view.value(page, DCTERMS + "issued") or data.build_date.isoformat(),
        "software": Value(f"exokg {data.version}", software, href=link(software).href),
        "description": view.value(page, DCTERMS + "description") or data.description,
    }}


def human_size(size: int) -> str:
    """A byte count as people read it, in decimal units (``1.2 MB``)."""
    if size < 1000:
        return f"{size} bytes"
    value, unit = size / 1000, "kB"
    for larger in ("MB", "GB", "TB"):
        if round(value, 1) < 1000:
            break
        value, unit = value / 1000, larger
    return f"{value:.1f} {unit}"
