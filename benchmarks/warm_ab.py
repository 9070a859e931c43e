"""Warm runs of two checkouts, alternated run by run, each on its own copy of a tree (each keeps
its own caches), as whole processes:

    python benchmarks/warm_ab.py OLD_CHECKOUT OLD_TREE NEW_CHECKOUT NEW_TREE [--runs 9]
        [--corpus OLD_CORPUS NEW_CORPUS] [--cases pre-commit,full-warm,after-change,corpus]

Cases (`python -m nemo_docs_lint` with the checkout on `PYTHONPATH`, JSON report to a file,
bytecode compiled; two untimed warm-ups per case and side):

- `pre-commit`: `copy-01/index.md` edited before every run, that page named (`precommit_bench`);
- `full-warm`: the whole tree, nothing changed, run after run (a stored report is served);
- `after-change`: the whole tree, the first run after a pre-commit run on an edited page (an
  unchanged run that stores its report);
- `corpus`: the whole of a writable copy of the shared corpus, nothing changed;
- `commits`: a series of commits, each changing another page (`copy-NN/index.md`, its mtime set
  3 s back: the edit came a while before the commit) and naming it; each page is restored
  after the series.

Printed: median (min-max) wall and CPU (user+sys, workers included), peak RSS, machine load. On
a loaded machine read the CPU figures: the two sides share the load alike.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CASES = ("pre-commit", "full-warm", "after-change", "corpus", "commits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old_checkout", type=Path)
    parser.add_argument("old_tree", type=Path)
    parser.add_argument("new_checkout", type=Path)
    parser.add_argument("new_tree", type=Path)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--corpus", nargs=2, type=Path, metavar=("OLD", "NEW"))
    parser.add_argument("--cases", default="pre-commit,full-warm,after-change")
    args = parser.parse_args()
    cases = [case for case in args.cases.split(",") if case]
    if "corpus" in cases and not args.corpus:
        parser.error("the corpus case needs --corpus OLD NEW")
    sides = {
        "old": (args.old_checkout.resolve(), args.old_tree.resolve()),
        "new": (args.new_checkout.resolve(), args.new_tree.resolve()),
    }
    corpora = dict(zip(sides, args.corpus or (), strict=False))
    for checkout, _ in sides.values():
        compileall.compile_dir(checkout / "nemo_docs_lint", quiet=1)
    originals = {side: _page(tree).read_text(encoding="utf-8") for side, (_, tree) in sides.items()}
    edits = iter(range(10**9))

    def edit(side: str) -> None:
        page = _page(sides[side][1])
        page.write_text(originals[side] + f"\n<!-- edit {next(edits)} -->\n", encoding="utf-8")

    committed: dict[Path, str] = {}  # the pages the `commits` case changed, and their texts

    def commit(tree: Path, run: int) -> Path:
        page = tree / f"copy-{run % 38 + 2:02d}" / "index.md"
        text = committed.setdefault(page, page.read_text(encoding="utf-8"))
        page.write_text(text + f"\n<!-- commit {next(edits)} -->\n", encoding="utf-8")
        edited = time.time_ns() - 3 * 10**9
        os.utime(page, ns=(edited, edited))
        return page

    results: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    try:
        for case in cases:
            for i in range(-2, args.runs):  # two warm-ups
                order = list(sides) if i % 2 == 0 else list(sides)[::-1]
                for side in order:
                    checkout, tree = sides[side]
                    report = ["--format", "json", "-o", str(tree.parent / f"warm-ab-{side}.json")]
                    if case == "pre-commit":
                        edit(side)
                        argv = [str(_page(tree)), *report]
                    elif case == "after-change":
                        edit(side)
                        _run(checkout, [str(_page(tree)), *report])  # re-checks the page
                        argv = [str(tree), *report]
                    elif case == "corpus":
                        argv = [str(corpora[side]), *report]
                    elif case == "commits":
                        argv = [str(commit(tree, i + 2)), *report]
                    else:
                        argv = [str(tree), *report]
                    measured = _run(checkout, argv)
                    if i >= 0:
                        results.setdefault((case, side), []).append(measured)
    finally:
        for side, (_, tree) in sides.items():
            _page(tree).write_text(originals[side], encoding="utf-8")
        for page, text in committed.items():
            page.write_text(text, encoding="utf-8")
    print(f"load {os.getloadavg()[0]:.2f}, {args.runs} runs")
    for case in cases:
        for side in sides:
            rows = results[(case, side)]
            walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
            print(
                f"{case:<13} {side:<4} wall {statistics.median(walls):.3f} s "
                f"({min(walls):.3f}-{max(walls):.3f})  cpu {statistics.median(cpus):.3f} s "
                f"({min(cpus):.3f}-{max(cpus):.3f})  peak {max(r[2] for r in rows):.0f} MiB"
            )


def _page(tree: Path) -> Path:
    return tree / "copy-01" / "index.md"


def _run(checkout: Path, argv: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one lint process."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        command = [sys.executable, "-m", "nemo_docs_lint", *argv]
        process = subprocess.Popen(command, cwd=checkout, stdout=null, stderr=null, env=env)
        _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


if __name__ == "__main__":
    main()
