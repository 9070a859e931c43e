"""How the cost grows with the tree: full lint cold and warm, pre-commit, at 1k, 10k, 100k pages.

    python benchmarks/growth_bench.py [--copies 4 38 380] [--runs 3] [--big-runs 1] [--keep DIR]

Each size is a `synth_tree.py` tree of N copies of the shared corpus (4 copies ≈ 1,000 pages,
38 ≈ 10,000, 380 ≈ 100,000), generated under `--keep` (reused when present). For each: a cold
full lint (`--no-cache`, JSON report to a file), then a warm one (the snapshot written by an
untimed first run), then a pre-commit run (one page, `copy-01/index.md`, edited before each run
and named alone; warm), each a fresh process, median of `--runs`. The table gives wall and CPU
medians, peak RSS, the cost per page, the growth against the size before it (near-linear growth
keeps `x time / x pages` near 1) and the load average when the size's runs began. Issue 15's
100k targets are marked.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from graph_bench import CLI, CORPUS, Result, measure

TARGETS_100K = {"cold": 30.0, "warm": 4.0}
RUNS = ("cold", "warm", "pre-commit")
MEMORY_100K_MIB = 2048


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[4, 38, 380])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-runs", type=int, help="runs of trees over 90,000 pages (--runs)")
    parser.add_argument("--keep", type=Path, help="generate the trees here (reused if present)")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    from synth_tree import generate

    scratch = Path(tempfile.mkdtemp(prefix="growth-bench-"))
    base = args.keep or scratch
    rows: list[dict[str, object]] = []
    try:
        for copies in args.copies:
            tree = base / f"synth-{copies}" / "docs"
            if not tree.is_dir():
                started = time.perf_counter()
                generate(CORPUS, tree, copies)
                print(f"generated {tree} in {time.perf_counter() - started:.1f} s", flush=True)
            pages = sum(1 for _ in tree.rglob("*.md")) + sum(1 for _ in tree.rglob("*.rst"))
            load = os.getloadavg()[0]
            runs = args.big_runs if args.big_runs and pages >= 90_000 else args.runs
            report = [*CLI, "--format", "json", "-o", str(scratch / "report.json")]
            lint = [*report, str(tree)]
            cold = measure(f"{pages} pages cold", [*lint, "--no-cache"], scratch, runs)
            warm = measure(f"{pages} pages warm", lint, scratch, runs)
            page = tree / "copy-01" / "index.md"
            original = page.read_text(encoding="utf-8")
            edits = iter(range(10**6))

            def edit(page: Path = page, original: str = original, edits=edits) -> None:
                page.write_text(original + f"\n<!-- edit {next(edits)} -->\n", encoding="utf-8")

            try:
                one = measure(
                    f"{pages} pages pre-commit", [*report, str(page)], scratch, runs, edit
                )
            finally:
                page.write_text(original, encoding="utf-8")
            rows.append(
                {
                    "pages": pages,
                    "load": load,
                    "cold": _summary(cold),
                    "warm": _summary(warm),
                    "pre-commit": _summary(one),
                }
            )
        _print_table(rows)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _summary(result: Result) -> dict[str, float]:
    return {
        "wall": statistics.median(result.walls),
        "cpu": statistics.median(result.cpus),
        "peak_mib": result.peak_mib,
    }


def _print_table(rows: list[dict[str, object]]) -> None:
    print()
    print("| pages | run | wall s | CPU s | peak MiB | ms/page (CPU) | x time / x pages | load |")
    print("|---|---|---|---|---|---|---|---|")
    previous: dict[str, object] | None = None
    for row in rows:
        pages = row["pages"]
        assert isinstance(pages, int)
        for run in RUNS:
            cell = row[run]
            assert isinstance(cell, dict)
            growth = ""
            if previous is not None:
                before = previous[run]
                assert isinstance(before, dict) and isinstance(previous["pages"], int)
                growth = f"{(cell['cpu'] / before['cpu']) / (pages / previous['pages']):.2f}"
            verdict = ""
            if pages >= 90_000 and run in TARGETS_100K:
                met = cell["wall"] <= TARGETS_100K[run] and cell["peak_mib"] <= MEMORY_100K_MIB
                verdict = " ok" if met else " MISSED"
            print(
                f"| {pages:,} | {run} | {cell['wall']:.2f}{verdict} | {cell['cpu']:.2f} | "
                f"{cell['peak_mib']:.0f} | {1000 * cell['cpu'] / pages:.2f} | {growth} | "
                f"{row['load']:.1f} |"
            )
        previous = row


if __name__ == "__main__":
    main()
