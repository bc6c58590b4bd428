"""Layouts by name: a small registry, tried in order, with the generic layout as the last resort.

Built-in layouts are registered by :mod:`exokg.sources` with :func:`register_layout`, exactly as a
third party registers its own, so a site-specific layout is one class with ``name``, ``detect``
and ``parse``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from exokg.model import Article, Source
from exokg.sources.generic import GenericLayout


@runtime_checkable
class Layout(Protocol):
    """One kind of saved page: recognises its text and turns it into an :class:`Article`."""

    name: str

    def detect(self, text: str) -> bool:
        """Whether ``text`` (already normalised) is a page of this layout."""
        ...

    def parse(self, text: str, source: Source) -> Article:
        """The article the page shows; fields it does not show stay ``None`` or empty."""
        ...


class LayoutRegistry:
    """Layouts tried in registration order; ``fallback`` takes whatever none of them claims."""

    def __init__(self, fallback: Layout, layouts: Iterable[Layout] = ()) -> None:
        self.fallback = fallback
        self._layouts: list[Layout] = []
        for layout in layouts:
            self.register(layout)

    def register(self, layout: Layout, *, first: bool = False, replace: bool = False) -> None:
        """Add ``layout``; ``first`` puts it before the others. A taken name needs ``replace``."""
        taken = [i for i, known in enumerate(self._layouts) if known.name == layout.name]
        if taken and not replace:
            raise ValueError(f"a layout named {layout.name!r} is already registered (pass replace=True)")
        if layout.name == self.fallback.name:
            raise ValueError(f"{layout.name!r} is the fallback layout's name")
        for index in reversed(taken):
            del self._layouts[index]
        if first:
            self._layouts.insert(0, layout)
        else:
            self._layouts.append(layout)

    def unregister(self, name: str) -> None:
        """Remove the layout called ``name`` (no error when there is none)."""
        self._layouts = [layout for layout in self._layouts if layout.name != name]

    def layouts(self) -> tuple[Layout, ...]:
        """Every layout in the order they are tried, the fallback last."""
        return (*self._layouts, self.fallback)

    def choose(self, text: str, *, skip: Iterable[str] = ()) -> Layout:
        """The first layout (not named in ``skip``) that recognises ``text``, else the fallback."""
        skipped = set(skip)
        for layout in self._layouts:
            if layout.name not in skipped and layout.detect(text):
                return layout
        return self.fallback

    def parse(self, text: str, source: Source, *, skip: Iterable[str] = ()) -> Article:
        """Parse ``text`` with the layout :meth:`choose` picks."""
        return self.choose(text, skip=skip).parse(text, source)


DEFAULT_REGISTRY = LayoutRegistry(fallback=GenericLayout())


def register_layout(layout: Layout, *, first: bool = False, replace: bool = False) -> None:
    """Register ``layout`` with the default registry :func:`exokg.sources.read_page` uses."""
    DEFAULT_REGISTRY.register(layout, first=first, replace=replace)


def layouts() -> tuple[Layout, ...]:
    """The default registry's layouts in the order they are tried."""
    return DEFAULT_REGISTRY.layouts()
