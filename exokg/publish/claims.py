"""Page contexts for claims and concepts, and the claims listed on a work's page. Plain data only."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from exokg.graph.namespaces import EXO
from exokg.publish.site import web_href
from exokg.publish.view import GraphView, Value

SKOS = "http://www.w3.org/2004/02/skos/core#"
Link = Callable[[str], Value]


def highlight(evidence: str, cues: list[str]) -> list[dict[str, Any]]:
    """The sentence as segments, the hedge cue words marked, for templates to escape and wrap."""
    spans: list[tuple[int, int]] = []
    for cue in sorted(cues, key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", evidence, re.IGNORECASE):
            if all(match.end() <= s or match.start() >= e for s, e in spans):
                spans.append(match.span())
    segments, at = [], 0
    for start, end in sorted(spans):
        if start > at:
            segments.append({"text": evidence[at:start], "cue": False})
        segments.append({"text": evidence[start:end], "cue": True})
        at = end
    if at < len(evidence):
        segments.append({"text": evidence[at:], "cue": False})
    return segments


def assertion_context(view: GraphView, node: str, link: Link) -> dict[str, Any]:
    work = view.value(node, str(EXO.assertedIn))
    level = view.value(node, str(EXO.hedgeLevel)) or ""
    cues = view.values(node, str(EXO.hedgeCue))
    return {
        "work": link(work) if work else None,
        "section": (view.value(node, str(EXO.section)) or "").replace("_", " "),
        "hedge_level": view.label(level) if level else "",
        "hedged": not level.endswith("/asserted"),
        "cues": cues,
        "segments": highlight(view.value(node, str(EXO.evidence)) or "", cues),
        "designs": view.values(node, str(EXO.studyDesign)),
        "comparators": [link(c) for c in view.values(node, str(EXO.comparator))],
        "method": view.value(node, str(EXO.extractionMethod)),
    }


def claim_context(view: GraphView, claim: str, link: Link) -> dict[str, Any]:
    def number(predicate: object) -> int:
        return int(view.value(claim, str(predicate)) or 0)

    negation = view.value(claim, str(EXO.negationOf))
    assertions = [assertion_context(view, a, link) for a in view.subjects_with(str(EXO.asserts), claim)]
    assertions.sort(key=lambda a: (a["hedged"], a["work"].text.lower() if a["work"] else ""))
    against = [assertion_context(view, a, link) for a in view.subjects_with(str(EXO.asserts), negation)] \
        if negation else []
    relation = view.value(claim, str(EXO.relation)) or ""
    return {
        "statement": view.label(claim),
        "subject": link(view.value(claim, str(EXO.subject)) or ""),
        "relation": view.label(relation) if relation else "",
        "object": link(view.value(claim, str(EXO.object)) or ""),
        "negated": view.value(claim, str(EXO.negated)) == "true",
        "asserting": number(EXO.assertingArticles),
        "firm": number(EXO.firmArticles),
        "hedged_only": number(EXO.hedgedArticles),
        "contested": view.value(claim, str(EXO.contested)) == "true",
        "negation": link(negation) if negation else None,
        "assertions": assertions,
        "against": against,
    }


def concept_context(view: GraphView, concept: str, link: Link) -> dict[str, Any]:
    def claims(role: object) -> list[dict[str, Any]]:
        found = [{"claim": link(c), "asserting": int(view.value(c, str(EXO.assertingArticles)) or 0),
                  "contested": view.value(c, str(EXO.contested)) == "true"}
                 for c in view.subjects_with(str(role), concept)]
        return sorted(found, key=lambda c: (-c["asserting"], c["claim"].text.lower()))

    return {
        "pref_label": view.value(concept, SKOS + "prefLabel") or view.label(concept),
        "alt_labels": sorted(view.values(concept, SKOS + "altLabel")),
        "definition": view.value(concept, SKOS + "definition"),
        "schemes": [link(s) for s in view.values(concept, SKOS + "inScheme")],
        "broader": [link(b) for b in view.values(concept, SKOS + "broader")],
        "narrower": [link(n) for n in view.subjects_with(SKOS + "broader", concept)],
        "mappings": [{"kind": kind, "iri": iri, "href": web_href(iri)} for kind in ("exactMatch", "closeMatch")
                     for iri in sorted(view.values(concept, SKOS + kind))],
        "as_subject": claims(EXO.subject),
        "as_object": claims(EXO.object),
        "articles": [link(w) for w in view.subjects_with("http://purl.org/dc/terms/subject", concept)],
    }


def work_claims(view: GraphView, work: str, link: Link) -> list[dict[str, Any]]:
    """The claims a work asserts, each with its assertions' sentences, in the order of the text."""
    found = []
    for node in view.subjects_with(str(EXO.assertedIn), work):
        claim = view.value(node, str(EXO.asserts))
        start = int(view.value(node, str(EXO.evidenceStart)) or 0)
        found.append((view.value(node, str(EXO.section)) or "", start, node,
                      {"claim": link(claim) if claim else None, **assertion_context(view, node, link)}))
    return [item for *_key, item in sorted(found, key=lambda f: (f[0], f[1], f[2]))]
