"""Jinja rendering: autoescaped HTML, undefined names are errors, templates from the project's ``site/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

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
    )


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
