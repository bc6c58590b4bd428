"""Saved API responses as corpus files: a Crossref work or works page, a Europe PMC search response or record.

A file whose first non-blank character is ``{`` is read as JSON; one that is not valid JSON, or is JSON
of no shape exokg knows, is an unreadable page with the reason, never a page of text.
"""

from __future__ import annotations

import json
from typing import Any

from exokg.errors import InputError, UnreadablePage
from exokg.model import Article, Source
from exokg.sources import crossref, europepmc

_KNOWN = "a Crossref /works response, or a Europe PMC search response or record"


def is_api_json(raw: bytes) -> bool:
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_api_json(raw: bytes, source: Source) -> tuple[Article, ...]:
    """Every article of a saved API response."""
    try:
        doc: Any = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UnreadablePage(source.name, f"JSON that is not UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise UnreadablePage(source.name, f"not valid JSON at {where} ({exc.msg})") from exc
    if not isinstance(doc, dict):
        raise UnreadablePage(source.name, f"JSON, but not {_KNOWN}")
    try:
        if doc.get("message-type") == "work":
            articles: tuple[Article, ...] = (crossref.parse_work(doc, source),)
        elif doc.get("message-type") == "work-list":
            articles = crossref.parse_works_page(doc, source).articles
        elif "resultList" in doc:
            articles = europepmc.parse_search(doc, source).articles
        elif "source" in doc and ("pmid" in doc or "id" in doc) and "title" in doc:
            # One record as the search response lists it, saved on its own.
            articles = europepmc.parse_search({"hitCount": 1, "resultList": {"result": [doc]}}, source).articles
        else:
            raise UnreadablePage(source.name, f"JSON, but not {_KNOWN}")
    except UnreadablePage:
        raise
    except InputError as exc:
        raise UnreadablePage(source.name, exc.message) from exc
    if not articles:
        raise UnreadablePage(source.name, "the response holds no records")
    return articles
