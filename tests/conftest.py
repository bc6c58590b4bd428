"""Shared fixtures. The tests folder is on the import path (pytest's ``pythonpath``) for fixture modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from project_fixtures import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the default project (config, the five seed pages, ontology, shapes, queries, site)."""
    return copy_project(tmp_path / "project")
