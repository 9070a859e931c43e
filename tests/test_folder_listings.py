"""Folder listings in the tree snapshot: a folder stat shows unchanged is not listed again (its
mtime changes with its entries; git's racy rule), symlinks are followed again on every walk,
and a malformed listing is never trusted; the documents found are always the fresh walk's."""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

from helpers import inline_entries, write_tree

from nemo_docs_lint.cache_file import MAGIC, checksum
from nemo_docs_lint.discover import discover
from nemo_docs_lint.engine import LintRequest, build_index, resolve_config
from nemo_docs_lint.parse import ParseStats
from nemo_docs_lint.parse_cache import ParseCache, snapshot_binding

PAST = 1_500_000_000 * 10**9  # 2017: far outside the racy window
CACHE = ".nemo-docs-lint-cache"


def _tree(root: Path) -> Path:
    write_tree(
        root,
        {
            "conf.py": "exclude_patterns = ['drafts']\n",
            "index.md": "# Home\n",
            "guide/a.md": "# A\n",
            "guide/deep/b.md": "# B\n",
            "drafts/c.md": "# C\n",
            ".hidden/d.md": "# D\n",
        },
    )
    (root / CACHE).mkdir()  # made by the first run otherwise, which changes the root's mtime
    _age(root)
    return root


def _age(root: Path) -> None:
    """Date every folder (and file) well before now, as ones not touched for a while are."""
    for folder, _, names in os.walk(root):
        if CACHE not in folder:
            for path in [folder, *(os.path.join(folder, n) for n in names)]:
                os.utime(path, ns=(PAST, PAST), follow_symlinks=False)


def _index(docs: Path) -> tuple[list[str], ParseStats]:
    stats = ParseStats()
    index = build_index(resolve_config(LintRequest(paths=(docs,))), stats=stats)
    return sorted(page.path for page in index.pages.values()), stats


def _fresh(docs: Path) -> list[str]:
    config = resolve_config(LintRequest(paths=(docs,)))
    index = build_index(config, use_cache=False)
    return sorted(page.path for page in index.pages.values())


def _trusted(stats: ParseStats) -> int:
    assert stats.snapshot is not None
    return stats.snapshot.folders_trusted


def _snapshot(docs: Path) -> ParseCache:
    config = resolve_config(LintRequest(paths=(docs,)))
    depth = config.conf.heading_anchor_depth
    return ParseCache(config.cache_dir, config.docs_root, depth, snapshot_binding(config))


