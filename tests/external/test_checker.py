"""The external-link checker against a real HTTP server on 127.0.0.1.

A threaded `http.server` is used rather than pytest-httpserver because some cases need a raw
socket: dropping the connection mid-response and answering slowly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nemo_docs_lint.external import (
    ExternalSettings,
    ExternalSettingsError,
    UrlResult,
    check_urls,
)
from nemo_docs_lint.external.falsepositives import FalsePositivesError

PAGE = b"""<!doctype html><html><head><title>t</title></head><body>
<h1 id="top">Title</h1><p>text</p><h2 id="present">Section</h2>
<a name="named-anchor"></a><div id="user-content-gh-style">x</div>
<pre>id="in-text-only"</pre></body></html>"""

Reply = tuple[int, dict[str, str], bytes]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LocalServer

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_GET(self) -> None:
        self._handle("GET")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self, method: str) -> None:
        path = urlsplit(self.path).path
        hits = self.server.record(method, self.path, self.headers.get("User-Agent", ""))
        try:
            route = ROUTES.get(path)
            if route is None:
                reply: Reply | None = (404, {}, b"not found")
            else:
                reply = route(self, method, hits)
            if reply is None:  # the route wrote (or dropped) the response itself
                self.close_connection = True
                return
            code, headers, body = reply
            self.send_response(code)
            headers.setdefault("Content-Type", "text/plain")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method == "GET":
                self.wfile.write(body)
        except OSError:
            self.close_connection = True
        finally:
            self.server.leave(self.path)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.counts: Counter[tuple[str, str]] = Counter()
            self.user_agents: set[str] = set()
            self.connections = 0
            self.active: Counter[str] = Counter()  # per path: slow answers outlive a reset
            self.max_active: Counter[str] = Counter()

    def record(self, method: str, path: str, user_agent: str) -> int:
        with self.lock:
            self.counts[(method, path)] += 1
            self.user_agents.add(user_agent)
            key = urlsplit(path).path
            self.active[key] += 1
            self.max_active[key] = max(self.max_active[key], self.active[key])
            return self.counts[("HEAD", path)] + self.counts[("GET", path)]

    def leave(self, path: str) -> None:
        with self.lock:
            self.active[urlsplit(path).path] -= 1

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on slow answers are expected

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def hits(self, path: str, method: str | None = None) -> int:
        with self.lock:
            if method:
                return self.counts[(method, path)]
            return self.counts[("HEAD", path)] + self.counts[("GET", path)]

    def total(self) -> int:
        with self.lock:
            return sum(self.counts.values())


def _redirect(code: int, to: str) -> Callable[[Handler, str, int], Reply]:
    return lambda h, m, n: (code, {"Location": to}, b"")


def _drop_headers(h: Handler, method: str, hits: int) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Le")
    h.wfile.flush()


def _drop_body(h: Handler, method: str, hits: int) -> None:
    h.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html><body><p>"
    )
    h.wfile.flush()


def _slow(h: Handler, method: str, hits: int) -> Reply:
    time.sleep(1.5)
    return 200, {}, b"late"


def _very_slow(h: Handler, method: str, hits: int) -> Reply:
    time.sleep(5)
    return 200, {}, b"very late"


def _slowish(h: Handler, method: str, hits: int) -> Reply:
    time.sleep(0.15)
    return 200, {}, b"ok"


def _needs_token(h: Handler, method: str, hits: int) -> Reply:
    return (200, {}, b"ok") if h.headers.get("X-Token") == "s3cret" else (401, {}, b"no")


ROUTES: dict[str, Callable[[Handler, str, int], Reply | None]] = {
    "/ok": lambda h, m, n: (200, {}, b"ok"),
    "/gone": lambda h, m, n: (410, {}, b"gone"),
    "/flaky": lambda h, m, n: (500, {}, b"oops") if n == 1 else (200, {}, b"ok"),
    "/error": lambda h, m, n: (500, {}, b"oops"),
    "/moved": _redirect(301, "/moved-again"),
    "/moved-again": _redirect(308, "/final"),
    "/final": lambda h, m, n: (200, {}, b"final"),
    "/temporary": _redirect(302, "/final"),
    "/temporary-then-permanent": _redirect(307, "/moved"),
    "/moved-to-404": _redirect(301, "/missing"),
    "/loop-a": _redirect(301, "/loop-b"),
    "/loop-b": _redirect(302, "/loop-a"),
    "/no-head": lambda h, m, n: (405, {}, b"") if m == "HEAD" else (200, {}, b"ok"),
    "/head-forbidden": lambda h, m, n: (403, {}, b"") if m == "HEAD" else (200, {}, b"ok"),
    "/forbidden": lambda h, m, n: (403, {}, b"no"),
    "/limited-once": lambda h, m, n: (
        (429, {"Retry-After": "1"}, b"slow down") if n == 1 else (200, {}, b"ok")
    ),
    "/limited": lambda h, m, n: (429, {"Retry-After": "1"}, b"slow down"),
    "/unavailable": lambda h, m, n: (503, {}, b"later"),
    "/slow": _slow,
    "/very-slow": _very_slow,
    "/slowish": _slowish,
    "/page.html": lambda h, m, n: (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
    "/data.json": lambda h, m, n: (200, {"Content-Type": "application/json"}, b"{}"),
    "/drop": _drop_headers,
    "/drop-body": _drop_body,
    "/token": _needs_token,
}
for _i in range(12):
    ROUTES[f"/hop/{_i}"] = _redirect(302, f"/hop/{_i + 1}")


@pytest.fixture(scope="module")
def _server() -> Iterator[LocalServer]:
    server = LocalServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(_server: LocalServer) -> LocalServer:
    _server.reset()
    return _server


FAST = ExternalSettings(
    timeout=2.0, retries=2, backoff_base=0.01, retry_after_cap=2.0, use_cache=False
)


def check(
    server: LocalServer, *paths: str, settings: ExternalSettings = FAST
) -> dict[str, UrlResult]:
    results = check_urls([server.url(p) for p in paths], settings)
    return {url.split(str(server.server_address[1]), 1)[1]: r for url, r in results.items()}


# --- status codes ------------------------------------------------------------------------


def test_ok_and_client_errors(server: LocalServer) -> None:
    results = check(server, "/ok", "/missing", "/gone", "/forbidden")
    assert results["/ok"].status == "ok"
    assert results["/ok"].http_status == 200
    assert results["/ok"].detail == "200 OK"
    assert results["/ok"].final_url is None
    assert (results["/missing"].status, results["/missing"].detail) == ("broken", "404 Not Found")
    assert (results["/gone"].status, results["/gone"].http_status) == ("broken", 410)
    assert results["/forbidden"].status == "broken"
    # HEAD only for plain successes and 404/410; 403 on HEAD is retried as GET.
    assert server.hits("/ok", "HEAD") == 1 and server.hits("/ok", "GET") == 0
    assert server.hits("/missing") == 1
    assert server.hits("/gone") == 1
    assert (server.hits("/forbidden", "HEAD"), server.hits("/forbidden", "GET")) == (1, 1)


def test_server_error_retried_until_it_succeeds(server: LocalServer) -> None:
    assert check(server, "/flaky")["/flaky"].status == "ok"
    assert server.hits("/flaky", "HEAD") == 2


def test_server_error_that_persists_is_broken(server: LocalServer) -> None:
    result = check(server, "/error")["/error"]
    assert result.status == "broken"
    assert result.detail == "500 Internal Server Error (after 3 attempts)"
    assert server.hits("/error", "HEAD") == 3


def test_accepted_status_codes_count_as_ok(server: LocalServer) -> None:
    result = check(server, "/forbidden", settings=replace(FAST, accept=(403,)))["/forbidden"]
    assert (result.status, result.http_status) == ("ok", 403)
    assert server.hits("/forbidden") == 1


# --- HEAD → GET ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/no-head", "/head-forbidden"])
def test_head_refused_falls_back_to_get(server: LocalServer, path: str) -> None:
    assert check(server, path)[path].status == "ok"
    assert (server.hits(path, "HEAD"), server.hits(path, "GET")) == (1, 1)


# --- redirects -----------------------------------------------------------------------------


def test_permanent_redirect_chain_is_reported_with_final_url(server: LocalServer) -> None:
    results = check(server, "/moved", "/temporary-then-permanent")
    moved = results["/moved"]
    assert moved.status == "redirected"
    assert moved.final_url == server.url("/final")
    assert moved.http_status == 200
    assert "permanently redirected" in moved.detail
    assert results["/temporary-then-permanent"].status == "redirected"
    assert server.hits("/moved") == 2  # once per run of each chain through it
    assert server.hits("/final") == 2


def test_temporary_redirect_is_ok(server: LocalServer) -> None:
    result = check(server, "/temporary")["/temporary"]
    assert (result.status, result.final_url) == ("ok", server.url("/final"))


def test_redirect_to_missing_page_is_broken(server: LocalServer) -> None:
    result = check(server, "/moved-to-404")["/moved-to-404"]
    assert (result.status, result.http_status) == ("broken", 404)
    assert result.final_url == server.url("/missing")


def test_redirect_loop_is_broken_with_clear_detail(server: LocalServer) -> None:
    result = check(server, "/loop-a")["/loop-a"]
    assert result.status == "broken"
    assert result.detail.startswith("redirect loop: ")
    assert "/loop-a → " in result.detail and "/loop-b → " in result.detail
    assert (server.hits("/loop-a"), server.hits("/loop-b")) == (1, 1)


def test_too_many_redirects(server: LocalServer) -> None:
    result = check(server, "/hop/0")["/hop/0"]
    assert (result.status, result.detail) == ("broken", "more than 10 redirects")
    assert server.hits("/hop/10") == 1 and server.hits("/hop/11") == 0


# --- rate limiting -------------------------------------------------------------------------


def test_retry_after_is_honoured(server: LocalServer) -> None:
    start = time.monotonic()
    result = check(server, "/limited-once")["/limited-once"]
    assert result.status == "ok"
    assert time.monotonic() - start >= 0.95
    assert server.hits("/limited-once", "HEAD") == 2


def test_rate_limited_forever(server: LocalServer) -> None:
    settings = replace(FAST, retry_after_cap=0.1, retries=2)
    results = check(server, "/limited", "/unavailable", settings=settings)
    assert results["/limited"].status == "rate-limited"
    assert results["/limited"].http_status == 429
    assert results["/unavailable"].status == "rate-limited"
    assert server.hits("/limited", "HEAD") == 3
    assert server.hits("/unavailable", "HEAD") == 3


# --- network failures ----------------------------------------------------------------------


def test_slow_answer_times_out_and_is_retried(server: LocalServer) -> None:
    settings = replace(FAST, timeout=0.3, retries=1)
    result = check(server, "/slow", settings=settings)["/slow"]
    assert (result.status, result.detail) == (
        "unreachable",
        "timed out after 0.3 s (after 2 attempts)",
    )
    assert server.hits("/slow", "HEAD") == 2


def test_connection_closed_mid_response(server: LocalServer) -> None:
    result = check(server, "/drop")["/drop"]
    assert result.status == "unreachable"
    assert "connection closed mid-response" in result.detail
    # HEAD failing this way may mean "HEAD unsupported": GET is tried, then retried.
    assert (server.hits("/drop", "HEAD"), server.hits("/drop", "GET")) == (1, 3)


def test_connection_closed_mid_body_while_reading_anchors(server: LocalServer) -> None:
    settings = replace(FAST, check_anchors=True)
    result = check(server, "/drop-body#x", settings=settings)["/drop-body#x"]
    assert result.status == "unreachable"
    assert (server.hits("/drop-body", "HEAD"), server.hits("/drop-body", "GET")) == (0, 3)


def test_refused_connection_is_unreachable() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = check_urls([f"http://127.0.0.1:{port}/"], FAST)[f"http://127.0.0.1:{port}/"]
    assert (result.status, result.detail) == ("unreachable", "connection refused")


def test_deadline_marks_unchecked_urls_unverified(server: LocalServer) -> None:
    settings = replace(FAST, timeout=10.0, deadline=1.0)
    start = time.monotonic()
    results = check(server, "/very-slow", "/ok", settings=settings)
    assert time.monotonic() - start < 4.0  # the slow answer would take 5 s
    assert results["/ok"].status == "ok"
    assert results["/very-slow"].status == "unverified"
    assert results["/very-slow"].detail == "not checked within the 1 s deadline"


# --- anchors -------------------------------------------------------------------------------


def test_anchors_checked_in_html_with_one_request(server: LocalServer) -> None:
    settings = replace(FAST, check_anchors=True)
    paths = ["/page.html#present", "/page.html#named-anchor", "/page.html#gh-style"]
    results = check(server, *paths, "/page.html#absent", "/page.html#in-text-only", "/page.html")
    assert all(r.status == "ok" for r in results.values())  # anchors off: not looked at
    assert server.hits("/page.html", "GET") == 0
    server.reset()
    results = check(
        server,
        *paths,
        "/page.html#absent",
        "/page.html#in-text-only",
        "/page.html",
        settings=settings,
    )
    for path in paths:
        assert results[path].status == "ok", path
    assert results["/page.html"].status == "ok"
    for path, fragment in [
        ("/page.html#absent", "absent"),
        ("/page.html#in-text-only", "in-text-only"),
    ]:
        assert results[path].status == "anchor-missing"
        assert results[path].missing_anchors == (fragment,)
        assert results[path].url == server.url("/page.html")
    assert (server.hits("/page.html", "HEAD"), server.hits("/page.html", "GET")) == (0, 1)


def test_anchors_not_checked_in_non_html(server: LocalServer) -> None:
    settings = replace(FAST, check_anchors=True)
    result = check(server, "/data.json#whatever", settings=settings)["/data.json#whatever"]
    assert result.status == "ok"


def test_anchor_checked_on_final_page_of_a_redirect(server: LocalServer) -> None:
    ROUTES["/to-page"] = _redirect(301, "/page.html")
    try:
        settings = replace(FAST, check_anchors=True)
        results = check(server, "/to-page#present", "/to-page#nope", settings=settings)
    finally:
        del ROUTES["/to-page"]
    assert results["/to-page#present"].status == "redirected"
    assert results["/to-page#nope"].status == "anchor-missing"
    assert results["/to-page#nope"].final_url == server.url("/page.html")


# --- deduplication, schemes, exclusions ----------------------------------------------------


def test_each_page_requested_once_whatever_its_fragments(server: LocalServer) -> None:
    paths = ["/ok", "/ok#a", "/ok#b", "/ok#a"]
    results = check(server, *paths)
    assert set(results) == {"/ok", "/ok#a", "/ok#b"}
    assert all(r.status == "ok" and r.url == server.url("/ok") for r in results.values())
    assert server.hits("/ok") == 1


def test_non_http_schemes_are_excluded_without_a_request(server: LocalServer) -> None:
    urls = ["mailto:someone@example.com", "ftp://example.com/file", "relative/page.html"]
    results = check_urls(urls, FAST)
    assert {u: r.status for u, r in results.items()} == dict.fromkeys(urls, "excluded")
    assert results["mailto:someone@example.com"].detail == "mailto: URL is not checked"


def test_exclude_patterns_suppress_without_request(server: LocalServer) -> None:
    settings = replace(FAST, exclude=(r"/missing$", r"gone"))
    results = check(server, "/missing", "/gone#frag", "/ok", settings=settings)
    assert results["/missing"].status == "excluded"
    assert "exclude pattern" in results["/missing"].detail
    assert results["/gone#frag"].status == "excluded"
    assert server.hits("/missing") == server.hits("/gone") == 0
    assert server.hits("/ok") == 1


def test_false_positive_file_both_formats(server: LocalServer, tmp_path: Path) -> None:
    listing = tmp_path / "broken_links_false_positives.json"
    listing.write_text(
        "# known to fail from CI\n"
        + json.dumps({"uri": server.url("/missing"), "status": "broken", "info": "404"})
        + "\n\n"
        + server.url("/gone")
        + "\n"
        + json.dumps({"uri": server.url("/error#only-this")})
        + "\n",
        encoding="utf-8",
    )
    settings = replace(FAST, false_positives=str(listing))
    results = check(server, "/missing", "/gone", "/gone#x", "/error#only-this", settings=settings)
    assert {p: r.status for p, r in results.items()} == dict.fromkeys(results, "excluded")
    assert str(listing) in results["/missing"].detail
    assert server.total() == 0


def test_false_positive_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "fp.json"
    bad.write_text('{"url": "https://x"}\n', encoding="utf-8")
    with pytest.raises(FalsePositivesError, match=r"fp.json:1: JSON line has no \"uri\""):
        check_urls(["https://example.com"], replace(FAST, false_positives=str(bad)))
    with pytest.raises(FalsePositivesError, match="cannot read"):
        check_urls(["https://example.com"], replace(FAST, false_positives=str(tmp_path / "no")))


# --- headers, limits -------------------------------------------------------------------------


def test_headers_per_host_and_user_agent(server: LocalServer) -> None:
    assert check(server, "/token")["/token"].status == "broken"
    settings = replace(
        FAST,
        headers={"127.0.0.*": {"X-Token": "s3cret"}, "example.com": {"X-Token": "wrong"}},
        user_agent="docs-bot/1.0",
    )
    assert check(server, "/token", settings=settings)["/token"].status == "ok"
    settings = replace(FAST, headers={r"^127\.0\.0\.\d+$": {"X-Token": "s3cret"}})
    assert check(server, "/token", settings=settings)["/token"].status == "ok"
    assert "docs-bot/1.0" in server.user_agents
    assert any(ua.startswith("nemo-docs-lint/") for ua in server.user_agents)


def test_connections_are_kept_alive(server: LocalServer) -> None:
    settings = replace(FAST, per_host=1)
    paths = [f"/ok?{i}" for i in range(5)] + ["/missing", "/moved", "/no-head"]
    check(server, *paths, settings=settings)
    assert server.connections == 1


def test_per_host_limit_and_min_interval(server: LocalServer) -> None:
    settings = replace(FAST, per_host=2)
    results = check(server, *(f"/slowish?{i}" for i in range(6)), settings=settings)
    assert all(r.status == "ok" for r in results.values())
    assert server.max_active["/slowish"] == 2
    server.reset()
    start = time.monotonic()
    check(server, *(f"/ok?{i}" for i in range(4)), settings=replace(FAST, min_interval=0.15))
    assert time.monotonic() - start >= 0.44


# --- cache ---------------------------------------------------------------------------------


def test_cache_skips_successes_and_rechecks_failures(server: LocalServer, tmp_path: Path) -> None:
    settings = replace(FAST, cache_dir=tmp_path / "cache", use_cache=True)
    paths = ["/ok", "/moved", "/missing", "/temporary"]
    first = check(server, *paths, settings=settings)
    assert server.hits("/ok") == server.hits("/missing") == 1
    server.reset()
    second = check(server, *paths, settings=settings)
    assert second == first
    assert server.hits("/ok") == server.hits("/moved") == server.hits("/temporary") == 0
    assert server.hits("/missing") == 1  # failures are always rechecked
    server.reset()
    check(server, *paths, settings=replace(settings, use_cache=False))
    assert server.hits("/ok") == 1
    server.reset()
    check(server, *paths, settings=replace(settings, cache_ttl=0.0))
    assert server.hits("/ok") == 1


def test_cache_remembers_verified_anchors_only(server: LocalServer, tmp_path: Path) -> None:
    settings = replace(FAST, cache_dir=tmp_path, use_cache=True, check_anchors=True)
    check(server, "/page.html#present", "/ok", settings=settings)
    server.reset()
    check(server, "/page.html#present", settings=settings)
    assert server.total() == 0
    results = check(server, "/page.html#absent", "/ok#frag", settings=settings)
    assert results["/page.html#absent"].status == "anchor-missing"
    assert server.hits("/page.html", "GET") == 1  # a fragment not verified before
    assert server.hits("/ok", "GET") == 1  # the cached HEAD never looked at the body


def test_corrupt_cache_files_are_ignored_and_rewritten(server: LocalServer, tmp_path: Path) -> None:
    settings = replace(FAST, cache_dir=tmp_path, use_cache=True)
    check(server, "/ok", "/final", settings=settings)
    files = sorted(p for p in tmp_path.rglob("*.json"))
    assert len(files) == 2
    files[0].write_text("{not json", encoding="utf-8")
    files[1].write_bytes(b"")
    server.reset()
    results = check(server, "/ok", "/final", settings=settings)
    assert results["/ok"].status == results["/final"].status == "ok"
    assert server.hits("/ok") == server.hits("/final") == 1
    for path in files:
        assert json.loads(path.read_text(encoding="utf-8"))["status"] == "ok"
    assert not list(tmp_path.rglob(".tmp-*"))


def test_two_concurrent_runs_share_a_cache_safely(server: LocalServer, tmp_path: Path) -> None:
    settings = replace(FAST, cache_dir=tmp_path, use_cache=True)
    paths = [f"/ok?{i}" for i in range(40)]
    outcomes: list[dict[str, UrlResult]] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(check(server, *paths, settings=settings)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes[0] == outcomes[1]
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 40
    assert all(json.loads(f.read_text(encoding="utf-8"))["status"] == "ok" for f in files)
    assert not list(tmp_path.rglob(".tmp-*"))
    server.reset()
    check(server, *paths, settings=settings)
    assert server.total() == 0


# --- settings and import cost ----------------------------------------------------------------


def test_settings_from_mapping(tmp_path: Path) -> None:
    settings = ExternalSettings.from_mapping(
        {
            "concurrency": 10,
            "per-host": 2,
            "min-interval": 0.5,
            "retry-after-cap": 5,
            "exclude": ["^https://internal"],
            "false-positives": "docs/fp.json",
            "headers": {"github.com": {"Authorization": "token x"}},
            "accept": [403, 999 - 570],
            "check-anchors": True,
            "cache-ttl": 60,
        },
        tmp_path,
    )
    assert (settings.concurrency, settings.per_host, settings.min_interval) == (10, 2, 0.5)
    assert settings.false_positives == str(tmp_path / "docs/fp.json")
    assert settings.accept == (403, 429)
    assert settings.check_anchors and settings.cache_ttl == 60.0
    assert settings.timeout == 20.0 and settings.retries == 2
    with pytest.raises(ExternalSettingsError, match="did you mean `per-host`"):
        ExternalSettings.from_mapping({"per_host": 3}, tmp_path)
    with pytest.raises(ExternalSettingsError, match="`exclude`: invalid regular expression"):
        ExternalSettings.from_mapping({"exclude": ["("]}, tmp_path)
    with pytest.raises(ExternalSettingsError, match="`retries`"):
        ExternalSettings.from_mapping({"retries": -1}, tmp_path)


def test_retry_after_parsing() -> None:
    from email.utils import formatdate

    from nemo_docs_lint.external.fetch import _retry_after_seconds

    assert _retry_after_seconds("3") == 3.0
    assert _retry_after_seconds("-3") == 0.0
    assert _retry_after_seconds("soon") is None
    assert _retry_after_seconds(None) is None
    later = _retry_after_seconds(formatdate(time.time() + 30, usegmt=True))
    assert later is not None and 28 <= later <= 30


def test_import_is_cheap() -> None:
    code = (
        "import sys, nemo_docs_lint.external;"
        "print(sorted({'httpx', 'rich', 'asyncio'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- running environment ---------------------------------------------------------------------


def test_progress_bar_on_a_terminal(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    results = check_urls([server.url("/ok"), server.url("/missing")], FAST, progress=True)
    assert [r.status for r in results.values()] == ["ok", "broken"]


def test_callable_from_inside_a_running_event_loop(server: LocalServer) -> None:
    import asyncio

    async def caller() -> dict[str, UrlResult]:
        return check_urls([server.url("/ok")], FAST)

    assert asyncio.run(caller())[server.url("/ok")].status == "ok"


def test_idle_origin_pools_are_closed_beyond_the_limit(server: LocalServer) -> None:
    import asyncio

    import httpx

    from nemo_docs_lint.external.transport import PerOriginTransport

    async def run() -> int:
        transport = PerOriginTransport(per_origin=2, max_pools=1)
        async with httpx.AsyncClient(transport=transport) as client:
            port = server.server_address[1]
            for host in ("127.0.0.1", "localhost", "127.0.0.1"):
                response = await client.head(f"http://{host}:{port}/ok")
                assert response.status_code == 200
            return len(transport._pools)

    assert asyncio.run(run()) == 1
    assert server.hits("/ok", "HEAD") == 3
