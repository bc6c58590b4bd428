"""The HTTP layer against a real local server: caching, offline, retries, timeouts, rate limits, secrets."""

from __future__ import annotations

import gzip
import json
import logging
import os
import random
import socket
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest
from http_server import FakeClock, LocalServer, Reply, serve

from exokg import __version__
from exokg.errors import ConfigError, InputError
from exokg.sources.cache import TEMP_PREFIX, CacheError
from exokg.sources.http import (
    CROSSREF,
    NCBI,
    FetchError,
    HttpClient,
    NotCached,
    RatePolicy,
    RetryPolicy,
    Service,
    json_body,
    services,
    xml_body,
)

CONTACT = "exokg-tests@example.org"
API_KEY = "s3cr3t-ncbi-key-0123456789"
BASE = 0.5  # the backoff base the tests use


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve() as local:
        yield local


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_client(tmp_path: Path, clock: FakeClock, **options: Any) -> HttpClient:
    options.setdefault("contact", CONTACT)
    options.setdefault("timeout", (2.0, 2.0))
    options.setdefault("retry", RetryPolicy(tries=4, base=BASE, cap=10.0))
    return HttpClient(tmp_path / "cache", clock=clock, rng=random.Random(7), trust_env=False, **options)


def api(server: LocalServer) -> Service:
    """A service at the local server, fast enough that its rate never adds a wait to a retry test."""
    return Service("test", server.url + "/api/", RatePolicy(1000))


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted(path for path in (tmp_path / "cache").rglob("*") if path.is_file())


# --- caching ---------------------------------------------------------------------------------------


