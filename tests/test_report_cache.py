"""Stored reports (`report_cache`): a whole-tree run that changed nothing writes the report the
run before it stored, byte for byte what a `--no-cache` run writes; any change, another
request, folder or format, a torn, forged or malformed stored report, and every run that is not
a plain whole-tree report to a file renders the report again."""

from __future__ import annotations

import hmac
import marshal
from collections.abc import Callable
from pathlib import Path

import pytest
from test_warm_state import _age_other_files, _big_tree

from nemo_docs_lint import __version__, cache_file, report_cache, warm
from nemo_docs_lint.report_cache import StoredReport


def _tree(tmp_path: Path) -> Path:
    root = _big_tree(tmp_path / "docs", pages=12)
    (root / "page-3.md").write_text("# No frontmatter\n\n[x](nowhere.md)\n", encoding="utf-8")
    _age_other_files(root)
    return root


def _run(cli: Callable, tmp_path: Path, *args: str) -> tuple[int, bytes]:
    out = tmp_path / "report.out"
    out.unlink(missing_ok=True)
    result = cli("docs", "-o", str(out), *args)
    return result.exit_code, out.read_bytes()


def _served(checks: list[warm.Checked]) -> bool:
    report = checks[-1].report
    return report is not None and report.served is not None


def _report_files(root: Path) -> list[Path]:
    return sorted((root / ".nemo-docs-lint-cache" / "report").glob("*.bin"))


@pytest.mark.parametrize("fmt", ["json", "sarif", "console"])
def test_an_unchanged_tree_serves_the_stored_report_byte_for_byte(
    tmp_path: Path, cli: Callable, checks: list[warm.Checked], fmt: str
) -> None:
    root = _tree(tmp_path)
    expected = _run(cli, tmp_path, "--format", fmt, "--no-cache")
    assert expected[0] == 1 and expected[1]
    assert _run(cli, tmp_path, "--format", fmt) == expected  # checks everything, stores it
    assert not _served(checks) and len(_report_files(root)) == 1
    for _ in range(3):
        assert _run(cli, tmp_path, "--format", fmt) == expected
        assert _served(checks)
        assert checks[-1].findings == {code: [] for code in checks[-1].findings}  # none read


def test_a_change_renders_the_report_again(
    tmp_path: Path, cli: Callable, checks: list[warm.Checked]
) -> None:
    root = _tree(tmp_path)
    for _ in range(3):
        _run(cli, tmp_path, "--format", "json")
    assert _served(checks)
    page = root / "page-5.md"
    original = page.read_text(encoding="utf-8")
    for text in (original + "\n[y](gone.md)\n", original + "\nwords\n", original):
        page.write_text(text, encoding="utf-8")
        expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
        assert _run(cli, tmp_path, "--format", "json") == expected  # renders it, stores it
        assert not _served(checks)
        for _ in range(2):
            assert _run(cli, tmp_path, "--format", "json") == expected
            assert _served(checks)


def test_each_format_options_and_folder_has_its_own_report(
    tmp_path: Path, cli: Callable, checks: list[warm.Checked]
) -> None:
    _tree(tmp_path)
    inner = tmp_path / "docs" / "page-0.md"
    runs = [
        ("--format", "console"),
        ("--format", "console", "--quiet"),
        ("--format", "console", "--statistics"),
        ("--format", "json", "--select", "LNK"),
        ("--format", "json", "--fail-on", "warning"),
    ]
    for args in runs:
        expected = _run(cli, tmp_path, *args, "--no-cache")
        for _ in range(3):
            assert _run(cli, tmp_path, *args) == expected, args
    assert _served(checks)
    # from inside the tree the report names files from there
    out = tmp_path / "inner.out"
    for extra in (("--no-cache",), (), (), ()):
        cli(str(tmp_path / "docs"), "-o", str(out), "--format", "console", *extra, cwd=inner.parent)
        if extra:
            expected_inner = out.read_bytes()
        else:
            assert out.read_bytes() == expected_inner
    assert _served(checks)
    assert b"page-3.md:1:1" in expected_inner and b"docs/page-3.md" not in expected_inner


def _flip(path: Path, at: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[at] ^= 1
    path.write_bytes(bytes(raw))


def _forge(
    path: Path, meta: object, text: bytes = b"{}\n", key: bytes | None = None, length: bytes = b""
) -> None:
    """Replace the report file with one holding `meta` and `text`, signed with `key` (None:
    the user's own)."""
    data = marshal.dumps(meta)
    rest = (length or b"%08x" % len(data)) + data + text
    signed = hmac.new(key or cache_file.cache_key(), rest, "sha256").hexdigest()[:32].encode()
    path.write_bytes(report_cache.MAGIC + signed + b"\n" + rest)


def _meta(report: StoredReport, **changes: object) -> tuple[object, ...]:
    fields = {
        "format": report_cache._FORMAT,
        "version": __version__,
        "key": report.key,
        "state": report.state,
        "code": 0,
    }
    return tuple((fields | changes).values())


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path, report: path.write_bytes(path.read_bytes()[:-40]), id="torn"),
        pytest.param(lambda path, report: _flip(path, -100), id="a-byte-changed"),
        pytest.param(lambda path, report: _flip(path, 60), id="a-meta-byte-changed"),
        pytest.param(
            lambda path, report: _forge(path, _meta(report), key=b"k" * 32), id="foreign-key"
        ),
        pytest.param(lambda path, report: _forge(path, [*_meta(report)]), id="meta-not-tuple"),
        pytest.param(lambda path, report: _forge(path, _meta(report, code="0")), id="bad-code"),
        pytest.param(lambda path, report: _forge(path, _meta(report)[:-1]), id="short"),
        pytest.param(
            lambda path, report: _forge(path, _meta(report, state=b"x" * 32)), id="other-state"
        ),
        pytest.param(
            lambda path, report: _forge(path, _meta(report, version="0.0.1")), id="other-version"
        ),
        pytest.param(lambda path, report: _forge(path, _meta(report, key="k")), id="other-key"),
        pytest.param(
            lambda path, report: _forge(path, _meta(report), length=b"zzzzzzzz"), id="bad-length"
        ),
        pytest.param(
            lambda path, report: _forge(path, _meta(report), length=b"00000003"), id="short-meta"
        ),
        pytest.param(lambda path, report: path.write_bytes(b""), id="empty"),
    ],
)
def test_a_damaged_or_forged_report_is_never_served(
    tmp_path: Path,
    cli: Callable,
    checks: list[warm.Checked],
    damage: Callable[[Path, StoredReport], None],
) -> None:
    root = _tree(tmp_path)
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    for _ in range(3):
        assert _run(cli, tmp_path, "--format", "json") == expected
    assert _served(checks)
    report = checks[-1].report
    assert report is not None
    [path] = _report_files(root)
    damage(path, report)
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert not _served(checks)
    assert _run(cli, tmp_path, "--format", "json") == expected  # stored again
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert _served(checks)