def test_unchanged_folders_are_not_listed_again(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    expected = ["guide/a.md", "guide/deep/b.md", "index.md"]
    paths, stats = _index(docs)
    assert (paths, _trusted(stats)) == (expected, 0)
    paths, stats = _index(docs)
    assert (paths, _trusted(stats)) == (expected, 3)  # docs, guide, guide/deep
    snapshot = _snapshot(docs)
    snapshot.load()
    # Excluded entries and hidden folders are not in a listing; the cache folder is excluded.
    assert snapshot.loaded("folder:")[4:] == (("conf.py", "guide", "index.md"), "fdf")  # type: ignore[index]
    assert snapshot.loaded("folder:guide")[4:] == (("a.md", "deep"), "fd")  # type: ignore[index]


def test_a_folder_whose_entries_changed_is_listed_again(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    _index(docs)
    (docs / "guide" / "new.md").write_text("# New\n", encoding="utf-8")  # guide's mtime: now
    (docs / "guide" / "deep" / "b.md").rename(docs / "guide" / "deep" / "b2.md")
    paths, stats = _index(docs)
    assert paths == _fresh(docs) == ["guide/a.md", "guide/deep/b2.md", "guide/new.md", "index.md"]
    assert _trusted(stats) == 1  # docs only


def test_a_folder_whose_mtime_was_set_back_is_listed_again(tmp_path: Path) -> None:
    """An entry added, then the folder dated back to the very mtime it had: its ctime shows
    the change (as a file's does)."""
    docs = _tree(tmp_path / "docs")
    _index(docs)
    (docs / "guide" / "new.md").write_text("# New\n", encoding="utf-8")
    os.utime(docs / "guide", ns=(PAST, PAST))
    paths, stats = _index(docs)
    assert paths == _fresh(docs) == ["guide/a.md", "guide/deep/b.md", "guide/new.md", "index.md"]
    assert _trusted(stats) == 2  # docs and guide/deep, not guide


def test_a_folder_changed_within_the_racy_window_is_listed_again(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    guide = docs / "guide"
    recent = time.time_ns()
    os.utime(guide, ns=(PAST, recent))  # listed now: its mtime is not 2 s before the listing
    _index(docs)
    # A change stat cannot see: an entry added within the clock's granularity (same mtime).
    (guide / "late.md").write_text("# Late\n", encoding="utf-8")
    os.utime(guide, ns=(PAST, recent))
    paths, stats = _index(docs)
    assert "guide/late.md" in paths and paths == _fresh(docs)
    assert _trusted(stats) == 2  # docs and guide/deep, not guide


def test_symlinks_in_a_trusted_listing_are_followed_again(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.md").write_text("# O\n", encoding="utf-8")
    (docs / "guide" / "deep" / "more").mkdir()
    (docs / "guide" / "deep" / "more" / "m.md").write_text("# M\n", encoding="utf-8")
    hop = tmp_path / "hop"  # the tree's symlink leads through this one
    hop.symlink_to(docs / "index.md")
    (docs / "link").symlink_to(hop)
    _age(docs)
    _index(docs)
    paths, stats = _index(docs)
    assert "link" not in paths and _trusted(stats) == 4
    # `hop` now leads to a folder: nothing in the tree changed, its listings are trusted.
    hop.unlink()
    hop.symlink_to(docs / "guide" / "deep")
    paths, stats = _index(docs)
    assert "link/more/m.md" in paths and paths == _fresh(docs)
    assert _trusted(stats) == 4  # link and link/more are listed (as folders of their own)
    hop.unlink()
    hop.symlink_to(tmp_path / "outside")  # out of the project: not walked, reported
    config = resolve_config(LintRequest(paths=(docs,)))
    index = build_index(config)
    assert [path for path, _ in index.unreadable] == ["link"]
    assert "o.md" not in str(sorted(index.pages))


def test_malformed_listings_are_never_trusted(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    snapshot = _snapshot(docs)
    snapshot.load()
    entries = inline_entries(snapshot)
    good = entries["folder:guide"]
    assert isinstance(good, tuple)
    forged = {
        "folder:": (*good[:4], ("..", "index.md"), "df"),  # a name leading out of the folder
        "folder:guide": (*good[:4], ("a.md", "../../x"), "ff"),
        "folder:guide/deep": (*good[:4], ("b.md",), "x"),  # an unknown kind
    }
    entries |= forged
    payload = marshal.dumps((*snapshot.header, entries))
    snapshot.path.write_bytes(MAGIC + checksum(payload) + b"\n" + payload)
    paths, stats = _index(docs)
    assert paths == _fresh(docs)
    assert _trusted(stats) == 0
    assert stats.snapshot is not None and stats.snapshot.invalid == 3


def test_untrusting_walk_lists_every_folder_and_keeps_the_listings(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    config = resolve_config(LintRequest(paths=(docs,)))
    snapshot = _snapshot(docs)
    snapshot.load()
    found = discover(docs, config.conf, listings=snapshot, trust=False)
    assert snapshot.folders_trusted == 0
    used, loaded = snapshot.used("folder:guide"), snapshot.loaded("folder:guide")
    assert isinstance(used, tuple) and isinstance(loaded, tuple)
    assert used[4:] == loaded[4:] and used[3] > loaded[3]  # listed again, later
    assert [d.path for d in found.documents] == ["guide/a.md", "guide/deep/b.md", "index.md"]


def test_a_snapshot_without_listings_gains_them(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    snapshot = _snapshot(docs)
    snapshot.load()
    entries = {k: v for k, v in inline_entries(snapshot).items() if not k.startswith("folder:")}
    payload = marshal.dumps((*snapshot.header, entries))  # as an older version wrote it
    snapshot.path.write_bytes(MAGIC + checksum(payload) + b"\n" + payload)
    _, stats = _index(docs)  # nothing else changed: the 3 listings are worth a rewrite
    assert _trusted(stats) == 0 and stats.snapshot is not None and stats.snapshot.written
    _, stats = _index(docs)
    assert _trusted(stats) == 3


def test_listings_follow_the_exclusions_of_the_current_configuration(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    paths, stats = _index(docs)
    assert "guide/deep/b.md" in paths and _trusted(stats) == 3
    conf = docs / "conf.py"
    conf.write_text("exclude_patterns = ['guide/deep']\n", encoding="utf-8")
    os.utime(conf, ns=(PAST, PAST))
    os.utime(docs, ns=(PAST, PAST))  # no folder changed: the configuration did
    paths, stats = _index(docs)
    assert paths == _fresh(docs) == ["drafts/c.md", "guide/a.md", "index.md"]
    assert _trusted(stats) == 0  # another snapshot binding: listings of the old one unused
