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
  a path outside the tree, a folder or a glob answering otherwise than last time, a file
  included from outside the tree changed (`disk_answers`),
  a changed page with includes or included, no state,
  a state that fails validation, the page's former parse result unknown): every rule runs, with
  the look-ups recorded for the next run.

Network rules (EXT) are never stored: the caller runs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path

from .about import ChangeTarget, TargetTable, names_about, target_table, wanted_paths
from .context import CheckContext
from .disk_answers import still_hold
from .filter import ReportScope
from .index import DocsIndex
from .lint_state import (
    CodedFindings,
    Found,
    LintState,
    PageRecord,
    StateError,
    Stored,
    StoredPages,
    check_rows,
    check_shape,
    decode_rows,
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
from .report_cache import StoredReport


@dataclass
class Checked:
    """What the check stage found: findings by rule code, the index the rules ran on, and how
    much ran (`rechecked` pages; `tree` whether the tree rules ran). With a `ChangeTarget`, the
    findings are those its report can show (see `check_warm`); `tables` covers them all."""

    findings: dict[str, list[Finding]]
    index: DocsIndex
    rechecked: int
    tree: bool
    # `about.target_table` of every path with findings (what a `ChangeTarget` asks; without one
    # and with nothing checked again, none)
    tables: dict[str, TargetTable]
    # with a report key: the report stored for the state found unchanged (when `served`, no
    # finding was read: `findings` is empty), or for the state this run wrote, to store
    report: StoredReport | None = None


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
    target: ChangeTarget | None = None,
    report_key: str | None = None,
) -> Checked:
    """Run the page and tree rules among `rules` that the stored state does not answer.

    `target` (a run restricted to some paths): of the stored findings, only those the report
    can show are decoded: the findings in the named paths and those whose reference names one
    of `target.wanted` (`about.findings_about` decides which), found by the paths the state
    keeps beside each page record. Every page record read is checked with its group
    (`StoredPages.record`), every finding decoded in full (`lint_state.check_rows`); a
    malformed one makes the state ignored.

    `report_key` (a whole-tree run whose report depends on nothing but the findings, see
    `report_cache`): when nothing changed since the stored state, the report stored under
    that key for this state is looked up; when there is one, no finding is read. A run that
    wrote a new state gets the place of the report for that state, where its own is stored."""
    local = [rule for rule in rules if rule.scope is not Scope.NETWORK]
    state = LintState(cache_dir, index.docs_root, binding, local)
    state.load()
    stored = state.stored()
    recorder = Recorder()
    index = tracked(index, recorder)
    context.set_index(index)
    layout = layout_digest(index)
    plan = None
    if (
        stored is not None
        and layout
        and stored.layout == layout
        and still_hold(stored.disk, index.docs_root)
    ):
        plan = _plan(stored, index, stats)
    report = None
    unchanged = plan is not None and not plan.recheck and not plan.tree
    if unchanged and report_key is not None and target is None and state.digest is not None:
        report = StoredReport.look_up(cache_dir, index.docs_root, report_key, state.digest)
        assert stored is not None  # (`unchanged`)
        report.disk = stored.disk
        if report.served is not None:
            return Checked({rule.code: [] for rule in local}, index, 0, False, {}, report)
    codes = frozenset(rule.code for rule in local)
    kept: dict[str, CodedFindings] = {}  # the stored findings read, by docname; "": the tree's
    if plan is not None and stored is not None:
        try:
            stored.decode()
            kept = _kept(stored, plan, index, target)
            check_rows(chain(*kept.values()), codes)
        except StateError:
            plan = None
    whole = plan is None or stored is None
    if plan is None:
        plan, kept = _Plan(set(index.pages), True), {}
    context.partial = not whole
    runner = _Runner(local, context, recorder)
    fresh: dict[str, Found] = {}  # the findings of the pages checked now
    records: dict[str, PageRecord] = {}
    for docname in sorted(plan.recheck):
        page = dict.__getitem__(index.pages, docname)
        records[docname] = runner.page_record(page, stats.digests[docname])
        fresh[docname] = runner.found
    tree_found = None
    tree: CodedFindings = ()
    coded_tree = None  # the tree findings as stored, when kept
    if whole or stored is None:
        pages = StoredPages.of(records)
    else:
        pages, tree, coded_tree = stored.pages.updated(records), stored.tree, stored.coded_tree
    if plan.tree:
        tree_found = runner.tree(index)
        tree, coded_tree = encode_findings(tree_found), None
    changed = bool(plan.recheck or plan.tree)
    tables: dict[str, TargetTable] = {}
    if changed or target is not None:  # else no one reads them (`Checked.tables`)
        redo = None if whole or plan.tree or stored is None else _moved_paths(plan, stored, fresh)
        tables = _tables(
            pages, tree, index, redo, {} if redo is None or stored is None else stored.about
        )
    by_code: dict[str, list[Finding]] = {rule.code: [] for rule in local}
    for docname in index.pages:
        found = fresh.get(docname)
        if found is not None:
            _add(by_code, found)
        elif docname in kept:
            _add(by_code, decode_rows(kept[docname]))
    _add(by_code, decode_rows(kept.get("", ())) if tree_found is None else tree_found)
    if changed:
        included = index.included if whole or stored is None else stored.included
        parses = _parses(pages, stored, stats)
        disk = index.disk.answers if whole or stored is None else stored.disk | index.disk.answers
        state.store(
            Stored(layout, pages, tree, included, tables, parses, disk, coded_tree=coded_tree)
        )
        written = state.save()
        report = None  # (also for a malformed state found while reading it)
        if written and layout and report_key is not None and target is None and state.digest:
            # the report of these findings, stored for the state just written: the next run
            # that finds nothing changed serves it (`report_cache`)
            report = StoredReport.look_up(cache_dir, index.docs_root, report_key, state.digest)
            report.disk = disk
    return Checked(by_code, index, len(plan.recheck), plan.tree, tables, report)