def test_a_report_signed_by_another_user_is_never_served(
    tmp_path: Path, cli: Callable, checks: list[warm.Checked], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored reports and states written under another key (a cache committed with a
    repository) are neither: everything is checked again and the report rendered."""
    root = _tree(tmp_path)
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    with monkeypatch.context() as other_user:
        other_user.setattr(cache_file, "cache_key", lambda: b"k" * 32)
        for _ in range(3):
            _run(cli, tmp_path, "--format", "json")
        assert _served(checks)
    assert _report_files(root)
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert not _served(checks)
    assert checks[-1].rechecked == 13


@pytest.mark.parametrize(
    "args",
    [
        ("docs/page-3.md",),  # a scope
        ("docs", "--changed"),
        ("docs", "--statistics"),  # to standard output
        ("docs", "--format", "github", "-o", "OUT"),
        ("docs", "--format", "markdown", "-o", "OUT"),
        ("docs", "--format", "json", "-o", "OUT", "--baseline", "base.json"),
    ],
)
def test_other_runs_store_no_report(tmp_path: Path, cli: Callable, args: tuple[str, ...]) -> None:
    root = _tree(tmp_path)
    assert cli("docs", "--write-baseline", "base.json", "--select", "FM").exit_code == 0
    argv = [str(tmp_path / "out") if arg == "OUT" else arg for arg in args]
    for _ in range(3):
        assert cli(*argv).exit_code in (0, 1)
    assert not _report_files(root)


def test_a_run_whose_state_is_not_written_stores_no_report(
    tmp_path: Path, cli: Callable, checks: list[warm.Checked], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report is bound to the state its findings were written as: when that write fails,
    the report is not stored (bound to the state still on disk, it would be served for a tree
    that state no longer describes, once the change was undone)."""
    from nemo_docs_lint.lint_state import LintState

    root = _tree(tmp_path)
    expected = _run(cli, tmp_path, "--format", "json")
    page = root / "page-5.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\n[y](gone.md)\n", encoding="utf-8")
    stored = [p.read_bytes() for p in _report_files(root)]
    with monkeypatch.context() as patch:
        patch.setattr(LintState, "save", lambda self: False)  # e.g. a full disk
        changed = _run(cli, tmp_path, "--format", "json")
    assert changed != expected and checks[-1].report is None
    assert [p.read_bytes() for p in _report_files(root)] == stored
    page.write_text(original, encoding="utf-8")
    assert _run(cli, tmp_path, "--format", "json") == expected


def test_a_state_no_run_can_find_unchanged_gets_no_report(
    tmp_path: Path, cli: Callable, checks: list[warm.Checked]
) -> None:
    """Another file of the tree modified just now (its stat not trusted yet: an empty layout):
    the state written cannot be found unchanged, so no report is stored for it."""
    root = _tree(tmp_path)
    (root / "conf.py").write_text("# just edited\n", encoding="utf-8")
    _run(cli, tmp_path, "--format", "json")
    assert checks[-1].report is None and not _report_files(root)


@pytest.mark.parametrize("seed", [7])
def test_reports_after_random_edits_are_those_of_no_cache_runs(
    tmp_path: Path, cli: Callable, checks: list[warm.Checked], seed: int
) -> None:
    """Random edits (links, labels, toctree entries, pages added and removed), each followed by
    three whole-tree runs (the last one served from the stored report) and a pre-commit run on
    a page: every report is the `--no-cache` one, byte for byte."""
    import random

    from helpers import write_tree
    from test_incremental import TREE, _edit

    root = write_tree(tmp_path / "docs", TREE)
    rng = random.Random(seed)
    counter = [0]
    served = 0
    for step in range(30):
        _age_other_files(root)
        for fmt in ("json", "console"):
            expected = _run(cli, tmp_path, "--format", fmt, "--no-cache")
            for _ in range(3):
                assert _run(cli, tmp_path, "--format", fmt) == expected, (step, fmt)
            served += _served(checks)
        named = ["docs/index.md", "--format", "json", "-o", str(tmp_path / "named.json")]
        cli(*named, "--no-cache")
        cold = (tmp_path / "named.json").read_bytes()
        cli(*named)
        assert (tmp_path / "named.json").read_bytes() == cold, step
        _edit(rng, root, counter)
    assert served > 40  # most third runs served the stored report
