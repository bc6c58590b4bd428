"""Jinja rendering: autoescaped HTML, undefined names are errors, templates from the project's ``site/``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from exokg.errors import ConfigError


def make_renderer(site_dir: Path) -> jinja2.Environment:
    templates = site_dir / "templates"
    if not templates.is_dir():
        raise ConfigError(f"{templates}: the project has no site templates",
                          "copy site/ from the exokg repository or point [paths] site at one")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=balance_bidi,
        # One build renders thousands of pages from templates that do not change meanwhile: compiled once,
        # not checked against the file on every page.
        auto_reload=False,
    )


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CLOSER = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
           "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}


def balance_bidi(value: Any) -> Any:
    """Close every direction embedding, override or isolate a printed value leaves open.

    Data text (a title, an author's name) may carry a right-to-left override; left open, it would reverse
    whatever the page prints after it. Every ``{{ … }}`` output passes through here, so each value's
    direction controls end where the value ends.
    """
    # Markup is already-made content (the JSON-LD of a page), not text to print: left exactly as it is.
    if type(value) is str:  # nearly every value: one test instead of two isinstance checks
        if not _BIDI.search(value):
            return value
    elif not isinstance(value, str) or isinstance(value, Markup) or not _BIDI.search(value):
        return value
    open_: list[str] = []
    for char in value:
        if char in _CLOSER:
            open_.append(_CLOSER[char])
        elif char in ("\u202c", "\u2069") and open_ and open_[-1] == char:
            open_.pop()
    return value + "".join(reversed(open_)) if open_ else value


def render_with(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"site template {exc.name} is missing", "add it to site/templates/") from exc
    except jinja2.TemplateError as exc:
        raise ConfigError(f"site template {template} failed: {exc}") from exc


def read_assets(site_dir: Path) -> dict[str, bytes]:
    """The files of ``site/assets/`` as site paths ``assets/...``, in name order."""
    root = site_dir / "assets"
    if not root.is_dir():
        return {}
    return {f"assets/{p.relative_to(root).as_posix()}": p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}