def _moved_paths(plan: _Plan, stored: Stored, found: dict[str, Found]) -> set[str]:
    """Paths whose findings a partial check may have changed: those of the re-checked pages'
    findings, before and after."""
    paths: set[str] = set()
    for docname in plan.recheck:
        paths.update(finding.path for _, finding in found[docname])
        paths.update(stored.pages.paths[docname])
    return paths


def _tables(
    pages: StoredPages,
    tree: CodedFindings,
    index: DocsIndex,
    redo: set[str] | None,
    stored: dict[str, TargetTable],
) -> dict[str, TargetTable]:
    """`about.target_table` of every path with findings (`pages`' and the tree rules', `tree`):
    worked out again for the paths in `redo` (None: all) and those the state lacks, the
    others' from the state. Reads the records of the pages with findings at those paths (read
    and checked by `_kept` already, or made in this run, but for findings a page rule made
    at another page's path)."""
    paths: set[str] = set().union(*pages.paths.values())
    paths.update(map(_PATH, tree))
    if redo is None:
        again = paths
    else:
        again = {path for path in paths if path in redo or path not in stored}
    tables = {path: stored[path] for path in paths if path not in again}
    starts: dict[str, set[tuple[int, int]]] = {path: set() for path in again}
    rows = [_findings(pages, d) for d, found in pages.paths.items() if not again.isdisjoint(found)]
    for row in chain(*rows, tree):
        if row[1] in again:
            starts[row[1]].add((row[2], row[3]))
    by_path = index.by_path
    for path, found_starts in starts.items():
        page = by_path.get(path)
        tables[path] = target_table(page, found_starts) if page is not None else {}
    return tables


def _findings(pages: StoredPages, docname: str) -> CodedFindings:
    """The findings of a page record; none when malformed (the report does not read them,
    and the next run to read them finds the state malformed)."""
    try:
        return pages.record(docname)[2]
    except StateError:
        return ()


