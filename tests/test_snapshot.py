"""The tree snapshot: files stat shows unchanged are not read (git's index rule, racy files
hashed), and a snapshot that is corrupt, foreign, forged or made for another version,
configuration or schema is ignored, rewritten, and never changes a result."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import GOOD_FRONTMATTER, inline_entries, write_tree

from nemo_docs_lint import cache_file, parse_cache
from nemo_docs_lint.cache_file import MAGIC, checksum
from nemo_docs_lint.engine import LintRequest, build_index, lint, resolve_config
from nemo_docs_lint.parse import ParseStats
from nemo_docs_lint.parse_cache import ParseCache, snapshot_binding

PAGE = (
    GOOD_FRONTMATTER + "\n# Page {n}\n\nSee [the next page](page-{next}.md) and [x](gone-{n}.md).\n"
)
PAST = 1_500_000_000  # 2017: far outside the racy window


def _tree(root: Path, pages: int = 6) -> Path:
    files = {"conf.py": "", "index.md": "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n"}
    for n in range(pages):
        files[f"page-{n}.md"] = PAGE.format(n=n, next=(n + 1) % pages)
    write_tree(root, files)
    _age(root)
    return root


def _age(root: Path, *pages: Path) -> None:
    """Date every page (or just `pages`) well before now, as files not touched for a while
    are. (Their ctime becomes now: a page dated so is read again, once.)"""
    for path in pages or tuple(root.glob("*.md")):
        os.utime(path, ns=(PAST * 10**9, PAST * 10**9))


def _index(docs: Path, stats: ParseStats | None = None):
    stats = stats if stats is not None else ParseStats()
    index = build_index(resolve_config(LintRequest(paths=(docs,))), stats=stats)
    return index, stats


def _codes(docs: Path, use_cache: bool = True) -> list[tuple[str, int, str, str]]:
    result = lint(LintRequest(paths=(docs,), use_cache=use_cache), cwd=docs)
    return [(d.path, d.line, d.code, d.message) for d in result.diagnostics]


def _snapshot(docs: Path) -> ParseCache:
    config = resolve_config(LintRequest(paths=(docs,)))
    depth = config.conf.heading_anchor_depth
    snapshot = ParseCache(config.cache_dir, config.docs_root, depth, snapshot_binding(config))
    snapshot.load()
    return snapshot


def test_unchanged_files_are_not_read_on_a_warm_run(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    first, stats = _index(docs)
    assert (stats.parsed, stats.unread) == (7, 0)
    second, stats = _index(docs)
    assert (stats.parsed, stats.cached, stats.unread) == (0, 7, 7)
    assert second.pages == first.pages


def test_a_changed_size_mtime_or_inode_means_the_file_is_read(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    page = docs / "page-1.md"
    page.write_text(page.read_text() + "\n## More\n", encoding="utf-8")  # size and mtime
    os.utime(page, ns=(PAST * 10**9, PAST * 10**9))  # same old mtime, other size
    other = docs / "page-2.md"
    text = other.read_text().replace("Page 2", "Page X")  # same size, new mtime
    other.write_text(text, encoding="utf-8")
    os.utime(other, ns=(PAST * 10**9 + 1, PAST * 10**9 + 1))
    moved = docs / "page-3.md"  # same size and mtime, another inode
    data, info = moved.read_bytes(), moved.stat()
    moved.unlink()
    (docs / "spare").write_bytes(b"x")  # keep the freed inode from being reused at once
    moved.write_bytes(data.replace(b"Page 3", b"Page Y"))
    os.utime(moved, ns=(info.st_atime_ns, info.st_mtime_ns))
    index, stats = _index(docs)
    assert stats.unread == 4  # index, page-0, page-4, page-5
    assert stats.parsed == 3
    titles = {d: next(h.text for h in index.pages[d].body.headings) for d in index.pages}
    assert (titles["page-1"], titles["page-2"], titles["page-3"]) == ("Page 1", "Page X", "Page Y")
    assert "More" in {h.text for h in index.pages["page-1"].body.headings}


def test_a_file_rewritten_in_place_with_its_old_mtime_is_read(tmp_path: Path) -> None:
    """Same size, same inode, mtime set back to the recorded one: only the ctime shows the
    write (git's index checks it too), and the file is read."""
    docs = _tree(tmp_path / "docs")
    _index(docs)
    page = docs / "page-1.md"
    before = page.stat()
    with page.open("r+b") as stream:  # in place: the inode stays
        data = stream.read()
        stream.seek(0)
        stream.write(data.replace(b"Page 1", b"Page Q"))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = page.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    index, stats = _index(docs)
    assert stats.parsed == 1 and stats.unread == 6
    assert index.pages["page-1"].body.headings[0].text == "Page Q"


def test_a_file_modified_within_the_racy_window_is_hashed(tmp_path: Path) -> None:
    """A file whose mtime is too close to the moment it was read could have changed unseen by
    stat (same size, same coarse mtime): it is hashed, so the change is found."""
    docs = _tree(tmp_path / "docs")
    page = docs / "page-1.md"
    now = time.time_ns()
    os.utime(page, ns=(now, now))
    _index(docs)
    text = page.read_text().replace("Page 1", "Page Z")  # same size
    page.write_text(text, encoding="utf-8")
    os.utime(page, ns=(now, now))  # stat identical to the record
    index, stats = _index(docs)
    assert stats.unread == 6 and stats.parsed == 1
    assert index.pages["page-1"].body.headings[0].text == "Page Z"


def test_files_with_a_bom_or_crlf_are_always_read(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    (docs / "page-1.md").write_bytes(b"\xef\xbb\xbf" + (docs / "page-1.md").read_bytes())
    (docs / "page-2.md").write_bytes((docs / "page-2.md").read_bytes().replace(b"\n", b"\r\n"))
    _age(docs)
    _index(docs)
    _, stats = _index(docs)
    assert (stats.unread, stats.cached, stats.parsed) == (5, 7, 0)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 3],  # truncated
        lambda raw: raw[:70] + b"\x00" * 7 + raw[77:],  # corrupted
        lambda raw: b"NDLPARSE2 " + b"0" * 32 + b"\n" + raw[43:],  # checksum of someone else
    ],
)
def test_a_damaged_snapshot_is_ignored_and_rewritten(tmp_path: Path, damage) -> None:
    docs = _tree(tmp_path / "docs")
    expected = _codes(docs, use_cache=False)
    _codes(docs)
    path = _snapshot(docs).path
    path.write_bytes(damage(path.read_bytes()))
    stats = ParseStats()
    _index(docs, stats)
    assert (stats.cache_invalid, stats.cached, stats.parsed) == (1, 0, 7)
    assert _codes(docs) == expected
    _, stats = _index(docs)
    assert stats.unread == 7  # rewritten and trusted again


