"""Checking one page URL over HTTP: HEAD then GET, manual redirects, retries and Retry-After.

The policy, per URL of a redirect chain:

- HEAD first; GET when HEAD is answered 403/405/501 or the connection drops on it. GET directly
  when anchors must be looked for; the body is read only then (and, to keep the connection
  alive, when it is at most 64 KiB).
- 2xx and `accept`ed codes are OK. 3xx with a Location is followed (at most 10, loops detected:
  "broken"); one 301/308 anywhere in a chain that ends OK makes it "redirected".
- 429 and 503 are retried after Retry-After (seconds or HTTP-date, capped at `retry_after_cap`),
  else after exponential backoff with jitter; still failing → "rate-limited".
- Other 5xx are retried with backoff, then "broken"; other 4xx are "broken" at once.
- Timeouts, resets and connections closed mid-response are retried, then "unreachable";
  refused connections, failed DNS lookups and TLS errors are "unreachable" at once.

Imported only when links are actually checked, so httpx is imported at module level here.
"""

from __future__ import annotations

import asyncio
import random
import socket
import ssl
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from nemo_docs_lint.external.anchors import AnchorScanner
from nemo_docs_lint.external.limits import HostLimiter
from nemo_docs_lint.external.result import PageOutcome, Status
from nemo_docs_lint.external.settings import ExternalSettings, HeaderMatcher

MAX_REDIRECTS = 10
MAX_BODY_CHARS = 8 * 1024 * 1024  # stop scanning for anchors after this much text
MAX_DRAIN_BYTES = 64 * 1024  # read bodies up to this size so the connection can be reused
HEAD_REFUSED = frozenset({403, 405, 501})  # answered to HEAD, so try GET
PERMANENT_REDIRECTS = frozenset({301, 308})
RATE_LIMITED = frozenset({429, 503})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class _Response:
    """The parts of one HTTP response the checker needs (the body is already consumed)."""

    code: int
    reason: str
    location: str | None
    retry_after: str | None
    html: bool | None
    anchors: frozenset[str]


@dataclass(frozen=True)
class _Failure:
    """A request that raised: what to report and whether trying again may help."""

    status: Status
    detail: str
    transient: bool
    head_unsupported: bool = False


class Fetcher:
    """Checks page URLs with one shared client; all methods run inside one event loop."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: ExternalSettings,
        limiter: HostLimiter,
    ) -> None:
        self._client = client
        self._settings = settings
        self._limiter = limiter
        self._headers = HeaderMatcher(settings.headers)
        self._accept = frozenset(settings.accept)

    async def check(self, url: str, fragments: frozenset[str] = frozenset()) -> PageOutcome:
        """Follow `url` (no fragment) to its final page; look for `fragments` if it is HTML."""
        chain = [url]
        permanent = False
        for _ in range(MAX_REDIRECTS + 1):
            got = await self._hop(chain[-1], fragments)
            if isinstance(got, PageOutcome):
                if len(chain) == 1:
                    return got
                return PageOutcome(
                    got.status,
                    got.http_status,
                    chain[-1],
                    f"{got.detail} (redirected to {chain[-1]})",
                )
            if got.code not in self._accept and 300 <= got.code < 400:
                if not got.location:
                    detail = f"{_label(got.code, got.reason)} without a Location header"
                    return PageOutcome("broken", got.code, None, detail)
                target = urldefrag(urljoin(chain[-1], got.location)).url
                if target in chain:
                    loop = " → ".join([*chain[chain.index(target) :], target])
                    return PageOutcome("broken", got.code, target, f"redirect loop: {loop}")
                if urlsplit(target).scheme not in ("http", "https"):
                    detail = f"redirects to a non-HTTP URL {target}"
                    return PageOutcome("broken", got.code, target, detail)
                permanent = permanent or got.code in PERMANENT_REDIRECTS
                chain.append(target)
                continue
            final = chain[-1] if len(chain) > 1 else None
            label = _label(got.code, got.reason)
            status: Status
            if permanent:
                status, detail = (
                    "redirected",
                    f"permanently redirected to {final} ({label})",
                )
            elif final:
                status, detail = "ok", f"{label} (temporarily redirected to {final})"
            else:
                status, detail = "ok", label
            return PageOutcome(status, got.code, final, detail, got.html, got.anchors)
        return PageOutcome("broken", None, chain[-1], f"more than {MAX_REDIRECTS} redirects")

    async def _hop(self, url: str, fragments: frozenset[str]) -> _Response | PageOutcome:
        """One URL of a redirect chain, with HEAD→GET fallback and retries."""
        settings = self._settings
        method = "GET" if fragments else "HEAD"
        attempt = 0  # retries used so far
        while True:
            try:
                got = await self._send(method, url, fragments)
            except (asyncio.TimeoutError, httpx.HTTPError, OSError, ssl.SSLError) as exc:
                failure = _classify(exc, settings.timeout)
                if method == "HEAD" and failure.head_unsupported:
                    method = "GET"
                    continue
                if failure.transient and attempt < settings.retries:
                    attempt += 1
                    await asyncio.sleep(self._backoff(attempt))
                    continue
                return PageOutcome(failure.status, None, None, failure.detail + _tries(attempt))
            code = got.code
            if 200 <= code < 300 or code in self._accept:
                return got
            if method == "HEAD" and code in HEAD_REFUSED:
                method = "GET"
                continue
            if 300 <= code < 400:
                return got
            label = _label(code, got.reason)
            if code in RATE_LIMITED:
                if attempt < settings.retries:
                    attempt += 1
                    delay = _retry_after_seconds(got.retry_after)
                    if delay is None:
                        delay = self._backoff(attempt)
                    await asyncio.sleep(min(delay, settings.retry_after_cap))
                    continue
                return PageOutcome("rate-limited", code, None, label + _tries(attempt))
            if code >= 500 and attempt < settings.retries:
                attempt += 1
                await asyncio.sleep(self._backoff(attempt))
                continue
            return PageOutcome("broken", code, None, label + _tries(attempt))

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: base·2^(n-1) scaled by a random factor in [0.5, 1.5)."""
        delay: float = self._settings.backoff_base * 2 ** (attempt - 1) * (0.5 + random.random())
        return min(delay, self._settings.retry_after_cap)

    async def _send(self, method: str, url: str, fragments: frozenset[str]) -> _Response:
        host = (urlsplit(url).hostname or "").lower()
        headers = self._headers.for_host(host)
        async with self._limiter.slot(host):
            if sys.version_info >= (3, 11):  # no extra task per request
                async with asyncio.timeout(self._settings.timeout):
                    return await self._exchange(method, url, headers, fragments)
            exchange = self._exchange(method, url, headers, fragments)
            return await asyncio.wait_for(exchange, self._settings.timeout)

    async def _exchange(
        self, method: str, url: str, headers: dict[str, str], fragments: frozenset[str]
    ) -> _Response:
        request = self._client.build_request(method, url, headers=headers)
        response = await self._client.send(request, stream=True)
        try:
            code = response.status_code
            html: bool | None = None
            found: frozenset[str] = frozenset()
            if method == "GET" and fragments and (200 <= code < 300 or code in self._accept):
                content_type = response.headers.get("content-type", "")
                html = content_type.split(";", 1)[0].strip().lower() in HTML_TYPES
                if html:
                    found = await _scan_anchors(response, fragments)
            if not response.is_stream_consumed and _cheap_to_drain(method, response):
                # An unread body makes httpcore close the connection instead of reusing it.
                await response.aread()
            return _Response(
                code=code,
                reason=response.reason_phrase,
                location=response.headers.get("location"),
                retry_after=response.headers.get("retry-after"),
                html=html,
                anchors=found,
            )
        finally:
            await response.aclose()