def _kept(
    stored: Stored, plan: _Plan, index: DocsIndex, target: ChangeTarget | None
) -> dict[str, CodedFindings]:
    """The stored findings to read (by docname; "": the tree rules', when they do not run
    again): all of them, or for a `target` those at paths its report may show: the named
    ones, those whose findings' references name a wanted path (`about.names_about`; which
    findings exactly is `findings_about`'s to decide), and those whose findings' target
    tables this run may work out again (the re-checked pages' and their former findings').
    The page records read are checked (`StoredPages.record`); StateError when one is not as
    written, or the tree's findings are not of the encoded shape."""
    pages = stored.pages
    reused = [docname for docname in pages.digests if docname not in plan.recheck]
    tree = () if plan.tree else stored.tree
    check_shape(tree)
    for docname in plan.recheck:
        pages.record(docname)  # its former findings' paths are read: checked
    if target is None or plan.tree:  # (the tree rules' new findings: every table again)
        pages.read_all()
    if target is None:
        rows = {docname: pages.record(docname)[2] for docname in reused}
        rows = {docname: found for docname, found in rows.items() if found}
        return {**rows, "": tree} if tree else rows
    paths: set[str] = set().union(*map(pages.paths.__getitem__, reused))
    paths.update(map(_PATH, tree))
    about = stored.about
    again = {path for path in paths if path not in about}  # a table the state lacks
    for docname in plan.recheck:
        again.add(dict.__getitem__(index.pages, docname).path)
        again.update(pages.paths[docname])
    again.update(_about(about, wanted_paths(target.wanted)))
    keep = (paths & again) | ReportScope(target.paths).covered(paths)
    found = {
        docname: tuple(row for row in pages.record(docname)[2] if row[1] in keep)
        for docname in reused
        if not keep.isdisjoint(pages.paths[docname])  # (most pages: none kept)
    }
    if tree:
        found[""] = tuple(row for row in tree if row[1] in keep)
    return found


_PATH = itemgetter(1)


def _about(tables: dict[str, TargetTable], wanted: frozenset[str]) -> set[str]:
    """The paths of `tables` with a reference that names one of `wanted`."""
    names = set().union(*chain.from_iterable(map(dict.values, tables.values())))
    hits = names_about(wanted, names)
    if not hits:
        return set()
    return {
        path
        for path, table in tables.items()
        if not all(hits.isdisjoint(found) for found in table.values())
    }


def _add(by_code: dict[str, list[Finding]], found: Found) -> None:
    for code, finding in found:
        by_code[code].append(finding)


def _plan(stored: Stored, index: DocsIndex, stats: ParseStats) -> _Plan | None:
    """What to re-check after the content changes since `stored`; None: everything (also when
    a page record read is malformed)."""
    digests = stats.digests
    pages = stored.pages
    if pages.keys() != index.pages.keys() or digests.keys() != index.pages.keys():
        return None
    changed = [d for d, digest in pages.digests.items() if digest != digests[d]]
    if not changed:
        return _Plan(set(), False)
    keys: set[Key] = set()
    tree = False
    included = stored.included  # no partial check changes it
    try:
        for docname in changed:
            page = dict.__getitem__(index.pages, docname)
            old = _former(stored, stats, page, pages.digests[docname])
            if old is None or docname in included or old.body.includes or page.has_includes:
                return None
            if (old.body.headings, old.body.labels) != (page.body.headings, page.body.labels):
                keys.add(("anchors", docname))
            if old.body.labels != page.body.labels:
                keys.add(LABELS)
            tree = tree or body_signature(old) != body_signature(page)
            tree = tree or pages.record(docname)[1] != text_digest(page)
        recheck = set(changed)
        if keys:
            pages.read_all()
        for docname in pages.digests if keys else ():
            looked_up = pages.record(docname)[3]
            if not keys.isdisjoint(looked_up):
                if not valid_lookups(looked_up):
                    return None
                recheck.add(docname)
    except StateError:
        return None
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


def _parses(pages: StoredPages, stored: Stored | None, stats: ParseStats) -> dict[str, object]:
    """The parse results of the pages the snapshot file does not hold."""
    snapshot = stats.snapshot
    if snapshot is None:
        return {}
    kept: dict[str, object] = {}
    for digest in snapshot.not_on_disk(pages.digests.values()):
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
