"""Parse cache (hits, corruption, concurrency, bypass, changes, pruning); parallel parsing."""

from __future__ import annotations

import hashlib
import importlib.machinery
import marshal
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import GOOD_FRONTMATTER, write_tree

from nemo_docs_lint import engine, parse
from nemo_docs_lint.cache_file import MAGIC, checksum
from nemo_docs_lint.engine import LintRequest, build_index, lint, resolve_config
from nemo_docs_lint.parse import ParseStats
from nemo_docs_lint.parse_cache import ParseCache, load_entry, snapshot_binding
from nemo_docs_lint.parse_codec import CodecError, decode, encode

PAGE = (
    GOOD_FRONTMATTER
    + """
(label-{n})=
# Page {n}

See [the next page](page-{next}.md#page-{next}), {{ref}}`label-{n}`, [missing](nowhere.md),
![image](img.png) and <https://example.com/{n}>.

## Section `code` and *emphasis*

```{{toctree}}
:hidden:

page-{next}
```

<!-- a comment -->
"""
)


def _tree(root: Path, pages: int = 12) -> Path:
    files = {
        "conf.py": "myst_heading_anchors = 3\n",
        "index.md": GOOD_FRONTMATTER + "\n# Home\n\n```{toctree}\npage-0\n```\n",
    }
    for n in range(pages):
        files[f"page-{n}.md"] = PAGE.format(n=n, next=(n + 1) % pages)
    files["notes.rst"] = ".. _rst-label:\n\nNotes\n=====\n\n.. toctree::\n\n   page-0\n"
    return write_tree(root, files)


def _config(docs: Path):
    return resolve_config(LintRequest(paths=(docs,)))


def _index(docs: Path, **kwargs):
    stats = ParseStats()
    index = build_index(_config(docs), stats=stats, **kwargs)
    return index, stats


def _snapshot(docs: Path) -> ParseCache:
    config = _config(docs)
    depth = config.conf.heading_anchor_depth
    return ParseCache(config.cache_dir, config.docs_root, depth, snapshot_binding(config))


def _cache_file(docs: Path) -> Path:
    return _snapshot(docs).path


def test_second_run_parses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _tree(tmp_path / "docs")
    first, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (14, 0)
    assert _cache_file(docs).is_file()

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(parse, "parse_text", no_parsing)
    second, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (0, 14)
    assert second.pages == first.pages  # identical model objects, positions included


def test_cached_pages_equal_fresh_ones_on_the_corpus(tmp_path: Path) -> None:
    from integration_support import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("shared corpus not available")
    config = replace(_config(CORPUS), cache_dir=tmp_path / "cache")
    fresh = build_index(config, use_cache=False)
    build_index(config)
    stats = ParseStats()
    cached = build_index(config, stats=stats)
    assert stats.parsed == 0 and stats.cached == len(fresh.pages)
    assert cached.pages == fresh.pages