def _entries(snapshot: ParseCache) -> dict[str, object]:
    """The parse entries of a loaded snapshot, as stored (unread)."""
    return {k: v for k, v in snapshot._old.items() if not k.startswith(("file:", "folder:"))}


def test_a_damaged_parse_entry_is_parsed_again_from_its_text(tmp_path: Path) -> None:
    """The parse entries stand after the checksummed head, each checked against the digest the
    head holds for it when it is read: one whose bytes changed is refused and its page parsed
    again from its text, the others still trusted; the snapshot is then written again."""
    docs = _tree(tmp_path / "docs")
    expected = _codes(docs, use_cache=False)
    _codes(docs)
    path = _snapshot(docs).path
    raw = path.read_bytes()
    assert raw.startswith(b"NDLSNAP1 ")
    path.write_bytes(raw[:-5] + bytes(5))  # the last bytes of the last entry
    entries = _entries(_snapshot(docs))
    refused = [key for key, entry in entries.items() if parse_cache.load_entry(entry) is None]
    assert (len(entries), len(refused)) == (7, 1)
    stats = ParseStats()
    index, stats = _index(docs, stats)
    assert (stats.cache_invalid, stats.cached, stats.parsed, stats.unread) == (0, 7, 0, 7)
    fresh = build_index(resolve_config(LintRequest(paths=(docs,))), use_cache=False)
    assert index.pages == fresh.pages  # every page decoded: the damaged one parsed again
    shutil.rmtree(path.parent.parent / "state")  # so every page is checked (and decoded)
    assert _codes(docs) == expected
    again = _entries(_snapshot(docs))
    assert again.keys() == entries.keys()
    assert all(parse_cache.load_entry(entry) is not None for entry in again.values())
    assert _codes(docs) == expected


