"""IRIs are deterministic, injective, readable and safe as file names."""

from __future__ import annotations

import itertools

import pytest
from rdflib.term import URIRef, _is_valid_uri

from exokg.graph.iris import Iris, doi_iri, escape, slug

BASE = "https://w3id.org/exokg/"
# Real DOI shapes, including a SICI DOI with <, > and ; and pairs that a lossy mapping would merge.
TRICKY = [
    "10.1016/j.reth.2024.01.009",
    "10.1016/j.reth.2024.01.009/",
    "10.1016_j.reth.2024.01.009",
    "10.3892/ijo_00000353",
    "10.3892/ijo/00000353",
    "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
    "10.1000/a b",
    "10.1000/a~20b",
    "10.1000/ä",
    "10.1000/../../etc/passwd",
    "10.1000/" + "x" * 400,
    "10.1000/" + "x" * 399 + "y",
]


def test_escape_is_injective_on_tricky_identifiers() -> None:
    names = [escape(d) for d in TRICKY]
    assert len(set(names)) == len(TRICKY)
    for a, b in itertools.combinations(TRICKY, 2):
        assert escape(a) != escape(b), (a, b)


@pytest.mark.parametrize("identifier", TRICKY)
def test_local_names_are_safe_file_names_and_valid_iris(identifier: str) -> None:
    name = escape(identifier)
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")
    assert len(name.encode("utf-8")) + len(".jsonld") < 255
    iri = Iris(BASE).work(f"doi:{identifier}")
    assert _is_valid_uri(iri)
    assert iri.startswith(BASE + "work/doi-")


def test_work_iris_are_readable_and_case_insensitive() -> None:
    iris = Iris(BASE)
    assert iris.work("doi:10.1016/j.reth.2024.01.009") == BASE + "work/doi-10.1016_j.reth.2024.01.009"
    assert iris.work("doi:10.1042/BSR20150025") == iris.work("doi:10.1042/bsr20150025")
    assert iris.work("pmid:30992990") == BASE + "work/pmid-30992990"
    assert iris.work("pmcid:PMC2676194") == BASE + "work/pmcid-pmc2676194"


def test_unknown_identity_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="not a work identity"):
        Iris(BASE).work("isbn:123")
    with pytest.raises(ValueError, match="must end with '/'"):
        Iris("https://example.org/kg")


def test_slugs_fold_case_accents_and_punctuation() -> None:
    assert slug("Stem Cells Int.") == "stem-cells-int"
    assert slug("Théry C.") == slug("Thery C")
    cyrillic = slug("Журнал")
    assert cyrillic.startswith("x-") and cyrillic != slug("Другой")


def test_doi_iri_percent_encodes_what_an_iri_cannot_hold() -> None:
    iri = doi_iri("10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0")
    assert "<" not in iri and ">" not in iri and "%3C693" in iri
    assert _is_valid_uri(iri)
    assert URIRef(iri)


def test_local_path_drops_fragment_and_rejects_foreign_iris() -> None:
    iris = Iris(BASE)
    assert iris.local_path(BASE + "work/pmid-1#author-2") == "work/pmid-1"
    assert iris.local_path("https://example.org/work/x") is None


def test_source_names_keep_underscores_and_stay_injective() -> None:
    iris = Iris(BASE)
    assert iris.source("000_b0dba30be5b40557.txt") == BASE + "source/000_b0dba30be5b40557.txt"
    names = ["a_b.txt", "a/b.txt", "a~2fb.txt", "A_b.txt"]
    assert len({iris.source(n) for n in names}) == len(names)


def test_claim_iris_are_readable_and_keep_minted_terms_apart() -> None:
    from exokg.graph.iris import concept_iri

    iris = Iris(BASE)
    exo, imm = concept_iri("msc-exosome"), concept_iri("immunogenicity")
    assert iris.claim(exo, "has_property", imm, False) == BASE + "claim/msc-exosome.has_property.immunogenicity"
    assert iris.claim(exo, "has_property", imm, True).endswith(".immunogenicity.not")
    minted = concept_iri("functional stability", curated=False)
    assert minted == "https://w3id.org/exokg/concept/term/functional-stability"
    scheme_twin = concept_iri("term-functional-stability")
    assert iris.claim(exo, "increases", minted, False) != iris.claim(exo, "increases", scheme_twin, False)