def test_a_response_is_cached_and_then_served_from_the_cache(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/api/search", Reply.json({"hitCount": 1}, headers={"X-Thing": "yes"}))
    with make_client(tmp_path, clock) as client:
        first = client.get(api(server), "search", {"query": "exosome", "format": "json"}, validate=json_body)
        second = client.get(api(server), "/search", [("format", "json"), ("query", "exosome")], validate=json_body)
    assert (first.status, first.from_cache, first.json()) == (200, False, {"hitCount": 1})
    assert (second.status, second.from_cache, second.body) == (200, True, first.body)
    assert second.headers["x-thing"] == "yes" and second.retrieved == first.retrieved
    assert len(server.requests_to("/api/search")) == 1
    assert str(client.summary) == "1 fetched, 1 from cache, 0 not found, 0 failed"
    record = json.loads(next(p for p in cache_files(tmp_path) if p.suffix == ".json").read_text())
    assert record["key"] == f"GET {server.url}/api/search?format=json&query=exosome"
    assert record["status"] == 200 and record["headers"]["content-type"] == "application/json"
    assert record["retrieved"].endswith("Z")


def test_offline_serves_the_cache_and_names_a_miss(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    server.script("/api/a", Reply.json([1]))
    with make_client(tmp_path, clock) as client:
        client.get(api(server), "a", {"q": "1"})
    with make_client(tmp_path, clock, offline=True, contact=None) as offline:
        assert offline.get(api(server), "a", {"q": "1"}).from_cache
        with pytest.raises(NotCached) as caught:
            offline.get(api(server), "b", {"q": "2"})
    assert isinstance(caught.value, InputError)
    assert f"GET {server.url}/api/b?q=2" in str(caught.value) and "offline" in str(caught.value)
    assert len(server.seen) == 1
    assert offline.summary.failed == [(f"GET {server.url}/api/b?q=2", "offline, and not in the cache")]


def test_refresh_fetches_again_and_replaces_the_entry(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    server.script("/api/a", Reply.json({"v": 1}), Reply.json({"v": 2}))
    with make_client(tmp_path, clock) as client:
        assert client.get(api(server), "a").json() == {"v": 1}
    with make_client(tmp_path, clock, refresh=True) as refresh:
        again = refresh.get(api(server), "a")
    assert (again.json(), again.from_cache) == ({"v": 2}, False)
    with make_client(tmp_path, clock, offline=True) as offline:
        assert offline.get(api(server), "a").json() == {"v": 2}
    assert len(server.requests_to("/api/a")) == 2
    with pytest.raises(ConfigError):
        make_client(tmp_path, clock, offline=True, refresh=True)


def test_fetching_without_a_contact_address_is_a_config_error(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    with make_client(tmp_path, clock, contact=None) as client, pytest.raises(ConfigError, match="contact"):
        client.get(api(server), "a")
    assert server.seen == []


def test_the_user_agent_names_the_project_and_the_contact(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/api/a", Reply.json({}))
    with make_client(tmp_path, clock, project_url="https://example.org/exokg") as client:
        client.get(api(server), "a", accept="application/json")
    seen = server.seen[0]
    assert seen.headers["user-agent"] == f"exokg/{__version__} (+https://example.org/exokg; mailto:{CONTACT})"
    assert seen.headers["accept"] == "application/json"


# --- retries and failures -------------------------------------------------------------------------


def test_429_with_retry_after_seconds_waits_exactly_that_long(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/api/a", Reply(429, b"slow down", {"Retry-After": "7"}), Reply.json({"ok": True}))
    with make_client(tmp_path, clock) as client:
        assert client.get(api(server), "a").json() == {"ok": True}
    assert clock.sleeps == [7.0]
    assert client.summary.retries == 1 and len(server.seen) == 2


def test_retry_after_as_an_http_date(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    when = formatdate(clock.time() + 12, usegmt=True)
    server.script("/api/a", Reply(503, b"", {"Retry-After": when}), Reply.json({}))
    with make_client(tmp_path, clock) as client:
        client.get(api(server), "a")
    assert clock.sleeps == [pytest.approx(12.0, abs=1.0)]


def test_a_retry_after_beyond_the_limit_gives_up_at_once(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    server.script("/api/a", Reply(429, b"", {"Retry-After": "3600"}))
    with make_client(tmp_path, clock) as client, pytest.raises(FetchError, match="asks to wait 3600 s"):
        client.get(api(server), "a")
    assert clock.sleeps == [] and len(server.seen) == 1


def test_429_without_retry_after_backs_off_exponentially_with_jitter(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/api/a", Reply(429), Reply(429), Reply(502), Reply.json({}))
    with make_client(tmp_path, clock) as client:
        assert client.get(api(server), "a").status == 200
    assert len(clock.sleeps) == 3
    for retry, delay in enumerate(clock.sleeps, start=1):
        ceiling = BASE * 2 ** (retry - 1)
        assert ceiling / 2 <= delay <= ceiling
    assert len(set(clock.sleeps)) == 3


def test_500s_until_the_client_gives_up(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    server.script("/api/a", Reply(500, b"oops"))
    client = make_client(tmp_path, clock, retry=RetryPolicy(tries=3, base=BASE))
    with client, pytest.raises(FetchError) as caught:
        client.get(api(server), "a", {"id": "42"})
    message = str(caught.value)
    assert f"GET {server.url}/api/a?id=42" in message
    assert "gave up after 3 tries" in message and "status 500 Internal Server Error" in message
    assert caught.value.status == 500
    assert len(server.seen) == 3 and len(clock.sleeps) == 2 and client.summary.retries == 2
    assert client.summary.failed == [(caught.value.request, caught.value.reason)]
    assert cache_files(tmp_path) == []


def test_a_response_slower_than_the_read_timeout_is_retried(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/api/slow", Reply(200, b"late", delay=0.6), Reply.json({"fast": True}))
    server.script("/api/never", Reply(200, b"late", delay=0.6))
    with make_client(tmp_path, clock, timeout=(2.0, 0.2), retry=RetryPolicy(tries=2, base=BASE)) as client:
        assert client.get(api(server), "slow").json() == {"fast": True}
        with pytest.raises(FetchError, match=r"gave up after 2 tries: ReadTimeout") as caught:
            client.get(api(server), "never")
    assert caught.value.status is None
    assert len(server.requests_to("/api/slow")) == 2 and len(server.requests_to("/api/never")) == 2


def test_a_body_cut_short_is_not_cached_and_is_retried(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    whole = json.dumps({"resultList": list(range(200))}).encode()
    server.script("/api/cut", Reply(200, whole, cut_at=50), Reply(200, whole))
    server.script("/api/always-cut", Reply(200, whole, cut_at=50))
    with make_client(tmp_path, clock, retry=RetryPolicy(tries=2, base=BASE)) as client:
        assert client.get(api(server), "cut", validate=json_body).body == whole
        with pytest.raises(FetchError, match="gave up after 2 tries"):
            client.get(api(server), "always-cut", validate=json_body)
    assert len(server.requests_to("/api/cut")) == 2
    assert len(cache_files(tmp_path)) == 2  # one entry: the whole body and its record


def test_a_gzipped_body_is_stored_decoded_and_not_taken_for_truncated(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    whole = json.dumps({"message": {"DOI": "10.1038/srep16696", "reference": list(range(300))}}).encode()
    server.script("/api/works", Reply(200, gzip.compress(whole), {"Content-Encoding": "gzip"}))
    with make_client(tmp_path, clock) as client:
        fetched = client.get(api(server), "works", validate=json_body)
    assert fetched.body == whole and client.summary.retries == 0
    with make_client(tmp_path, clock, offline=True) as offline:
        assert offline.get(api(server), "works").body == whole


def test_an_invalid_body_is_not_cached_and_not_retried(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    server.script("/api/bad", Reply(200, b'{"hitCount": 1, "resultList"', {"Content-Type": "application/json"}))
    server.script("/api/bad.xml", Reply(200, b"<eSearchResult><Count>1</Count>", {"Content-Type": "text/xml"}))
    with make_client(tmp_path, clock) as client:
        with pytest.raises(FetchError, match=r"invalid response body \(JSONDecodeError") as caught:
            client.get(api(server), "bad", validate=json_body)
        with pytest.raises(FetchError, match=r"invalid response body \(ParseError"):
            client.get(api(server), "bad.xml", validate=xml_body)
    assert f"GET {server.url}/api/bad" in str(caught.value) and "not cached" in str(caught.value)
    assert len(server.seen) == 2 and client.summary.retries == 0
    assert cache_files(tmp_path) == []


def test_404_is_a_not_found_result_cached_and_not_retried(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/api/works/10.1371/notarealdoi", Reply(404, b"Resource not found.", {"Content-Type": "text/plain"}))
    with make_client(tmp_path, clock) as client:
        missing = client.get(api(server), "works/10.1371/notarealdoi", validate=json_body)
    assert missing.not_found and missing.text() == "Resource not found." and not missing.from_cache
    assert len(server.seen) == 1 and clock.sleeps == []
    assert client.summary.not_found == 1 and client.summary.failed == []
    with make_client(tmp_path, clock, offline=True) as offline:
        again = offline.get(api(server), "works/10.1371/notarealdoi")
    assert again.not_found and again.from_cache


def test_other_client_errors_fail_at_once(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    server.script("/api/a", Reply(400, b"bad query"))
    with make_client(tmp_path, clock) as client, pytest.raises(FetchError, match="status 400 Bad Request"):
        client.get(api(server), "a")
    assert len(server.seen) == 1 and cache_files(tmp_path) == []


# --- rate limits ----------------------------------------------------------------------------------


def test_ncbi_without_a_key_makes_three_requests_a_second(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/eutils/efetch.fcgi", Reply(200, b"<x/>"))
    ncbi = NCBI.at(server.url + "/eutils/")
    with make_client(tmp_path, clock) as client:
        for pmid in ("1", "2", "3"):
            client.get(ncbi, "efetch.fcgi", {"db": "pubmed", "id": pmid}, validate=xml_body)
    assert clock.sleeps == [pytest.approx(1 / 3)] * 2
    assert [seen.query["id"] for seen in server.seen] == [["1"], ["2"], ["3"]]
    assert server.seen[0].query["tool"] == ["exokg"] and server.seen[0].query["email"] == [CONTACT]
    assert "api_key" not in server.seen[0].query


def test_ncbi_with_a_key_makes_ten_requests_a_second(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    server.script("/eutils/esearch.fcgi", Reply(200, b"<x/>"))
    ncbi = NCBI.at(server.url + "/eutils/")
    with make_client(tmp_path, clock, ncbi_api_key=API_KEY) as client:
        for term in ("a", "b", "c"):
            client.get(ncbi, "esearch.fcgi", {"term": term})
        client.get(ncbi, "esearch.fcgi", {"term": "a"})  # from the cache: no wait
    assert clock.sleeps == [pytest.approx(0.1)] * 2
    assert server.seen[0].query["api_key"] == [API_KEY]


def test_crossref_follows_its_rate_limit_headers(tmp_path: Path, server: LocalServer, clock: FakeClock) -> None:
    # Recorded on api.crossref.org (fixtures/api/crossref/*.meta.json): polite pool 10/1s, concurrency 3.
    polite = {"x-api-pool": "polite", "x-rate-limit-limit": "10", "x-rate-limit-interval": "1s"}
    lowered = {"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s", "x-concurrency-limit": "1"}
    server.script("/works/a", Reply(200, b"{}", {**polite, "x-concurrency-limit": "3"}))
    server.script("/works/b", Reply(200, b"{}", lowered))
    server.script("/works/c", Reply(200, b"{}"))
    crossref = CROSSREF.at(server.url)
    with make_client(tmp_path, clock) as client:
        client.get(crossref, "works/a")  # first request: the default 5/s, no wait
        assert client.limiter(crossref).concurrency == 3
        client.get(crossref, "works/b")  # now 10/s
        client.get(crossref, "works/c")  # lowered to 2/s by the previous response
    assert clock.sleeps == [pytest.approx(0.1), pytest.approx(0.5)]
    assert client.limiter(crossref).concurrency == 1
    assert [seen.path for seen in server.seen] == ["/works/a", "/works/b", "/works/c"]


# --- secrets and atomic writes --------------------------------------------------------------------


def test_the_api_key_never_reaches_the_cache_the_keys_the_errors_or_the_logs(
    tmp_path: Path, server: LocalServer, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script("/eutils/efetch.fcgi", Reply(200, b"<PubmedArticleSet/>"))
    server.script("/eutils/esearch.fcgi", Reply(500))
    with socket.socket() as probe:  # a port nothing listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    ncbi = NCBI.at(server.url + "/eutils/")
    errors: list[str] = []
    with make_client(tmp_path, clock, ncbi_api_key=API_KEY, retry=RetryPolicy(tries=2, base=BASE)) as client:
        ok = client.get(ncbi, "efetch.fcgi", {"id": "1", "api_key": API_KEY}, validate=xml_body)
        for service in (ncbi, NCBI.at(f"http://127.0.0.1:{closed_port}/")):
            with pytest.raises(FetchError) as caught:
                client.get(service, "esearch.fcgi", {"term": "x"})
            errors.append(str(caught.value))
    assert server.seen[0].query["api_key"] == [API_KEY]  # it was sent, once, on the wire
    assert "ConnectionError" in errors[1]
    assert API_KEY not in ok.url and "api_key" not in ok.url and CONTACT not in ok.url
    assert all(API_KEY not in error for error in errors)
    assert all(API_KEY not in f"{request} {reason}" for request, reason in client.summary.failed)
    assert any("efetch.fcgi" in record.getMessage() for record in caplog.records)
    assert API_KEY not in caplog.text
    assert all(API_KEY not in "".join(map(str, record.args or ())) for record in caplog.records)
    for path in cache_files(tmp_path):
        assert API_KEY.encode() not in path.read_bytes() and API_KEY not in str(path)
    record = json.loads(next(p for p in cache_files(tmp_path) if p.suffix == ".json").read_text())
    assert record["key"] == f"GET {server.url}/eutils/efetch.fcgi?id=1"


def test_a_failed_cache_write_leaves_no_temporary_file(
    tmp_path: Path, server: LocalServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.script("/api/a", Reply.json({"a": 1}))

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with make_client(tmp_path, clock) as client, pytest.raises(CacheError, match="No space left on device"):
        client.get(api(server), "a")
    assert cache_files(tmp_path) == []


def test_an_interrupted_run_keeps_every_response_already_fetched(
    tmp_path: Path, server: LocalServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.script("/api/a", Reply.json({"a": 1}))
    server.script("/api/b", Reply.json({"b": 2}))
    real_replace = os.replace
    calls: list[str] = []

    def interrupt_the_third_write(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:  # the body of the second response
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupt_the_third_write)
    with make_client(tmp_path, clock) as client:
        client.get(api(server), "a")
        with pytest.raises(KeyboardInterrupt):
            client.get(api(server), "b")
    assert not any(path.name.startswith(TEMP_PREFIX) for path in cache_files(tmp_path))
    monkeypatch.undo()
    with make_client(tmp_path, clock, offline=True) as offline:
        assert offline.get(api(server), "a").json() == {"a": 1}
        with pytest.raises(NotCached):
            offline.get(api(server), "b")


def test_an_entry_whose_body_does_not_match_its_record_is_a_miss(
    tmp_path: Path, server: LocalServer, clock: FakeClock
) -> None:
    server.script("/api/a", Reply.json({"a": 1}))
    with make_client(tmp_path, clock) as client:
        client.get(api(server), "a")
    body = next(p for p in cache_files(tmp_path) if p.suffix == ".body")
    body.write_bytes(b'{"a": 2}')  # as if a refresh was interrupted between the body and the record
    with make_client(tmp_path, clock, offline=True) as offline, pytest.raises(NotCached):
        offline.get(api(server), "a")


def test_unknown_service_names_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="unknown API service pubmedx"):
        services({"pubmedx": "http://127.0.0.1/"})
