"""Shared test set-up: the tests directory is importable for its fixture modules."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
