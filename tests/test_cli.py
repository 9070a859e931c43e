"""The command line as a user runs it: exit codes, formats, options, file arguments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import GOOD_PAGE, subprocess_env, write_tree

from nemo_docs_lint import __version__

BAD = GOOD_PAGE.replace('"tutorial"', "guide")  # FM004 at 7:15
NO_FM = "# Title\n\nText.\n"  # FM001 at 1:1
WARN = GOOD_PAGE.replace("---\n\n#", "owner: me\n---\n\n#")  # FM007 at 9:1, a warning


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    files = {"conf.py": "", "index.md": GOOD_PAGE, "guide/b.md": BAD, "guide/a.md": NO_FM}
    return write_tree(tmp_path / "docs", {**files, "z.md": WARN})


def test_exit_codes(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"clean/a.md": GOOD_PAGE, "warn/a.md": WARN, "bad/a.md": BAD})
    clean = cli("clean", "--select", "FM")
    assert clean.exit_code == 0
    assert "All checks passed" in clean.stdout
    assert cli("warn", "--select", "FM").exit_code == 0
    assert cli("bad", "--select", "FM").exit_code == 1
    assert cli("missing-folder").exit_code == 2
    assert "missing-folder: no such file or folder" in cli("missing-folder").stderr
    assert cli("bad", "--format", "xml").exit_code == 2
    assert cli("bad", "--no-such-flag").exit_code == 2


def test_json_format(docs: Path, cli) -> None:
    result = cli("docs", "--select", "FM", "--format", "json")
    assert result.exit_code == 1
    document = result.json
    items = document["diagnostics"]
    assert [(d["path"], d["line"], d["column"], d["code"]) for d in items] == [
        ("docs/guide/a.md", 1, 1, "FM001"),
        ("docs/guide/b.md", 7, 15, "FM004"),
        ("docs/z.md", 9, 1, "FM007"),
    ]
    first = items[0]
    assert {
        "code",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
    } <= set(first)
    assert first["severity"] == "error"
    assert (first["end_line"], first["end_column"]) == (1, 8)
    assert first["message"] == "page has no frontmatter block (`---` on the first line)"
    assert items[2]["severity"] == "warning"
    assert document["summary"]["total"] == 3
    assert document["summary"]["by_code"] == {"FM001": 1, "FM004": 1, "FM007": 1}
    assert document["summary"]["by_severity"]["error"] == 2
    assert document["summary"]["by_severity"]["warning"] == 1


def test_paths_are_relative_to_the_current_directory(docs: Path, cli) -> None:
    inside = cli("guide", "--select", "FM", "--format", "json", cwd=docs)
    assert {d["path"] for d in inside.json["diagnostics"]} == {"guide/a.md", "guide/b.md"}
    below = cli(".", "--select", "FM", "--format", "json", cwd=docs / "guide")
    assert {d["path"] for d in below.json["diagnostics"]} == {"a.md", "b.md"}
    elsewhere = docs.parent / "elsewhere"
    elsewhere.mkdir()
    away = cli(str(docs / "guide"), "--select", "FM", "--format", "json", cwd=elsewhere)
    assert {d["path"] for d in away.json["diagnostics"]} == {
        "../docs/guide/a.md",
        "../docs/guide/b.md",
    }


def test_output_is_sorted_by_path_line_column_code(tmp_path: Path, cli) -> None:
    page = "---\ntags: [x]\npersona: [y]\n---\n# T\n"
    write_tree(tmp_path, {"d/b.md": page, "d/a.md": page, "d/a/z.md": page})
    items = cli("d", "--select", "FM", "--format", "json").json["diagnostics"]
    keys = [(d["path"], d["line"], d["column"], d["code"]) for d in items]
    assert keys == sorted(keys)
    assert [d["code"] for d in items[:7]] == ["FM003"] * 6 + ["FM005"]


def test_console_format(docs: Path, cli) -> None:
    result = cli("docs", "--select", "FM")
    assert result.stdout.splitlines() == [
        "docs/guide/a.md:1:1: error FM001 page has no frontmatter block (`---` on the first line)",
        "docs/guide/b.md:7:15: error FM004 `content_type` value 'guide' is not allowed "
        "(allowed: tutorial, concept, reference, troubleshooting, example)",
        "docs/z.md:9:1: warning FM007 unknown key `owner`",
        "",
        "     1  FM001  missing-frontmatter",
        "     1  FM004  invalid-value",
        "     1  FM007  unknown-key",
        "Found 3 problems (2 errors, 1 warning) in 3 files; 4 files checked.",
    ]


def test_quiet_and_statistics(docs: Path, cli) -> None:
    quiet = cli("docs", "--select", "FM", "--quiet")
    assert quiet.stdout.splitlines() == [
        line for line in cli("docs", "--select", "FM").stdout.splitlines()[:3]
    ]
    assert quiet.exit_code == 1
    stats = cli("docs", "--select", "FM", "--statistics")
    assert stats.stdout.splitlines() == [
        "     1  FM001  missing-frontmatter",
        "     1  FM004  invalid-value",
        "     1  FM007  unknown-key",
        "Found 3 problems (2 errors, 1 warning) in 3 files; 4 files checked.",
    ]
    assert stats.exit_code == 1


def test_output_file(docs: Path, cli, tmp_path: Path) -> None:
    result = cli("docs", "--select", "FM", "--format", "json", "--output", "out/report.json")
    assert result.stdout == ""
    assert result.exit_code == 1
    written = json.loads((tmp_path / "out" / "report.json").read_text())
    assert len(written["diagnostics"]) == 3
    cli("docs", "--select", "FM", "-o", "report.txt")
    text = (tmp_path / "report.txt").read_text()
    assert text.startswith("docs/guide/a.md:1:1: error FM001")
    assert "\x1b[" not in text


def test_file_arguments_index_the_tree_but_report_only_those_files(docs: Path, cli) -> None:
    (docs / "guide" / "c.md").write_text(GOOD_PAGE + "\n[link](a.md) [broken](nope.md)\n")
    result = cli(
        "docs/guide/b.md", "docs/guide/c.md", "--select", "FM,LNK001,NDL", "--format", "json"
    )
    got = {(d["path"], d["code"], d["line"]) for d in result.json["diagnostics"]}
    # a.md exists in the index (its link resolves) but is not reported on
    assert got == {("docs/guide/b.md", "FM004", 7), ("docs/guide/c.md", "LNK001", 15)}
    assert result.json["files_checked"] == 2  # the files reported on ...
    assert result.json["files_in_tree"] == 5  # ... of the tree indexed to resolve their links


def test_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"nemo-docs-lint {__version__}\n"


def test_help_lists_commands(cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    assert "rules" in result.stdout
    assert "check" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "nemo_docs_lint"],
        [str(Path(sys.executable).with_name("nemo-docs-lint"))],
    ],
    ids=["python -m", "console script"],
)
def test_real_process(docs: Path, command: list[str]) -> None:
    if not Path(command[0]).exists():
        pytest.skip(f"{command[0]} is not installed")
    run = subprocess.run(
        [*command, "docs", "--select", "FM", "--format", "json"],
        cwd=docs.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(),
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert len(json.loads(run.stdout)["diagnostics"]) == 3
    version = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60, env=subprocess_env()
    )
    assert version.stdout == f"nemo-docs-lint {__version__}\n"


@pytest.mark.parametrize("other_thread", [False, True])
def test_a_real_process_leaves_without_teardown(docs: Path, other_thread: bool) -> None:
    """Once its report is flushed, the console script ends at once (no interpreter teardown,
    so no atexit handler runs), unless another thread still runs; the output is whole."""
    script = (
        "import atexit, sys, threading, time\n"
        "atexit.register(lambda: print('teardown', file=sys.stderr))\n"
        f"if {other_thread}: threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "from nemo_docs_lint.cli import run\n"
        "sys.argv = ['nemo-docs-lint', 'docs', '--select', 'FM', '--format', 'json']\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=docs.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(),
    )
    assert done.returncode == 1, done.stderr
    assert len(json.loads(done.stdout)["diagnostics"]) == 3
    assert done.stderr == ("teardown\n" if other_thread else "")


@pytest.mark.parametrize("closed", ["1", "2"])
def test_a_real_process_with_a_closed_stdout_or_stderr(docs: Path, closed: str) -> None:
    """With standard output or error closed (`>&-`, so Python's stream is None), the run
    still writes its `--output` report and exits with its own code, no traceback."""
    report = docs.parent / "report.json"
    script = (
        "import os, sys\n"
        f"os.close({closed}); sys.{'stdout' if closed == '1' else 'stderr'} = None\n"
        "from nemo_docs_lint.cli import run\n"
        "sys.argv = ['nemo-docs-lint', 'docs', '--select', 'FM', '--format', 'json',"
        f" '--output', {str(report)!r}]\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=docs.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(),
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert len(json.loads(report.read_text())["diagnostics"]) == 3


def test_a_profiled_run_still_writes_its_profile(docs: Path, tmp_path: Path) -> None:
    """`python -m cProfile -o OUT -m nemo_docs_lint ...`: the quick exit waits for the
    profiler (and a tracer such as coverage) to write what it gathered."""
    out = tmp_path / "run.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "nemo_docs_lint", "docs"],
        cwd=docs.parent,
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(),
    )
    assert "Found 13 problems" in done.stdout, done.stderr  # (cProfile exits 0 itself)
    import pstats

    assert pstats.Stats(str(out)).total_calls > 0


def test_a_real_process_collects_garbage_seldom() -> None:
    """The console script raises the collector's thresholds for its short life (imports make
    ~40,000 objects, none garbage); in-process callers keep theirs."""
    import gc

    from nemo_docs_lint.gc_pause import PROCESS_THRESHOLDS

    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_threshold()))\n"
        "from nemo_docs_lint.cli import run\n"
        "sys.argv = ['nemo-docs-lint', '--version']\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(),
    )
    assert done.stdout.splitlines()[-1] == str(PROCESS_THRESHOLDS), done.stderr
    assert gc.get_threshold() != PROCESS_THRESHOLDS


def test_the_language_server_collects_garbage_as_usual(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long-running process (the server, like `--watch`) gets Python's own thresholds back."""
    import gc

    pytest.importorskip("pygls")
    from nemo_docs_lint import gc_pause
    from nemo_docs_lint.server import app

    usual = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    class Server:
        def start_io(self) -> None:
            seen.append(gc.get_threshold())

    monkeypatch.setattr(app, "create_server", Server)
    try:
        gc_pause.for_a_process()
        assert cli("server").exit_code == 0
    finally:
        gc.set_threshold(*usual)
    assert seen == [usual]


