"""The tree stamp (`tree_stamp`): a whole-tree run that finds every folder and file of the tree
as the last run stamped them serves that run's stored report by stat alone, byte for byte what
a `--no-cache` run writes; every kind of change (a page rewritten with its size and mtime kept,
another file, a file or folder added or removed, a retargeted symlink, a path outside the tree
a link names, the configuration, a file modified just before the run) and a torn, forged or
foreign stamp make the run go the usual way."""

from __future__ import annotations

import hmac
import marshal
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from test_warm_state import PAST_NS, _big_tree

from nemo_docs_lint import cache_file, tree_stamp
from nemo_docs_lint.report_cache import StoredReport

CACHE = ".nemo-docs-lint-cache"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each run's tree stamp served its report (the real `TreeStamp.serve`, recorded;
    a run that asks no stamp records nothing)."""
    seen: list[bool] = []
    real = tree_stamp.TreeStamp.serve

    def recording(self: tree_stamp.TreeStamp, key: str) -> StoredReport | None:
        report = real(self, key)
        seen.append(report is not None)
        return report

    monkeypatch.setattr(tree_stamp.TreeStamp, "serve", recording)
    return seen


def _age(root: Path, when: int = PAST_NS) -> None:
    """Date every file and folder of the tree (not the caches) modified lately to `when`, well
    before now, as a tree checked out or edited a while ago is: only then is a stamp taken.
    Paths dated so already are left alone (dating them again would change their ctime)."""
    for path in [*root.rglob("*"), root]:
        if CACHE in path.parts or path.is_symlink():
            continue
        if path.stat().st_mtime_ns > PAST_NS + 10**12:
            os.utime(path, ns=(when, when))


def _tree(tmp_path: Path) -> Path:
    root = _big_tree(tmp_path / "docs", pages=12)
    (root / "page-3.md").write_text("# No frontmatter\n\n[x](nowhere.md)\n", encoding="utf-8")
    (root / "img").mkdir()
    (root / "img" / "logo.png").write_bytes(b"\x89PNG")
    (root / "page-4.md").write_text("# Logo\n\n![logo](img/logo.png)\n", encoding="utf-8")
    (root / CACHE).mkdir()  # made by an earlier run: making it now would date the docs folder
    _age(root)
    return root


def _run(cli: Callable, tmp_path: Path, *args: str) -> tuple[int, bytes, str]:
    out = tmp_path / "report.out"
    out.unlink(missing_ok=True)
    result = cli("docs", "-o", str(out), *args)
    return result.exit_code, out.read_bytes(), result.stderr


def _stamp_files(root: Path) -> list[Path]:
    return sorted((root / CACHE / "stamp").glob("*.bin"))


def _settle(cli: Callable, tmp_path: Path, served: list[bool], *args: str) -> tuple:
    """The `--no-cache` report, then cached runs until the stamp serves (at most three: the
    first renders and stores, the second serves by the state and stamps, the third by the
    stamp), each equal to it."""
    expected = _run(cli, tmp_path, *args, "--no-cache")
    for _ in range(3):
        assert _run(cli, tmp_path, *args) == expected
    assert served[-1]
    return expected


@pytest.mark.parametrize("fmt", ["json", "sarif", "console"])
def test_an_unchanged_tree_is_served_by_its_stamp_byte_for_byte(
    tmp_path: Path, cli: Callable, served: list[bool], checks: list, fmt: str
) -> None:
    root = _tree(tmp_path)
    expected = _run(cli, tmp_path, "--format", fmt, "--no-cache")
    assert expected[0] == 1 and expected[1]
    assert not _stamp_files(root)
    assert _run(cli, tmp_path, "--format", fmt) == expected  # checks all, stores the report
    assert served == [False] and len(_stamp_files(root)) == 1  # ... and stamps the tree
    [stamp] = _stamp_files(root)
    written = stamp.read_bytes()
    checked = len(checks)
    for _ in range(3):
        assert _run(cli, tmp_path, "--format", fmt) == expected
    assert served == [False, True, True, True]
    assert len(checks) == checked  # no warm check ran: no index was built
    assert stamp.read_bytes() == written  # not rewritten by the runs it served


def _rewrite_keeping_size_and_mtime(root: Path) -> None:
    page = root / "page-5.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("[next](page-6.md", "[next](page-9.md"), encoding="utf-8")
    os.utime(page, ns=(PAST_NS, PAST_NS))  # only its ctime tells


def _symlinked(root: Path) -> Path:
    """`shared` -> `parts/a`, a folder of the tree that is excluded itself (so each part's page
    is walked through the symlink alone)."""
    for name in ("a", "b"):
        folder = root / "parts" / name
        folder.mkdir(parents=True)
        (folder / "part.md").write_text(f"# Part {name}\n\n[x](../missing-{name}.md)\n", "utf-8")
    (root / "conf.py").write_text("exclude_patterns = ['parts']\n", encoding="utf-8")
    (root / "shared").symlink_to(root / "parts" / "a")
    return root / "shared"


CHANGES: dict[str, Callable[[Path], object]] = {
    "a-page-rewritten-same-size-and-mtime": _rewrite_keeping_size_and_mtime,
    "a-page-edited": lambda root: (root / "page-6.md").write_text("# Six\n", encoding="utf-8"),
    "an-image-replaced": lambda root: (root / "img" / "logo.png").write_bytes(b"\x89PNG2"),
    "an-image-removed": lambda root: (root / "img" / "logo.png").unlink(),
    "a-page-added": lambda root: (root / "new.md").write_text("# New\n", encoding="utf-8"),
    "a-page-removed": lambda root: (root / "page-7.md").unlink(),
    "a-folder-added": lambda root: (root / "img" / "more").mkdir(),
    "a-folder-renamed": lambda root: (root / "img").rename(root / "images"),
    "a-linked-file-made": lambda root: (root / "nowhere.md").write_text("# Now\n", "utf-8"),
    "conf-py-edited": lambda root: (root / "conf.py").write_text("exclude_patterns = ['page-8*']"),
    "config-file-added": lambda root: (root.parent / ".nemo-docs-lint.toml").write_text(
        'ignore = ["LNK001"]\n', encoding="utf-8"
    ),
    "made-unreadable": lambda root: (root / "page-2.md").write_bytes(b"\xff\xfe bad"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_is_not_served_by_the_stamp(
    tmp_path: Path, cli: Callable, served: list[bool], change: Callable[[Path], object]
) -> None:
    """Each change, made while the tree is stamped (the other paths keep their stamps): the
    stamp does not serve, the report is the new `--no-cache` one, and once the change is dated
    well before the run, the runs after it are served by a new stamp."""
    root = _tree(tmp_path)
    _settle(cli, tmp_path, served, "--format", "json")
    change(root)
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert served[-1] is False
    _age(root, PAST_NS + 10**9)
    _settle(cli, tmp_path, served, "--format", "json")


def test_a_retargeted_folder_symlink_is_not_served(
    tmp_path: Path, cli: Callable, served: list[bool]
) -> None:
    root = _tree(tmp_path)
    link = _symlinked(root)
    (root / "index.md").write_text(
        "# Home\n\n```{toctree}\n:glob:\n\n*\nshared/*\n```\n", encoding="utf-8"
    )
    _age(tmp_path)
    before = _settle(cli, tmp_path, served, "--format", "json")
    replacement = root / "shared.tmp"
    replacement.symlink_to(root / "parts" / "b")
    replacement.replace(link)  # as `ln -sfn` does (the docs folder's ctime shows it too)
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    assert b"missing-a.md" in before[1] and b"missing-b.md" in expected[1]
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert served[-1] is False


def test_a_path_outside_the_tree_that_a_link_names_is_asked_again(
    tmp_path: Path, cli: Callable, served: list[bool]
) -> None:
    """A link to `../outside.md` (out of the docs root: no stamp of the tree covers it) is a
    disk answer the stamp keeps and asks again."""
    root = _tree(tmp_path)
    (root / "page-10.md").write_text("# Ten\n\n[out](../outside.md)\n", encoding="utf-8")
    _age(root)
    before = _settle(cli, tmp_path, served, "--format", "json")
    assert b"../outside.md" in before[1]
    (tmp_path / "outside.md").write_text("# Out\n", encoding="utf-8")
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    assert b"../outside.md" not in expected[1]
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert served[-1] is False
    _settle(cli, tmp_path, served, "--format", "json")


def test_a_file_changed_during_or_just_before_the_run_gets_no_stamp(
    tmp_path: Path, cli: Callable, served: list[bool]
) -> None:
    """git's racy rule: a page modified within `RACY_NS` of the run's start could change again
    unseen by stat, so that run stamps nothing; once it is older, a run stamps the tree."""
    root = _tree(tmp_path)
    (root / "page-9.md").write_text("# Nine, just now\n", encoding="utf-8")
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    for _ in range(3):
        assert _run(cli, tmp_path, "--format", "json") == expected
    assert not _stamp_files(root) and not any(served)
    _age(root)
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert _stamp_files(root)
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert served[-1] is True


def test_a_run_with_another_report_key_uses_the_stamp_only_with_its_own_report(
    tmp_path: Path, cli: Callable, served: list[bool]
) -> None:
    """The stamp names the state; each report key has its own stored report: a format whose
    report is not stored yet goes the usual way (and stores it), then is served too."""
    _tree(tmp_path)
    json_report = _settle(cli, tmp_path, served, "--format", "json")
    expected = _run(cli, tmp_path, "--format", "sarif", "--no-cache")
    assert _run(cli, tmp_path, "--format", "sarif") == expected
    assert served[-1] is False
    assert _run(cli, tmp_path, "--format", "sarif") == expected
    assert _run(cli, tmp_path, "--format", "json") == json_report
    assert served[-2:] == [True, True]


def test_warnings_and_verbose_lines_are_those_of_a_full_run(
    tmp_path: Path, cli: Callable, served: list[bool]
) -> None:
    """What the CLI says on stderr counts the tree's documents: from the stamp, as many."""
    root = _tree(tmp_path)
    (root / "conf.py").unlink()  # a warning: linting with Sphinx's defaults
    _age(root)
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    assert "warning" in expected[2]
    _settle(cli, tmp_path, served, "--format", "json")
    verbose = _run(cli, tmp_path, "--format", "json", "-v")
    assert served[-1] is True
    assert "documents: 13;" in verbose[2]