def test_a_snapshot_in_the_whole_file_layout_is_read(tmp_path: Path) -> None:
    """A snapshot written whole under one checksum (`cache_file.CacheFile`'s layout, entries
    inline) is trusted as the split one is, and written split again."""
    docs = _tree(tmp_path / "docs")
    expected = _codes(docs, use_cache=False)
    _codes(docs)
    snapshot = _snapshot(docs)
    payload = marshal.dumps((*snapshot.header, inline_entries(snapshot)))
    snapshot.path.write_bytes(MAGIC + checksum(payload) + b"\n" + payload)
    stats = ParseStats()
    _index(docs, stats)
    assert (stats.cache_invalid, stats.parsed, stats.unread) == (0, 0, 7)
    assert snapshot.path.read_bytes().startswith(b"NDLSNAP1 ")  # written split at once
    assert _codes(docs) == expected


def test_a_foreign_snapshot_is_never_trusted(tmp_path: Path, monkeypatch) -> None:
    """A snapshot written under another user's key (e.g. committed to a repository, with lies
    that are well-formed) fails the keyed checksum like a corrupted file."""
    docs = _tree(tmp_path / "docs")
    expected = _codes(docs, use_cache=False)
    snapshot = _snapshot(docs)
    header = snapshot.header
    lies = {}
    _codes(docs)
    for key, entry in inline_entries(_snapshot(docs)).items():
        if key.startswith("file:"):
            *stat, digest, (lines, length, _, head) = entry
            entry = (*stat, digest, (lines, length, 0b11111, head))
        lies[key] = entry
    payload = marshal.dumps((*header, lies))
    monkeypatch.setattr(cache_file, "cache_key", lambda: b"k" * 32)  # the other user's key
    forged = MAGIC + checksum(payload) + b"\n" + payload
    monkeypatch.undo()
    snapshot.path.write_bytes(forged)
    stats = ParseStats()
    _index(docs, stats)
    assert (stats.cache_invalid, stats.unread) == (1, 0)
    assert _codes(docs) == expected


def test_forged_records_with_a_valid_checksum_are_validated(tmp_path: Path) -> None:
    """Records of the wrong shape or types are dropped and their files read; results stay."""
    docs = _tree(tmp_path / "docs", pages=8)
    expected = _codes(docs, use_cache=False)
    _codes(docs)
    snapshot = _snapshot(docs)
    bad = [
        None,
        ("size", 1, 2, 3, 4, "k", "t"),
        (1, 2, 3),
        (1, 2, 3, 4, "0" * 32 + ":md", (1, 2, 3)),  # the layout before the ctime
        (-1, 2, 3, 4, 5, "0" * 32 + ":md", "x"),
        (10, 2, -3, 4, 5, "0" * 32 + ":md", (1, 2, 3)),
        (10, 2, 3, 4, 5, "short", "x" * 10),
        (10, 2, 3, 4, 5, "0" * 32 + ":md", b"bytes"),
        compile("1", "x", "eval"),
    ]
    entries = inline_entries(snapshot)
    records = sorted(k for k in entries if k.startswith("file:"))
    assert len(records) == len(bad)
    for key, value in zip(records, bad, strict=False):
        entries[key] = value
    payload = marshal.dumps((*snapshot.header, entries))
    snapshot.path.write_bytes(MAGIC + checksum(payload) + b"\n" + payload)
    stats = ParseStats()
    _index(docs, stats)
    assert stats.cache_invalid == len(records)
    assert stats.unread == 0
    assert _codes(docs) == expected


