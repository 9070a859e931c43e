"""A bounded run of the whole-tree fuzzer (`benchmarks/fuzz_trees.py`): a few random trees with
fixed seeds, every check of the long run (no traceback or hang, caches agree with `--no-cache`,
pre-commit mode is the whole-tree subset, SARIF validates, `--fix` byte-exact and idempotent)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

FUZZER = Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz_trees.py"


def _fuzzer():
    spec = importlib.util.spec_from_file_location("fuzz_trees", FUZZER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_trees"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [11, 23])
def test_random_trees_pass_every_check(tmp_path: Path, seed: int) -> None:
    fuzz = _fuzzer()
    rng = random.Random(seed)
    root = tmp_path / "repo"
    info = fuzz.make_tree(root, rng)
    counts = fuzz.Counts()
    fuzz.check_tree(root, info, rng, counts)  # raises fuzz.Failure naming what broke
    assert counts.runs >= 13
    assert counts.stamped == 2  # before and after the move, the tree stamp was taken


def test_the_checks_catch_a_fix_that_writes_other_bytes(tmp_path: Path) -> None:
    """The fix check is not vacuous: bytes beyond the reported edits are caught."""
    fuzz = _fuzzer()
    with pytest.raises(fuzz.Failure, match="does not stand at"):
        fuzz.apply(b"[a](x.md)\n", [(1, 5, "y.md", "z.md")])
    assert fuzz.apply(b"\xef\xbb\xbf[a](x.md)\r\n", [(1, 5, "x.md", "z.md")]) == (
        b"\xef\xbb\xbf[a](z.md)\r\n"
    )
