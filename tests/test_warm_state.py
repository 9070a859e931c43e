"""The stored linted state (`lint_state`, `warm`): a warm run re-checks only what a change
reaches and reports exactly what a `--no-cache` run reports, after every one of many random
edits and several runs in a row; a truncated, corrupted, foreign or forged state is ignored and
rewritten, never trusted."""

from __future__ import annotations

import marshal
import os
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import GOOD_FRONTMATTER, write_tree
from test_incremental import TREE, _edit, _from_scratch

from nemo_docs_lint import cache_file, parse, warm
from nemo_docs_lint.cache_file import MAGIC, checksum
from nemo_docs_lint.engine import LintRequest, lint, resolve_config
from nemo_docs_lint.lint_state import LintState, chunk_of
from nemo_docs_lint.parse_cache import snapshot_binding
from nemo_docs_lint.registry import Scope, all_rules
from nemo_docs_lint.selection import enabled_rules

PAST_NS = 1_500_000_000 * 10**9


def _warm(root: Path) -> list:
    _age_other_files(root)
    return lint(LintRequest(paths=(root,))).diagnostics


def _age_other_files(root: Path) -> None:
    """Date the files that are no documents well before now: the state trusts their stat only
    then (documents are compared by content, whatever their dates). A file dated so already is
    left alone: dating it again would give it a new ctime, which the state also compares."""
    for path in root.rglob("*"):
        cache = ".nemo-docs-lint-cache" in path.parts
        other = path.is_file() and path.suffix not in (".md", ".rst") and not cache
        if other and path.stat().st_mtime_ns != PAST_NS:
            os.utime(path, ns=(PAST_NS, PAST_NS))