def test_use_cache_false_neither_reads_nor_writes(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _, stats = _index(docs, use_cache=False)
    assert stats.parsed == 14
    assert not (docs / ".nemo-docs-lint-cache").exists()
    _index(docs)  # now fill the cache
    _, stats = _index(docs, use_cache=False)
    assert (stats.parsed, stats.cached) == (14, 0)


def test_lint_request_use_cache_false(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    lint(LintRequest(paths=(docs,), use_cache=False))
    assert not (docs / ".nemo-docs-lint-cache").exists()
    lint(LintRequest(paths=(docs,)))
    assert _cache_file(docs).is_file()


def test_changed_file_is_reparsed_and_deleted_file_pruned(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    page = docs / "page-3.md"
    page.write_text(page.read_text() + "\n## Added heading\n", encoding="utf-8")
    (docs / "page-5.md").unlink()
    index, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (1, 12)
    assert "added-heading" in {h.slug for h in index.pages["page-3"].body.headings}
    cache = _snapshot(docs)
    cache.load()
    # parse results and file records (page-5's and the old page-3's gone), the folder's listing
    assert len(cache) == 2 * 13 + 1
    assert cache.loaded("folder:") == (
        docs.stat().st_mtime_ns,
        docs.stat().st_ctime_ns,
        docs.stat().st_ino,
        cache.loaded("folder:")[3],  # type: ignore[index]
        tuple(sorted(p.name for p in docs.iterdir() if p.name != ".nemo-docs-lint-cache")),
        "f" * 14,  # conf.py, index.md, notes.rst and 11 pages
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # torn write
        lambda raw: raw[:60] + bytes(10) + raw[70:],  # flipped bytes: checksum mismatch
        lambda raw: b"garbage",
        lambda raw: b"",
    ],
)
def test_corrupt_cache_file_is_ignored_and_rewritten(tmp_path: Path, damage) -> None:
    docs = _tree(tmp_path / "docs")
    first, _ = _index(docs)
    path = _cache_file(docs)
    path.write_bytes(damage(path.read_bytes()))
    second, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (14, 0)
    assert stats.cache_invalid == 1
    assert second.pages == first.pages
    _, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (0, 14)  # rewritten and valid again


def _plant(path: Path, entries: dict, docs: Path) -> None:
    """Write a cache file with a valid checksum (what an attacker could do)."""
    payload = marshal.dumps((*_snapshot(docs).header, entries))
    digest = checksum(payload)
    path.write_bytes(MAGIC + digest + b"\n" + payload)


def test_planted_entries_with_wrong_structure_are_never_trusted(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    first, _ = _index(docs)
    path = _cache_file(docs)
    cache = _snapshot(docs)
    cache.load()
    good = {
        key: load_entry(entry)  # each entry is marshalled on its own
        for key, entry in cache._old.items()
        if not key.startswith(("file:", "folder:"))
    }
    code = compile("open('/tmp/pwned', 'w')", "x", "exec")
    bad_values = [
        code,  # marshal can hold code objects; they are never run, and rejected here
        ("spans", "fm", "body"),
        None,
        (("1", 2, 3, 4), None, None),
    ]
    planted = {}
    for (key, entry), bad in zip(good.items(), bad_values * len(good), strict=False):
        planted[key] = bad
        if bad is None:  # a well-formed entry with a wrong type deep inside
            spans, fm, body = entry
            refs = tuple((kind, 42, span, *rest) for kind, _, span, *rest in body[0])
            planted[key] = (spans, fm, (refs or ((1, 2, 3, 4),), *body[1:]))
    _plant(path, {key: marshal.dumps(bad) for key, bad in planted.items()}, docs)
    second, stats = _index(docs)
    # Every entry is decoded when its page is first read, found wrong, its page re-parsed and
    # the entry replaced in the snapshot file.
    assert (stats.parsed, stats.cached) == (0, len(good))
    assert second.pages == first.pages
    assert stats.snapshot is not None and stats.snapshot.invalid == len(good)
    assert stats.snapshot.save_replaced()  # as `engine.lint` does at its end
    assert not Path("/tmp/pwned").exists()
    third, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (0, 14)
    assert third.pages == first.pages
    assert stats.snapshot is not None and stats.snapshot.invalid == 0  # replaced for good


def test_codec_rejects_malformed_entries() -> None:
    from nemo_docs_lint.parse import parse_text

    entry = encode(*parse_text(PAGE.format(n=1, next=2), True, 3))
    assert entry is not None
    decode(entry)
    spans, fm, body = entry
    for broken in [
        (spans[:-1], fm, body),  # not a multiple of four
        (spans, fm, (body[0], body[1], ((1, "h", "h", 10_000, False),), *body[3:])),  # range
        (spans, fm, (body[0], body[1], ((1, "h", "h", -1, False),), *body[3:])),  # negative index
        (spans, fm, (body[0], body[1], ((1, "h", "h", 0, 1),), *body[3:])),  # nested not a bool
        (spans, (fm[0], ["not", "a", "dict"], *fm[2:]), body),
        (spans, (fm[0], {"k": {1, 2}}, *fm[2:]), body),  # a set is not YAML data here
        (spans, fm, (*body[:5], 7, *body[6:])),  # title not a string
        (spans, fm, ((("nope", "x", 0, None, None, None),), *body[1:])),  # unknown kind
        (spans, fm, ((("link", "x", 0, None, "t", 10_000),), *body[1:])),  # text span range
        (spans, fm, ((("link", "x", 0, None, 5, None),), *body[1:])),  # text not a string
        (spans, fm, (*body[:7], (("", 10_000, ""),), *body[8:])),  # code block span range
        (spans, fm, (*body[:8], (1, 2, 3), body[9])),  # prose: not pairs
        (spans, fm, (*body[:9], (0, 2, 3))),  # prose marks: not an int
        (spans, fm, (*body[:9], "2")),  # prose marks: not an int
        (spans, fm, (*body[:9], True)),  # prose marks: a bool
        (spans, fm, body[:9]),  # no prose marks
        (spans, fm),
    ]:
        with pytest.raises(CodecError):
            decode(broken)


def test_decode_many_equals_decode_and_isolates_bad_entries() -> None:
    from nemo_docs_lint.parse import parse_text
    from nemo_docs_lint.parse_codec import decode_many

    good = [encode(*parse_text(PAGE.format(n=n, next=n + 1), True, 3)) for n in range(5)]
    good.append(encode(*parse_text("# No frontmatter\n", True, 3)))
    good.append(encode(*parse_text(".. _x:\n\nX\n=\n\n.. toctree::\n\n   a\n", False, 3)))
    assert decode_many(good) == [decode(entry) for entry in good]
    assert decode_many([]) == []
    spans, fm, body = good[0]
    count = len(spans) // 4
    positions = fm[2]
    bad = [
        # a span index valid in the batch's joined span table but not in its own entry's
        (spans, fm, (body[0], body[1], ((1, "h", "h", count, False),), *body[3:])),
        (spans, (*fm[:2], ((positions[0][0], count, 0), *positions[1:]), *fm[3:]), body),
        (
            spans,
            fm,
            (*body[:3], ((0, (("a", None, count),), False, False, None, None),), *body[4:]),
        ),
        (spans, fm, ((("nope", "x", 0, None, None, None),), *body[1:])),
        (spans, fm, ((("link", "x", 0, None, "t", count),), *body[1:])),
        (spans, fm, (*body[:7], (("", count, ""),), *body[8:])),
        (spans, fm),
        "not an entry",
    ]
    mixed = [entry for pair in zip(good, bad, strict=False) for entry in pair]
    results = decode_many(mixed)
    for entry, result in zip(mixed, results, strict=True):
        if entry in bad:
            assert result is None
            with pytest.raises(CodecError):
                decode(entry)
        else:
            assert result == decode(entry)


def test_unserialisable_frontmatter_is_simply_not_cached(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    (docs / "dated.md").write_text("---\ndate: !!timestamp 2024-01-02\n---\n# Dated\n")
    first, stats = _index(docs)
    assert stats.parsed == 15
    second, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (1, 14)
    assert second.pages["dated"] == first.pages["dated"]


def test_no_cache_folder_under_a_read_only_marked_folder(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    docs.chmod(0o555)
    try:
        _, stats = _index(docs)
        _, stats = _index(docs)
    finally:
        docs.chmod(0o755)
    assert stats.parsed == 14
    assert not (docs / ".nemo-docs-lint-cache").exists()


def test_cache_folder_is_git_ignored(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs")
    _index(docs)
    assert (docs / ".nemo-docs-lint-cache" / ".gitignore").read_text().strip().endswith("*")


def test_two_concurrent_runs_leave_a_valid_cache(tmp_path: Path) -> None:
    docs = _tree(tmp_path / "docs", pages=150)
    code = (
        "import sys; from pathlib import Path; from nemo_docs_lint.engine import *; "
        "r = lint(LintRequest(paths=(Path(sys.argv[1]),))); print(len(r.diagnostics))"
    )
    for _ in range(3):
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(docs)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert outputs[0] == outputs[1]
        assert outputs[0][1] == ""
        _, stats = _index(docs)
        # page-7 (changed below, within the racy window) is read again, and its parse found
        # in what either run stored (1: in neither, never wrong, only slower)
        assert stats.parsed in (0, 1) and stats.parsed + stats.cached == 152
        assert stats.cache_invalid == 0
        (docs / "page-7.md").write_text(PAGE.format(n=7, next=8) + "\nchanged\n")
    leftovers = [p.name for p in _cache_file(docs).parent.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


def test_only_a_cached_run_hashes_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The content digest keys the cache: a run without one does not compute it."""
    from nemo_docs_lint import source

    docs = _tree(tmp_path / "docs")
    hashed: list[int] = []
    real = source._sha256

    def counting(data: bytes) -> object:
        hashed.append(len(data))
        return real(data)

    monkeypatch.setattr(source, "_sha256", counting)
    uncached, _ = _index(docs, use_cache=False)
    assert hashed == []
    cached, stats = _index(docs)
    assert len(hashed) == stats.parsed == 14
    assert cached.pages == uncached.pages


# --- parallel parsing ---------------------------------------------------------------------------


def test_parallel_path_gives_identical_pages_and_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _tree(tmp_path / "docs", pages=200)
    (docs / "dated.md").write_text("---\ndate: !!timestamp 2024-01-02\n---\n# Dated\n")
    (docs / "bad.md").write_bytes(b"\xff\xfe not utf-8")
    sequential, stats = _index(docs, use_cache=False, parallel_threshold=10**9)
    assert stats.parallel == 0
    parallel, stats = _index(docs, use_cache=False, parallel_threshold=0)
    assert stats.parsed == 203
    # the worker's share (the first 108 of 203: 203 - int(101.5 * OWN_SHARE); the parent parses
    # the rest meanwhile) but the datetime page, which the worker cannot encode and the parent
    # parses again
    assert stats.parallel == 203 - int(203 / 2 * parse.OWN_SHARE) - 1 == 107
    assert parallel.pages == sequential.pages
    assert parallel.unreadable == sequential.unreadable

    request = LintRequest(paths=(docs,), use_cache=False)
    expected = lint(request).diagnostics
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 0)
    assert lint(request).diagnostics == expected
    assert len(expected) > 200


def test_a_parallel_parse_stores_every_page_so_the_next_run_parses_none(tmp_path: Path) -> None:
    """The parent's own share of a parallel parse goes into the snapshot too: else each warm
    run would parse half of what the run before it parsed (10k pages: five runs to settle)."""
    docs = _tree(tmp_path / "docs", pages=60)
    _, first = _index(docs, parallel_threshold=0)
    assert first.parsed == 62 and 0 < first.parallel < 62
    _, second = _index(docs, parallel_threshold=0)
    assert second.parsed == 0


def test_a_failing_worker_prints_nothing_and_the_parent_takes_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("relies on fork to patch the workers")
    docs = _tree(tmp_path / "docs", pages=40)
    expected, _ = _index(docs, use_cache=False)
    parent, real = os.getpid(), parse.parse_text

    def flaky(text: str, *args: object) -> tuple:
        if os.getpid() != parent and "Page 1\n" in text:  # in the worker's share
            raise RuntimeError("boom")
        return real(text, *args)

    monkeypatch.setattr(parse, "parse_text", flaky)
    index, stats = _index(docs, use_cache=False, parallel_threshold=0)
    assert stats.parallel == 22  # the worker's 23 pages of 42 but the one that failed
    assert index.pages == expected.pages
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "boom" not in captured.err


def test_a_worker_result_marshal_cannot_hold_is_parsed_by_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk whose marshalling fails (nested deeper than marshal goes) still comes back: the
    page that cannot be marshalled as None, which the parent parses itself."""
    if not sys.platform.startswith("linux"):
        pytest.skip("relies on fork to patch the workers")
    from nemo_docs_lint import parse_codec

    docs = _tree(tmp_path / "docs", pages=40)
    expected, _ = _index(docs, use_cache=False)
    parent, real = os.getpid(), parse_codec.encode
    nested: list[object] = []
    for _ in range(3000):
        nested = [nested]
    with pytest.raises(ValueError):
        marshal.dumps(nested)

    def too_deep(frontmatter: object, body: object) -> object:
        entry = real(frontmatter, body)  # type: ignore[arg-type]
        if os.getpid() != parent and body.title == "Page 1":  # type: ignore[attr-defined]
            return (*entry, nested)  # type: ignore[misc]
        return entry

    monkeypatch.setattr(parse_codec, "encode", too_deep)
    index, stats = _index(docs, use_cache=False, parallel_threshold=0)
    assert stats.parallel == 22  # the worker's 23 pages of 42 but the one marshal cannot hold
    assert index.pages == expected.pages


def test_another_anchor_depth_or_tool_version_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nemo_docs_lint import parse_cache

    docs = _tree(tmp_path / "docs")
    _index(docs)
    (docs / "conf.py").write_text("myst_heading_anchors = 2\n")
    index, stats = _index(docs)
    assert (stats.parsed, stats.cached, stats.cache_invalid) == (14, 0, 1)
    assert [h.slug for h in index.pages["page-1"].body.headings] == [
        "page-1",
        "section-code-and-emphasis",
    ]
    monkeypatch.setattr(parse_cache, "__version__", "99.0")
    _, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (14, 0)
    _, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (0, 14)


def test_codec_round_trips_every_body_field() -> None:
    from nemo_docs_lint.frontmatter import Frontmatter
    from nemo_docs_lint.model import (
        CodeBlock,
        Heading,
        Include,
        ParsedBody,
        Reference,
        RefKind,
        Span,
    )
    from nemo_docs_lint.parse_codec import decode_many

    def at(line: int) -> Span:
        return Span(line, 1, line, 5)

    body = ParsedBody(
        references=(
            Reference(RefKind.LINK, "a.md", at(3), None, "the guide", at(3)),
            Reference(RefKind.IMAGE, "b.png", at(4)),
            Reference(RefKind.HTML_IMAGE, "c.png", at(5), None, "", None),
        ),
        headings=(Heading(1, "T", "t", at(1)), Heading(2, "R", "r", at(9), nested=True)),
        title="T",
        code_blocks=(CodeBlock("", at(6)), CodeBlock("python", at(7), "code-block")),
        prose=(1, 1, 3, 5),
        prose_marks=0b1000001,
        includes=(Include("_snippets/a.md", at(8)),),
    )
    entry = encode(Frontmatter(), body)
    assert decode(entry) == (Frontmatter(), body)
    assert decode_many([entry, entry]) == [(Frontmatter(), body)] * 2


def test_prose_ranges_are_checked_against_the_text() -> None:
    """A forged entry's prose line ranges must lie within its text's lines."""
    from nemo_docs_lint.parse import parse_text
    from nemo_docs_lint.parse_codec import fits

    text = PAGE.format(n=1, next=2)
    lines = text.count("\n") + 1
    entry = encode(*parse_text(text, True, 3))
    assert entry is not None
    spans, fm, body = entry
    prose = body[8]
    assert prose and fits(entry, text)
    assert not fits((spans, fm, (*body[:8], (*prose[:-1], lines + 1), body[9])), text)  # past it
    assert not fits((spans, fm, (*body[:8], (0, *prose[1:]), body[9])), text)  # before it
    assert fits((spans, fm, (*body[:8], (*prose[:-1], lines), body[9])), text)  # its last line


def test_prose_marks_must_be_an_int() -> None:
    """A forged entry's prose marks that are no int make it undecodable, never a crash."""
    from nemo_docs_lint.parse import parse_text
    from nemo_docs_lint.parse_codec import decode_many

    entry = encode(*parse_text("# T\n\nTODO: text.\n", True, 3))
    assert entry is not None
    assert decode(entry)[1].prose_marks == 1
    spans, fm, body = entry
    forged = (spans, fm, (*body[:9], (0, 4)))
    with pytest.raises(CodecError):
        decode(forged)
    assert decode_many([entry, forged]) == [decode(entry), None]


@pytest.mark.parametrize(
    "forge",
    [
        lambda flat, lines, size: (-5, *flat[1:]),  # a negative line
        lambda flat, lines, size: (flat[0], 0, *flat[2:]),  # column 0
        lambda flat, lines, size: (lines + 3, flat[1], lines + 3, *flat[3:]),  # past the end
        lambda flat, lines, size: (flat[0], size + 9, flat[2], size + 10, *flat[4:]),  # too wide
        lambda flat, lines, size: (flat[0] + 1, flat[1], flat[0], *flat[3:]),  # ends first
    ],
)
def test_entries_with_a_recomputed_checksum_are_checked_against_the_text(
    tmp_path: Path, forge
) -> None:
    """A forged cache file (valid checksum, right types) cannot inject impossible positions:
    decoded spans are checked against the text they are bound to, and such entries re-parsed."""
    docs = _tree(tmp_path / "docs")
    first, _ = _index(docs)
    fresh = lint(LintRequest(paths=(docs,), use_cache=False), cwd=tmp_path).diagnostics
    cache = _snapshot(docs)
    cache.load()
    texts = {p.path: p.text for p in first.pages.values()}
    by_digest = {
        hashlib.sha256(p.text.encode()).hexdigest()[:32]: p.text for p in first.pages.values()
    }
    forged = 0
    for key, stored in list(cache._old.items()):
        text = by_digest.get(key.split(":")[0])
        entry = None if text is None else load_entry(stored)
        if text is None or not entry[0]:
            continue
        spans = forge(entry[0], text.count("\n") + 1, len(text))
        cache.put(key, (spans, *entry[1:]))
        forged += 1
    assert forged >= 12 and texts
    cache.save()  # writes a valid checksum over the forged entries
    second, stats = _index(docs)
    assert second.pages == first.pages
    assert stats.snapshot is not None and stats.snapshot.invalid >= forged
    assert lint(LintRequest(paths=(docs,)), cwd=tmp_path).diagnostics == fresh


def test_a_parsed_page_says_whether_it_includes_from_its_parse_result() -> None:
    """Only a page whose parse result is not decoded yet searches its text for the directive
    (two searches through every page cost a cold 10k-page lint ~0.15 s)."""
    from nemo_docs_lint.markdown import parse_markdown
    from nemo_docs_lint.model import Frontmatter, Include, Page, ParsedBody, Span

    include = Include("part.md", Span(3, 12, 3, 19))
    body = ParsedBody(includes=(include,))
    # a text that does not name the directive, with a parse result that has an include:
    # the parse result answers
    assert Page("a.md", "a", "# A\n", Frontmatter(), body).has_includes
    assert not Page("b.md", "b", "# B\n", Frontmatter(), ParsedBody()).has_includes
    text = "# C\n\n```{include} part.md\n```\n"
    assert Page("c.md", "c", text, Frontmatter(), parse_markdown(text, 1, 3)).has_includes


def test_snapshot_is_bound_to_the_parser_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parse results made by other scanner code are never served: the snapshot's header holds
    the parser's code key, so another key finds no entry (every page parsed again)."""
    from nemo_docs_lint import parse_cache

    docs = _tree(tmp_path / "docs")
    _index(docs)
    _, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (0, 14)
    monkeypatch.setattr(parse_cache, "_code_key", lambda: "another scanner")
    _, stats = _index(docs)
    assert (stats.parsed, stats.cached, stats.cache_invalid) == (14, 0, 1)
    _, stats = _index(docs)
    assert (stats.parsed, stats.cached) == (0, 14)


def test_parser_code_key_follows_the_parser_modules(tmp_path: Path) -> None:
    """An edit to any scanner module (or another parser module) changes the key; an edit to
    a module no parse result depends on does not."""
    from nemo_docs_lint import parse_cache

    package = Path(parse_cache.__file__).parent
    root = tmp_path / "pkg"
    for rel in ["markdown/inline.py", "markdown/blocks.py", "frontmatter.py", "cli.py"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes((package / rel).read_bytes())
    key = parse_cache.parser_code_key(root)
    assert key == parse_cache.parser_code_key(root)
    with (root / "cli.py").open("a") as f:
        f.write("# not the parser\n")
    assert parse_cache.parser_code_key(root) == key
    for rel in ["markdown/inline.py", "frontmatter.py"]:
        before = parse_cache.parser_code_key(root)
        with (root / rel).open("a") as f:
            f.write("# changed\n")
        assert parse_cache.parser_code_key(root) != before
    new_module = root / "markdown" / "tables.py"
    before = parse_cache.parser_code_key(root)
    new_module.write_text("X = 1\n")
    assert parse_cache.parser_code_key(root) != before
    before = parse_cache.parser_code_key(root)
    compiled = root / "markdown" / f"inline{importlib.machinery.EXTENSION_SUFFIXES[0]}"
    compiled.write_bytes(b"\x7fELF compiled")  # a compiled build's module beside its source
    assert parse_cache.parser_code_key(root) != before
    before = parse_cache.parser_code_key(root)
    (root / "markdown" / "notes.txt").write_text("not code\n")
    assert parse_cache.parser_code_key(root) == before
