"""The check stage on a warm tree: run only the rules whose findings can have changed since the
stored state (`lint_state`), reuse the others' findings, and store the new state.

- Same layout (documents, files, unreadable ones, twins) and every page's content unchanged:
  every finding comes from the state; no rule runs.
- Some pages' content changed: their page rules run again, and those of every page whose
  recorded look-ups (`lookups.Recorder`) the change answers differently: a page's anchors when
  its headings or labels moved, the label table when its labels moved. The tree rules run again
  only when what they read of a changed page moved (`lookups.tree_signature`). This is the
  incremental index's rule (`incremental.py`), applied to the state of the last run.
- Anything else (a file added or removed, another file's stat changed or too recent to trust,
  a changed page with includes or included, no state,
  a state that fails validation, the page's former parse result unknown): every rule runs, with
  the look-ups recorded for the next run.

Network rules (EXT) are never stored: the caller runs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .about import TargetTable, span_starts, target_table
from .context import CheckContext
from .index import DocsIndex
from .lint_state import (
    CodedFindings,
    Found,
    LintState,
    PageRecord,
    StateError,
    Stored,
    decode_findings,
    encode_findings,
    layout_digest,
    text_digest,
    valid_lookups,
)
from .lookups import LABELS, Key, Recorder, body_signature, tracked
from .model import Finding, Page
from .parse import ParseStats
from .parse_cache import load_entry
from .parse_codec import decode_many
from .registry import Rule, Scope


@dataclass
class Checked:
    """What the check stage found: findings by rule code, the index the rules ran on, and how
    much ran (`rechecked` pages; `tree` whether the tree rules ran)."""

    findings: dict[str, list[Finding]]
    index: DocsIndex
    rechecked: int
    tree: bool
    tables: dict[str, TargetTable]  # `about.target_table` of every path with findings


@dataclass
class _Plan:
    recheck: set[str]
    tree: bool


def check_warm(
    rules: list[Rule],
    index: DocsIndex,
    context: CheckContext,
    stats: ParseStats,
    cache_dir: Path,
    binding: str,
) -> Checked:
    """Run the page and tree rules among `rules` that the stored state does not answer."""
    local = [rule for rule in rules if rule.scope is not Scope.NETWORK]
    state = LintState(cache_dir, index.docs_root, binding, local)
    state.load()
    stored = state.stored()
    recorder = Recorder()
    index = tracked(index, recorder)
    context.set_index(index)
    layout = layout_digest(index)
    plan = None
    if stored is not None and layout and stored.layout == layout:
        plan = _plan(stored, index, stats)
    codes = frozenset(rule.code for rule in local)
    pages: dict[str, PageRecord] = {}
    reused: dict[str, Found] = {}
    tree: CodedFindings = ()
    tree_found: Found | None = None
    if plan is not None and stored is not None:
        try:
            pages, reused, tree_found = _reuse(stored, plan, codes)
            tree = stored.tree
        except StateError:
            plan = None
    whole = plan is None or stored is None
    if plan is None:
        plan, pages, reused, tree_found = _Plan(set(index.pages), True), {}, {}, None
    context.partial = not whole
    runner = _Runner(local, context, recorder)
    for docname in sorted(plan.recheck):
        page = dict.__getitem__(index.pages, docname)
        pages[docname] = runner.page_record(page, stats.digests[docname])
        reused[docname] = runner.found
    if plan.tree:
        tree_found = runner.tree(index)
        tree = encode_findings(tree_found)
    by_code: dict[str, list[Finding]] = {rule.code: [] for rule in local}
    for docname in index.pages:
        _add(by_code, reused[docname])
    _add(by_code, tree_found or [])
    redo = None if whole or plan.tree or stored is None else _moved_paths(plan, stored, reused)
    tables = _tables(by_code, index, redo, {} if stored is None else stored.about)
    if plan.recheck or plan.tree:
        included = index.included if whole or stored is None else stored.included
        parses = _parses(pages, stored, stats)
        state.store(Stored(layout, pages, tree, included, tables, parses))
        state.save()
    return Checked(by_code, index, len(plan.recheck), plan.tree, tables)


def _moved_paths(plan: _Plan, stored: Stored, found: dict[str, Found]) -> set[str]:
    """Paths whose findings a partial check may have changed: those of the re-checked pages'
    findings, before and after."""
    paths: set[str] = set()
    for docname in plan.recheck:
        paths.update(finding.path for _, finding in found[docname])
        for item in stored.pages[docname][2]:
            paths.add(item[1] if type(item) is tuple and len(item) > 1 else "")
    return paths


def _tables(
    by_code: dict[str, list[Finding]],
    index: DocsIndex,
    redo: set[str] | None,
    stored: dict[str, TargetTable],
) -> dict[str, TargetTable]:
    """`about.target_table` of every path with findings: worked out again for the paths in
    `redo` (None: all) and those the state lacks, the others' from the state."""
    pages = index.by_path
    every = [f for found in by_code.values() for f in found]
    tables = {f.path: stored[f.path] for f in every if f.path in stored}
    redone = every if redo is None else [f for f in every if f.path in redo or f.path not in tables]
    for path, starts in span_starts(redone).items():
        page = pages.get(path)
        tables[path] = target_table(page, starts) if page is not None else {}
    return tables


