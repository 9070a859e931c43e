"""The compiled scanner and codec (mypyc, the wheel hook in pyproject.toml) behave as their
sources do.

The wheel is built once from a copy of this checkout (`benchmarks/compiled_env.py`) and unpacked
into a folder that child processes put first on their path. In them, the scanner's own tests, the
snapshot's, the bad-input and corpus tests and every rule's fixtures (`COMPILED_TESTS`) run
against the compiled modules, and a whole-tree lint must write the same report, byte for byte,
as the source modules do.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "nemo-rl-refactor" / "docs"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "compiled_env", REPO / "benchmarks" / "compiled_env.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _missing_toolchain() -> str | None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if not shutil.which(compiler):
        return f"no C compiler ({compiler}) to build the compiled scanner"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "no Python headers (Python.h) to build the compiled scanner"
    if not (REPO / ".git").exists():
        return "not a git checkout (the build copies the tracked files)"
    if importlib.util.find_spec("hatch_mypyc") is None:
        return "hatch-mypyc is not installed (the test extra installs it)"
    return None


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the compiled build's package, to put first on a child's path."""
    reason = _missing_toolchain()
    if reason:
        pytest.skip(reason)
    scratch = tmp_path_factory.mktemp("compiled")
    wheel = _builder().build_wheel(REPO, scratch / "wheel", isolated=False)
    unpacked = scratch / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def _env(compiled: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if compiled is not None:
        env["PYTHONPATH"] = str(compiled)
    return env


def test_the_build_compiles_the_scanner(compiled: Path) -> None:
    assert _builder().is_compiled(sys.executable, _env(compiled))
    assert not _builder().is_compiled(sys.executable, _env(None))
    shipped = {path.name.split(".")[0] for path in (compiled / "nemo_docs_lint").rglob("*.so")}
    assert {"blocks", "collect", "inline", "leaves", "syntax", "parse_codec"} <= shipped
    assert "mdit" not in shipped  # the markdown-it-py oracle stays source


COMPILED_TESTS = (
    "markdown",  # the scanner: fixtures, markdown-it-py differential, the Hypothesis grammar
    "test_parse_cache.py",  # the snapshot and the codec: round trips, forged and corrupt entries
    "test_cache_file.py",
    "test_snapshot.py",
    "test_bad_input.py",  # BOM, CRLF, binary, huge, deep nesting: diagnostics, no traceback
    "test_corpus.py",  # the real corpus end to end
    "rules/test_fixtures.py",  # every rule's fixtures: exact codes, lines, columns, messages
)


def test_the_scanner_tests_pass_on_the_compiled_modules(compiled: Path, tmp_path: Path) -> None:
    """The scanner's and the snapshot's tests, run by a child whose `nemo_docs_lint` is the
    compiled build."""
    tests = [str(REPO / "tests" / name) for name in COMPILED_TESTS]
    run = (
        "import sys, pytest, nemo_docs_lint.markdown.blocks as b\n"
        f"assert b.__file__.startswith({str(compiled)!r}), b.__file__\n"
        f"code = pytest.main(['-q', '-p', 'no:cacheprovider', *{tests!r}])\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", run],
        cwd=tmp_path,
        env=_env(compiled),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


def test_a_whole_tree_report_is_the_same_byte_for_byte(compiled: Path, tmp_path: Path) -> None:
    docs = CORPUS if CORPUS.is_dir() else REPO / "examples" / "docs"
    reports = []
    for label, env in (("source", _env(None)), ("compiled", _env(compiled))):
        out = tmp_path / f"{label}.json"
        argv = [sys.executable, "-m", "nemo_docs_lint", str(docs), "--no-cache"]
        result = subprocess.run(
            [*argv, "--format", "json", "-o", str(out)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode in (0, 1), result.stderr
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    assert b'"code"' in reports[0]  # the tree has findings: the comparison is not vacuous
