"""The one HTTP client every API source goes through: polite, rate-limited, retrying, cached.

``HttpClient.get(service, path, params, validate=...)`` returns a :class:`Response` (status,
headers, body bytes, ``from_cache``). Every response that passes its ``validate`` check, and every
404, is stored on disk by :class:`~exokg.sources.cache.ResponseCache` as soon as it arrives, so an
interrupted build loses nothing already fetched and a later build can run with ``offline=True``.

Decisions:

* 404 is an answer, not a failure: it is not retried, it is cached (a negative result, so an
  offline rebuild sees the same "not found") and returned with ``Response.not_found`` true.
  ``refresh=True`` asks again. Other 4xx statuses raise :class:`FetchError` at once and are not cached.
* 429, 5xx, timeouts, connection errors and bodies shorter than their Content-Length are retried,
  up to ``RetryPolicy.tries`` tries in all, waiting ``Retry-After`` when the server sends one and
  otherwise an exponential delay with jitter. A body that arrives whole but fails ``validate`` is
  not retried (the server would send the same again): it raises :class:`FetchError` and is not cached.
* Requests of one service are spaced by its :class:`RatePolicy`; NCBI gets 10 requests/s when an
  API key is configured and 3 without. Crossref's ``x-rate-limit-*`` headers replace its policy as
  they arrive. The client is sequential (one request at a time; not thread-safe), so Crossref's
  ``x-concurrency-limit`` is always met; it is recorded, not enforced.
* NCBI's ``tool``, ``email`` and ``api_key`` are added on the wire only, and ``api_key`` is never part of
  a cache key for any service. Cache keys, records, log lines and error messages use that URL, and
  the client redacts the key from urllib3's debug log (which logs full URLs) while it is open.
* Only GET: a POST (say, NCBI EPost for long id lists) would need its body in the cache key.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any, NoReturn, Protocol
from urllib.parse import urlencode
from xml.etree import ElementTree

import requests

from exokg import __version__
from exokg.config import DEFAULT_BASE_IRI
from exokg.errors import ConfigError, InputError
from exokg.sources.cache import CachedResponse, ResponseCache, canonical_url, request_key

log = logging.getLogger(__name__)

SECRET_PARAMS = frozenset({"api_key"})
IDENTITY_PARAMS = frozenset({"tool", "email"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
Params = Mapping[str, str | int] | Sequence[tuple[str, str | int]]
Validator = Callable[[bytes], object]


class FetchError(InputError):
    """A request failed for good; ``request`` is ``"GET <url>"`` without secrets."""

    def __init__(self, request: str, reason: str, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(f"{request}: {reason}", hint)
        self.request = request
        self.reason = reason
        self.status = status


class NotCached(FetchError):
    """Offline, and the cache holds no response for the request."""


class Clock(Protocol):
    """Time as the client sees it; tests pass a fake one so that nothing really sleeps."""

    def monotonic(self) -> float: ...
    def time(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class RatePolicy:
    """At most ``requests`` requests every ``per`` seconds, spaced evenly."""

    requests: float
    per: float = 1.0

    def __post_init__(self) -> None:
        if self.requests <= 0 or self.per <= 0:
            raise ValueError(f"a rate needs positive numbers, got {self.requests}/{self.per}s")

    @property
    def interval(self) -> float:
        return self.per / self.requests


@dataclass(frozen=True)
class RetryPolicy:
    """``tries`` attempts in all; backoff ``base * 2**n`` (capped) with jitter in its upper half."""

    tries: int = 4
    base: float = 1.0
    cap: float = 60.0
    max_retry_after: float = 300.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The delay before retry number ``retry`` (1 for the first): uniform in ``[d/2, d]``."""
        delay = min(self.cap, self.base * 2 ** (retry - 1))
        return rng.uniform(delay / 2, delay)


@dataclass(frozen=True)
class Service:
    """One API: a name (also its cache folder), a base URL and how fast it may be asked."""

    name: str
    base_url: str
    rate: RatePolicy
    keyed_rate: RatePolicy | None = None  # NCBI: the rate allowed with an API key
    ncbi_params: bool = False  # add NCBI's tool/email (and api_key) to every request
    follow_rate_headers: bool = False  # Crossref: adapt to x-rate-limit-limit/-interval

    def at(self, base_url: str) -> Service:
        """The same service at another base URL (a mirror, or a local test server)."""
        return replace(self, base_url=base_url)


NCBI = Service(
    "ncbi", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", RatePolicy(3), RatePolicy(10), ncbi_params=True
)
CROSSREF = Service("crossref", "https://api.crossref.org/", RatePolicy(5), follow_rate_headers=True)
EUROPEPMC = Service("europepmc", "https://www.ebi.ac.uk/europepmc/webservices/rest/", RatePolicy(2))
OPENCITATIONS = Service("opencitations", "https://api.opencitations.net/index/v2/", RatePolicy(2))
DEFAULT_SERVICES: Mapping[str, Service] = MappingProxyType(
    {service.name: service for service in (NCBI, CROSSREF, EUROPEPMC, OPENCITATIONS)}
)


