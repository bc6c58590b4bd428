"""One validated configuration: defaults < exokg.toml < environment < flags; all errors reported at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exokg.config import DEFAULT_BASE_IRI, load_config
from exokg.errors import ConfigError


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(tmp_path, environ={"SOURCE_DATE_EPOCH": "1700000000"})
    assert config.base_iri == DEFAULT_BASE_IRI
    assert config.corpus_dir == tmp_path / "corpus"
    assert config.output_dir == tmp_path / "_site"
    assert config.build_date == dt.date(2023, 11, 14)


def test_project_file_then_environment_then_flags(tmp_path: Path) -> None:
    (tmp_path / "exokg.toml").write_text(
        '[project]\ntitle = "T"\nbase_iri = "https://example.org/kg/"\nbuild_date = 2025-01-02\n'
        '[paths]\ncorpus = "pages"\n', encoding="utf-8")
    config = load_config(tmp_path, environ={})
    assert (config.title, config.base_iri, config.build_date) == ("T", "https://example.org/kg/", dt.date(2025, 1, 2))
    assert config.corpus_dir == tmp_path / "pages"
    assert load_config(tmp_path, environ={"SOURCE_DATE_EPOCH": "0"}).build_date == dt.date(1970, 1, 1)
    assert load_config(tmp_path, environ={}, overrides={"title": "Flag", "base_iri": None}).title == "Flag"
    out = load_config(tmp_path, environ={}).with_output(tmp_path / "elsewhere")
    assert out.output_dir == tmp_path / "elsewhere"


def test_every_error_is_reported_with_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "exokg.toml").write_text(
        '[project]\nbase_iri = "https://example.org/kg"\nbuild_date = "yesterday"\ncolour = "red"\n'
        '[paths]\ncorpus = 3\n[extra]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ={})
    message = str(info.value)
    for expected in ("base_iri must be an http(s) IRI ending in '/'", "build_date must be a date",
                     "unknown key 'colour'", "[paths] corpus must be a non-empty string", "'extra'"):
        assert expected in message
    assert str(tmp_path / "exokg.toml") in message


def test_invalid_toml_and_missing_directory(tmp_path: Path) -> None:
    (tmp_path / "exokg.toml").write_text("[project\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path, environ={})
    with pytest.raises(ConfigError, match="not a directory"):
        load_config(tmp_path / "missing", environ={})
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        load_config(tmp_path.parent, environ={"SOURCE_DATE_EPOCH": "soon"})