def _cheap_to_drain(method: str, response: httpx.Response) -> bool:
    """Whether reading the rest of the body costs less than a new connection would."""
    if method == "HEAD":
        return True
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= MAX_DRAIN_BYTES


async def _scan_anchors(response: httpx.Response, fragments: frozenset[str]) -> frozenset[str]:
    scanner = AnchorScanner(fragments)
    size = 0
    async for chunk in response.aiter_text():
        scanner.feed(chunk)
        size += len(chunk)
        if not scanner.missing or size > MAX_BODY_CHARS:
            break
    return scanner.found


def _label(code: int, reason: str = "") -> str:
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = reason
    return f"{code} {phrase}".rstrip()


def _tries(retries_used: int) -> str:
    return f" (after {retries_used + 1} attempts)" if retries_used else ""


def _retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), None if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _classify(exc: BaseException, timeout: float) -> _Failure:
    """Turn a request exception into a report; transient ones are worth retrying."""
    if isinstance(exc, (asyncio.TimeoutError, httpx.TimeoutException)):
        return _Failure("unreachable", f"timed out after {timeout:g} s", transient=True)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return _Failure("broken", f"invalid URL: {exc}", transient=False)
    if isinstance(exc, httpx.RemoteProtocolError):
        return _Failure(
            "unreachable",
            f"connection closed mid-response ({_first_line(exc)})",
            transient=True,
            head_unsupported=True,
        )
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or _first_line(cause)
            return _Failure("unreachable", f"TLS certificate error: {reason}", transient=False)
        if isinstance(cause, ssl.SSLError):
            return _Failure("unreachable", f"TLS error: {_first_line(cause)}", transient=False)
        if isinstance(cause, socket.gaierror):
            temporary = cause.errno == socket.EAI_AGAIN
            return _Failure("unreachable", f"DNS lookup failed: {cause.strerror}", temporary)
        if isinstance(cause, ConnectionRefusedError):
            return _Failure("unreachable", "connection refused", transient=False)
    text = _first_line(exc)
    if "Connection refused" in text:
        return _Failure("unreachable", "connection refused", transient=False)
    if "Name or service not known" in text or "nodename nor servname" in text:
        return _Failure("unreachable", f"DNS lookup failed: {text}", transient=False)
    if isinstance(exc, httpx.ConnectError):
        return _Failure("unreachable", f"connection failed: {text}", transient=True)
    return _Failure("unreachable", f"connection error: {text}", transient=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
