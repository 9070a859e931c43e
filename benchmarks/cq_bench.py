"""What the CQ rules cost: whole cold runs with and without them, and each rule in process.

    python benchmarks/cq_bench.py [--runs 7] [--keep DIR] [--checkout OLD ...] [--rules-only]

Whole runs: `nemo-docs-lint DOCS --no-cache --format json -o FILE` on the shared corpus and on
the 10k tree (`synth_tree.py`, 38 copies; `--keep DIR` reuses `DIR/docs`), each with the default
rules and with `--ignore CQ`, every variant once per round, rounds alternated, so that a load
that comes and goes falls on all of them alike. Reported per variant: median CPU seconds
(user+sys, workers included), median wall, and the CQ cost (with CQ against `--ignore CQ`, CPU
medians). `--checkout OLD` adds the same variants run by another checkout (`OLD/.venv` or the
current interpreter with `PYTHONPATH=OLD`), e.g. main before a change.

In process (`--rules-only` skips the runs above): the 10k tree parsed once, the cyclic GC off
as in a lint, each selected CQ rule timed over every page (CPU, best of 5).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from graph_bench import CORPUS, copy_corpus, run_once
from synth_tree import generate

REPO = Path(__file__).resolve().parents[1]
CQ_BUDGET = 0.10  # the 10k cold run may grow by this much with the CQ rules


def interpreter(checkout: Path) -> tuple[list[str], dict[str, str]]:
    """How to run `checkout`'s nemo_docs_lint: its venv's Python, else ours with PYTHONPATH."""
    own = checkout / ".venv" / "bin" / "python"
    env = dict(os.environ)
    if own.exists():
        return [str(own), "-m", "nemo_docs_lint"], env
    env["PYTHONPATH"] = str(checkout)
    return [sys.executable, "-m", "nemo_docs_lint"], env


def whole_runs(trees: dict[str, Path], checkouts: list[Path], runs: int, scratch: Path) -> None:
    """Alternated cold runs of every (checkout, tree, with/without CQ) variant; CPU medians."""
    out = str(scratch / "report.json")
    variants = []
    for checkout in checkouts:
        cli, env = interpreter(checkout)
        tag = "" if checkout == REPO else f"{checkout.name}: "
        for tree_name, docs in trees.items():
            for cq_name, extra in (("with CQ", []), ("--ignore CQ", ["--ignore", "CQ"])):
                argv = [*cli, str(docs), "--no-cache", "--format", "json", "-o", out, *extra]
                variants.append((f"{tag}{tree_name}, {cq_name}", argv, env))
    cpus: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    walls: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; runs={runs}")
    for round_ in range(runs + 1):  # round 0 warms the OS file cache and is not counted
        for name, argv, env in variants if round_ % 2 else reversed(variants):
            wall, cpu, _, _ = run_once(argv, scratch, env)
            if round_:
                cpus[name].append(cpu)
                walls[name].append(wall)
    for name, _, _ in variants:
        print(
            f"{name:<40} cpu {statistics.median(cpus[name]):6.2f} s "
            f"({min(cpus[name]):.2f}-{max(cpus[name]):.2f})  "
            f"wall {statistics.median(walls[name]):6.2f} s"
        )
    for name, _, _ in variants:
        if name.endswith(", with CQ"):
            base = name.removesuffix("with CQ") + "--ignore CQ"
            cost = statistics.median(cpus[name]) / statistics.median(cpus[base]) - 1
            verdict = "" if "10k" not in name else (" ok" if cost <= CQ_BUDGET else " MISSED")
            print(f"CQ cost, {name.removesuffix(', with CQ'):<30} {cost:+6.1%} CPU{verdict}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


def rule_costs(docs: Path) -> None:
    """Each selected CQ rule's CPU time over the parsed tree, best of 5, in this process."""
    from nemo_docs_lint.context import CheckContext
    from nemo_docs_lint.engine import LintRequest, build_index, resolve_config
    from nemo_docs_lint.registry import Scope, all_rules
    from nemo_docs_lint.selection import enabled_rules

    gc.disable()
    config = resolve_config(LintRequest(paths=(docs,), use_cache=False))
    rules = enabled_rules(all_rules(), config.select, config.extend_select, config.ignore)
    index = build_index(config, use_cache=False, parallel_threshold=1 << 30)
    context = CheckContext(config, use_cache=False)
    context.set_index(index)
    pages = list(index.pages.values())
    total = 0.0
    print(f"in process, {len(pages)} pages, CPU best of 5:")
    for rule in rules:
        if not rule.code.startswith("CQ"):
            continue
        best, found = float("inf"), 0
        for _ in range(5):
            started = time.process_time()
            if rule.scope is Scope.PAGE:
                found = sum(1 for page in pages for _ in rule.check(page, context))
            else:
                found = sum(1 for _ in rule.check(index, context))
            best = min(best, time.process_time() - started)
        total += best
        print(f"  {rule.code} {rule.name:<24} {best * 1000:7.1f} ms  {found:5d} findings")
    print(f"  CQ rules together            {total * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--copies", type=int, default=38)
    parser.add_argument("--keep", type=Path, help="the 10k tree's folder (reused if present)")
    parser.add_argument("--checkout", type=Path, action="append", default=[])
    parser.add_argument("--rules-only", action="store_true", help="only the in-process timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cq-bench-") as tmp:
        scratch = Path(tmp)
        tree = (args.keep or scratch / "synth") / "docs"
        if not tree.is_dir():
            print(f"generated {generate(CORPUS, tree, args.copies)} pages: {tree}")
        if not args.rules_only:
            trees = {"corpus cold": copy_corpus(scratch / "corpus" / "docs"), "10k cold": tree}
            checkouts = [REPO, *(c.resolve() for c in args.checkout)]
            whole_runs(trees, checkouts, args.runs, scratch)
        rule_costs(tree)


if __name__ == "__main__":
    main()