def services(base_urls: Mapping[str, str] | None = None) -> dict[str, Service]:
    """The built-in services, with base URLs replaced by ``base_urls`` (service name → URL)."""
    base_urls = base_urls or {}
    unknown = sorted(set(base_urls) - set(DEFAULT_SERVICES))
    if unknown:
        raise ConfigError(f"unknown API service {', '.join(unknown)}; known: {', '.join(DEFAULT_SERVICES)}")
    return {name: s.at(base_urls[name]) if name in base_urls else s for name, s in DEFAULT_SERVICES.items()}


def ncbi_api_key_from(environ: Mapping[str, str]) -> str | None:
    """``NCBI_API_KEY`` from the environment, or ``None`` when unset or blank."""
    return environ.get("NCBI_API_KEY", "").strip() or None


def json_body(body: bytes) -> object:
    """A ``validate`` callable: the body must be JSON."""
    return json.loads(body)


def xml_body(body: bytes) -> object:
    """A ``validate`` callable: the body must be well-formed XML."""
    return ElementTree.fromstring(body)


@dataclass(frozen=True)
class Response:
    """What a request returned. ``headers`` has lower-case names; ``url`` is the cache key's URL."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    from_cache: bool
    retrieved: str

    @property
    def not_found(self) -> bool:
        return self.status == 404

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FetchSummary:
    """Counts for the CLI: fetched over the network, served from the cache, not found, failed (with reasons)."""

    fetched: int = 0
    from_cache: int = 0
    not_found: int = 0
    retries: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{self.fetched} fetched", f"{self.from_cache} from cache", f"{self.not_found} not found"]
        parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts) + (f" ({self.retries} retries)" if self.retries else "")


class RateLimiter:
    """Spaces the requests of one service; its policy can change as the server reports its limits."""

    def __init__(self, policy: RatePolicy) -> None:
        self.policy = policy
        self.concurrency: int | None = None
        self._last: float | None = None

    def delay(self, now: float) -> float:
        return 0.0 if self._last is None else max(0.0, self._last + self.policy.interval - now)

    def wait(self, clock: Clock) -> None:
        """Sleep until the next request may start, and note that it starts."""
        pause = self.delay(clock.monotonic())
        if pause > 0:
            clock.sleep(pause)
        self._last = clock.monotonic()

    def adapt(self, headers: Mapping[str, str]) -> None:
        limit, interval = headers.get("x-rate-limit-limit"), headers.get("x-rate-limit-interval")
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", interval or "")
        if limit and limit.strip().isdigit() and int(limit) > 0 and match:
            scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[match.group(2) or "s"]
            per = float(match.group(1)) * scale
            if per > 0 and RatePolicy(int(limit), per) != self.policy:
                self.policy = RatePolicy(int(limit), per)
                log.debug("rate limit now %s requests per %s s", limit, per)
        concurrency = headers.get("x-concurrency-limit", "").strip()
        if concurrency.isdigit():
            self.concurrency = int(concurrency)


class _Redact(logging.Filter):
    """Removes secret values from the records of a third-party logger (urllib3 logs full URLs)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            record.msg, record.args = self.scrub(message), ()
        return True


def _retry_after(value: str | None, now: float) -> float | None:
    """``Retry-After`` in seconds, from either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _pairs(params: Params | None) -> list[tuple[str, str]]:
    items = params.items() if isinstance(params, Mapping) else (params or ())
    return [(str(name), str(value)) for name, value in items]


def _short(body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether an unencoded body is shorter than its Content-Length (a cut-off transfer)."""
    expected = headers.get("content-length", "").strip()
    encoded = headers.get("content-encoding", "identity").strip().lower() not in ("", "identity")
    return expected.isdigit() and not encoded and len(body) < int(expected)


