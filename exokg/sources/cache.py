"""Raw HTTP responses on disk, one entry per request, each written atomically.

An entry is two files named by the SHA-256 of its request key, under a folder per service::

    <root>/<service>/<ab>/<abcd…>.body   the response body, byte for byte (after transfer decoding)
    <root>/<service>/<ab>/<abcd…>.json   key, URL, status, reason, headers, retrieval time, body size and hash

Each file is written to a temporary file in the same folder and moved into place with
:func:`os.replace`. The body goes first and the ``.json`` record last, and the record holds the
body's hash, so an entry interrupted between the two (or a body left over from an interrupted
refresh) reads as a miss, never as a wrong answer. Nothing half-written is ever read.

The request key is the method plus the URL with its query parameters sorted. The caller leaves out
parameters that identify the caller (``tool``, ``email``) or are secret (``api_key``), so neither
reaches the key, the file names or the records. See :func:`canonical_url`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from exokg.errors import ExokgError

log = logging.getLogger(__name__)

TEMP_PREFIX = ".tmp-"
_FORMAT = 1


class CacheError(ExokgError):
    """The HTTP cache folder could not be written (a full disk, a read-only folder)."""

    exit_code = 2


@dataclass(frozen=True)
class CachedResponse:
    """One stored response: what came back for ``key``, and when (``retrieved``, ISO 8601 UTC)."""

    key: str
    url: str
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes
    retrieved: str


def canonical_url(base_url: str, path: str, params: Iterable[tuple[str, str]], drop: Iterable[str] = ()) -> str:
    """``base_url`` joined to ``path`` with ``params`` sorted by name then value, leaving out the ``drop`` names."""
    dropped = frozenset(drop)
    url = base_url.rstrip("/") + "/" + path.lstrip("/") if path else base_url
    query = sorted((name, value) for name, value in params if name not in dropped)
    return f"{url}?{urlencode(query)}" if query else url


def request_key(method: str, url: str, accept: str | None = None) -> str:
    """The cache key of a request: ``GET <canonical url>``, plus the ``Accept`` header when the caller chose one."""
    key = f"{method.upper()} {url}"
    return f"{key} [accept: {accept}]" if accept else key


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder; never leave a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:  # Ctrl-C included: remove the temporary file, then let it propagate
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


class ResponseCache:
    """Stored responses under ``root``, looked up by service name and request key."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _stem(self, service: str, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.root / service / digest[:2] / digest

    def paths(self, service: str, key: str) -> tuple[Path, Path]:
        """The body file and the record file of an entry (they need not exist)."""
        stem = self._stem(service, key)
        return stem.with_suffix(".body"), stem.with_suffix(".json")

    def get(self, service: str, key: str) -> CachedResponse | None:
        """The stored response for ``key``, or ``None`` when there is none or it is incomplete."""
        body_path, record_path = self.paths(service, key)
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", record_path, exc)
            return None
        if not isinstance(record, dict) or record.get("key") != key:
            log.warning("ignoring cache entry %s: it belongs to another request", record_path)
            return None
        if record.get("sha256") != hashlib.sha256(body).hexdigest():
            log.warning("ignoring cache entry %s: its body does not match its record", record_path)
            return None
        return CachedResponse(
            key=key,
            url=str(record["url"]),
            status=int(record["status"]),
            reason=str(record.get("reason", "")),
            headers={str(name): str(value) for name, value in dict(record.get("headers", {})).items()},
            body=body,
            retrieved=str(record["retrieved"]),
        )

    def put(self, service: str, entry: CachedResponse) -> None:
        """Store ``entry``: the body first, then the record that makes it visible."""
        body_path, record_path = self.paths(service, entry.key)
        record = {
            "format": _FORMAT,
            "key": entry.key,
            "url": entry.url,
            "status": entry.status,
            "reason": entry.reason,
            "headers": dict(sorted(entry.headers.items())),
            "retrieved": entry.retrieved,
            "length": len(entry.body),
            "sha256": hashlib.sha256(entry.body).hexdigest(),
        }
        text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        try:
            write_atomic(body_path, entry.body)
            write_atomic(record_path, text.encode("utf-8"))
        except OSError as exc:
            raise CacheError(
                f"could not write the HTTP cache entry {record_path}: {exc.strerror or exc}",
                hint="check that the work directory is writable and the disk is not full",
            ) from exc
