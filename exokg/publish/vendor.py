"""Browser libraries the site ships, found where npm installed them.

The libraries come from npm (``package.json`` at the root of the exokg folder lists them), never from
copies kept in the repository, so their versions are pinned by ``package-lock.json`` and updated by npm.
A project may install its own (``node_modules/`` beside ``exokg.toml``); otherwise the ones installed
in the exokg source folder are used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import exokg
from exokg.errors import ConfigError

# Where ``npm ci`` puts the packages when it is run in the exokg source folder.
CHECKOUT_NODE_MODULES = Path(exokg.__file__).resolve().parents[1] / "node_modules"
NPM_HINT = 'run "npm ci" in the exokg folder'
# npm's rules for package names, so that a name can never climb out of node_modules/.
_PACKAGE_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")


@dataclass(frozen=True)
class Package:
    """One installed npm package: its folder and the version its ``package.json`` states."""

    name: str
    folder: Path
    version: str

    def read(self, relative: str) -> bytes:
        """A file of the package; a missing one is an error naming it (an incomplete or other version)."""
        path = self.folder / _relative(relative)
        if not path.is_file():
            raise ConfigError(f"{self.folder}: the npm package {self.name} {self.version} has no file {relative}",
                              f"{NPM_HINT} to install the version package-lock.json pins")
        return path.read_bytes()


def search_path(project_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The ``node_modules`` folders to look in: the project's first, then the exokg source folder's."""
    return (*project_dirs, CHECKOUT_NODE_MODULES)


def find_package(name: str, search: Sequence[Path], wanted: str = "package.json") -> Package:
    """The first installation of ``name`` in the ``node_modules`` folders of ``search``.

    ``wanted`` is the file the caller needs, named in the error so that a user knows what is missing.
    A package folder is taken as a whole (all files from one installation, never mixed).
    """
    if not _PACKAGE_NAME.match(name):
        raise ConfigError(f"{name!r} is not an npm package name", "use the name as package.json lists it")
    for node_modules in search:
        manifest = node_modules / name / "package.json"
        if manifest.is_file():
            return Package(name, manifest.parent, _version(manifest))
    looked = ", ".join(str(d / name / _relative(wanted)) for d in search) or "no folder"
    raise ConfigError(f"the npm package {name} is not installed: no {name}/{wanted} (looked for {looked})",
                      NPM_HINT)


def ship_package(name: str, project_dirs: Sequence[Path], files: Sequence[tuple[str, str]],
                 add: Callable[[str, bytes], None]) -> Package:
    """Give ``add`` each file of npm package ``name`` the site ships: ``files`` pairs the package's path of each
    with its site path; the first is the one named when the package is missing. Returns the package."""
    package = find_package(name, search_path(project_dirs), files[0][0])
    for source, target in files:
        add(target, package.read(source))
    return package


def _version(manifest: Path) -> str:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{manifest}: not a readable package.json ({exc})", NPM_HINT) from exc
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version:
        raise ConfigError(f"{manifest}: package.json states no version", NPM_HINT)
    return version


def _relative(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or ".." in path.parts:
        raise ConfigError(f"{relative!r} is not a file inside a package", "name it relative to the package folder")
    return path