_RETRIED_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class HttpClient:
    """One session for all services. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        contact: str | None,
        project_url: str = DEFAULT_BASE_IRI,
        ncbi_api_key: str | None = None,
        offline: bool = False,
        refresh: bool = False,
        timeout: tuple[float, float] = (10.0, 30.0),
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        trust_env: bool = True,
    ) -> None:
        if offline and refresh:
            raise ConfigError("offline and refresh exclude each other: refreshing needs the network")
        self.cache = ResponseCache(cache_dir)
        self.contact = contact
        self.offline, self.refresh = offline, refresh
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.clock: Clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.summary = FetchSummary()
        self._api_key = ncbi_api_key
        self._limiters: dict[str, RateLimiter] = {}
        self._redact = _Redact([ncbi_api_key] if ncbi_api_key else [])
        self.user_agent = f"exokg/{__version__} (+{project_url}; mailto:{contact or 'unknown'})"
        self.session = requests.Session()
        self.session.trust_env = trust_env
        self.session.headers["User-Agent"] = self.user_agent
        logging.getLogger("urllib3.connectionpool").addFilter(self._redact)

    def close(self) -> None:
        self.session.close()
        logging.getLogger("urllib3.connectionpool").removeFilter(self._redact)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def limiter(self, service: Service) -> RateLimiter:
        """The rate limiter of ``service`` (created on first use)."""
        if service.name not in self._limiters:
            keyed = service.keyed_rate if self._api_key and service.ncbi_params else None
            self._limiters[service.name] = RateLimiter(keyed or service.rate)
        return self._limiters[service.name]

    def get(
        self,
        service: Service,
        path: str,
        params: Params | None = None,
        *,
        validate: Validator | None = None,
        accept: str | None = None,
    ) -> Response:
        """GET ``path`` under the service's base URL: from the cache, or from the network and then cached."""
        pairs = _pairs(params)
        owned = SECRET_PARAMS | IDENTITY_PARAMS if service.ncbi_params else SECRET_PARAMS
        url = canonical_url(service.base_url, path, pairs, drop=owned)
        key = request_key("GET", url, accept)
        if not self.refresh:
            cached = self.cache.get(service.name, key)
            if cached is not None:
                self.summary.from_cache += 1
                log.debug("GET %s: %s (from cache)", url, cached.status)
                return Response(url, cached.status, cached.headers, cached.body, True, cached.retrieved)
        if self.offline:
            self._fail(NotCached(f"GET {url}", "offline, and not in the cache", hint="run once without --offline"))
        if not self.contact:
            raise ConfigError(
                "fetching from APIs needs a contact address (sent in the User-Agent and to NCBI)",
                hint='set contact = "you@example.org" under [project] in exokg.toml',
            )
        wire = pairs
        if service.ncbi_params:  # the client's own tool, email and key replace any the caller passed
            wire = [(n, v) for n, v in pairs if n not in owned] + [("tool", "exokg"), ("email", self.contact)]
            wire += [("api_key", self._api_key)] if self._api_key else []
        base = canonical_url(service.base_url, path, ())
        return self._fetch(service, key, url, f"{base}?{urlencode(wire)}" if wire else base, validate, accept)

    def _fetch(
        self, service: Service, key: str, url: str, wire_url: str, validate: Validator | None, accept: str | None
    ) -> Response:
        request, limiter = f"GET {url}", self.limiter(service)
        headers = {"Accept": accept} if accept else {}
        reason, status = "no attempt", None
        for attempt in range(1, self.retry.tries + 1):
            limiter.wait(self.clock)
            delay: float | None = None
            try:
                reply = self.session.get(wire_url, headers=headers, timeout=self.timeout)
                body = reply.content
            except _RETRIED_ERRORS as exc:
                reason, status = self._redact.scrub(f"{type(exc).__name__}: {exc}"), None
            except requests.RequestException as exc:
                self._fail(FetchError(request, self._redact.scrub(f"{type(exc).__name__}: {exc}")))
            else:
                status, got = reply.status_code, {name.lower(): value for name, value in reply.headers.items()}
                if service.follow_rate_headers:
                    limiter.adapt(got)
                if status == 404 or (200 <= status < 300 and not _short(body, got)):
                    if status != 404:
                        self._check(request, body, validate)
                    return self._store(service, key, url, status, reply.reason or "", got, body)
                reason = f"status {status} {reply.reason or ''}".rstrip()
                if 200 <= status < 300:
                    reason = f"truncated body: {len(body)} of {got['content-length']} bytes"
                elif status in RETRY_STATUSES:
                    delay = _retry_after(got.get("retry-after"), self.clock.time())
                else:
                    self._fail(FetchError(request, reason, status))
            if attempt < self.retry.tries:
                delay = self.retry.backoff(attempt, self.rng) if delay is None else delay
                if delay > self.retry.max_retry_after:
                    self._fail(FetchError(request, f"{reason}; the server asks to wait {delay:.0f} s", status))
                log.warning("%s: %s; retry %d of %d in %.1f s", request, reason, attempt, self.retry.tries - 1, delay)
                self.summary.retries += 1
                self.clock.sleep(delay)
        tries = f"{self.retry.tries} {'try' if self.retry.tries == 1 else 'tries'}"
        self._fail(FetchError(request, f"gave up after {tries}: {reason}", status))

    def _check(self, request: str, body: bytes, validate: Validator | None) -> None:
        if validate is None:
            return
        try:
            validate(body)
        except Exception as exc:  # any exception from the caller's check means "not a valid body"
            reason = f"invalid response body ({type(exc).__name__}: {exc}); not cached"
            self._fail(FetchError(request, reason, hint="the service may be failing; try again later"))

    def _store(
        self, service: Service, key: str, url: str, status: int, reason: str, headers: dict[str, str], body: bytes
    ) -> Response:
        stamp = datetime.fromtimestamp(self.clock.time(), UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        self.cache.put(service.name, CachedResponse(key, url, status, reason, headers, body, stamp))
        if status == 404:
            self.summary.not_found += 1
        else:
            self.summary.fetched += 1
        log.debug("GET %s: %s, %d bytes", url, status, len(body))
        return Response(url, status, headers, body, False, stamp)

    def _fail(self, error: FetchError) -> NoReturn:
        self.summary.failed.append((error.request, error.reason))
        log.debug("%s", error.message)
        raise error from None  # the underlying exception's text may hold the API key
