"""The layout registry: built-ins in order, generic last, third-party layouts registered the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from exokg.errors import UnreadablePage
from exokg.model import Article, Source
from exokg.sources import (
    GenericLayout,
    Layout,
    LayoutRegistry,
    ListingLayout,
    PubMedLayout,
    layouts,
    parse_text,
    read_page,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SOURCE = Source("inline.txt", "0" * 64)


class RisLayout:
    """A third party's layout: RIS export files (``TY  - JOUR``)."""

    name = "ris"

    def detect(self, text: str) -> bool:
        return text.lstrip().startswith("TY  - ")

    def parse(self, text: str, source: Source) -> Article:
        tags = dict(line.split("  - ", 1) for line in text.splitlines() if "  - " in line)
        return Article(source=source, layout=self.name, title=tags.get("TI"), doi=tags.get("DO"))


def test_built_in_layouts_are_tried_in_order_with_generic_last() -> None:
    assert [layout.name for layout in layouts()] == ["html-meta", "pubmed", "listing", "generic"]
    assert all(isinstance(layout, Layout) for layout in layouts())


def test_a_registered_layout_is_used_for_its_pages() -> None:
    registry = LayoutRegistry(GenericLayout(), [PubMedLayout(), ListingLayout()])
    registry.register(RisLayout())
    article = parse_text("TY  - JOUR\nTI  - Exosomes\nDO  - 10.1/x\nER  - \n", SOURCE, registry)
    assert (article.layout, article.title, article.doi) == ("ris", "Exosomes", "10.1/x")
    assert read_page(CORPUS / "002_1498dab3321b66eb.txt", registry=registry).layout == "listing"


def test_a_taken_name_needs_replace() -> None:
    registry = LayoutRegistry(GenericLayout(), [PubMedLayout()])
    with pytest.raises(ValueError, match="'pubmed' is already registered"):
        registry.register(PubMedLayout())
    registry.register(PubMedLayout(), replace=True)
    with pytest.raises(ValueError, match="fallback"):
        registry.register(GenericLayout())
    assert [layout.name for layout in registry.layouts()] == ["pubmed", "generic"]


def test_first_puts_a_layout_before_the_built_ins() -> None:
    registry = LayoutRegistry(GenericLayout(), [PubMedLayout()])

    class Everything(RisLayout):
        name = "everything"

        def detect(self, text: str) -> bool:
            return True

    registry.register(Everything(), first=True)
    assert registry.choose((CORPUS / "000_b0dba30be5b40557.txt").read_text(encoding="utf-8")).name == "everything"
    registry.unregister("everything")
    assert registry.choose((CORPUS / "000_b0dba30be5b40557.txt").read_text(encoding="utf-8")).name == "pubmed"


def test_without_the_built_ins_a_seed_falls_back_to_generic_with_a_warning() -> None:
    article = read_page(CORPUS / "003_96a32d462d26ac30.txt", registry=LayoutRegistry(GenericLayout()))
    assert article.layout == "generic"
    assert article.warnings == (
        "layout not recognised: read with the generic strategy (labels, identifiers, title heuristic)",
    )
    assert article.doi == "10.1016/j.semcdb.2015.03.001"
    assert article.keywords == ("Exosome", "Homeostasis", "Mesenchymal stem cell")


def test_a_layout_that_finds_nothing_makes_the_page_unreadable() -> None:
    registry = LayoutRegistry(GenericLayout(), [RisLayout()])
    with pytest.raises(UnreadablePage, match=r"^inline\.txt: not an article page"):
        parse_text("TY  - JOUR\nER  - \n", SOURCE, registry)
