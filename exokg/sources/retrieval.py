"""The record of how a fetched corpus file was retrieved, kept beside it as ``<file>.retrieval.json``.

``exokg fetch`` writes one per file it saves: which service, which request (the cache key's URL, so
never the API key or the contact address) and when the response came. The file's SHA-256 is in the
record too, so a record left beside a file that was since edited or replaced is refused instead of
lending the new content the old request's provenance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from exokg.errors import UnreadablePage
from exokg.model import Retrieval

SUFFIX = ".retrieval.json"
_FORMAT = 1


def record_path(path: Path) -> Path:
    """Where the retrieval record of the corpus file ``path`` lives."""
    return path.with_name(path.name + SUFFIX)


def is_record(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def retrieval_record(name: str, content: bytes, retrieval: Retrieval) -> bytes:
    """The bytes of the record for the file ``name`` holding ``content`` (sorted keys: byte-stable)."""
    record = {"format": _FORMAT, "file": name, "sha256": hashlib.sha256(content).hexdigest(),
              "service": retrieval.service, "url": retrieval.url, "retrieved": retrieval.retrieved}
    return (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def read_retrieval(path: Path, sha256: str) -> Retrieval | None:
    """The retrieval of the corpus file ``path`` (whose content hash is ``sha256``), or ``None`` when it has
    no record; :class:`UnreadablePage`, naming the record, when the record is malformed or stale."""
    record_file = record_path(path)
    try:
        text = record_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadablePage(record_file.name, f"cannot read the retrieval record: {exc}") from exc
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadablePage(record_file.name, f"not JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(record, dict):
        raise UnreadablePage(record_file.name, "a retrieval record is a JSON object")
    for key in ("service", "url", "retrieved", "sha256"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise UnreadablePage(record_file.name, f"the field {key!r} is missing or not a non-empty string")
    if record["sha256"] != sha256:
        raise UnreadablePage(record_file.name, f"describes another version of {path.name} (its sha256 differs); "
                                               "fetch the file again with --refresh, or delete the record")
    if not record["url"].startswith(("http://", "https://")) or any(c in record["url"] for c in ' <>"{}|\\^`'):
        raise UnreadablePage(record_file.name, f"the field 'url' is not an http(s) URL: {record['url']!r}")
    try:
        when = dt.datetime.fromisoformat(record["retrieved"].replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise UnreadablePage(record_file.name, "the field 'retrieved' is not an ISO 8601 time with a time zone, "
                                               f"such as 2026-11-21T10:00:00Z: {record['retrieved']!r}")
    return Retrieval(service=record["service"], url=record["url"], retrieved=record["retrieved"])
