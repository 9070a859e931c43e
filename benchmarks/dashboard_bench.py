"""Benchmark the review-group dashboard of the shared NeMo RL corpus with the sample groups.

    python benchmarks/dashboard_bench.py [--runs 5] [--docs PATH] [--groups FILE]

Times the whole process, as a user runs it (`nemo-docs-lint dashboard DOCS --groups FILE
--output DIR --no-cache`, start-up included, so every run parses every page), and prints the
median and the size of index.html, dashboard.json and dashboard.md. The target is < 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
GROUPS = ROOT / "examples" / "review-groups.toml"
TARGET_SECONDS = 2.0


def run_once(docs: Path, groups: Path, output: Path, env: dict[str, str]) -> float:
    command = [sys.executable, "-m", "nemo_docs_lint", "dashboard", str(docs)]
    command += ["--groups", str(groups), "--output", str(output), "--no-cache"]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--groups", type=Path, default=GROUPS)
    args = parser.parse_args()
    if not args.docs.is_dir():
        print(f"no docs tree at {args.docs}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as temp:
        output = Path(temp) / "site"
        times = [run_once(args.docs, args.groups, output, env) for _ in range(args.runs)]
        sizes = {p.name: p.stat().st_size for p in sorted(output.iterdir())}
    median = statistics.median(times)
    print(f"dashboard of {args.docs} with {args.groups.name}, {args.runs} runs (whole process)")
    print(f"  median {median:.3f} s  (min {min(times):.3f} s, max {max(times):.3f} s)")
    for name, size in sizes.items():
        print(f"  {name:<15} {size / 1024:8.1f} KiB ({size:,} bytes)")
    verdict = "OK" if median < TARGET_SECONDS else "SLOW"
    print(f"  target < {TARGET_SECONDS:.0f} s: {verdict}")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