def test_help_shows_the_lint_options_and_whole_summaries(cli) -> None:
    """`nemo-docs-lint --help` is what a new user reads: the lint options (the implicit `check`
    command's) are on it, and each command's summary is a whole sentence."""
    text = cli("--help").stdout
    assert "Usage: nemo-docs-lint [check] [OPTIONS] [PATHS]..." in text.splitlines()[0]
    for option in ("--select", "--ignore", "--fix", "--baseline", "--format", "--external"):
        assert f"  {option}" in text, option
    summaries = {
        line.split()[0]: " ".join(line.split()[1:])
        for line in text.split("Commands:\n", 1)[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    }
    assert summaries["rules"] == "List every rule, or explain one (e.g. `rules FM004`)."
    assert summaries["dashboard"].endswith("HTML, JSON and Markdown.")
    assert not any(s.endswith("...") for s in summaries.values()), summaries
    # `-h` is the same page; `check --help` still prints the same options
    assert cli("-h").stdout == text
    assert "--select" in cli("check", "--help").stdout


def test_plain_console_output_names_the_severity(docs: Path) -> None:
    """Without a terminal (CI logs, pre-commit, a pipe) colour is gone, so the word says it."""
    run = subprocess.run(
        [sys.executable, "-m", "nemo_docs_lint", "docs", "--select", "FM", "--no-cache"],
        cwd=docs.parent,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "docs/guide/a.md:1:1: error FM001 page has no frontmatter block (`---` on the first line)"
    )
    assert lines[2] == "docs/z.md:9:1: warning FM007 unknown key `owner`"


@pytest.mark.parametrize(
    ("where", "shown"),
    [
        ("beside", "../project/docs/sub/page.md"),  # beside the tree: the root's path + the page's
        ("above", "project/docs/sub/page.md"),
        ("inside", "page.md"),  # inside it: relative to the current folder itself
        ("root", "sub/page.md"),
    ],
)
def test_report_paths_are_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch, where: str, shown: str
) -> None:
    from nemo_docs_lint.engine import LintRequest, lint
    from nemo_docs_lint.reporters.base import ReportContext

    docs = write_tree(tmp_path / "project" / "docs", {"conf.py": "", "sub/page.md": "# T\n"})
    cwd = {
        "beside": tmp_path / "other",
        "above": tmp_path,
        "inside": docs / "sub",
        "root": docs,
    }[where]
    cwd.mkdir(exist_ok=True)
    result = lint(LintRequest(paths=(docs,), use_cache=False), cwd=cwd)
    page = next(d for d in result.diagnostics if d.path == "sub/page.md")
    assert ReportContext(result, cwd).display_path(page) == shown
