"""One validated configuration object, built once: defaults < project file < environment < flags.

A project directory holds an ``exokg.toml``; every part of it is optional. All problems in the file are
reported together, each naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from exokg.errors import ConfigError

CONFIG_FILE = "exokg.toml"
DEFAULT_BASE_IRI = "https://w3id.org/exokg/"

_PATH_KEYS = ("corpus", "ontology", "shapes", "queries", "site", "output", "workdir", "curation")
_DEFAULT_PATHS = {
    "corpus": "corpus",
    "ontology": "ontology",
    "shapes": "shapes",
    "queries": "queries",
    "site": "site",
    "output": "_site",
    "workdir": ".exokg",
    "curation": "curation.yaml",
}
_PROJECT_KEYS = ("title", "description", "base_iri", "licence", "build_date", "contact")
_SOURCE_KEYS = ("ncbi", "europepmc", "crossref", "opencitations")
_IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`#?]+/$")


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know, already checked."""

    project_dir: Path
    title: str
    description: str
    base_iri: str
    licence: str
    build_date: dt.date
    contact: str | None
    corpus_dir: Path
    ontology_dir: Path
    shapes_dir: Path
    queries_dir: Path
    site_dir: Path
    output_dir: Path
    workdir: Path
    curation_file: Path
    sources: Mapping[str, str] = field(default_factory=dict)  # [sources]: API service name → base URL
    ncbi_api_key: str | None = None  # NCBI_API_KEY from the environment

    @property
    def http_cache_dir(self) -> Path:
        """Where the HTTP client keeps every response: ``<workdir>/http``."""
        return self.workdir / "http"

    def with_output(self, output: Path | None) -> Config:
        """The same config writing to ``output`` (a CLI flag) when one is given."""
        return self if output is None else replace(self, output_dir=output.resolve())


def load_config(
    project_dir: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Read ``exokg.toml`` of ``project_dir`` (default: the current directory) and validate it.

    ``overrides`` carries values the user typed on the command line (``None`` means not typed).
    ``SOURCE_DATE_EPOCH`` in the environment sets the build date, as reproducible-build tools expect.
    """
    root = (project_dir or Path.cwd()).resolve()
    if not root.is_dir():
        raise ConfigError(f"{root}: not a directory", "give the path of an exokg project directory")
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    config_path = root / CONFIG_FILE
    if config_path.is_file():
        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_path}: not valid TOML: {exc}") from exc
    errors: list[str] = []
    project = _table(raw, "project", config_path, errors)
    paths = _table(raw, "paths", config_path, errors)
    source_urls = _table(raw, "sources", config_path, errors)
    for key in sorted(set(raw) - {"project", "paths", "sources"}):
        errors.append(f"{config_path}: unknown table or key '{key}' (expected [project], [paths] and [sources])")
    for key, value in sorted(source_urls.items()):
        if key not in _SOURCE_KEYS:
            errors.append(f"{config_path}: [sources] has unknown key '{key}' (known: {', '.join(_SOURCE_KEYS)})")
        elif not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
            errors.append(f"{config_path}: [sources] {key} must be an http(s) base URL, got {value!r}")
    for key in sorted(set(project) - set(_PROJECT_KEYS)):
        errors.append(f"{config_path}: [project] has unknown key '{key}' (known: {', '.join(_PROJECT_KEYS)})")
    for key in sorted(set(paths) - set(_PATH_KEYS)):
        errors.append(f"{config_path}: [paths] has unknown key '{key}' (known: {', '.join(_PATH_KEYS)})")

    values: dict[str, Any] = {k: v for k, v in project.items() if k in _PROJECT_KEYS}
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})

    def text(key: str, default: str) -> str:
        value = values.get(key, default)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{config_path}: [project] {key} must be a non-empty string, got {value!r}")
            return default
        return value.strip()

    title = text("title", root.name)
    description = text("description", f"Knowledge graph of the articles in {root.name}")
    base_iri = text("base_iri", DEFAULT_BASE_IRI)
    if not _IRI_RE.match(base_iri):
        errors.append(
            f"{config_path}: [project] base_iri must be an http(s) IRI ending in '/' with no query or "
            f"fragment, got {base_iri!r}"
        )
    licence = text("licence", "https://creativecommons.org/publicdomain/zero/1.0/")
    contact = values.get("contact")
    if contact is not None and not isinstance(contact, str):
        errors.append(f"{config_path}: [project] contact must be a string, got {contact!r}")
        contact = None
    build_date = _build_date(values.get("build_date"), env, config_path, errors)

    resolved: dict[str, Path] = {}
    for key in _PATH_KEYS:
        value = paths.get(key, _DEFAULT_PATHS[key])
        if not isinstance(value, str) or not value:
            errors.append(f"{config_path}: [paths] {key} must be a non-empty string, got {value!r}")
            value = _DEFAULT_PATHS[key]
        resolved[key] = (root / value).resolve()

    if errors:
        raise ConfigError("the project configuration has errors:\n  " + "\n  ".join(errors))
    return Config(
        project_dir=root,
        title=title,
        description=description,
        base_iri=base_iri,
        licence=licence,
        build_date=build_date,
        contact=contact,
        corpus_dir=resolved["corpus"],
        ontology_dir=resolved["ontology"],
        shapes_dir=resolved["shapes"],
        queries_dir=resolved["queries"],
        site_dir=resolved["site"],
        output_dir=resolved["output"],
        workdir=resolved["workdir"],
        curation_file=resolved["curation"],
        sources={k: v for k, v in sorted(source_urls.items()) if k in _SOURCE_KEYS},
        ncbi_api_key=env.get("NCBI_API_KEY", "").strip() or None,
    )


def _table(raw: Mapping[str, Any], name: str, path: Path, errors: list[str]) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        errors.append(f"{path}: '{name}' must be a table ([{name}])")
        return {}
    return value


def _build_date(value: Any, env: Mapping[str, str], path: Path, errors: list[str]) -> dt.date:
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        if not epoch.strip().isdigit():
            errors.append(f"environment: SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}")
        else:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    if value is None:
        # Without a configured date, a date (not a time) keeps same-day rebuilds byte-identical.
        return dt.datetime.now(tz=dt.UTC).date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    errors.append(f"{path}: [project] build_date must be a date such as 2026-01-31, got {value!r}")
    return dt.date(1970, 1, 1)
