"""The fetch stage: article records from the live APIs, saved into the corpus folder.

One file per article, named from its id and written atomically: ``pubmed-<pmid>.xml`` (cut out of
an efetch batch, bytes unchanged), ``crossref-<doi>.json`` (the ``/works`` answer) and
``europepmc-<PMCID>.json`` (the ``core`` search answer). An article whose file exists is skipped
unless ``refresh``. Every response is also in the HTTP cache, so the same ids fetched with
``offline=True`` write the same bytes. Beside each file goes its retrieval record
(``<file>.retrieval.json``: service, request URL, time of the response). With ``depth`` above 0 the
references (and with ``citing`` the citing works) of each article are followed: Europe PMC for a
PMID; for a DOI, the reference list deposited in its Crossref record and OpenCitations. Those lists
stay in the cache only, and the linked works' records join the corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from exokg.errors import ConfigError
from exokg.model import Retrieval
from exokg.sources import eutils
from exokg.sources.cache import write_atomic
from exokg.sources.clients import (
    Linked,
    crossref_reference_links,
    crossref_work,
    europepmc_by_pmcid,
    europepmc_links,
    europepmc_search,
    opencitations_links,
)
from exokg.sources.http import FetchError, HttpClient, Response, Service
from exokg.sources.identifiers import clean_doi
from exokg.sources.retrieval import record_path, retrieval_record

KINDS = ("pmid", "doi", "pmcid")
_SAFE = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True, order=True)
class ArticleId:
    """``pmid:30992990``, ``doi:10.1155/2017/6305295`` or ``pmcid:PMC7701257``, in the one spelling."""

    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"

    @classmethod
    def parse(cls, text: str) -> ArticleId:
        kind, sep, value = text.strip().partition(":")
        kind, value = kind.strip().lower(), value.strip()
        if sep and kind == "pmid" and value.isdigit() and len(value) <= 9:
            return cls("pmid", str(int(value)))
        if sep and kind == "doi" and (doi := clean_doi(value)):
            return cls("doi", doi.lower())
        if sep and kind == "pmcid" and re.fullmatch(r"(?i)(PMC)?\d{1,9}", value):
            return cls("pmcid", "PMC" + value.upper().removeprefix("PMC"))
        raise ValueError(f"{text.strip()!r} is not an id such as pmid:30992990, doi:10.1155/2017/6305295 "
                         "or pmcid:PMC7701257")

    def file_name(self) -> str:
        if self.kind == "pmid":
            return f"pubmed-{self.value}.xml"
        if self.kind == "pmcid":
            return f"europepmc-{self.value}.json"
        digest = hashlib.sha256(self.value.encode()).hexdigest()[:8]
        return f"crossref-{_SAFE.sub('_', self.value).strip('_')[:100]}-{digest}.json"


def read_ids(arguments: Iterable[str]) -> list[ArticleId]:
    """The ids of the command line: each an id, ``@FILE`` or the path of a file with one id per line."""
    ids: list[ArticleId] = []
    for argument in arguments:
        path = Path(argument[1:]) if argument.startswith("@") else Path(argument)
        if argument.startswith("@") or (":" not in argument and path.is_file()):
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise ConfigError(f"{path}: cannot read the id list: {exc.strerror or exc}") from exc
            for number, line in enumerate(lines, 1):
                text = line.split("#", 1)[0].strip()
                if text:
                    try:
                        ids.append(ArticleId.parse(text))
                    except ValueError as exc:
                        raise ConfigError(f"{path}:{number}: {exc}") from None
        else:
            try:
                ids.append(ArticleId.parse(argument))
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
    return list(dict.fromkeys(ids))


@dataclass
class FetchReport:
    """What a fetch did, id by id."""

    saved: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_found


class Progress(Protocol):
    """Where a fetch reports how far it is: one task at a time, each with a known number of steps."""

    def begin(self, label: str, total: int) -> None: ...

    def advance(self, steps: int) -> None: ...

    def end(self) -> None: ...


class NoProgress:
    """Reports nothing (``-q``, and library use)."""

    def begin(self, label: str, total: int) -> None:
        pass

    def advance(self, steps: int) -> None:
        pass

    def end(self) -> None:
        pass


class Fetcher:
    """Fetches ids into ``corpus_dir`` through ``client``, reporting how far it is to ``progress``.

    Beside every file it saves goes its retrieval record (:mod:`exokg.sources.retrieval`): the service,
    the request and when its response came, which the graph publishes as the source record's PROV-O
    generation.
    """

    def __init__(
        self,
        client: HttpClient,
        services: Mapping[str, Service],
        corpus_dir: Path,
        *,
        refresh: bool = False,
        progress: Progress | None = None,
    ) -> None:
        self.client, self.services, self.corpus = client, services, corpus_dir
        self.refresh, self.progress = refresh, progress or NoProgress()
        self.report = FetchReport()
        self._done: set[ArticleId] = set()

    def fetch(self, ids: Sequence[ArticleId], *, depth: int = 0, citing: bool = False) -> FetchReport:
        """Fetch ``ids`` and, ``depth`` levels down, the works they cite (and, with ``citing``, cite them)."""
        level = [i for i in dict.fromkeys(ids) if i not in self._done]
        self._fetch_level(level)
        return self._follow(level, depth, citing)

    def search(
        self, term: str, limit: int, batch: int | None = None, *, depth: int = 0, citing: bool = False
    ) -> eutils.SearchResult:
        """Search PubMed and save up to ``limit`` hits, paging the history server ``batch`` at a time; then
        follow their references (and with ``citing`` their citing works) ``depth`` levels down."""
        ncbi, batch = self.services["ncbi"], batch or eutils.BATCH
        result = eutils.esearch(self.client, ncbi, term, retmax=min(limit, batch))
        total = min(limit, result.count)
        hits: list[ArticleId] = []
        self.progress.begin("PubMed hits", total)
        try:
            for start in range(0, total, batch):
                size = min(batch, total - start)
                try:
                    response = eutils.efetch_history(self.client, ncbi, result, start, size)
                except FetchError as exc:
                    self.report.failed.append((f"hits {start + 1}-{start + size}", exc.reason))
                    continue
                finally:
                    self.progress.advance(size)
                for pmid, document in sorted(eutils.split_articles(response.body).items()):
                    hits.append(ArticleId("pmid", pmid))
                    self._save(ArticleId("pmid", pmid), document, response, "ncbi")
        finally:
            self.progress.end()
        self._follow(hits, depth, citing)
        return result

    def search_europepmc(self, query: str, limit: int, *, depth: int = 0, citing: bool = False) -> int:
        """Search Europe PMC (``cursorMark`` paging) and save each of up to ``limit`` hits as its own record,
        then follow references as :meth:`search` does. Returns the number of hits Europe PMC reports."""
        hits: list[ArticleId] = []
        count, started = 0, False
        try:
            for count, results, response in europepmc_search(self.client, self.services["europepmc"], query, limit):
                if not started:
                    self.progress.begin("Europe PMC hits", min(limit, count))
                    started = True
                for result in results:
                    article_id = _europepmc_id(result)
                    if article_id is None:
                        self.report.failed.append((f"Europe PMC hit {result.get('id')!r}", "no PMID, PMCID or DOI"))
                        continue
                    # One record per file, as for the other sources; re-serialised with sorted keys, so stable.
                    body = json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
                    self._save(article_id, body.encode("utf-8"), response, "europepmc",
                               name=f"europepmc-{article_id.kind}-{article_id.value}.json")
                    hits.append(article_id)
                self.progress.advance(len(results))
        except FetchError as exc:
            self.report.failed.append((f"Europe PMC search after {len(hits)} hits", exc.reason))
        finally:
            self.progress.end()
        self._follow(hits, depth, citing)
        return count

    def _follow(self, level: list[ArticleId], depth: int, citing: bool) -> FetchReport:
        for _ in range(depth):
            level = [i for i in self._linked(level, citing) if i not in self._done]
            if not level:
                break
            self._fetch_level(level)
        return self.report

    def _fetch_level(self, ids: list[ArticleId]) -> None:
        todo = []
        for article_id in sorted(ids):
            self._done.add(article_id)
            if not self.refresh and (self.corpus / article_id.file_name()).exists():
                self.report.skipped.append(str(article_id))
            else:
                todo.append(article_id)
        if not todo:
            return
        self.progress.begin("records", len(todo))
        try:
            pmids = [i.value for i in todo if i.kind == "pmid"]
            for batch in eutils.batches(pmids):
                self._fetch_pubmed(batch)
                self.progress.advance(len(batch))
            for article_id in (i for i in todo if i.kind != "pmid"):
                try:
                    self._fetch_one(article_id)
                except FetchError as exc:
                    self.report.failed.append((str(article_id), exc.reason))
                self.progress.advance(1)
        finally:
            self.progress.end()

    def _fetch_pubmed(self, batch: Sequence[str]) -> None:
        try:
            response = eutils.efetch_ids(self.client, self.services["ncbi"], batch)
        except FetchError as exc:
            self.report.failed.extend((f"pmid:{pmid}", exc.reason) for pmid in batch)
            return
        documents = eutils.split_articles(response.body)
        for pmid in batch:
            if pmid in documents:
                self._save(ArticleId("pmid", pmid), documents[pmid], response, "ncbi")
            else:
                self.report.not_found.append(f"pmid:{pmid}")

    def _fetch_one(self, article_id: ArticleId) -> None:
        if article_id.kind == "doi":
            service = "crossref"
            response = crossref_work(self.client, self.services[service], article_id.value)
            found = not response.not_found
        else:
            service = "europepmc"
            response = europepmc_by_pmcid(self.client, self.services[service], article_id.value)
            found = not response.not_found and int(response.json().get("hitCount") or 0) > 0
        if found:
            self._save(article_id, response.body, response, service)
        else:
            self.report.not_found.append(str(article_id))

    def _save(self, article_id: ArticleId, body: bytes, response: Response, service: str,
              name: str | None = None) -> None:
        # The record goes first: interrupted between the two writes, a fetch leaves a record whose file is
        # missing (fetched again next time), never a file whose record describes an older version.
        path = self.corpus / (name or article_id.file_name())
        write_atomic(record_path(path), retrieval_record(path.name, body,
                                                         Retrieval(service, response.url, response.retrieved)))
        write_atomic(path, body)
        self._done.add(article_id)
        self.report.saved.append(str(article_id))

    def _linked(self, ids: list[ArticleId], citing: bool) -> list[ArticleId]:
        kinds = ("references", "citations") if citing else ("references",)
        found: list[ArticleId] = []
        self.progress.begin("references and citations" if citing else "references", len(ids))
        try:
            for article_id in ids:
                found.extend(self._links_of(article_id, kinds))
                self.progress.advance(1)
        finally:
            self.progress.end()
        return list(dict.fromkeys(found))

    def _links_of(self, article_id: ArticleId, kinds: tuple[str, ...]) -> list[ArticleId]:
        pmid, doi = self._link_keys(article_id)
        found: list[ArticleId] = []
        if doi and not pmid and "references" in kinds:
            # Crossref's deposited reference list is in the saved record already: no request needed.
            found.extend(self._crossref_references(article_id))
        for kind in kinds:
            try:
                if pmid:
                    links = europepmc_links(self.client, self.services["europepmc"], pmid, kind)
                elif doi:
                    links = opencitations_links(self.client, self.services["opencitations"], doi, kind)
                else:
                    continue
            except FetchError as exc:
                self.report.failed.append((f"{kind} of {article_id}", exc.reason))
                continue
            found.extend(i for i in map(_as_id, links) if i is not None)
        return found

    def _crossref_references(self, article_id: ArticleId) -> list[ArticleId]:
        path = self.corpus / article_id.file_name()
        if article_id.kind != "doi" or not path.is_file():
            return []
        try:
            return [i for i in map(_as_id, crossref_reference_links(json.loads(path.read_bytes())))
                    if i is not None]
        except ValueError as exc:
            self.report.failed.append((f"references of {article_id}", f"{path.name} is not JSON: {exc}"))
            return []

    def _link_keys(self, article_id: ArticleId) -> tuple[str | None, str | None]:
        if article_id.kind == "pmid":
            return article_id.value, None
        if article_id.kind == "doi":
            return None, article_id.value
        path = self.corpus / article_id.file_name()
        if not path.is_file():
            return None, None
        results = json.loads(path.read_bytes()).get("resultList", {}).get("result", [])
        first = results[0] if results and isinstance(results[0], dict) else {}
        return first.get("pmid"), (first.get("doi") or "").lower() or None


def _europepmc_id(result: Mapping[str, object]) -> ArticleId | None:
    """The id a Europe PMC hit is filed and followed by: its PMID, else its PMCID, else its DOI."""
    pmid, pmcid, doi = (result.get(k) for k in ("pmid", "pmcid", "doi"))
    if isinstance(pmid, str) and pmid.isdigit():
        return ArticleId("pmid", str(int(pmid)))
    for kind, value in (("pmcid", pmcid), ("doi", doi)):
        if isinstance(value, str) and value:
            try:
                return ArticleId.parse(f"{kind}:{value}")
            except ValueError:
                continue
    return None


def _as_id(link: Linked) -> ArticleId | None:
    if link.pmid and link.pmid.isdigit():
        return ArticleId("pmid", str(int(link.pmid)))
    if link.doi and (doi := clean_doi(link.doi)):
        return ArticleId("doi", doi.lower())
    return None
