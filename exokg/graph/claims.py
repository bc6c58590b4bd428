"""The graph stage for claims: assertions grouped into claims, with counts, polarity and provenance.

See docs/decisions/0004-claim-model.md. A claim's IRI comes from its content, so every work stating the
same thing points at one claim node; each statement is an assertion on the stating work's page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, Triple

from exokg.graph.iris import Iris, concept_iri, term_scheme_iri
from exokg.graph.mapping import EXO, PROV, RDF, RDFS, SKOS, Triples, boolean, integer, source_record
from exokg.model import Assertion, ConceptRef, Source

_VERBS = {
    "increases": ("increases", "does not increase"),
    "decreases": ("decreases", "does not decrease"),
    "treats": ("treats", "does not treat"),
    "protects_against": ("protects against", "does not protect against"),
    "causes": ("causes", "does not cause"),
    "mediates": ("mediates", "does not mediate"),
    "contains": ("contains", "does not contain"),
    "has_property": ("has the property", "does not have the property"),
    "is_a": ("is a", "is not a"),
}


@dataclass(frozen=True)
class StatedClaim:
    """An assertion, attributed to the work that states it and the source record it was read from."""

    work: str
    source: str
    assertion: Assertion


def statement(subject: str, relation: str, obj: str, negated: bool) -> str:
    """The claim in plain English: ``MSC-derived exosome does not cause tumour formation``."""
    return f"{subject} {_VERBS[relation][1 if negated else 0]} {obj}"


def concept_of(ref: ConceptRef) -> str:
    return concept_iri(ref.key, curated=ref.curated)


def map_claims(
    stated: Sequence[StatedClaim], iris: Iris, software: str, curation: Source | None = None
) -> list[Triple]:
    """The triples of every claim, assertion and minted term (scheme concepts come from the scheme file).

    ``curation`` is the curated claims file: curated assertions are derived from it as well as from the
    article whose sentence they cite.
    """
    out = Triples()
    add, link = out.add, out.iri

    # One assertion per (work, claim, section, sentence); the same printed title read from two pages is one.
    merged: dict[tuple[str, str, str, int, str], list[StatedClaim]] = defaultdict(list)
    claims: dict[str, tuple[ConceptRef, str, ConceptRef, bool]] = {}
    for item in stated:
        a = item.assertion
        claim = iris.claim(concept_of(a.subject), a.relation, concept_of(a.object), a.negated)
        claims.setdefault(claim, (a.subject, a.relation, a.object, a.negated))
        merged[(item.work, claim, a.section, a.start, a.evidence)].append(item)

    works_of: dict[str, set[str]] = defaultdict(set)
    firm_of: dict[str, set[str]] = defaultdict(set)
    numbers: dict[str, int] = defaultdict(int)
    for (work, claim, _section, _start, _evidence), items in sorted(merged.items()):
        a = items[0].assertion
        work_iri = iris.work(work)
        numbers[work_iri] += 1
        node = iris.fragment(work_iri, "assertion", numbers[work_iri])
        works_of[claim].add(work)
        if a.hedge_level == "asserted":
            firm_of[claim].add(work)
        add(node, RDF.type, EXO.Assertion)
        add(node, RDF.type, PROV.Entity)
        add(node, RDFS.label, f"assertion {numbers[work_iri]}: {_label(*claims[claim])}")
        link(node, EXO.asserts, claim)
        link(node, EXO.assertedIn, work_iri)
        add(node, EXO.evidence, a.evidence)
        add(node, EXO.evidenceStart, integer(a.start))
        add(node, EXO.evidenceEnd, integer(a.end))
        add(node, EXO.section, a.section)
        add(node, EXO.hedgeLevel, EXO[a.hedge_level])
        for cue in a.hedge_cues:
            add(node, EXO.hedgeCue, cue)
        add(node, EXO.extractionMethod, a.method)
        for kind, value in a.qualifiers:
            if kind == "design":
                add(node, EXO.studyDesign, value)
            elif kind == "comparator":
                link(node, EXO.comparator, concept_iri(value))
            else:
                add(node, EXO.qualifier, f"{kind}: {value}")
        for source in sorted({i.source for i in items}):
            link(node, PROV.wasDerivedFrom, iris.source(source))
        if a.method != "curated":
            link(node, PROV.wasGeneratedBy, f"{software}#extraction")
        if curation is not None and "curat" in a.method:
            link(node, PROV.wasDerivedFrom, iris.source(curation.name))

    minted: dict[str, ConceptRef] = {}
    for claim, (subject, relation, obj, negated) in sorted(claims.items()):
        add(claim, RDF.type, EXO.Claim)
        add(claim, RDFS.label, _label(subject, relation, obj, negated))
        link(claim, EXO.subject, concept_of(subject))
        add(claim, EXO.relation, EXO[relation])
        link(claim, EXO.object, concept_of(obj))
        add(claim, EXO.negated, boolean(negated))
        add(claim, EXO.assertingArticles, integer(len(works_of[claim])))
        add(claim, EXO.firmArticles, integer(len(firm_of[claim])))
        add(claim, EXO.hedgedArticles, integer(len(works_of[claim] - firm_of[claim])))
        opposite = iris.claim(concept_of(subject), relation, concept_of(obj), not negated)
        add(claim, EXO.contested, boolean(opposite in claims))
        if opposite in claims:
            link(claim, EXO.negationOf, opposite)
        for ref in (subject, obj):
            if not ref.curated:
                minted.setdefault(concept_of(ref), ref)
    if minted:
        scheme = term_scheme_iri()
        add(scheme, RDF.type, SKOS.ConceptScheme)
        add(scheme, RDFS.label, "Terms found in the text")
        add(scheme, SKOS.prefLabel, Literal("Terms found in the text", language="en"))
        for iri, ref in sorted(minted.items()):
            add(iri, RDF.type, SKOS.Concept)
            link(iri, SKOS.inScheme, scheme)
            add(iri, SKOS.prefLabel, ref.label)
            add(iri, RDFS.label, ref.label)
            if ref.broader:
                link(iri, SKOS.broader, concept_iri(ref.broader))
    if curation is not None:
        source_record(out, iris, curation, "curated claims")
    if stated and any(i.assertion.method != "curated" for i in stated):
        activity = f"{software}#extraction"
        add(activity, RDF.type, PROV.Activity)
        add(activity, RDFS.label, "claim extraction")
        link(activity, PROV.wasAssociatedWith, software)
    return out.items


def _label(subject: ConceptRef, relation: str, obj: ConceptRef, negated: bool) -> str:
    return statement(subject.label, relation, obj.label, negated)