@pytest.mark.parametrize(
    "damage",
    [
        lambda r: None,
        lambda r: r[:-1],
        lambda r: (True, *r[1:]),  # a bool is no size
        lambda r: (*r[:2], float(r[2]), *r[3:]),
        lambda r: (*r[:3], -1, *r[4:]),
        lambda r: (*r[:-2], r[-2][:-3], r[-1]),  # a digest key too short
        lambda r: (*r[:-2], r[-2].encode(), r[-1]),
        lambda r: (*r[:-1], r[-1][:2]),
        lambda r: (*r[:-1], [*r[-1]]),
        lambda r: (*r[:-1], (r[-1][0], r[-1][1], -1)),
        lambda r: (*r[:-1], (r[-1][0], False, r[-1][2])),
    ],
)
def test_one_forged_record_among_valid_ones_is_dropped_alone(
    tmp_path: Path, damage: Callable[[tuple], object]
) -> None:
    """The records are checked in bulk; one that is not of the shape fails the bulk check, is
    dropped when looked up, and its file is read; every other record is trusted."""
    docs = _tree(tmp_path / "docs")
    expected = _codes(docs, use_cache=False)
    _codes(docs)
    snapshot = _snapshot(docs)
    entries = inline_entries(snapshot)
    key = "file:page-2.md"
    entries[key] = damage(entries[key])
    payload = marshal.dumps((*snapshot.header, entries))
    snapshot.path.write_bytes(MAGIC + checksum(payload) + b"\n" + payload)
    stats = ParseStats()
    _index(docs, stats)
    assert (stats.cache_invalid, stats.unread) == (1, 6)
    assert _codes(docs) == expected


def test_the_snapshot_is_bound_to_version_configuration_and_schema(
    tmp_path: Path, monkeypatch
) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    _, stats = _index(docs)
    assert stats.unread == 7
    monkeypatch.setattr(parse_cache, "__version__", "99.0")
    _, stats = _index(docs)
    assert (stats.cache_invalid, stats.unread) == (1, 0)
    monkeypatch.undo()
    _index(docs)
    schema = docs / "schema.json"
    schema.write_text(json.dumps({"type": "object"}), encoding="utf-8")
    (docs / "pyproject.toml").write_text(
        '[tool.nemo-docs-lint]\nschema = "schema.json"\n', encoding="utf-8"
    )
    _, stats = _index(docs)
    assert (stats.cache_invalid, stats.unread) == (1, 0)  # the configuration changed
    _, stats = _index(docs)
    assert stats.unread == 7
    schema.write_text(json.dumps({"type": "object", "required": ["title"]}), encoding="utf-8")
    _, stats = _index(docs)
    assert (stats.cache_invalid, stats.unread) == (1, 0)  # the schema's content changed


