"""The claims stage: concept scheme in, assertions out.

``load_scheme(path)`` reads ``ontology/concepts.ttl``; ``extract(article, scheme)`` returns the article's
assertions (subject, relation, object, negation, graded hedge, evidence sentence with offsets, section,
qualifiers), deterministic and sorted by section and offset; ``extract_corpus(articles, scheme)`` does so
for a whole corpus, reading a document that recurs (a title in many reference lists) once.
``exokg.claims.evaluate`` scores them against gold annotations.
"""

from __future__ import annotations

from exokg.claims.concepts import Concept, ConceptScheme, Parts, load_scheme
from exokg.claims.extract import METHOD, RULESET_VERSION, extract, extract_corpus

__all__ = ["METHOD", "RULESET_VERSION", "Concept", "ConceptScheme", "Parts", "extract", "extract_corpus", "load_scheme"]
