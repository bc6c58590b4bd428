"""The concept scheme (``ontology/concepts.ttl``) as typed Python data, with the label index claims use.

``load_scheme`` reads the SKOS file once; a :class:`ConceptScheme` answers what the extractor asks:
which concepts a run of words names (:meth:`ConceptScheme.lookup`), a concept's category (its top
concept), its ancestors, and which composite secreted product a vesicle type, a cell source and a
preconditioning make (:meth:`ConceptScheme.composite`). See the header of ``concepts.ttl`` for the
conventions the file follows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from exokg.claims.tokens import is_acronym, tokenize
from exokg.errors import ConfigError
from exokg.model import ConceptRef

SCHEME_IRI = "https://w3id.org/exokg/concept/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

VESICLE_CATEGORY = "secreted-product"
CATEGORY_PRIORITY = ("disease", "secreted-product", "cell", "molecule", "intervention", "therapy", "property",
                     "outcome", "biological-process", "anatomical-entity")
CELL_CATEGORY = "cell"
MODIFIER_CATEGORY = "intervention"


@dataclass(frozen=True)
class Concept:
    key: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    definition: str | None = None

    @property
    def iri(self) -> str:
        return SCHEME_IRI + self.key


@dataclass(frozen=True)
class Parts:
    """What a secreted product is made of: a vesicle type, and optionally its cell source and preconditioning."""

    vesicle: str
    source: str | None = None
    modifier: str | None = None


@dataclass(frozen=True)
class LabelEntry:
    """One label of one concept, as the words it is matched on."""

    key: str
    words: tuple[str, ...]  # normal forms
    cased: tuple[str | None, ...]  # the written word where it must match with its casing (acronyms)


@dataclass
class ConceptScheme:
    """The concepts of a scheme file, indexed for recognition. Build it with :func:`load_scheme`."""

    path: Path
    concepts: dict[str, Concept]
    top: tuple[str, ...]
    labels: dict[tuple[str, ...], list[LabelEntry]] = field(default_factory=dict)
    longest_label: int = 1
    # Every leading run of words of a label (the labels included): a window that is not one can only grow
    # into a non-label, so the recogniser stops extending it there instead of trying every length.
    label_prefixes: set[tuple[str, ...]] = field(default_factory=set)
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _parts: dict[str, Parts] = field(default_factory=dict)
    _composites: dict[Parts, str] = field(default_factory=dict)
    # Asked for every mention, many times a sentence; filled as asked.
    _categories: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for key in sorted(self.concepts):
            self._ancestors[key] = self._walk_up(key)
        for key, concept in sorted(self.concepts.items()):
            for label in (concept.pref_label, *concept.alt_labels, *concept.hidden_labels):
                words = [t for t in tokenize(label)]
                if not words:
                    continue
                entry = LabelEntry(key, tuple(t.norm for t in words),
                                   tuple(t.text if is_acronym(t.text) else None for t in words))
                bucket = self.labels.setdefault(entry.words, [])
                if entry not in bucket:
                    bucket.append(entry)
                self.longest_label = max(self.longest_label, len(words))
                self.label_prefixes.update(entry.words[:n] for n in range(1, len(entry.words) + 1))
        for key in sorted(self.concepts):
            parts = self._find_parts(key)
            if parts is not None:
                self._parts[key] = parts
                self._composites.setdefault(parts, key)

    def _walk_up(self, key: str) -> tuple[str, ...]:
        seen: list[str] = []
        frontier = list(self.concepts[key].broader)
        while frontier:
            nxt: list[str] = []
            for b in frontier:
                if b == key:
                    raise ConfigError(f"{self.path}: concept {key!r} is its own broader concept (a skos:broader cycle)")
                if b not in seen:
                    seen.append(b)
                    nxt.extend(self.concepts[b].broader)
            frontier = nxt
        return tuple(seen)

    def _find_parts(self, key: str) -> Parts | None:
        if self.category(key) != VESICLE_CATEGORY:
            return None
        chain = (key, *self._ancestors[key])
        source = next((r for k in chain for r in self.concepts[k].related if self.category(r) == CELL_CATEGORY), None)
        if source is None:
            return None
        modifier = next((r for k in chain for r in self.concepts[k].related
                         if self.category(r) == MODIFIER_CATEGORY), None)
        vesicle = next((b for b in chain[1:] if self.category(b) == VESICLE_CATEGORY
                        and not any(self.category(r) == CELL_CATEGORY for r in self.concepts[b].related)), None)
        return Parts(vesicle, source, modifier) if vesicle else None

    def __repr__(self) -> str:
        return f"ConceptScheme({str(self.path)!r}, {len(self.concepts)} concepts)"

    # ------------------------------------------------------------------ questions the extractor asks
    def __contains__(self, key: object) -> bool:
        return key in self.concepts

    def label(self, key: str) -> str:
        return self.concepts[key].pref_label

    def ref(self, key: str, text: str) -> ConceptRef:
        return ConceptRef(key=key, label=self.concepts[key].pref_label, text=text, curated=True)

    def ancestors(self, key: str) -> tuple[str, ...]:
        """Every broader concept, nearest first (excluding ``key`` itself)."""
        return self._ancestors.get(key, ())

    def is_within(self, key: str, other: str) -> bool:
        """Whether ``key`` is ``other`` or narrower than it."""
        return key == other or other in self._ancestors.get(key, ())

    def category(self, key: str) -> str:
        """The top concept ``key`` falls under (``disease``, ``cell``, ``secreted-product`` ...).

        A concept under two categories (``renal fibrosis``: a kidney disease and fibrosis) takes the first
        of them in ``CATEGORY_PRIORITY``: a pathological process filed under disease is a disease.
        """
        found = self._categories.get(key)
        if found is None:
            found = self._categories[key] = self._category(key)
        return found

    def _category(self, key: str) -> str:
        if key in self.top:
            return key
        tops = [k for k in self._ancestors.get(key, ()) if k in self.top]
        if not tops:
            return ""
        return min(tops, key=lambda k: CATEGORY_PRIORITY.index(k) if k in CATEGORY_PRIORITY else len(CATEGORY_PRIORITY))

    def parts(self, key: str) -> Parts | None:
        """The parts of a composite secreted product; a plain vesicle type is its own ``Parts(vesicle)``."""
        if key in self._parts:
            return self._parts[key]
        if self.category(key) == VESICLE_CATEGORY:
            return Parts(key)
        return None

    def modifier_for(self, key: str) -> str | None:
        """The preconditioning a stimulus stands for (``hypoxia`` -> ``hypoxic-preconditioning``)."""
        if self.category(key) == MODIFIER_CATEGORY:
            return key
        chain = (key, *self.ancestors(key))
        for candidate in sorted(self.concepts):
            concept = self.concepts[candidate]
            if self.category(candidate) == MODIFIER_CATEGORY and any(r in chain for r in concept.related):
                return candidate
        return None

    def composite(self, parts: Parts) -> str | None:
        """The scheme's concept for ``parts``, generalising what the scheme lacks.

        The preconditioning is kept as long as possible, then the vesicle type and cell source are
        generalised along ``skos:broader``; a cell source never generalises into a different family
        (a cardiomyocyte never becomes an MSC). ``None`` when no composite of that source exists.
        """
        if parts.source is None:
            return parts.vesicle if parts.vesicle in self.concepts else None
        modifiers = ([parts.modifier, *self.ancestors(parts.modifier)] if parts.modifier else []) + [None]
        vesicles = [parts.vesicle, *[a for a in self.ancestors(parts.vesicle)
                                     if self.category(a) == VESICLE_CATEGORY and a != VESICLE_CATEGORY]]
        sources = [parts.source, *[a for a in self.ancestors(parts.source) if a not in ("cell", "stem-cell")]]
        for modifier in modifiers:
            for vesicle in vesicles:
                for source in sources:
                    found = self._composites.get(Parts(vesicle, source, modifier))
                    if found:
                        return found
        return None

    def lookup(self, words: tuple[str, ...], written: Iterable[str]) -> list[str]:
        """Concept keys whose label is exactly ``words`` (normal forms), honouring acronym casing."""
        entries = self.labels.get(words)
        if not entries:
            return []
        texts = [w.replace("\u2019", "'") for w in written]
        keys = []
        for entry in entries:
            fits = all(c is None or _same_acronym(c, t) for c, t in zip(entry.cased, texts, strict=True))
            if fits and entry.key not in keys:
                keys.append(entry.key)
        return keys


def _same_acronym(label_word: str, text_word: str) -> bool:
    if text_word == label_word or text_word == label_word + "s":
        return True
    if text_word.endswith("'s"):
        return text_word[:-2] == label_word
    return label_word.endswith("s") and text_word == label_word[:-1]


def load_scheme(path: Path) -> ConceptScheme:
    """Read a SKOS concept scheme in Turtle; every problem is reported with the file's name."""
    try:
        quads = list(parse(path=str(path), format=RdfFormat.TURTLE))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: the concept scheme does not exist",
                          "add ontology/concepts.ttl to the project") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the concept scheme: {exc.strerror or exc}") from exc
    except SyntaxError as exc:
        raise ConfigError(f"{path}: the concept scheme is not valid Turtle: {exc}") from exc
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    concepts_seen: set[str] = set()
    for quad in quads:
        subject, predicate, obj = quad.subject.value, quad.predicate.value, quad.object.value
        if predicate == _RDF_TYPE and obj == _SKOS + "Concept":
            concepts_seen.add(subject)
        elif predicate.startswith(_SKOS):
            values[subject][predicate[len(_SKOS):]].append(obj)
    concepts: dict[str, Concept] = {}
    problems: list[str] = []
    for iri in sorted(concepts_seen):
        if not iri.startswith(SCHEME_IRI) or iri == SCHEME_IRI:
            problems.append(f"{iri} is not under {SCHEME_IRI}")
            continue
        key = iri[len(SCHEME_IRI):]
        props = values[iri]
        prefs = props.get("prefLabel", [])
        if len(prefs) != 1:
            problems.append(f"concept {key!r} has {len(prefs)} skos:prefLabel values, not one")
            continue

        def local(iris: list[str]) -> tuple[str, ...]:
            return tuple(sorted(i[len(SCHEME_IRI):] for i in iris if i.startswith(SCHEME_IRI)))

        definition = props.get("definition")
        concepts[key] = Concept(key, prefs[0], tuple(sorted(props.get("altLabel", []))),
                                tuple(sorted(props.get("hiddenLabel", []))), local(props.get("broader", [])),
                                local(props.get("related", [])), definition[0] if definition else None)
    for concept in concepts.values():
        for other in (*concept.broader, *concept.related):
            if other not in concepts:
                problems.append(f"concept {concept.key!r} points to {other!r}, which the scheme does not define")
    top = tuple(sorted(k for k, c in concepts.items() if not c.broader))
    if not concepts:
        problems.append("no skos:Concept found")
    if problems:
        raise ConfigError(f"{path}: the concept scheme is not usable: " + "; ".join(problems[:5]),
                          "fix ontology/concepts.ttl (see the conventions in its header)")
    return ConceptScheme(path, concepts, top)
