"""The language server on the 10,000-page tree: indexing, typing latency, memory.

    python benchmarks/lsp_bench.py [--tree DIR] [--copies 38] [--edits 200] [--seed 0]
                                   [--cold] [--json FILE]

Without `--tree`, the synthetic tree (`synth_tree.py`, 38 copies of the shared corpus) is written
to a temporary folder. A real client (pygls) starts `python -m nemo_docs_lint server` and:

- **initial index**: `initialize` until the server ends its `$/progress` (every page parsed and
  checked, every diagnostic published); with `--cold` the parse cache is removed first;
- **typing latency**: for each of N edits, a random Markdown page is opened, one character is
  inserted at a random place of a random line (`didChange`, incremental sync), and the time to
  the `publishDiagnostics` of that page is measured (p50, p95, max); the page is closed again;
- **memory**: the server's peak and final resident set size (VmHWM, VmRSS), and its CPU time.

The same edits are replayed in this process on `IncrementalLinter.update` (tree rules included,
as `settle()` later runs them in the server) for the cost of a whole update.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get(
        "NEMO_DOCS_LINT_CORPUS", REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
    )
)
SERVER = [sys.executable, "-m", "nemo_docs_lint", "server"]
TOKEN = "nemo-docs-lint/index"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _proc(pid: int) -> dict[str, float]:
    """Peak and current RSS (MiB) and CPU seconds of a process, from /proc."""
    found: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                found[key] = int(value.split()[0]) / 1024
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    found["cpu"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def _edits(tree: Path, count: int, seed: int) -> list[tuple[Path, str, int, int]]:
    """(page, its text, 0-based line, character) for one-character insertions."""
    rng = random.Random(seed)
    pages = sorted(p for p in tree.rglob("*.md") if "_build" not in p.parts)
    chosen = []
    for path in rng.sample(pages, count):
        text = path.read_text(encoding="utf-8-sig")
        lines = text.split("\n")
        line = rng.randrange(len(lines))
        chosen.append((path, text, line, rng.randint(0, len(lines[line]))))
    return chosen


async def _serve(tree: Path, edits: list[tuple[Path, str, int, int]]) -> dict[str, object]:
    client = LanguageClient("lsp-bench", "0")
    published: dict[str, asyncio.Event] = {}
    ended = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: types.PublishDiagnosticsParams) -> None:
        event = published.get(params.uri)
        if event is not None:
            event.set()

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def _create(params: types.WorkDoneProgressCreateParams) -> None:
        return None

    @client.feature(types.PROGRESS)
    def _progress(params: types.ProgressParams) -> None:
        value = params.value
        kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
        if kind == "end":
            ended.set()

    await client.start_io(*SERVER)
    assert client._server is not None
    pid = client._server.pid
    started = time.perf_counter()
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                window=types.WindowClientCapabilities(work_done_progress=True)
            ),
            workspace_folders=[types.WorkspaceFolder(uri=tree.as_uri(), name=tree.name)],
        )
    )
    client.initialized(types.InitializedParams())
    await asyncio.wait_for(ended.wait(), 600)
    index_seconds = time.perf_counter() - started
    after_index = _proc(pid)
    latencies = []
    for path, text, line, character in edits:
        uri = path.as_uri()
        published[uri] = event = asyncio.Event()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text=text
                )
            )
        )
        await asyncio.wait_for(event.wait(), 60)
        event.clear()
        at = types.Position(line=line, character=character)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=at, end=at), text="x"
                    )
                ],
            )
        )
        await asyncio.wait_for(event.wait(), 60)
        latencies.append(time.perf_counter() - sent)
        del published[uri]
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        await asyncio.sleep(0.3)  # let the deferred tree rules of this edit run
    final = _proc(pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {
        "index_seconds": index_seconds,
        "latency_ms": [1000 * s for s in latencies],
        "rss_after_index_mib": after_index["VmRSS"],
        "peak_rss_mib": final["VmHWM"],
        "final_rss_mib": final["VmRSS"],
        "server_cpu_index_seconds": after_index["cpu"],
    }


def _in_process(tree: Path, edits: list[tuple[Path, str, int, int]]) -> dict[str, object]:
    """The same edits on `IncrementalLinter.update`, tree rules included."""
    from nemo_docs_lint.incremental import IncrementalLinter

    linter = IncrementalLinter.open(tree)
    times, tree_runs = [], 0
    for path, text, line, character in edits:
        rel = path.relative_to(tree).as_posix()
        lines = text.removeprefix("\ufeff").split("\n")
        lines[line] = lines[line][:character] + "x" + lines[line][character:]
        started = time.perf_counter()
        linter.update({rel: "\n".join(lines)})
        times.append(time.perf_counter() - started)
        tree_runs += linter.last.tree_rules
        linter.update({rel: text})  # back, untimed
    return {"update_ms": [1000 * s for s in times], "tree_rule_runs": tree_runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, help="an existing docs tree (default: generate)")
    parser.add_argument("--copies", type=int, default=38)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cold", action="store_true", help="remove the parse cache first")
    parser.add_argument("--json", type=Path, help="write the numbers here")
    args = parser.parse_args()
    scratch = None
    tree = args.tree
    if tree is None:
        sys.path.insert(0, str(REPO / "benchmarks"))
        from synth_tree import generate

        scratch = Path(tempfile.mkdtemp(prefix="lsp-bench-"))
        tree = scratch / "docs"
        generate(CORPUS, tree, args.copies)
    tree = tree.resolve()
    try:
        if args.cold:
            shutil.rmtree(tree / ".nemo-docs-lint-cache", ignore_errors=True)
        edits = _edits(tree, args.edits, args.seed)
        served = asyncio.run(_serve(tree, edits))
        local = _in_process(tree, edits)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    latency, update = served["latency_ms"], local["update_ms"]
    assert isinstance(latency, list) and isinstance(update, list)
    pages = sum(1 for _ in tree.rglob("*.md")) if tree.exists() else 0
    print(f"tree: {tree} ({pages or 'generated'} Markdown pages)")
    print(f"initial index (initialize -> progress end): {served['index_seconds']:.2f} s")
    print(f"  server CPU to that point: {served['server_cpu_index_seconds']:.2f} s")
    print(
        f"didChange -> publishDiagnostics, {len(latency)} one-character edits: "
        f"p50 {statistics.median(latency):.1f} ms, p95 {_percentile(latency, 0.95):.1f} ms, "
        f"max {max(latency):.1f} ms"
    )
    print(
        f"update() with tree rules, same edits: p50 {statistics.median(update):.1f} ms, "
        f"p95 {_percentile(update, 0.95):.1f} ms, max {max(update):.1f} ms "
        f"({local['tree_rule_runs']} edits ran the tree rules)"
    )
    print(
        f"server memory: {served['rss_after_index_mib']:.0f} MiB after indexing, "
        f"peak {served['peak_rss_mib']:.0f} MiB, final {served['final_rss_mib']:.0f} MiB"
    )
    if args.json:
        args.json.write_text(json.dumps({**served, **local}, indent=2) + "\n")


if __name__ == "__main__":
    main()