@pytest.mark.parametrize(("seed", "yaml_loaded"), [(4, True), (5, False), (6, False)])
def test_warm_runs_after_random_edits_match_no_cache_runs(
    tmp_path: Path,
    seed: int,
    yaml_loaded: bool,
    checks: list[warm.Checked],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`yaml_loaded=False`: as in a run of its own, each page whose block an edit left as it
    was takes its stored frontmatter (`parse._known_frontmatter`)."""
    monkeypatch.setattr(parse, "_yaml_loaded", lambda: yaml_loaded)
    root = write_tree(tmp_path / "docs", TREE)
    rng = random.Random(seed)
    counter = [0]
    partial = 0
    for step in range(100):
        expected = _from_scratch(root)
        assert _warm(root) == expected, f"step {step}"
        assert _warm(root) == expected, f"step {step}, second run"
        first, second = checks[-2:]
        assert (second.rechecked, second.tree) == (0, False)  # all from the state
        if 0 < first.rechecked < len(first.index.pages):
            partial += 1
        _edit(rng, root, counter)
    assert partial > 20  # many edits re-checked only part of the tree (not: files added or
    # removed, pages with includes)


def _big_tree(root: Path, pages: int = 150) -> Path:
    files = {"conf.py": "", "index.md": "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n"}
    for n in range(pages):
        front = GOOD_FRONTMATTER.replace("one node.", f"one node: {n}.")
        files[f"page-{n}.md"] = f"{front}\n# Page {n}\n\n## Part\n\n[next](page-{n + 1}.md#part)\n"
    return write_tree(root, files)


def test_a_text_edit_rechecks_that_page_alone_run_after_run(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """Each further edit of one page of 150 is compared with what the page was (its parse
    result kept by the snapshot's delta or the state)."""
    root = _big_tree(tmp_path / "docs")
    _warm(root)
    page = root / "page-7.md"
    original = page.read_text(encoding="utf-8")
    for n in range(3):
        page.write_text(original + f"\nMore words {n}.\n", encoding="utf-8")
        assert _warm(root) == _from_scratch(root)
        assert (checks[-1].rechecked, checks[-1].tree) == (1, False)


def test_a_renamed_heading_rechecks_the_pages_linking_to_it(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    root = _big_tree(tmp_path / "docs")
    _warm(root)
    page = root / "page-7.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Part", "## Piece"))
    diagnostics = _warm(root)
    assert diagnostics == _from_scratch(root)
    assert (checks[-1].rechecked, checks[-1].tree) == (2, True)  # page-6 links to page-7#part
    [broken] = [d for d in diagnostics if d.path == "page-6.md" and d.code == "LNK002"]
    assert (broken.line, broken.column) == (15, 8)


def test_a_new_page_checks_everything_again(tmp_path: Path, checks: list[warm.Checked]) -> None:
    root = _big_tree(tmp_path / "docs", pages=10)
    _warm(root)
    write_tree(root, {"page-10.md": "# Ten\n"})
    assert _warm(root) == _from_scratch(root)
    assert (checks[-1].rechecked, checks[-1].tree) == (12, True)


def test_a_partial_check_writes_back_the_tree_findings_as_they_were_read(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """Unchanged tree findings are written back as the bytes they were read as, not marshalled
    again (marshal can give equal values other bytes: a text shared by a live object when
    written is marked as shared), so that the state's delta leaves them out: the delta of
    two pre-commit runs in a row holds no tree findings."""
    root = _big_tree(tmp_path / "docs")
    (root / "guide").mkdir()
    (root / "guide" / "stray.md").write_text("# Stray\n\nIn no toctree.\n", encoding="utf-8")
    _warm(root)
    state = _state(root)
    stored = state.stored()
    assert stored is not None
    stored.decode()
    assert any(row[0] == "TOC002" for row in stored.tree)  # the orphan: a tree finding
    base = state.path.read_bytes()
    page = root / "page-7.md"
    named = LintRequest(paths=(page,))  # a pre-commit run: decodes the findings it reports
    for n in range(2):
        page.write_text(page.read_text(encoding="utf-8") + f"\nWords {n}.\n", encoding="utf-8")
        found = lint(named).diagnostics
        assert (checks[-1].rechecked, checks[-1].tree) == (1, False)
        assert found == lint(replace(named, use_cache=False)).diagnostics
    assert state.path.read_bytes() == base
    content = state._payload(state.delta_path.read_bytes())
    assert content is not None
    _, whole, nested, _ = content[len(state.header) :]
    assert "pages" in nested and "tree" not in whole


def _state(root: Path) -> LintState:
    config = resolve_config(LintRequest(paths=(root,)))
    rules = enabled_rules(all_rules(), config.select, config.extend_select, config.ignore)
    local = [rule for rule in rules if rule.scope is not Scope.NETWORK]
    assert config.cache_dir is not None
    state = LintState(config.cache_dir, config.docs_root, snapshot_binding(config), local)
    state.load()
    return state


def _signed(state: LintState, entries: dict[str, object]) -> bytes:
    payload = marshal.dumps((*state.header, entries))
    return MAGIC + checksum(payload) + b"\n" + payload


def _records(entries: dict[str, object]) -> dict[str, tuple]:
    """docname -> (text signature digest, findings, look-ups), from the state's page groups."""
    groups = entries["pages"]
    assert isinstance(groups, dict)
    return {d: r for blob in groups.values() for d, r in marshal.loads(blob).items()}


def _with_records(
    entries: dict[str, object], records: dict[str, tuple], paths: dict | None = None
) -> dict[str, object]:
    """`entries` holding `records` (grouped as `store` groups them) and their findings' paths
    (`paths`, or those of their findings)."""
    groups: dict[int, dict[str, tuple]] = {}
    for docname, record in records.items():
        groups.setdefault(chunk_of(docname), {})[docname] = record
    if paths is None:
        paths = {d: tuple(dict.fromkeys(f[1] for f in r[1])) for d, r in records.items()}
    pages = {chunk: marshal.dumps(group) for chunk, group in groups.items()}
    return {**entries, "pages": pages, "paths": paths}


def _lie(entries: dict[str, object]) -> dict[str, object]:
    """Well-formed entries that say every page is fine."""
    records = {d: (r[0], (), r[2]) for d, r in _records(entries).items()}
    return {**_with_records(entries, records), "tree": marshal.dumps(())}


def _forged(
    entries: dict[str, object], finding: object, docname: str | None = None
) -> dict[str, object]:
    """Entries whose page `docname` (by default the first with findings) holds `finding`
    first among its findings, the page's finding paths naming its path."""
    records = _records(entries)
    if docname is None:
        docname = next(d for d in sorted(records) if records[d][1])
    signature, found, looked_up = records[docname]
    forged = _with_records(entries, records)
    paths = dict(forged["paths"])  # type: ignore[call-overload]
    if type(finding) is tuple and len(finding) > 1 and finding[1] not in paths[docname]:
        paths[docname] = (*paths[docname], finding[1])
    records[docname] = (signature, (finding, *found[1:]), looked_up)
    return {**_with_records(entries, records, paths), "paths": paths}


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda state, raw: raw[: len(raw) // 3], id="truncated"),
        pytest.param(lambda state, raw: raw[:-7] + b"\x00" * 7, id="corrupted"),
        pytest.param(lambda state, raw: b"not a state at all", id="garbage"),
        pytest.param(lambda state, raw: _signed(state, {"pages": []}), id="wrong-shape"),
        pytest.param(
            lambda state, raw: _signed(
                state, {**state._old, "about": {"page-3.md": {(1, 1): frozenset({5})}}}
            ),
            id="bad-target-table",
        ),
        pytest.param(
            lambda state, raw: _signed(state, {**state._old, "included": frozenset({7})}),
            id="bad-included",
        ),
        pytest.param(
            lambda state, raw: _signed(state, {**state._old, "tree": b"\xff not marshal"}),
            id="tree-not-marshalled",
        ),
        pytest.param(
            lambda state, raw: _signed(state, {**state._old, "tree": marshal.dumps({1: 2})}),
            id="tree-not-a-tuple",
        ),
        pytest.param(
            lambda state, raw: _signed(state, {**state._old, "tree": ()}),
            id="tree-not-marshalled-apart",
        ),
        pytest.param(
            lambda state, raw: _signed(
                state, _forged(state._old, ("ZZ999", "index.md", 1, 1, 1, 2, "m", "", None))
            ),
            id="unknown-code",
        ),
        pytest.param(
            lambda state, raw: _signed(
                state, _forged(state._old, ("FM001", "index.md", "1", 1, 1, 2, "m", "", None))
            ),
            id="bad-type",
        ),
        pytest.param(
            lambda state, raw: _signed(
                state, _forged(state._old, ("FM001", "index.md", 1, 1, 1, 2, "m", "", (1, 2)))
            ),
            id="bad-fix",
        ),
    ],
)
def test_a_damaged_state_is_ignored_and_rewritten(
    tmp_path: Path, damage: Callable[[LintState, bytes], bytes], checks: list[warm.Checked]
) -> None:
    root = _big_tree(tmp_path / "docs", pages=10)
    (root / "page-3.md").write_text("# No frontmatter\n\n[x](nowhere.md)\n", encoding="utf-8")
    expected = _from_scratch(root)
    assert _warm(root) == expected
    state = _state(root)
    state.path.write_bytes(damage(state, state.path.read_bytes()))
    assert _warm(root) == expected
    assert (checks[-1].rechecked, checks[-1].tree) == (11, True)  # everything checked again
    assert _warm(root) == expected
    assert (checks[-1].rechecked, checks[-1].tree) == (0, False)  # the rewritten state serves


def test_a_foreign_state_is_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[warm.Checked]
) -> None:
    """A state signed with another user's key (e.g. committed to a repository) that says
    every page is fine fails the keyed checksum."""
    root = _big_tree(tmp_path / "docs", pages=10)
    (root / "page-3.md").write_text("# No frontmatter\n", encoding="utf-8")
    expected = _from_scratch(root)
    assert expected
    _warm(root)
    state = _state(root)
    with monkeypatch.context() as other_user:
        other_user.setattr(cache_file, "cache_key", lambda: b"k" * 32)
        forged = _signed(state, _lie(state._old))
    state.path.write_bytes(forged)
    assert _warm(root) == expected
    assert (checks[-1].rechecked, checks[-1].tree) == (11, True)


