"""Hostile settings and arguments: a clear error naming the file (exit 2) or a diagnostic, never a
traceback and never a hang. Each test is the smallest input that broke an earlier version."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import GOOD_PAGE, subprocess_env, write_tree

PAGE = {"docs/index.md": GOOD_PAGE}


def _run(cwd: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """A real process with a timeout: a hang fails the test instead of blocking the suite."""
    return subprocess.run(
        [sys.executable, "-m", "nemo_docs_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=subprocess_env(),
    )


def _usage_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("x = " + "-" * 1_000_000 + "1\n", "MemoryError"),
        ("x = 1" + "+1" * 1_000_000 + "\n", "RecursionError"),
    ],
)
def test_conf_py_too_deep_for_ast_uses_sphinx_defaults(tmp_path: Path, source: str, what) -> None:
    write_tree(tmp_path, {**PAGE, "docs/conf.py": source})
    proc = _run(tmp_path, "docs", "--verbose", "--select", "FM")
    assert "Traceback" not in proc.stderr, what
    assert proc.returncode == 0
    assert "conf.py: not read (nested too deeply to parse); Sphinx defaults used" in proc.stderr


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        ({"docs/conf.py": 'exclude_patterns = ["[z-a]"]\n'}, "docs/conf.py: `exclude_patterns`"),
        ({".nemo-docs-lint.toml": 'exclude = ["[z-a]"]\n'}, ".nemo-docs-lint.toml: `exclude`"),
        (
            {".nemo-docs-lint.toml": '[per-file-ignores]\n"[z-a]" = ["FM"]\n'},
            ".nemo-docs-lint.toml: `per-file-ignores`",
        ),
        (
            {".nemo-docs-lint.toml": '[schemas]\n"[z-a]" = false\n'},
            ".nemo-docs-lint.toml: `schemas`",
        ),
    ],
)
def test_an_invalid_glob_is_a_usage_error_naming_the_file(tmp_path: Path, files, fragment) -> None:
    write_tree(tmp_path, {**PAGE, **files})
    proc = _run(tmp_path, "docs")
    _usage_error(proc, fragment, "invalid glob `[z-a]`: bad character range z-a")


def test_an_invalid_toctree_glob_is_reported_not_raised(tmp_path: Path) -> None:
    page = GOOD_PAGE + "\n```{toctree}\n:glob:\n[z-a]\n```\n"
    write_tree(tmp_path, {"docs/index.md": page})
    proc = _run(tmp_path, "docs", "--select", "TOC001")
    assert "Traceback" not in proc.stderr
    assert proc.stdout.splitlines()[0] == (
        "docs/index.md:17:1: error TOC001 toctree glob pattern `[z-a]` matches no document"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('tool = "nemo-docs-lint"\n', "pyproject.toml: `tool` must be a table, not a string"),
        (
            '[tool]\nnemo-docs-lint = "x"\n',
            "pyproject.toml: `tool.nemo-docs-lint` must be a table, not a string",
        ),
        (
            "[tool.nemo-docs-lint]\nx = " + "[" * 5000 + "]" * 5000 + "\n",
            "pyproject.toml: invalid TOML: nested too deeply",
        ),
    ],
)
def test_pyproject_whose_table_is_not_a_table(tmp_path: Path, text: str, message: str) -> None:
    write_tree(tmp_path, {**PAGE, "pyproject.toml": text})
    _usage_error(_run(tmp_path, "docs"), message)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ('{"$ref": "#"}', "`$ref` loop through '#' never reaches a constraint"),
        (
            '{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}},'
            ' "properties": {"description": {"$ref": "#/$defs/a"}}}',
            "`$ref` loop through '#/$defs/a' never reaches a constraint",
        ),
        ('{"properties": {"tags": {"$ref": "#/nope"}}}', "`$ref` '#/nope' resolves to nothing"),
        (
            '{"$ref": "other.json"}',
            "`$ref` 'other.json' resolves to nothing (remote schemas are not fetched)",
        ),
    ],
)
def test_schema_whose_refs_cannot_work(tmp_path: Path, schema: str, message: str) -> None:
    write_tree(tmp_path, {**PAGE, "schema.json": schema})
    _usage_error(_run(tmp_path, "docs", "--schema", "schema.json"), "schema.json: " + message)


def test_a_ref_into_defs_that_terminates_is_fine(tmp_path: Path) -> None:
    schema = '{"properties": {"tags": {"$ref": "#/$defs/t"}}, "$defs": {"t": {"type": "array"}}}'
    write_tree(tmp_path, {**PAGE, "schema.json": schema})
    proc = _run(tmp_path, "docs", "--schema", "schema.json", "--select", "FM")
    assert proc.returncode == 0 and "error" not in proc.stderr, proc.stderr


def test_output_under_a_file_or_onto_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PAGE, "afile": "x"})
    _usage_error(
        _run(tmp_path, "docs", "-o", "afile/report.txt"),
        "cannot write afile/report.txt: Not a directory",
    )
    _usage_error(_run(tmp_path, "docs", "-o", "."), "'.' is a directory")
    _usage_error(
        _run(tmp_path, "docs", "--write-baseline", "afile/b.json"),
        "cannot write afile/b.json: Not a directory",
    )
    assert (tmp_path / "afile").read_text() == "x"


@pytest.mark.parametrize("option", ["--baseline", "--schema", "--config"])
def test_a_named_pipe_as_an_input_file_is_refused_not_read(tmp_path: Path, option: str) -> None:
    write_tree(tmp_path, PAGE)
    os.mkfifo(tmp_path / "pipe")
    proc = _run(tmp_path, "docs", option, "pipe", timeout=20)
    _usage_error(proc, "pipe", "not a regular file")


def test_a_named_pipe_in_place_of_a_cache_file_is_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, PAGE)
    assert _run(tmp_path, "docs").returncode == 0
    caches = list(tmp_path.rglob(".nemo-docs-lint-cache/*/*.bin"))
    assert caches
    for cache in caches:
        cache.unlink()
        os.mkfifo(cache)
    proc = _run(tmp_path, "docs", timeout=20)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "All checks passed" in proc.stdout


def test_a_folder_symlink_to_the_root_is_not_walked(tmp_path: Path) -> None:
    write_tree(tmp_path, PAGE)
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs" / "everything").symlink_to("/", target_is_directory=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "inside.md").write_text("# Inside\n")
    (tmp_path / "docs" / "shared").symlink_to("../shared", target_is_directory=True)
    proc = _run(tmp_path, "docs", "--select", "NDL,TOC002", "--format", "json", timeout=30)
    assert "Traceback" not in proc.stderr
    import json

    found = [(d["path"], d["code"], d["message"]) for d in json.loads(proc.stdout)["diagnostics"]]
    assert found == [
        (
            "docs/everything",
            "NDL001",
            "folder symlink `everything` leads outside the repository (to `/`); "
            "its contents were not walked",
        ),
        ("docs/shared/inside.md", "TOC002", "`shared/inside.md` is not included in any toctree"),
    ]


def test_many_stars_in_exclude_patterns_do_not_backtrack(tmp_path: Path) -> None:
    stars = "a*" * 24 + "x"
    write_tree(tmp_path, {**PAGE, "docs/conf.py": f"exclude_patterns = [{stars!r}]\n"})
    (tmp_path / "docs" / ("a" * 60)).mkdir()
    (tmp_path / "docs" / ("a" * 60) / "page.md").write_text(GOOD_PAGE)
    (tmp_path / "docs" / ("a" * 30 + "x")).write_text("")
    proc = _run(tmp_path, "docs", "--select", "FM", timeout=20)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_a_named_file_that_cannot_be_reached_is_linted_as_the_tree_reports_it(
    tmp_path: Path,
) -> None:
    """`docs/loop/page.md` with `docs/loop -> loop`: stat fails with ELOOP, not ENOENT; the run
    reports what the whole tree reports there (nothing), not a usage error."""
    write_tree(tmp_path, PAGE)
    (tmp_path / "docs" / "loop").symlink_to("loop")
    proc = _run(tmp_path, "docs/loop/page.md", "--select", "NDL", "--quiet")
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
    assert "Traceback" not in proc.stderr
    _usage_error(_run(tmp_path, "docs/nothing.md"), "docs/nothing.md: no such file or folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads through a folder without permissions")
def test_a_named_file_in_a_closed_folder_is_ndl001_as_in_the_whole_tree(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PAGE, "docs/closed/page.md": GOOD_PAGE})
    (tmp_path / "docs" / "closed").chmod(0o644)  # listable, not enterable
    try:
        tree = _run(tmp_path, "docs", "--select", "NDL", "--quiet", "--no-cache")
        named = _run(tmp_path, "docs/closed/page.md", "--select", "NDL", "--quiet", "--no-cache")
    finally:
        (tmp_path / "docs" / "closed").chmod(0o755)
    assert tree.stdout.startswith("docs/closed/page.md:1:1: NDL001 permission denied")
    assert (named.returncode, named.stdout) == (tree.returncode, tree.stdout)


def test_groups_and_false_positives_files_that_are_pipes_or_bad_globs(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PAGE, "bad.toml": '[[group]]\nname = "a"\nfiles = ["[z-a]"]\n'})
    os.mkfifo(tmp_path / "pipe.toml")
    for groups, fragment in (
        ("pipe.toml", "not a regular file"),
        ("bad.toml", "invalid glob `[z-a]`"),
    ):
        proc = _run(tmp_path, "dashboard", "docs", "--groups", groups, "-o", "site", timeout=20)
        _usage_error(proc, groups, fragment)
    (tmp_path / ".nemo-docs-lint.toml").write_text('[external]\nfalse-positives = "pipe.toml"\n')
    proc = _run(tmp_path, "docs", "--external", timeout=20)
    _usage_error(proc, "pipe.toml", "not a regular file")


def test_frontmatter_completion_reads_the_schema_as_a_regular_file_only(tmp_path: Path) -> None:
    """The editor's key completion: a schema file offers its keys; a named pipe in its place
    offers none and is never waited on."""
    import threading

    from nemo_docs_lint.complete import complete
    from nemo_docs_lint.engine import LintRequest, lint

    write_tree(tmp_path, {"docs/index.md": "---\ntitle: x\n\n---\n# Home\n"})
    (tmp_path / "schema.json").write_bytes(
        b'\xef\xbb\xbf{"properties": {"difficulty": {"enum": ["beginner"]}}}'
    )
    os.mkfifo(tmp_path / "pipe.json")
    result = lint(LintRequest(paths=(tmp_path / "docs",), use_cache=False), cwd=tmp_path)
    page = result.index.pages["index"]
    keys = complete(result.index, page, 3, 1, tmp_path / "schema.json")
    assert [(c.label, c.kind) for c in keys] == [("difficulty", "key")]
    found: list[object] = []
    worker = threading.Thread(
        target=lambda: found.append(complete(result.index, page, 3, 1, tmp_path / "pipe.json")),
        daemon=True,
    )
    worker.start()
    worker.join(10)
    assert found == [[]]
