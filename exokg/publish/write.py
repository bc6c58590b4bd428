"""The publish stage, second half: the site's files put in place whole, or not at all.

Files are written to a staging folder beside the output and the folder is swapped into place at the end;
a build that fails before the swap leaves the previous site as it was, and nothing half-written survives.
A plan can stage its files as it makes them (:class:`StagedFiles`), so memory holds their paths and sizes
rather than the whole site; :func:`write_site` then only swaps the folder in.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path


def staging_folder(output: Path) -> Path:
    """A new, empty folder beside ``output`` (the same file system, so the swap is a rename)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))


def write_file(folder: Path, path: str, content: bytes) -> None:
    """One site file (``path`` relative to the site) under ``folder``, as a new file: one already there is
    replaced, never written into, since it may be a link to the previous site's (:mod:`exokg.publish.reuse`)."""
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "xb") as file:
            file.write(content)
    except FileExistsError:
        target.unlink()
        with open(target, "xb") as file:
            file.write(content)


class StagedFiles(MutableMapping[str, bytes]):
    """The files of a site as they are planned, written straight into a staging folder (:func:`staging_folder`).

    A mapping of site path to bytes like the in-memory plan, but only the paths and sizes stay in memory;
    reading a file reads it back. Worker processes may write into the same folder and :meth:`record` what
    they wrote.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sizes: dict[str, int] = {}

    def __setitem__(self, path: str, content: bytes) -> None:
        write_file(self.folder, path, content)
        self._sizes[path] = len(content)

    def record(self, path: str, size: int) -> None:
        """A file written into :attr:`folder` by another process."""
        self._sizes[path] = size

    def release(self, path: str) -> int:
        """The size of a staged file, which stays in the folder but is no longer counted here: another
        process's plan counts it (a page worker's answer, :meth:`record`)."""
        return self._sizes.pop(path)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._sizes:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __delitem__(self, path: str) -> None:
        del self._sizes[path]
        (self.folder / path).unlink()

    def __contains__(self, path: object) -> bool:
        return path in self._sizes

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)

    def size(self) -> int:
        """Bytes staged in all."""
        return sum(self._sizes.values())

    def discard(self) -> None:
        """Remove the staging folder, unless it has been swapped into place already."""
        shutil.rmtree(self.folder, ignore_errors=True)


def write_site(files: Mapping[str, bytes], output: Path) -> int:
    """Put ``files`` (site path -> bytes) in place as the folder ``output``; returns the bytes written."""
    output = output.resolve()
    if isinstance(files, StagedFiles):
        staging, total = files.folder, files.size()
        try:
            _swap(staging, output)
        except BaseException:
            files.discard()
            raise
        return total
    staging = staging_folder(output)
    total = 0
    try:
        made: set[Path] = set()
        for rel in sorted(files):
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            content = files[rel]
            target.write_bytes(content)
            total += len(content)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return total


def _swap(staging: Path, output: Path) -> None:
    os.chmod(staging, 0o755)  # mkdtemp made it private
    previous = output.parent / f".{output.name}.old"
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    shutil.rmtree(previous, ignore_errors=True)