def _add(by_code: dict[str, list[Finding]], found: Found) -> None:
    for code, finding in found:
        by_code[code].append(finding)


def _reuse(
    stored: Stored, plan: _Plan, codes: frozenset[str]
) -> tuple[dict[str, PageRecord], dict[str, Found], Found | None]:
    """The stored page records to keep (all but the re-checked pages'), their findings and
    the tree rules' (None: they run again); StateError when a stored finding is malformed."""
    pages = {d: record for d, record in stored.pages.items() if d not in plan.recheck}
    found = {d: decode_findings(record[2], codes) for d, record in pages.items()}
    return pages, found, None if plan.tree else decode_findings(stored.tree, codes)


def _plan(stored: Stored, index: DocsIndex, stats: ParseStats) -> _Plan | None:
    """What to re-check after the content changes since `stored`; None: everything."""
    digests = stats.digests
    if stored.pages.keys() != index.pages.keys() or digests.keys() != index.pages.keys():
        return None
    changed = [d for d, record in stored.pages.items() if record[0] != digests[d]]
    if not changed:
        return _Plan(set(), False)
    keys: set[Key] = set()
    tree = False
    included = stored.included  # no partial check changes it
    for docname in changed:
        page = dict.__getitem__(index.pages, docname)
        old = _former(stored, stats, page, stored.pages[docname][0])
        if old is None or docname in included or old.body.includes or page.has_includes:
            return None
        if (old.body.headings, old.body.labels) != (page.body.headings, page.body.labels):
            keys.add(("anchors", docname))
        if old.body.labels != page.body.labels:
            keys.add(LABELS)
        tree = tree or body_signature(old) != body_signature(page)
        tree = tree or stored.pages[docname][1] != text_digest(page)
    recheck = set(changed)
    for docname, record in stored.pages.items():
        looked_up = record[3]
        if not keys.isdisjoint(looked_up):
            if not valid_lookups(looked_up):
                return None
            recheck.add(docname)
    return _Plan(recheck, tree)


def _former(stored: Stored, stats: ParseStats, page: Page, digest: str) -> Page | None:
    """The page as the stored state saw it (its text left out: `text_digest` stands for it),
    from the parse result the state or the snapshot file keeps under its digest."""
    entry = stored.parses.get(digest)
    if entry is None and stats.snapshot is not None:
        entry = stats.snapshot.loaded(digest)
    if entry is None:
        return None
    decoded = decode_many([load_entry(entry)])[0]
    if decoded is None:
        return None
    return Page(page.path, page.docname, "", *decoded)


def _parses(
    pages: dict[str, PageRecord], stored: Stored | None, stats: ParseStats
) -> dict[str, object]:
    """The parse results of the pages the snapshot file does not hold."""
    snapshot = stats.snapshot
    if snapshot is None:
        return {}
    kept: dict[str, object] = {}
    for record in pages.values():
        digest = record[0]
        if snapshot.on_disk(digest) is None:
            entry = snapshot.used(digest)
            if entry is None and stored is not None:
                entry = stored.parses.get(digest)
            if entry is not None:
                kept[digest] = entry
    return kept


class _Runner:
    """Runs the page rules of one page at a time (recording its look-ups) and the tree rules."""

    def __init__(self, rules: Iterable[Rule], context: CheckContext, recorder: Recorder) -> None:
        rules = list(rules)
        self.page_rules = [rule for rule in rules if rule.scope is Scope.PAGE]
        self.tree_rules = [rule for rule in rules if rule.scope is Scope.TREE]
        self.context = context
        self.recorder = recorder
        self.found: Found = []  # the findings of the page checked last

    def page_record(self, page: Page, digest: str) -> PageRecord:
        keys: set[Key] = set()
        self.recorder.keys = keys
        try:
            found = [(r.code, f) for r in self.page_rules for f in r.check(page, self.context)]
        finally:
            self.recorder.keys = None
        self.found = found
        return digest, text_digest(page), encode_findings(found), frozenset(keys)

    def tree(self, index: DocsIndex) -> Found:
        return [(r.code, f) for r in self.tree_rules for f in r.check(index, self.context)]
