"""Pre-commit mode with a staged rename vs. without, on the ~10,000-page tree.

    python benchmarks/change_bench.py [--runs 7] [--copies 38] [DOCS]

Builds the tree of `synth_tree.py` in a temporary git repository (committed), then times
`nemo-docs-lint --changed PAGE` (what the hook runs) with the parse cache warm, in two states:

- `edit`: PAGE's text changed and staged (no rename: the change set is empty);
- `rename`: PAGE renamed with `git mv` and staged; the new path is named, and every page linking
  to the old path is reported through the change set.

Also times the one git call (`git diff --name-status -z -M HEAD`) alone. Target: `rename` costs at
most 10 % more than `edit`. The two states alternate run by run, so that a busy machine slows
both alike; medians, min and max of the wall time, and the median CPU time, are reported.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth_tree import generate

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"
PAGE = "copy-01/get-started/docker.md"
NEW = "copy-01/deploy/docker.md"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _once(argv: list[str], cwd: Path) -> tuple[float, float, int, int]:
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True)
    return time.perf_counter() - start, _cpu() - cpu, proc.returncode, len(proc.stdout.splitlines())


def _summary(samples: list[tuple[float, float, int, int]]) -> dict:
    walls = [s[0] for s in samples]
    return {
        "median_s": round(statistics.median(walls), 3),
        "min_s": round(min(walls), 3),
        "max_s": round(max(walls), 3),
        "cpu_median_s": round(statistics.median(s[1] for s in samples), 3),
        "exit": sorted({s[2] for s in samples}),
        "stdout_lines": samples[-1][3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="?", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--copies", type=int, default=38)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="change-bench-") as scratch:
        root = Path(scratch)
        docs = root / "docs"
        pages = generate(args.docs, docs, args.copies)
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", ".")
        _git(root, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "tree")
        cli = [sys.executable, "-m", "nemo_docs_lint", "--changed", "--select", "LNK,TOC"]
        page = docs / PAGE
        text = page.read_text(encoding="utf-8")

        def edit_state() -> list[str]:
            _git(root, "reset", "-q", "--hard")
            page.write_text(text + "\nOne more line.\n", encoding="utf-8")
            _git(root, "add", ".")
            return [*cli, f"docs/{PAGE}"]

        def rename_state() -> list[str]:
            _git(root, "reset", "-q", "--hard")
            (docs / NEW).parent.mkdir(parents=True, exist_ok=True)
            _git(root, "mv", f"docs/{PAGE}", f"docs/{NEW}")
            return [*cli, f"docs/{NEW}"]

        edits, renames, gits = [], [], []
        for state in (edit_state, rename_state):
            _once(state(), root)  # warm-up: fills the parse cache for this state
        for _ in range(args.runs):  # interleaved, so that the machine's load hits both alike
            edits.append(_once(edit_state(), root))
            renames.append(_once(rename_state(), root))
            gits.append(_once(["git", "diff", "--name-status", "-z", "-M", "HEAD", "--"], root))
        edit, rename, git = _summary(edits), _summary(renames), _summary(gits)
    ratio = rename["median_s"] / edit["median_s"]
    cpu_ratio = rename["cpu_median_s"] / edit["cpu_median_s"]
    print(f"tree: {pages} pages; named page: {PAGE} (renamed to {NEW})")
    for name, result in (("edit (no rename)", edit), ("staged rename", rename), ("git diff", git)):
        print(f"{name:<18} {result}")
    print(f"rename / edit, wall: {ratio:.3f}; CPU: {cpu_ratio:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