def _sign(path: Path, payload: bytes, key: bytes | None = None) -> None:
    digest = hmac.new(key or cache_file.cache_key(), payload, "sha256").hexdigest()[:32]
    path.write_bytes(cache_file.MAGIC + digest.encode() + b"\n" + payload)


def _entries(path: Path) -> tuple[tuple[object, ...], dict[str, object]]:
    content = marshal.loads(path.read_bytes()[len(cache_file.MAGIC) + 33 :])
    return content[:-1], content[-1]


def _forged(change: Callable[[dict[str, object]], object]) -> Callable[[Path], None]:
    def forge(path: Path) -> None:
        header, entries = _entries(path)
        change(entries)
        _sign(path, marshal.dumps((*header, entries)))

    return forge


def _other_stamps(entries: dict[str, object]) -> None:
    stamps = entries["stamps"]
    assert isinstance(stamps, bytes)
    entries["stamps"] = stamps[:-8] + b"\0" * 8


DAMAGE: dict[str, Callable[[Path], object]] = {
    "torn": lambda path: path.write_bytes(path.read_bytes()[:-30]),
    "empty": lambda path: path.write_bytes(b""),
    "a-byte-changed": lambda path: path.write_bytes(path.read_bytes()[:-5] + b"xxxxx"),
    "foreign-key": lambda path: _sign(path, path.read_bytes()[45:], key=b"k" * 32),
    "other-header": lambda path: _sign(
        path, marshal.dumps(("stamp:0", *_entries(path)[0][1:], _entries(path)[1]))
    ),
    "stamps-not-bytes": _forged(lambda e: e.update(stamps="x")),
    "stamps-short": _forged(lambda e: e.update(stamps=e["stamps"][:-1])),  # type: ignore[index]
    "another-stamp": _forged(_other_stamps),
    "paths-not-a-string": _forged(lambda e: e.update(paths=("index.md",))),
    "state-not-bytes": _forged(lambda e: e.update(state="s")),
    "disk-malformed": _forged(lambda e: e.update(disk={"x": 1})),
    "counts-malformed": _forged(lambda e: e.update(counts=(-1, 0))),
    "no-documents": _forged(lambda e: e.update(counts=(0, 0))),
    "other-state": _forged(lambda e: e.update(state=b"x" * 32)),
    "a-disk-answer-changed": _forged(lambda e: e.update(disk={"e:../missing.md": True})),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_or_forged_stamp_never_serves(
    tmp_path: Path, cli: Callable, served: list[bool], damage: Callable[[Path], object]
) -> None:
    root = _tree(tmp_path)
    expected = _settle(cli, tmp_path, served, "--format", "json")
    [path] = _stamp_files(root)
    damage(path)
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert served[-1] is False
    _settle(cli, tmp_path, served, "--format", "json")  # stamped again


@pytest.mark.parametrize("kind", ["named-pipe", "folder"])
def test_a_named_pipe_or_folder_in_the_stamps_place_is_neither_read_nor_replaced(
    tmp_path: Path, cli: Callable, served: list[bool], kind: str
) -> None:
    """Never a hang (a pipe is not opened for reading) nor a traceback; the run goes the usual
    way, and what sits there is left as it is (the stamp is only not written)."""
    root = _tree(tmp_path)
    expected = _settle(cli, tmp_path, served, "--format", "json")
    [path] = _stamp_files(root)
    path.unlink()
    if kind == "named-pipe":
        os.mkfifo(path)
    else:
        path.mkdir()
    for _ in range(2):
        assert _run(cli, tmp_path, "--format", "json") == expected
        assert served[-1] is False
    assert path.is_fifo() if kind == "named-pipe" else path.is_dir()


def test_a_stamp_written_under_another_key_never_serves(
    tmp_path: Path, cli: Callable, served: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache committed with a repository (another user's key) is checked like a torn one."""
    _tree(tmp_path)
    with monkeypatch.context() as other_user:
        other_user.setattr(cache_file, "cache_key", lambda: b"k" * 32)
        _settle(cli, tmp_path, served, "--format", "json")
    expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
    assert _run(cli, tmp_path, "--format", "json") == expected
    assert served[-1] is False


@pytest.mark.parametrize("seed", [11])
def test_reports_after_random_edits_are_those_of_no_cache_runs(
    tmp_path: Path, cli: Callable, served: list[bool], seed: int
) -> None:
    """Random edits (links, labels, toctree entries, pages added and removed), what they
    touched dated in the past after each (often to the very time it had, so that only ctimes
    tell): three whole-tree runs, the last ones served by the stamp; every report is the
    `--no-cache` one."""
    from helpers import write_tree
    from test_incremental import TREE, _edit

    root = write_tree(tmp_path / "docs", TREE)
    rng = random.Random(seed)
    counter = [0]
    for step in range(25):
        _age(root, PAST_NS + rng.choice((0, rng.randrange(1, 10**9))))
        expected = _run(cli, tmp_path, "--format", "json", "--no-cache")
        for _ in range(3):
            assert _run(cli, tmp_path, "--format", "json") == expected, step
        _edit(rng, root, counter)
    assert served.count(True) > 30
