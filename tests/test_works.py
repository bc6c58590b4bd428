"""Records that describe the same work become one work; records that merely look alike do not."""

from __future__ import annotations

from exokg.model import Article, Corpus, Reference, Source
from exokg.works import keyword_key, match_key, resolve, surname

SQUILLARO_TITLE = "Clinical trials with mesenchymal stem cells: an update"


def article(name: str, *refs: Reference, cited_by: tuple[Reference, ...] = (), **fields: object) -> Article:
    return Article(Source(name, "0" * 64), "pubmed", references=refs, cited_by=cited_by, **fields)  # type: ignore[arg-type]


def ref(text: str, **fields: object) -> Reference:
    return Reference(text, **fields)  # type: ignore[arg-type]


def test_same_work_with_and_without_doi_is_one_work() -> None:
    with_doi = ref("Squillaro T., Peluso G. …", title=SQUILLARO_TITLE, authors=("Squillaro T.", "Peluso G."),
                   year=2016, doi="10.3727/096368915x689622")
    without = ref("Squillaro T, Peluso G. …", title=SQUILLARO_TITLE + ".", authors=("Squillaro T",), year=2016)
    bib = resolve(Corpus((article("a.txt", with_doi, title="A", doi="10.1/a"),
                          article("b.txt", without, title="B", doi="10.1/b"))))
    cited = [w for w in bib.works if w.article is None]
    assert [w.identity for w in cited] == ["doi:10.3727/096368915x689622"]
    assert cited[0].mentioned_in == ("a.txt", "b.txt")
    assert {(c.citing, c.cited, c.position) for c in bib.citations} == {
        ("doi:10.1/a", "doi:10.3727/096368915x689622", 1),
        ("doi:10.1/b", "doi:10.3727/096368915x689622", 1),
    }


def test_lookalikes_with_different_dois_stay_apart() -> None:
    one = ref("x", title="Erratum", authors=("Smith J",), year=2020, doi="10.1/one")
    two = ref("y", title="Erratum", authors=("Smith J",), year=2020, doi="10.1/two")
    bib = resolve(Corpus((article("a.txt", one, two, title="A", doi="10.1/a"),)))
    assert sorted(w.identity for w in bib.works) == ["doi:10.1/a", "doi:10.1/one", "doi:10.1/two"]
    assert bib.warnings == ()


def test_pmid_links_a_reference_to_the_corpus_article() -> None:
    cited = ref("Lai RC. Mesenchymal stem cell exosomes.", title="Mesenchymal stem cell exosomes", pmid="25765629")
    bib = resolve(Corpus((
        article("a.txt", cited, title="A", doi="10.1/a"),
        article("b.txt", title="Mesenchymal stem cell exosomes", doi="10.1016/j.semcdb.2015.03.001", pmid="25765629"),
    )))
    target = next(w for w in bib.works if w.pmid == "25765629")
    assert target.article is not None and target.identity == "doi:10.1016/j.semcdb.2015.03.001"
    assert len(bib.works) == 2


def test_citing_articles_cite_the_article_and_self_mentions_are_dropped() -> None:
    citing = ref("Exosomes attenuate periodontitis.", title="Exosomes attenuate periodontitis", pmid="40078652")
    itself = ref("The article itself", pmid="30992990")
    bib = resolve(Corpus((article("a.txt", itself, cited_by=(citing,), title="A", pmid="30992990"),)))
    assert [(c.citing, c.cited, c.position) for c in bib.citations] == [("pmid:40078652", "pmid:30992990", None)]


def test_works_without_identifiers_get_a_readable_stable_key() -> None:
    galipeau = ref("Galipeau J, Sensebe L. Mesenchymal stromal cells. Cell Stem Cell 2018;22:824-33.",
                   title="Mesenchymal stromal cells", authors=("Galipeau J", "Sensebe L"), year=2018)
    first = resolve(Corpus((article("a.txt", galipeau, title="A", doi="10.1/a"),)))
    again = resolve(Corpus((article("a.txt", galipeau, title="A", doi="10.1/a"),)))
    identity = next(w.identity for w in first.works if w.article is None)
    assert identity.startswith("ref:galipeau-2018-")
    assert first == again


def test_conflicting_identifiers_joined_by_a_shared_one_are_reported() -> None:
    one = ref("x", pmid="1", doi="10.1/x")
    two = ref("y", pmid="1", doi="10.1/y")
    bib = resolve(Corpus((article("a.txt", one, two, title="A", doi="10.1/a"),)))
    assert any("several DOIs" in w for w in bib.warnings)


def test_surnames_from_both_name_orders() -> None:
    assert surname("Squillaro T.") == "squillaro"
    assert surname("Moreno-Luna R.") == "moreno luna"
    assert surname("Ruenn Chai Lai") == "lai"
    assert surname("Hade M.D.") == "hade"
    key = match_key(("Squillaro T",), 2016, "Clinical trials: an update.")
    assert key == "squillaro|2016|clinical trials an update"
    assert match_key((), None, "  ") is None


def test_keyword_variants_fold_together() -> None:
    assert keyword_key("Exosomes") == keyword_key("exosome") == "exosome"
    assert keyword_key("Extracellular vesicles") == "extracellular vesicle"
    assert keyword_key("Homeostasis") == "homeostasis"
    assert keyword_key("Tissue repair and regeneration") == "tissue repair and regeneration"


def test_an_unreadable_reference_keeps_its_printed_text_and_warns() -> None:
    garbled = ref("Anonymous. ????? 2001.")
    bib = resolve(Corpus((article("a.txt", garbled, title="A", doi="10.1/a"),)))
    work = next(w for w in bib.works if w.article is None)
    assert work.title is None and work.citation == "Anonymous. ????? 2001."
    assert bib.warnings == ("a.txt: reference 1 could not be read into a title or an identifier; only its printed "
                            "text is kept: 'Anonymous. ????? 2001.'",)


def test_every_entry_of_a_page_names_its_work() -> None:
    cited = ref("Galipeau J. Mesenchymal stromal cells. 2018.", title="Mesenchymal stromal cells",
                authors=("Galipeau J",), year=2018, doi="10.1016/j.stem.2018.05.004")
    citing = ref("Exosomes attenuate periodontitis.", title="Exosomes attenuate periodontitis", pmid="40078652")
    bib = resolve(Corpus((article("a.txt", cited, cited_by=(citing,), title="A", pmid="30992990"),)))
    assert dict(bib.entries) == {
        ("a.txt", "article"): "pmid:30992990",
        ("a.txt", "reference:1"): "doi:10.1016/j.stem.2018.05.004",
        ("a.txt", "cited_by:1"): "pmid:40078652",
    }