def test_the_state_is_bound_to_the_rule_selection(tmp_path: Path) -> None:
    root = _big_tree(tmp_path / "docs", pages=10)
    (root / "page-3.md").write_text("# No frontmatter\n\n[x](nowhere.md)\n", encoding="utf-8")
    everything = _warm(root)
    only_links = lint(LintRequest(paths=(root,), select=("LNK",))).diagnostics
    assert (
        only_links == lint(LintRequest(paths=(root,), select=("LNK",), use_cache=False)).diagnostics
    )
    assert {d.code for d in only_links} == {"LNK001", "LNK002"}
    assert _warm(root) == everything


def test_two_selections_in_turn_keep_their_own_states(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """A hook's `--select LNK` run between full runs overwrites no state: both stay warm."""
    root = _big_tree(tmp_path / "docs", pages=10)
    everything = _warm(root)
    links = lint(LintRequest(paths=(root,), select=("LNK",))).diagnostics
    for _ in range(2):
        assert _warm(root) == everything
        assert (checks[-1].rechecked, checks[-1].tree) == (0, False)
        assert lint(LintRequest(paths=(root,), select=("LNK",))).diagnostics == links
        assert (checks[-1].rechecked, checks[-1].tree) == (0, False)


def test_cli_output_is_that_of_no_cache_runs_edit_after_edit(tmp_path: Path, cli: Callable) -> None:
    """Every format, the whole tree and one named page (pre-commit's call), three edits in a
    row: the warm output is byte for byte the `--no-cache` one."""
    from nemo_docs_lint.reporters import FORMATS

    root = _big_tree(tmp_path / "docs", pages=20)
    _age_other_files(root)
    page = root / "page-4.md"
    for n in range(3):
        page.write_text(page.read_text(encoding="utf-8") + f"\n[n](page-{n}.md#nope)\n")
        for named in (["docs"], ["docs/page-4.md"], ["docs/page-3.md"]):
            for fmt in FORMATS:
                warm_run = cli(*named, "--format", fmt)
                cold_run = cli(*named, "--format", fmt, "--no-cache")
                assert (warm_run.exit_code, warm_run.stdout) == (
                    cold_run.exit_code,
                    cold_run.stdout,
                ), (n, named, fmt)


def test_a_changed_snippet_an_unchanged_page_includes_is_seen(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """An included file that is no document: its headings are its includer's anchors."""
    root = _big_tree(tmp_path / "docs", pages=10)
    write_tree(root, {"snippet.txt": "## Snip\n\nText.\n"})
    page = root / "page-2.md"
    page.write_text(page.read_text() + "\n```{include} snippet.txt\n```\n", encoding="utf-8")
    (root / "page-5.md").write_text("# Five\n\n[s](page-2.md#snip)\n", encoding="utf-8")
    assert _warm(root) == _from_scratch(root)
    snippet = root / "snippet.txt"
    snippet.write_text("## Snipped\n\nText.\n", encoding="utf-8")
    diagnostics = _warm(root)
    assert diagnostics == _from_scratch(root)
    assert (checks[-1].rechecked, checks[-1].tree) == (11, True)
    [broken] = [d for d in diagnostics if d.path == "page-5.md" and d.code == "LNK002"]
    assert (broken.line, broken.column) == (3, 5)


def test_pre_commit_reports_findings_about_the_named_page_from_the_state(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """A finding of page-6 about page-7 (its link's target) is reported when page-7 is named,
    also when page-6 was not checked again (its target table comes from the state)."""
    root = _big_tree(tmp_path / "docs", pages=10)
    page = root / "page-7.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Part", "## Piece"))
    _warm(root)
    named = LintRequest(paths=(page,))
    for n in range(2):
        page.write_text(page.read_text(encoding="utf-8") + f"\nWords {n}.\n", encoding="utf-8")
        found = lint(named).diagnostics
        assert (checks[-1].rechecked, checks[-1].tree) == (1, False)
        assert found == lint(replace(named, use_cache=False)).diagnostics
        assert [(d.path, d.code) for d in found if d.path != "page-7.md"] == [
            ("page-6.md", "LNK002")
        ]


def test_a_partial_check_keeps_the_schema_problems_of_the_pages_it_did_not_check(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """Else the next full check (a page added) would validate every page's frontmatter again."""
    from nemo_docs_lint.schema_cache import ProblemStore

    root = _big_tree(tmp_path / "docs", pages=10)
    _warm(root)
    page = root / "page-7.md"
    page.write_text(page.read_text(encoding="utf-8").replace("one node: 7", "a node: 7"))
    _warm(root)
    assert checks[-1].rechecked == 1
    config = resolve_config(LintRequest(paths=(root,)))
    store = ProblemStore(config.cache_dir, config.docs_root)
    stored = store._cache()
    assert stored is not None
    assert len(stored) == 1 + 10 + 1  # the schema's mark, ten pages, page-7 as it was and is


def _codes_and_targets(root: Path) -> list[tuple[str, str, int]]:
    return [(d.code, d.path, d.line) for d in _warm(root)]


def _no_cache(root: Path) -> list[tuple[str, str, int]]:
    found = lint(LintRequest(paths=(root,), use_cache=False)).diagnostics
    return [(d.code, d.path, d.line) for d in found]


def test_a_path_outside_the_tree_or_a_folder_coming_into_being_is_seen(tmp_path: Path) -> None:
    """A link to a file beside the docs root, or to a folder, is answered by the disk, not by
    the tree's files: when that answer changes the stored findings are not reused."""
    repo = tmp_path / "repo"
    docs = repo / "docs"
    write_tree(
        docs,
        {
            "conf.py": "",
            "index.md": "# Home\n\nSee [the notes](../notes.txt) and [sub](sub/).\n\n"
            "```{toctree}\nother\n```\n",
            "other.md": "# Other\n\nText.\n",
        },
    )
    before = _codes_and_targets(docs)
    assert before == _codes_and_targets(docs) == _no_cache(docs)
    assert [code for code, _, _ in before].count("LNK001") == 2
    (repo / "notes.txt").write_text("notes\n")
    (docs / "sub").mkdir()
    after = _codes_and_targets(docs)
    assert after == _no_cache(docs)
    assert "LNK001" not in [code for code, _, _ in after]
    (repo / "notes.txt").unlink()
    assert _codes_and_targets(docs) == _no_cache(docs)
    assert [code for code, _, _ in _codes_and_targets(docs)].count("LNK001") == 1


def test_a_file_included_from_outside_the_tree_is_bound(tmp_path: Path) -> None:
    """`{include} ../README.md`: the file is no document and not in the tree, yet its labels
    count; a change to it re-checks what its labels answer."""
    repo = tmp_path / "repo"
    docs = repo / "docs"
    (repo / "README.md").parent.mkdir(parents=True)
    (repo / "README.md").write_text("# Read me\n")
    os.utime(repo / "README.md", ns=(PAST_NS, PAST_NS))  # a stat that can be trusted
    write_tree(
        docs,
        {
            "conf.py": "",
            "index.md": "# Home\n\n```{include} ../README.md\n```\n\n```{toctree}\nother\n```\n",
            "other.md": "# Other\n\nSee {ref}`lab`.\n",
        },
    )
    before = _codes_and_targets(docs)
    assert ("LNK003", "other.md", 3) in before
    assert before == _codes_and_targets(docs) == _no_cache(docs)
    (repo / "README.md").write_text("(lab)=\n# Read me\n")
    os.utime(repo / "README.md", ns=(PAST_NS + 10**9, PAST_NS + 10**9))
    after = _codes_and_targets(docs)
    assert ("LNK003", "other.md", 3) not in after
    assert after == _no_cache(docs)


def _read_paths(checked: warm.Checked) -> set[str]:
    return {finding.path for found in checked.findings.values() for finding in found}


def test_a_named_page_reads_only_the_stored_findings_its_report_can_show(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """Pre-commit naming page-7: of the stored findings, those of page-7 and those about it
    (page-6's broken link into it) are read; page-3's, about nothing named, are not."""
    root = _big_tree(tmp_path / "docs", pages=10)
    (root / "page-3.md").write_text("# No frontmatter\n\n[x](nowhere.md)\n", encoding="utf-8")
    page = root / "page-7.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## Part", "## Piece"))
    everything = _warm(root)
    assert {d.path for d in everything} >= {"page-3.md", "page-6.md", "page-7.md"}
    assert _read_paths(checks[-1]) == {d.path for d in everything}  # the whole tree: all read
    named = LintRequest(paths=(page,))
    page.write_text(page.read_text(encoding="utf-8") + "\nWords.\n", encoding="utf-8")
    found = lint(named).diagnostics
    assert (checks[-1].rechecked, checks[-1].tree) == (1, False)
    assert _read_paths(checks[-1]) == {"page-6.md", "page-7.md"}
    assert found == lint(replace(named, use_cache=False)).diagnostics
    assert [(d.path, d.code) for d in found if d.path != "page-7.md"] == [("page-6.md", "LNK002")]
    found = lint(named).diagnostics  # nothing changed since: the same from the state alone
    assert (checks[-1].rechecked, checks[-1].tree) == (0, False)
    assert _read_paths(checks[-1]) == {"page-6.md", "page-7.md"}
    assert found == lint(replace(named, use_cache=False)).diagnostics


def test_a_forged_finding_a_named_run_does_not_read_is_found_by_the_next_full_run(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """Page-3's stored finding with a text line number: a run naming page-7 does not read it
    (its report cannot show it) and reports what `--no-cache` does; the whole tree's next run
    reads it, finds it malformed and checks everything again."""
    root = _big_tree(tmp_path / "docs", pages=10)
    (root / "page-3.md").write_text("# No frontmatter\n", encoding="utf-8")
    expected = _from_scratch(root)
    _warm(root)
    state = _state(root)
    first = _records(state._old)["page-3"][1][0]
    forged = (first[0], "page-3.md", "1", *first[3:])
    state.path.write_bytes(_signed(state, _forged(state._old, forged, "page-3")))
    named = LintRequest(paths=(root / "page-7.md",))
    assert lint(named).diagnostics == lint(replace(named, use_cache=False)).diagnostics
    assert (checks[-1].rechecked, checks[-1].tree) == (0, False)  # the state served
    assert _warm(root) == expected
    assert (checks[-1].rechecked, checks[-1].tree) == (11, True)


def test_a_stored_finding_of_the_wrong_shape_in_the_tree_rules_is_never_trusted(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """A stored tree-rule finding that is no tuple of the encoded length: even a run whose
    report cannot show it checks everything again (choosing them by path reads them all)."""
    root = _big_tree(tmp_path / "docs", pages=10)
    (root / "page-3.md").write_text("# No frontmatter\n", encoding="utf-8")
    _warm(root)
    state = _state(root)
    tree = marshal.loads(state._old["tree"])  # type: ignore[arg-type]  # bytes: marshalled
    assert isinstance(tree, tuple)
    forged = {**state._old, "tree": marshal.dumps((("TOC002", "page-3.md"), *tree))}
    state.path.write_bytes(_signed(state, forged))
    named = LintRequest(paths=(root / "page-7.md",))
    assert lint(named).diagnostics == lint(replace(named, use_cache=False)).diagnostics
    assert (checks[-1].rechecked, checks[-1].tree) == (11, True)


def test_a_page_record_with_findings_outside_its_stored_paths_is_never_trusted(
    tmp_path: Path, checks: list[warm.Checked]
) -> None:
    """The paths a state keeps beside each page record (what choosing findings by path reads)
    must be those of the record's findings, else the state is ignored."""
    root = _big_tree(tmp_path / "docs", pages=10)
    (root / "page-3.md").write_text("# No frontmatter\n", encoding="utf-8")
    expected = _from_scratch(root)
    _warm(root)
    state = _state(root)
    paths = dict(state._old["paths"])  # type: ignore[call-overload]
    assert paths["page-3"] == ("page-3.md",)
    paths["page-3"] = ()
    state.path.write_bytes(_signed(state, {**state._old, "paths": paths}))
    assert _warm(root) == expected
    assert (checks[-1].rechecked, checks[-1].tree) == (11, True)
