"""The built site in a real headless Chromium (Debian's ``chromium``), served by a real HTTP server.

The seed project is built once; each test opens pages of it, reads what a reader sees, records every
request the pages make (all must go to the local server) and leaves a screenshot in ``test-artifacts/``.
What the pages should show is read from the built graph, not written into the tests.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from browser_fixtures import DESKTOP, Tab, browser, only_local, open_tab, serve_folder, tab
from graph_fixtures import INFO, small_corpus
from playwright.sync_api import Browser
from project_fixtures import copy_project

from exokg.config import load_config
from exokg.graph.iris import Iris, doi_iri
from exokg.graph.mapping import map_bibliography
from exokg.graph.namespaces import EXO, PRISM
from exokg.graph.store import read_turtle_folder
from exokg.model import Author, Corpus
from exokg.pipeline import build
from exokg.publish.plan import SiteInput, plan_site
from exokg.publish.render import make_renderer, read_assets, render_with
from exokg.publish.site import RDF_TYPE, page_file
from exokg.publish.view import GraphView
from exokg.publish.write import write_site
from exokg.works import resolve

__all__ = ["browser", "tab"]  # fixtures, used by name
ROOT = Path(__file__).resolve().parents[1]
PHONE_WIDTH = 375
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 667}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
DCTERMS = "http://purl.org/dc/terms/"
PWNED = 'Zebrafish <img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> & "q" \u2028 end'


@dataclasses.dataclass(frozen=True)
class Built:
    """A built site and the graph it was built from."""

    folder: Path
    title: str
    view: GraphView
    iris: Iris

    def page(self, iri: str) -> str:
        path = page_file(self.iris, iri)
        assert path is not None and (self.folder / path).is_file(), iri
        return path


def search_ready(tab: Tab) -> None:
    tab.page.wait_for_selector("#search[data-state]", state="attached")
    assert tab.page.get_attribute("#search", "data-state") == "ready", tab.page.text_content("#search-status")


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = copy_project(tmp_path_factory.mktemp("browser") / "project")
    config = load_config(project, environ={})
    result = build(config)
    assert result.published, result.report.as_text()
    view = GraphView(result.graph.triples, config.base_iri)
    return Built(config.output_dir, config.title, view, Iris(config.base_iri))


@pytest.fixture(scope="module")
def server(seed: Built) -> Iterator[str]:
    with serve_folder(seed.folder) as url:
        yield url


def an_article(seed: Built) -> tuple[str, str, str]:
    """An article with a DOI, chosen from the graph: its IRI, title and DOI."""
    view = seed.view
    for article in view.subjects_with(RDF_TYPE, str(EXO.Article)):
        title, doi = view.value(article, DCTERMS + "title"), view.value(article, str(PRISM.doi))
        if title and doi:
            return article, title, doi
    raise AssertionError("the seed graph has no article with a title and a DOI")


def a_search_word(seed: Built, title: str) -> str:
    """The word of ``title`` found in the fewest other article titles (then the longest): a good query."""
    view = seed.view
    others = [(view.value(a, DCTERMS + "title") or "").lower()
              for a in view.subjects_with(RDF_TYPE, str(EXO.Article))]
    candidates: set[str] = set(re.findall(r"[A-Za-z]{5,}", title))
    assert candidates, title
    return min(sorted(candidates), key=lambda w: (sum(w.lower() in other for other in others), -len(w)))


def test_the_home_page_leads_to_every_article_in_one_click(seed: Built, server: str, tab: Tab) -> None:
    tab.open(server + "index.html")
    assert words(tab.page.inner_text("h1")) == words(seed.title)
    titles = {words(seed.view.value(a, DCTERMS + "title") or "")
              for a in seed.view.subjects_with(RDF_TYPE, str(EXO.Article))}
    assert titles
    links = tab.page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
    seen = words(tab.page.inner_text("main"))
    for link in [server + "index.html", *links]:
        if all(title in seen for title in titles):
            break
        if link.startswith(server) and urlsplit(link).path.endswith(".html"):
            tab.open(link)
            seen += " " + words(tab.page.inner_text("main"))
    assert {title for title in titles if title not in seen} == set()
    only_local(tab, server)


def test_an_article_page_shows_its_title_and_doi_link(seed: Built, server: str, tab: Tab) -> None:
    article, title, doi = an_article(seed)
    tab.open(server + seed.page(article))
    assert words(tab.page.inner_text("h1")) == words(title)
    doi_link = tab.page.locator(f'a[href="{doi_iri(doi)}"]')
    assert doi_link.count() >= 1 and doi_link.first.is_visible()
    only_local(tab, server)


def test_a_claim_page_shows_the_claim_and_its_evidence(seed: Built, server: str, tab: Tab) -> None:
    view = seed.view
    claims = [(c, [view.value(a, str(EXO.evidence)) or "" for a in view.subjects_with(str(EXO.asserts), c)])
              for c in view.subjects_with(RDF_TYPE, str(EXO.Claim))]
    claim, evidence = next((c, e) for c, e in claims if e)
    tab.open(server + seed.page(claim))
    assert words(tab.page.inner_text("h1")) == words(view.label(claim))
    shown = [words(t) for t in tab.page.locator("blockquote.evidence").all_inner_texts()]
    for sentence in evidence:
        assert words(sentence) in shown
    only_local(tab, server)


def test_a_search_from_the_header_finds_the_article_and_leads_to_it(seed: Built, server: str, tab: Tab) -> None:
    article, title, _ = an_article(seed)
    word = a_search_word(seed, title)
    tab.open(server + "index.html")
    header = tab.page.locator("header form.site-search")
    header.locator('input[name="q"]').fill(word)
    with tab.page.expect_navigation():
        header.locator('input[name="q"]').press("Enter")
    assert urlsplit(tab.page.url).path == "/search.html" and f"q={quote(word)}" in tab.page.url
    search_ready(tab)
    assert tab.page.input_value("#search-page-q") == word
    result = tab.page.locator(f'#search-results a[href="{seed.page(article)}"]')
    assert result.count() == 1, tab.page.inner_text("#search-results")
    assert words(result.inner_text()) == words(title)
    assert word.lower() in [m.lower() for m in result.locator("mark").all_inner_texts()]
    assert "result" in tab.page.inner_text("#search-status")
    with tab.page.expect_navigation():
        result.click()
    assert urlsplit(tab.page.url).path == "/" + seed.page(article)
    assert words(tab.page.inner_text("h1")) == words(title)
    only_local(tab, server)


def test_typing_updates_the_results_and_a_word_in_no_page_says_so(seed: Built, server: str, tab: Tab) -> None:
    nonsense = "qzxvjwkq"
    assert nonsense not in (seed.folder / "search" / "index.json").read_text(encoding="utf-8").lower()
    tab.open(server + "search.html")
    search_ready(tab)
    assert "can be searched" in tab.page.inner_text("#search-status")
    tab.page.fill("#search-page-q", nonsense)
    assert tab.page.locator("#search-results li").count() == 0
    assert tab.page.inner_text("#search-status") == f"No results for “{nonsense}”."
    assert f"q={nonsense}" in tab.page.url  # the address keeps the query, to share or go back to
    _, title, _ = an_article(seed)
    tab.page.fill("#search-page-q", a_search_word(seed, title))
    assert tab.page.locator("#search-results li").count() >= 1
    only_local(tab, server)


def test_search_works_when_the_site_is_opened_from_disk(seed: Built, tab: Tab) -> None:
    article, title, _ = an_article(seed)
    tab.open(f"{(seed.folder / 'search.html').as_uri()}?q={quote(a_search_word(seed, title))}")
    search_ready(tab)
    assert tab.page.locator(f'#search-results a[href="{seed.page(article)}"]').count() == 1
    assert all(urlsplit(url).scheme == "file" for url in tab.requests), tab.requests
    assert tab.problems == []


@pytest.mark.parametrize("which", ["index", "article", "claim", "search"])
def test_pages_fit_a_phone_screen(seed: Built, server: str, browser: Browser, which: str) -> None:
    article, title, _ = an_article(seed)
    claim = seed.view.subjects_with(RDF_TYPE, str(EXO.Claim))[0]
    path = {"index": "index.html", "article": seed.page(article), "claim": seed.page(claim),
            "search": f"search.html?q={quote(a_search_word(seed, title))}"}[which]
    with open_tab(browser, f"test_pages_fit_a_phone_screen-{which}", **PHONE) as phone:
        phone.open(server + path)
        if which == "search":
            search_ready(phone)
            assert phone.page.locator("#search-results li").count() >= 1
        width = phone.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path}: {width[0]} px of content on a {width[1]} px screen"
        # The page asks for the device width: without that a phone lays it out 980 px wide and shrinks it.
        assert width[1] == PHONE_WIDTH
        only_local(phone, server)


def test_hostile_titles_in_results_are_text_and_never_run(browser: Browser, tmp_path: Path) -> None:
    listing, review = small_corpus().articles
    evil = dataclasses.replace(review, title=PWNED, abstract="<b>bold</b><script>window.pwned=3</script> zebrafish",
                               authors=(Author('<img src=y onerror="window.pwned=4">'),))
    env = make_renderer(ROOT / "site")
    data = SiteInput(triples=map_bibliography(resolve(Corpus((listing, evil))), INFO), title=INFO.title,
                     base_iri=INFO.base_iri, build_date=INFO.build_date, version="test",
                     vocabulary=read_turtle_folder(ROOT / "ontology", "ontology", exclude=("concepts.ttl",)),
                     assets=read_assets(ROOT / "site"))
    write_site(plan_site(data, lambda t, c: render_with(env, t, c)).files, tmp_path / "site")
    with serve_folder(tmp_path / "site") as server, \
            open_tab(browser, "test_hostile_titles_in_results_are_text_and_never_run", **DESKTOP) as tab:
        tab.open(server + "search.html?q=zebrafish")
        search_ready(tab)
        links = tab.page.locator("#search-results a")
        assert links.count() == 1
        assert links.first.text_content() == PWNED
        assert tab.page.locator("#search-results img, #search-results script, #search-results b").count() == 0
        assert "<b>bold</b>" in tab.page.inner_text("#search-results .snippet")
        assert tab.page.evaluate("window.pwned") is None
        only_local(tab, server)
