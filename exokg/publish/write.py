"""The publish stage, second half: write a checked plan to a temporary folder, then swap it into place.

A build that fails before the swap leaves the previous site as it was; nothing half-written survives.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_site(files: dict[str, bytes], output: Path) -> int:
    """Write ``files`` (site path -> bytes) as the folder ``output``; returns the bytes written."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    total = 0
    try:
        made: set[Path] = set()
        for rel in sorted(files):
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(files[rel])
            total += len(files[rel])
        os.chmod(staging, 0o755)
        previous = output.parent / f".{output.name}.old"
        shutil.rmtree(previous, ignore_errors=True)
        if output.exists():
            output.rename(previous)
        staging.rename(output)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return total
