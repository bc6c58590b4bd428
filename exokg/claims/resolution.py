"""What a mention names in its document: pronouns and bare vesicle words resolved, the topic remembered.

A bare vesicle word (``exosomes``, ``EVs``, ``small extracellular vesicles``) takes, in this order: the one
cell source the same sentence links to vesicles (``... released by mesenchymal stem cells``, ``MSCs ...
their secreted product, exosomes``); else the cell source of the document's most recent sourced vesicle
mention, the title first (``MSC-derived exosomes`` in the title makes a later ``EVs`` MSC-derived EVs);
the topic's preconditioning is not carried over, the word's own is kept (``hypoxic exosomes``). A vesicle
of another source (``exosomes from cardiac cells``, ``plasma exosomes``) becomes the topic itself, so a
bare word after it never crosses back to MSCs. ``They`` takes the agent (a cell or a secreted product)
of the previous clause. Each resolution is recorded as the qualifier ``("resolved_from", <the words>)``.
Secretome, conditioned medium and paracrine factors are not vesicle words and are not resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from exokg.claims.concepts import CELL_CATEGORY, VESICLE_CATEGORY, ConceptScheme, Parts
from exokg.claims.recognise import Abbreviation, Mention
from exokg.claims.tokens import Token, word_set
from exokg.model import ConceptRef

_SOURCE_LINKS = word_set("""
    secrete secretes secreted secreting release releases released releasing produce produces produced derived
    shed secretion their its
""")


class Resolved(NamedTuple):
    ref: ConceptRef
    parts: Parts | None
    qualifiers: tuple[tuple[str, str], ...] = ()


@dataclass
class Document:
    """What carries over from sentence to sentence in one document (title + abstract, or one printed title)."""

    scheme: ConceptScheme
    abbreviations: list[Abbreviation] = field(default_factory=list)
    topic: Parts | None = None  # the most recent sourced vesicle
    topic_ref: ConceptRef | None = None  # ... or a foreign vesicle the scheme has no composite for
    agent: Resolved | None = None  # the last clause's agent, for "They"


def sentence_source(tokens: list[Token], mentions: list[Mention], scheme: ConceptScheme) -> str | None:
    """The one cell source a sentence says vesicles come from (``released by MSCs``), if there is exactly one."""
    if not any(t.lower in _SOURCE_LINKS for t in tokens):
        return None
    sources = {m.key for m in mentions if m.key and scheme.category(m.key) == CELL_CATEGORY}
    return sources.pop() if len(sources) == 1 else None


def resolve(m: Mention, doc: Document, source: str | None) -> Resolved | None:
    """The concept ``m`` names here; ``source`` is :func:`sentence_source` of its sentence."""
    scheme = doc.scheme
    if m.pronoun:
        if doc.agent is None:
            return None
        agent = doc.agent.ref
        return Resolved(ConceptRef(agent.key, agent.label, m.text, agent.curated), doc.agent.parts,
                        (("resolved_from", m.text),))
    if m.is_bare_vesicle and m.parts is not None and m.key and scheme.is_within(m.parts.vesicle,
                                                                                "extracellular-vesicle"):
        if source is None and doc.topic_ref is not None and (doc.topic is None or doc.topic.source is None):
            return Resolved(ConceptRef(doc.topic_ref.key, doc.topic_ref.label, m.text, False), None,
                            (("resolved_from", m.text),))
        chosen = source or (doc.topic.source if doc.topic is not None else None)
        if chosen is not None:
            parts = Parts(m.parts.vesicle, chosen, m.parts.modifier)
            key = scheme.composite(parts)
            if key is not None:
                return Resolved(scheme.ref(key, m.text), parts, (("resolved_from", m.text),))
        return Resolved(scheme.ref(m.key, m.text), m.parts)
    if m.minted is not None:
        return Resolved(ConceptRef(m.minted.key, m.minted.label, m.text, False), m.parts)
    if m.key is None:
        return None
    return Resolved(scheme.ref(m.key, m.text), m.parts)


def remember(doc: Document, mentions: list[Mention], hidden: set[int], agents: list[Resolved],
             opening: Resolved | None = None) -> None:
    """After a sentence: its last sourced vesicle becomes the topic, its last agent (or, in a sentence without
    one, the concept it opens with) the referent of ``They``."""
    for m in mentions:
        if m.parts is None or m.first in hidden:
            continue
        if m.parts.source is not None and m.key is not None:
            doc.topic, doc.topic_ref = m.parts, None
        elif m.foreign and m.minted is not None:
            doc.topic, doc.topic_ref = (m.parts if m.parts.source else None), m.minted
    for agent in agents or ([opening] if opening is not None else []):
        category = doc.scheme.category(agent.ref.key) if agent.ref.curated else VESICLE_CATEGORY
        if category in (CELL_CATEGORY, VESICLE_CATEGORY):
            doc.agent = agent
