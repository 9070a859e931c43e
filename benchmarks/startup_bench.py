"""A lint's fixed costs on the corpus, two checkouts interleaved run by run.

    python benchmarks/startup_bench.py [--runs 11] [--case NAME ...] OLD [NEW] [DOCS]

Cases, each a `python -m nemo_docs_lint` subprocess with `PYTHONPATH` set to the checkout (the
package compiled to bytecode first, as an installed copy runs):

- `nocache`: the default lint of DOCS with `--no-cache`;
- `cold`: the same on a writable copy of DOCS (one per checkout) with the caches, the cache
  folder (`DOCS/.nemo-docs-lint-cache`, no project root above the copy) deleted before each run;
- `warm`: the same copy, nothing changed since the last run;
- `import`: `python -c "import nemo_docs_lint.cli"`.

`--compiled PY` adds a third contender: the interpreter of a venv from `compiled_env.py` (the
compiled scanner), its installed package instead of a checkout.

Runs alternate between the checkouts so that load on a shared machine falls on both; the median
wall and CPU (user + system of the child and its workers) are printed for each.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
CASES = ("nocache", "cold", "warm", "import")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], checkout: Path | None, cwd: Path) -> tuple[float, float]:
    env = {**os.environ, "NO_COLOR": "1"}
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr.decode()}")
    return wall, _cpu() - cpu


def _copy(docs: Path, target: Path) -> Path:
    shutil.copytree(docs, target, ignore=shutil.ignore_patterns(".nemo-docs-lint-cache"))
    for path in [target, *target.rglob("*")]:  # the shared corpus is read-only
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=REPO)
    parser.add_argument("docs", type=Path, nargs="?", default=DEFAULT_DOCS)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--case", action="append", choices=CASES)
    parser.add_argument("--compiled", help="also run this interpreter's installed package")
    args = parser.parse_args()
    checkouts: dict[str, Path | None] = {"old": args.old.resolve(), "new": args.new.resolve()}
    pythons = dict.fromkeys(checkouts, sys.executable)
    if args.compiled:
        checkouts["compiled"] = None
        pythons["compiled"] = args.compiled
    for checkout in checkouts.values():
        if checkout is not None:
            compileall.compile_dir(checkout / "nemo_docs_lint", quiet=1)
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as scratch:
        tmp = Path(scratch)
        copies = {name: _copy(args.docs, tmp / name / "docs") for name in checkouts}
        for case in args.case or CASES:
            measured: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
            for index in range(args.runs + 1):  # the first round warms the OS caches
                for name, checkout in checkouts.items():
                    cli = [pythons[name], "-m", "nemo_docs_lint"]
                    if case == "import":
                        argv = [pythons[name], "-c", "import nemo_docs_lint.cli"]
                    elif case == "nocache":
                        argv = [*cli, str(args.docs), "--no-cache"]
                    else:
                        argv = [*cli, str(copies[name])]
                        if case == "cold":
                            shutil.rmtree(copies[name] / ".nemo-docs-lint-cache", True)
                    result = _run(argv, checkout, tmp)
                    if index:
                        measured[name].append(result)
            line = [f"{case:<8}"]
            for name in checkouts:
                walls = [wall for wall, _ in measured[name]]
                cpus = [cpu for _, cpu in measured[name]]
                line.append(
                    f"{name} wall {statistics.median(walls):.3f} s "
                    f"({min(walls):.3f}-{max(walls):.3f}), CPU {statistics.median(cpus):.3f} s"
                )
            print("  ".join(line), flush=True)


if __name__ == "__main__":
    main()