def test_warm_results_equal_no_cache_results_after_edits(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    assert _codes(docs) == _codes(docs, use_cache=False)
    (docs / "page-1.md").write_text("# One\n\n[to gone](gone-9.md)\n", encoding="utf-8")
    (docs / "page-2.md").unlink()
    (docs / "page-4.md").rename(docs / "page-9.md")
    (docs / "new.md").write_text(PAGE.format(n=7, next=9), encoding="utf-8")
    assert _codes(docs) == _codes(docs, use_cache=False)
    _age(docs)
    assert _codes(docs) == _codes(docs, use_cache=False)


def test_a_trusted_record_whose_parse_entry_is_gone_is_parsed_from_its_own_text(
    tmp_path: Path,
) -> None:
    docs = _tree(tmp_path / "docs")
    first, _ = _index(docs)
    snapshot = _snapshot(docs)
    entries = {k: v for k, v in snapshot._old.items() if k.startswith("file:")}
    payload = marshal.dumps((*snapshot.header, entries))
    snapshot.path.write_bytes(MAGIC + checksum(payload) + b"\n" + payload)
    second, stats = _index(docs)
    assert (stats.unread, stats.parsed) == (7, 7)
    assert second.pages == first.pages


def test_a_small_change_is_written_beside_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that changed one page of many writes the change as a delta (the snapshot's bytes
    stay as they are); the next run reads the page from snapshot and delta, unread."""
    monkeypatch.setattr(ParseCache, "DELTA_SHARE", 0.25)  # one page of this small tree
    docs = _tree(tmp_path / "docs", pages=40)
    _index(docs)
    _index(docs)  # every record now trusted
    snapshot = _snapshot(docs)
    written = snapshot.path.read_bytes()
    page = docs / "page-5.md"
    page.write_text(page.read_text() + "\n## Late\n", encoding="utf-8")
    _age(docs, page)
    index, stats = _index(docs)
    assert (stats.parsed, stats.unread) == (1, 40)
    assert stats.snapshot is not None and stats.snapshot.written
    assert snapshot.path.read_bytes() == written and snapshot.delta_path.is_file()
    _, stats = _index(docs)  # the record made then, read back from the delta
    assert (stats.parsed, stats.unread) == (0, 41)
    assert stats.snapshot is not None and not stats.snapshot.written
    again, _ = _index(docs)
    assert "Late" in {h.text for h in again.pages["page-5"].body.headings}
    assert again.pages == index.pages
    assert _codes(docs) == _codes(docs, use_cache=False)


def test_a_delta_that_outgrows_its_share_makes_the_snapshot_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ParseCache, "DELTA_SHARE", 0.1)
    docs = _tree(tmp_path / "docs", pages=40)
    _index(docs)
    _index(docs)
    snapshot = _snapshot(docs)
    written = snapshot.path.read_bytes()
    page = docs / "page-5.md"
    page.write_text(page.read_text() + "\nmore\n", encoding="utf-8")
    _age(docs, page)
    _index(docs)
    assert snapshot.path.read_bytes() == written and snapshot.delta_path.is_file()
    for n in range(10, 30):  # half the tree changed: more than a tenth of the file
        other = docs / f"page-{n}.md"
        other.write_text(other.read_text() + "\nmore\n", encoding="utf-8")
        _age(docs, other)
    _, stats = _index(docs)
    assert stats.parsed == 20 and stats.snapshot is not None and stats.snapshot.written
    assert snapshot.path.read_bytes() != written and not snapshot.delta_path.exists()
    _, stats = _index(docs)
    assert (stats.parsed, stats.unread) == (0, 41)


@pytest.mark.parametrize("damage", ["torn", "foreign key", "another snapshot"])
def test_a_damaged_forged_or_stale_delta_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A delta that fails its checksum (torn, or written with another user's key) or belongs
    to another version of the snapshot is ignored: the change it held is read again from the
    page, and the result is a fresh run's."""
    monkeypatch.setattr(ParseCache, "DELTA_SHARE", 0.25)
    docs = _tree(tmp_path / "docs", pages=40)
    _index(docs)
    _index(docs)
    page = docs / "page-5.md"
    page.write_text(page.read_text() + "\n## Late\n", encoding="utf-8")
    _age(docs, page)
    _index(docs)
    delta = _snapshot(docs).delta_path
    raw = delta.read_bytes()
    if damage == "torn":
        delta.write_bytes(raw[: len(raw) // 2])
    elif damage == "foreign key":
        monkeypatch.setattr(cache_file, "cache_key", lambda: b"k" * 32)
        payload = raw[len(MAGIC) + 33 :]
        delta.write_bytes(MAGIC + checksum(payload) + b"\n" + payload)
        monkeypatch.undo()
        monkeypatch.setattr(ParseCache, "DELTA_SHARE", 0.25)
    else:  # the snapshot written whole since, by a run that left no delta
        kept = delta.read_bytes()
        _snapshot(docs).path.unlink()
        _index(docs)
        delta.write_bytes(kept)
    assert _snapshot(docs).digest == _snapshot_digest(docs)  # loaded without the delta
    index, stats = _index(docs)
    assert stats.parsed == (1 if damage != "another snapshot" else 0)
    assert "Late" in {h.text for h in index.pages["page-5"].body.headings}
    assert _codes(docs) == _codes(docs, use_cache=False)


def _snapshot_digest(docs: Path) -> bytes | None:
    """The checksum of the snapshot file alone (a delta applied makes it `base:delta`)."""
    snapshot = _snapshot(docs)
    snapshot.DELTAS = False  # this one object only: its file, not its delta
    snapshot.load()
    return snapshot.digest


def test_a_body_edit_keeps_the_stored_frontmatter_without_loading_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose frontmatter block is as last recorded (`head_digest`) takes the
    frontmatter of its former parse entry: only its body is parsed, PyYAML is not asked, and
    the page is the one a fresh parse gives. A block changed, or a former entry that does
    not decode, means the frontmatter is loaded again."""
    from nemo_docs_lint import frontmatter, parse

    monkeypatch.setattr(parse, "_yaml_loaded", lambda: False)  # as in a run of its own
    docs = _tree(tmp_path / "docs")
    _index(docs)
    loaded: list[str] = []
    real = frontmatter.parse_frontmatter
    monkeypatch.setattr(frontmatter, "parse_frontmatter", lambda t: loaded.append(t) or real(t))
    page = docs / "page-2.md"
    page.write_text(page.read_text() + "\n## Late\n", encoding="utf-8")
    index, stats = _index(docs)
    assert stats.parsed == 1 and loaded == []
    fresh = build_index(resolve_config(LintRequest(paths=(docs,))), use_cache=False)
    assert index.pages["page-2"] == fresh.pages["page-2"]
    assert index.pages["page-2"].frontmatter.data is not None
    loaded.clear()  # (the fresh index loaded every page's)
    page.write_text(page.read_text().replace("one node.", "two nodes."), encoding="utf-8")
    index, stats = _index(docs)
    assert stats.parsed == 1 and len(loaded) == 1
    assert "two nodes" in index.pages["page-2"].metadata["description"]
    assert _codes(docs) == _codes(docs, use_cache=False)


@pytest.mark.parametrize("why", ["yaml loaded", "many pages"])
def test_the_stored_frontmatter_is_not_decoded_where_loading_costs_less(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    """Decoding a former entry costs more than loading its block once PyYAML is in (a
    long-running process, or the run has loaded a block already), or for many pages."""
    from nemo_docs_lint import frontmatter, parse

    if why == "many pages":
        monkeypatch.setattr(parse, "_yaml_loaded", lambda: False)
        monkeypatch.setattr(parse, "KNOWN_FRONTMATTER_PAGES", 1)
    docs = _tree(tmp_path / "docs")
    _index(docs)
    loaded: list[str] = []
    real = frontmatter.parse_frontmatter
    monkeypatch.setattr(frontmatter, "parse_frontmatter", lambda t: loaded.append(t) or real(t))
    for name in ("page-2.md", "page-3.md"):
        page = docs / name
        page.write_text(page.read_text() + "\n## Late\n", encoding="utf-8")
    index, stats = _index(docs)
    assert stats.parsed == 2 and len(loaded) == 2
    fresh = build_index(resolve_config(LintRequest(paths=(docs,))), use_cache=False)
    assert index.pages == fresh.pages


def test_a_former_entry_that_does_not_decode_gives_no_frontmatter(tmp_path: Path) -> None:
    """A former parse entry whose bytes are not those of its digest is not used: the page's
    frontmatter is loaded from its text."""
    from nemo_docs_lint import frontmatter, parse

    docs = _tree(tmp_path / "docs")
    _index(docs)
    snapshot = _snapshot(docs)
    record = snapshot.loaded("file:page-2.md")
    assert isinstance(record, tuple)
    stored = snapshot.loaded(record[5])
    assert isinstance(stored, tuple)
    entries, position = stored
    raw = bytearray(snapshot.path.read_bytes())
    start = entries.start + entries.offsets[position]
    raw[start + 5] ^= 0xFF  # the entry's bytes, after the checksummed head
    snapshot.path.write_bytes(bytes(raw))
    page = docs / "page-2.md"
    page.write_text(page.read_text() + "\n## Late\n", encoding="utf-8")
    calls: list[int] = []
    real = frontmatter.parse_frontmatter
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parse, "_yaml_loaded", lambda: False)
        patch.setattr(frontmatter, "parse_frontmatter", lambda t: calls.append(1) or real(t))
        index, stats = _index(docs)
    assert stats.parsed >= 1 and calls == [1] * stats.parsed
    assert index.pages["page-2"].metadata["description"].startswith("Train a model")
    assert _codes(docs) == _codes(docs, use_cache=False)


def _swap_in_place(path: Path, old: str, new: str) -> None:
    """Change a file's bytes keeping its size, mtime and inode (stat cannot tell)."""
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    with path.open("r+", encoding="utf-8") as out:  # same inode
        out.write(text.replace(old, new))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)


def test_texts_stat_shows_unchanged_are_not_stored_nor_read_until_asked_for(
    tmp_path: Path,
) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    index, stats = _index(docs)
    assert stats.unread == 7
    assert not any("text" in vars(page) for page in index.pages.values())
    assert index.pages["page-1"].mentions("nemo-docs-lint") is False  # from the record
    assert "text" not in vars(index.pages["page-1"])
    assert index.pages["page-1"].text == (docs / "page-1.md").read_text(encoding="utf-8")
    stored = [e for k, e in _snapshot(docs)._old.items() if k.startswith("file:")]
    assert stored and not any(
        isinstance(part, str) and "# Page" in part for e in stored for part in e
    )


def test_a_page_from_the_snapshot_says_whether_it_includes_from_its_record(
    tmp_path: Path,
) -> None:
    """A page whose record shows no include directive answers without being read or decoded;
    one that names the directive is decoded and answers from its parse result."""
    docs = _tree(tmp_path / "docs")
    (docs / "part.md").write_text("Some words.\n", encoding="utf-8")
    (docs / "page-2.md").write_text("# Two\n\n```{include} part.md\n```\n", encoding="utf-8")
    (docs / "page-3.md").write_text("# Three\n\nNo `{include}` here.\n", encoding="utf-8")
    _age(docs)
    _index(docs)
    index, stats = _index(docs)
    assert stats.unread == 8
    pages = index.pages
    assert [pages[d].has_includes for d in ("page-1", "page-2", "page-3")] == [False, True, False]
    assert {"text", "body"}.isdisjoint(vars(pages["page-1"]))
    assert "body" in vars(pages["page-2"]) and "body" in vars(pages["page-3"])
    assert pages["page-2"].mentions("{include}") and not pages["page-1"].mentions("{include}")
    assert not pages["page-1"].mentions("include::") and pages["page-3"].mentions("{include}")
    assert {"text"}.isdisjoint(vars(pages["page-1"]))


def test_a_file_changed_between_stat_and_read_is_never_mixed_with_its_old_parse(
    tmp_path: Path,
) -> None:
    """A text read lazily must hash to the digest its parse entry was keyed on; else the page
    is not trusted (SnapshotChanged) and a lint starts again reading every file."""
    from nemo_docs_lint.parse import SnapshotChanged

    docs = _tree(tmp_path / "docs")
    _codes(docs)
    before = _codes(docs)
    index, stats = _index(docs)
    assert stats.unread == 7
    _swap_in_place(docs / "page-2.md", "gone-2", "page-0")
    with pytest.raises(SnapshotChanged):
        _ = index.pages["page-2"].text
    expected = _codes(docs, use_cache=False)
    broken = [(path, code) for path, _, code, _ in before if path == "page-2.md"]
    assert ("page-2.md", "LNK001") in broken
    assert ("page-2.md", "LNK001") not in [(path, code) for path, _, code, _ in expected]
    _swap_in_place(docs / "page-2.md", "page-0", "gone-2")
    _codes(docs)
    _swap_in_place(docs / "page-2.md", "gone-2", "page-0")  # the state said: a broken link
    assert _codes(docs) == expected


def test_callers_that_keep_the_index_read_every_text_when_they_build_it(tmp_path: Path) -> None:
    """The language server and `mv` keep or edit from the index they build: its texts are read
    at once, and a file changed in place since the snapshot (same size, mtime and inode) is read
    again as it is now, never raising later."""
    from nemo_docs_lint.engine import build_index_with_texts
    from nemo_docs_lint.incremental import IncrementalLinter

    docs = _tree(tmp_path / "docs")
    _codes(docs)
    _codes(docs)
    _swap_in_place(docs / "page-2.md", "gone-2", "page-0")
    linter = IncrementalLinter.open(docs)  # the server's index
    assert "[x](page-0.md)" in linter.index.pages["page-2"].text
    found = sorted((d.path, d.line, d.code, d.message) for d in linter.all_diagnostics())
    assert found == sorted(_codes(docs, use_cache=False))
    _codes(docs)
    _swap_in_place(docs / "page-2.md", "page-0", "gone-2")
    index = build_index_with_texts(resolve_config(LintRequest(paths=(docs,))))  # `mv`'s
    assert "[x](gone-2.md)" in index.pages["page-2"].text
