"""Copies of this repository's exokg project, so tests build into temporary folders, never the repo."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("exokg.toml", "curation.yaml", "corpus", "ontology", "shapes", "queries", "site")


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def synthetic_project(target: Path, articles: int, seed: int) -> Path:
    """A copy of the project whose corpus is ``articles`` synthetic PubMed records (``bench/corpus.py``) instead
    of the seeds, and without the curation file, which curates the seed articles."""
    project = copy_project(target)
    for page in (project / "corpus").iterdir():
        page.unlink()
    (project / "curation.yaml").unlink()
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import write_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    write_corpus(project / "corpus", articles, seed)
    return project
