"""Whole-process benchmarks of the CLI: what a user waits for, start-up included.

    python benchmarks/bench.py [--runs 7] [--case NAME ...] [--json FILE] [DOCS]

Each case runs once to warm the OS caches, then `--runs` times; the median wall time is
reported with the min and max, and the target when the case has one. The CLI import time is
measured separately (`python -X importtime`, plus the wall time of the bare import minus that
of `python -c pass`).

Add a case by appending to CASES: `args` are CLI arguments where `{docs}` is the docs folder
and `{tmp}` a scratch folder; `prepare(tmp, docs)` may write a tree there first (a copy of the docs,
a generated 10,000-page tree) and runs once, outside the timing; the warm-up run fills caches.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bytecode import compile_package

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
CLI = [sys.executable, "-m", "nemo_docs_lint"]


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    target: float | None = None  # seconds, median wall
    prepare: Callable[[Path, Path], None] | None = None  # (scratch folder, docs folder)
    description: str = ""


def copy_docs(tmp: Path, docs: Path) -> None:
    """A prepare hook: copy the docs tree into tmp/docs (for cases that write beside it)."""
    import shutil

    shutil.copytree(docs, tmp / "docs", ignore=shutil.ignore_patterns(".nemo-docs-lint-cache"))
    for path in [tmp / "docs", *(tmp / "docs").rglob("*")]:  # the shared corpus is read-only
        path.chmod(0o755 if path.is_dir() else 0o644)


CASES: list[Case] = [
    Case(
        "frontmatter",
        ("{docs}", "--select", "FM,NDL", "--no-cache", "--quiet"),
        target=0.5,
        description="frontmatter + tool rules on the corpus (the issue-2 path)",
    ),
    Case(
        "full",
        ("{docs}", "--no-cache", "--quiet"),
        target=0.35,  # issues 10 and 14: the whole default lint of the corpus, cold
        description="every default rule (frontmatter, links, toctree) on the corpus",
    ),
    Case(
        "full-json",
        ("{docs}", "--no-cache", "--format", "json", "--output", "{tmp}/report.json"),
        description="every default rule, JSON report to a file",
    ),
    Case(
        "full-warm",
        ("{tmp}/docs", "--quiet"),
        prepare=copy_docs,
        description="every default rule on a copy of the corpus, parse cache warm",
    ),
    Case("version", ("--version",), target=0.15, description="start-up only"),
]


def _expand(args: tuple[str, ...], docs: Path, tmp: Path) -> list[str]:
    return [a.replace("{docs}", str(docs)).replace("{tmp}", str(tmp)) for a in args]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one process; CPU is steadier when the machine is busy."""
    compile_package()
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr.decode()}")
    return elapsed, _cpu() - cpu


def _time(argv: list[str], cwd: Path) -> float:
    return _run(argv, cwd)[0]


def run_case(case: Case, docs: Path, runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{case.name}-") as scratch:
        tmp = Path(scratch)
        if case.prepare is not None:
            case.prepare(tmp, docs)
        argv = CLI + _expand(case.args, docs, tmp)
        _run(argv, tmp)  # warm-up
        measured = [_run(argv, tmp) for _ in range(runs)]
    times = [wall for wall, _ in measured]
    median = statistics.median(times)
    return {
        "case": case.name,
        "median_s": round(median, 4),
        "cpu_median_s": round(statistics.median(cpu for _, cpu in measured), 4),
        "min_s": round(min(times), 4),
        "max_s": round(max(times), 4),
        "runs": runs,
        "target_s": case.target,
        "ok": None if case.target is None else median < case.target,
        "description": case.description,
    }


def import_time(runs: int) -> dict:
    """Cumulative import time of nemo_docs_lint.cli (-X importtime) and the bare import's wall."""

    def importtime_us() -> int:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import nemo_docs_lint.cli"],
            capture_output=True,
            text=True,
            check=True,
        )
        total = 0
        for line in proc.stderr.splitlines():
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[2] == "nemo_docs_lint.cli":
                total = int(parts[1])
        return total

    def wall(code: str) -> float:
        return _time([sys.executable, "-c", code], REPO)

    importtime_us()
    cumulative = statistics.median(importtime_us() for _ in range(runs))
    bare = statistics.median(wall("pass") for _ in range(runs))
    cli = statistics.median(wall("import nemo_docs_lint.cli") for _ in range(runs))
    return {
        "case": "import nemo_docs_lint.cli",
        "importtime_cumulative_ms": round(cumulative / 1000, 1),
        "wall_minus_bare_python_ms": round((cli - bare) * 1000, 1),
        "bare_python_ms": round(bare * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "docs", nargs="?", type=Path, default=os.environ.get("NEMO_DOCS_LINT_CORPUS", DEFAULT_DOCS)
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--case", action="append", help="run only these cases (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    docs = Path(args.docs).resolve()
    if not docs.is_dir():
        raise SystemExit(f"docs folder not found: {docs} (pass one or set NEMO_DOCS_LINT_CORPUS)")
    chosen = [c for c in CASES if not args.case or c.name in args.case]
    print(f"{docs}  ({os.cpu_count()} CPUs, {sys.executable}, median of {args.runs})")
    results = []
    for case in chosen:
        result = run_case(case, docs, args.runs)
        results.append(result)
        verdict = "" if result["ok"] is None else ("  ok" if result["ok"] else "  MISSED")
        target = f"  target < {case.target:.2f} s" if case.target else ""
        print(
            f"{case.name:<12} median {result['median_s']:.3f} s  "
            f"(min {result['min_s']:.3f}, max {result['max_s']:.3f}; "
            f"CPU {result['cpu_median_s']:.3f} s){target}{verdict}"
        )
    if not args.case or "import" in args.case:
        imports = import_time(args.runs)
        results.append(imports)
        print(
            f"{'import cli':<12} -X importtime {imports['importtime_cumulative_ms']:.1f} ms; "
            f"wall {imports['wall_minus_bare_python_ms']:.1f} ms over bare python "
            f"({imports['bare_python_ms']:.1f} ms)"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
