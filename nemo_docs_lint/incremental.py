"""The incremental index: a linted tree that follows edits page by page.

`IncrementalLinter` holds the parsed tree, the raw findings of every rule and, for every page,
what its page-rule findings looked up in the rest of the tree (other documents, their anchors,
the label table, files by name or path). An update re-parses only the changed pages, patches the
index tables that can change, re-runs the page rules of the changed pages and of the pages whose
look-ups the change touched (a page that `{include}`s a changed file among them: its anchors and
labels are the includer's), re-runs the tree rules (labels, toctrees, orphans, reachability) only
when a change reaches what they read, and filters only the paths whose findings moved. The
result equals a from-scratch `engine.lint` of the same texts (tests/test_incremental.py proves it
with random edits). Network rules (EXT) are never run here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import discover as discovery
from .config import Config, ConfigError
from .context import CheckContext
from .engine import LintRequest, build_index_with_texts, resolve_config
from .filter import filter_findings
from .index import DocsIndex, TocLink
from .lookups import (
    LABELS,
    Key,
    Recorder,
    TrackedIndex,
    file_keys,
    replace_pages,
    tracked,
    tree_signature,
)
from .model import Diagnostic, Finding, Page
from .parse import parse_text
from .registry import Rule, Scope, all_rules, families, families_of
from .selection import SelectorError, enabled_rules

RawFindings = list[tuple[Rule, Finding]]


def normalise_text(text: str) -> str:
    """An editor buffer as the parser sees a file: no BOM, LF line endings."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


@dataclass
class UpdateStats:
    """What the last update recomputed."""

    parsed: int = 0
    rechecked: int = 0  # pages whose page rules ran again
    tree_rules: bool = False  # whether the tree rules ran again
    changed_paths: set[str] = field(default_factory=set)


class IncrementalLinter:
    """A docs tree kept linted under edits. Build with `open`, then `update` as texts change."""

    def __init__(self, config: Config, rules: list[Rule]) -> None:
        self.config = config
        self.rules = [r for r in rules if r.scope is not Scope.NETWORK]
        self.page_rules = [r for r in self.rules if r.scope is Scope.PAGE]
        self.tree_rules = [r for r in self.rules if r.scope is Scope.TREE]
        self.workers = True  # parse large trees in worker processes (see `open`)
        self.prepared: CheckContext | None = None  # the families' prepared context, at open
        self.recorder = Recorder()
        self.depth = config.conf.heading_anchor_depth
        self.suffixes = tuple(config.conf.source_suffixes)
        self.excluded = discovery.exclusion_regex(config.conf, config.exclude)
        self.index: TrackedIndex = self._tracked(DocsIndex(pages={}))
        self.page_raw: dict[str, RawFindings] = {}  # docname -> page-rule findings
        self.tree_raw: dict[str, RawFindings] = {}  # path -> tree-rule findings
        self.deps: dict[str, set[Key]] = {}
        self.dependents: dict[Key, set[str]] = {}
        self.diagnostics: dict[str, list[Diagnostic]] = {}  # path -> filtered, sorted
        self.given: dict[str, str] = {}  # texts `update` received, for a rebuild
        self.file_set: set[str] = set()
        self.tree_pending = False  # a deferred update left the tree rules to run
        self.toc_by_parent: dict[str, list[TocLink]] | None = None
        self.last = UpdateStats()

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        docs_root: Path,
        config_file: Path | None = None,
        use_cache: bool = True,
        workers: bool = True,
    ) -> IncrementalLinter:
        """Index and lint the tree at `docs_root` as `nemo-docs-lint DOCS_ROOT` would.

        `workers=False` parses in this process only: a process with threads (the language
        server) must not fork the parser's worker processes, which can inherit a held lock."""
        config = resolve_config(
            LintRequest(paths=(docs_root,), config_file=config_file, use_cache=use_cache)
        )
        try:
            rules = enabled_rules(all_rules(), config.select, config.extend_select, config.ignore)
        except SelectorError as exc:
            raise ConfigError(str(exc)) from exc
        from .schema import load_validator

        load_validator.cache_clear()  # a schema file may have changed since the last open
        for declared in families().values():
            if declared.validate_config is not None:
                declared.validate_config(config)
        context = CheckContext(config, use_cache=use_cache)
        selected = families_of(rules)
        for declared in selected:
            if declared.prepare is not None:
                declared.prepare(config, context)
        linter = cls(config, rules)
        linter.workers = workers
        linter.prepared = context
        try:
            linter.rebuild(use_cache=use_cache)
            for declared in selected:
                if declared.finish is not None:
                    declared.finish(context)
        finally:
            linter.prepared = None
        return linter

    def rebuild(self, overlays: Mapping[str, str] | None = None, use_cache: bool = True) -> None:
        """Discover and parse the whole tree again (texts in `overlays` win over the disk)."""
        never = None if self.workers else sys.maxsize  # no worker processes
        index = build_index_with_texts(self.config, use_cache=use_cache, parallel_threshold=never)
        pages = dict(index.pages)
        for path, text in (overlays or {}).items():
            docname = self.docname_of(path)
            if docname in pages and pages[docname].path == path:
                pages[docname] = self._parse(path, docname, text)
        index.pages = pages
        self.index = self._tracked(index)
        self.file_set = set(index.files)
        self.toc_by_parent = None
        self.page_raw, self.deps, self.dependents = {}, {}, {}
        self._check_pages(sorted(pages))
        self.tree_raw = self._check_tree()
        self.tree_pending = False
        every = {f.path for raw in self.page_raw.values() for _, f in raw} | set(self.tree_raw)
        every |= {page.path for page in pages.values()}  # a page's unused suppressions too
        self.diagnostics = {}
        self._filter(every)

    def _tracked(self, index: DocsIndex) -> TrackedIndex:
        return tracked(index, self.recorder)

    def _parse(self, path: str, docname: str, text: str) -> Page:
        text = normalise_text(text)
        frontmatter, body = parse_text(text, path.endswith(".md"), self.depth)
        return Page(path, docname, text, frontmatter, body)

    # -- queries -----------------------------------------------------------------------------

    def docname_of(self, path: str) -> str | None:
        """The docname a docs-root-relative path would have as a document (None: not one)."""
        if self.excluded.match(path) or any(part.startswith(".") for part in path.split("/")[:-1]):
            return None
        suffix = next((s for s in self.suffixes if path.endswith(s)), None)
        return path[: -len(suffix)] if suffix else None

    def _page_docname(self, path: str) -> str | None:
        docname = self.docname_of(path)
        page = dict.get(self.index.pages, docname) if docname is not None else None
        return docname if page is not None and page.path == path else None

    def all_diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic of the tree, sorted as the CLI sorts them."""
        found = [d for items in self.diagnostics.values() for d in items]
        found.sort(key=lambda d: d.sort_key)
        return found

    # -- updating ----------------------------------------------------------------------------

    def update(self, changes: Mapping[str, str | None], settle: bool = True) -> set[str]:
        """Apply new texts (None: deleted) by docs-root-relative path; return the paths whose
        diagnostics changed. A path that is no document counts as a file added or removed.

        With `settle=False` the tree rules (labels, toctrees, orphans), when the change reaches
        them, wait for `settle()`: an editor publishes page diagnostics at once and the
        graph-level ones when typing pauses."""
        self.last = stats = UpdateStats()
        old = self.index
        included_before = _includers(old)  # before the pages change in place
        pages = old.pages  # changed in place: the old index is dropped, its tables kept
        before: dict[str, Page | None] = {}
        keys: set[Key] = set()
        files_changed = False
        for path, text in changes.items():
            docname = self.docname_of(path)
            existed = path in self.file_set
            current = dict.get(pages, docname) if docname is not None else None
            ignored_twin = any(path == ignored for ignored, _ in old.duplicate_sources)
            twin_moves = ignored_twin and not (existed and text is not None)
            if docname is not None and (twin_moves or self._needs_rebuild(path, text, current)):
                return self._rebuild_for(changes)
            if existed != (text is not None):
                files_changed = True
                keys |= file_keys(path)
                if text is None:
                    self.file_set.discard(path)
                else:
                    self.file_set.add(path)
            if docname is None or ignored_twin:
                continue  # a twin Sphinx ignores: its text matters to no rule
            before.setdefault(docname, current)
            if text is None:
                self.given.pop(path, None)
                if current is not None:
                    del pages[docname]
                continue
            page = self._parse(path, docname, text)
            if current is not None and current.body.toctrees == page.body.toctrees:
                # the same objects: tree rules and the carried toctree links compare identities
                page = replace(page, body=replace(page.body, toctrees=current.body.toctrees))
            pages[docname] = page
            self.given[path] = text
            stats.parsed += 1
        after = {d: dict.get(pages, d) for d in before}
        added_or_removed = {d for d in before if (before[d] is None) != (after[d] is None)}
        for docname in added_or_removed:
            keys |= {("page", docname), ("anchors", docname)}
        moved = _Moved.of(before, after)
        for docname in moved.anchors:
            keys.add(("anchors", docname))
        files = tuple(sorted(self.file_set)) if files_changed else old.files
        new = self._tracked(replace_pages(old, pages, files))
        included_after = _includers(new)
        includers = {
            d for p in changes for d in included_before.get(p, set()) | included_after.get(p, set())
        }
        if includers:  # what they include changed: their anchors, the labels, `included`
            moved.labels |= includers
            moved.tree = True
            keys |= {("anchors", d) for d in includers}
        changed_docs = set(before) | includers
        self._carry_tables(old, new, changed_docs, moved, bool(added_or_removed), files_changed)
        if moved.labels:  # names, kinds (titled or not) or places: whoever asked, asks again
            keys.add(LABELS)
        self.index = new
        recheck = {d for d in before if after[d] is not None}
        recheck |= {d for d in includers if dict.__contains__(pages, d)}
        recheck |= _include_targets(before, after, new)  # whether they are snippets (CQ)
        for key in keys:
            recheck |= self.dependents.get(key, set())
        touched = set(changes)
        for docname in recheck | set(before):
            touched |= {f.path for _, f in self.page_raw.get(docname, ())}
            if docname not in recheck or after.get(docname, True) is None:
                self._forget(docname)
        recheck = {d for d in recheck if dict.__contains__(pages, d)}
        self._check_pages(sorted(recheck))
        stats.rechecked = len(recheck)
        touched |= {f.path for d in recheck for _, f in self.page_raw[d]}
        if added_or_removed or files_changed or moved.tree:
            self.tree_pending = True
        if settle and self.tree_pending:
            touched |= self._run_tree()
        stats.changed_paths = self._filter(touched)
        return stats.changed_paths

    def settle(self) -> set[str]:
        """Run the tree rules an `update(..., settle=False)` left pending; return the paths
        whose diagnostics changed. Until then, tree-rule findings are those of before."""
        if not self.tree_pending:
            return set()
        self.last = UpdateStats()
        self.last.changed_paths = self._filter(self._run_tree())
        return self.last.changed_paths

    def _run_tree(self) -> set[str]:
        """Run every tree rule again; return the paths whose tree findings moved."""
        self.tree_pending = False
        self.last.tree_rules = True
        tree = self._check_tree()
        touched = set()
        for path in set(tree) | set(self.tree_raw):
            if _key_list(tree.get(path)) != _key_list(self.tree_raw.get(path)):
                touched.add(path)
        self.tree_raw = tree
        return touched

    def _rebuild_for(self, changes: Mapping[str, str | None]) -> set[str]:
        before = dict(self.diagnostics)
        self.rebuild(self._overlays(changes))
        self.last.changed_paths = {
            p
            for p in set(before) | set(self.diagnostics)
            if before.get(p) != self.diagnostics.get(p)
        }
        return self.last.changed_paths

    def _needs_rebuild(self, path: str, text: str | None, current: Page | None) -> bool:
        """Changes the index cannot follow page by page: a second source for a docname, a
        twin source (`x.md` beside `x.rst`) going, an unreadable file."""
        index = self.index
        return (
            (current is not None and current.path != path)
            or (text is None and any(path == kept for _, kept in index.duplicate_sources))
            or any(p == path for p, _ in index.unreadable)
        )

    def _overlays(self, changes: Mapping[str, str | None]) -> dict[str, str]:
        """The texts given to `update` (open editor buffers), which win over the disk."""
        for path, text in changes.items():
            if text is None:
                self.given.pop(path, None)
            else:
                self.given[path] = text
        return dict(self.given)

    def _carry_tables(
        self,
        old: DocsIndex,
        new: DocsIndex,
        changed_docs: Iterable[str],
        moved: _Moved,
        pages_changed: bool,
        files_changed: bool,
    ) -> None:
        """Reuse or patch the old index's lazily built tables where the change allows."""
        cache, fresh = old.__dict__, new.__dict__
        if "_anchor_cache" in cache:
            anchors = fresh["_anchor_cache"] = cache["_anchor_cache"]
            for docname in changed_docs:
                anchors.pop((docname, False), None)
                anchors.pop((docname, True), None)
        if not files_changed and "_files_by_name" in cache:
            fresh["_files_by_name"] = cache["_files_by_name"]
        if not pages_changed and not moved.labels and "labels" in cache:
            fresh["labels"] = cache["labels"]
        if pages_changed or files_changed:
            self.toc_by_parent = None
            return
        if not moved.toctrees:
            for name in ("toc_links", "toctree_children", "in_some_toctree", "reachable"):
                if name in cache:
                    fresh[name] = cache[name]
            return
        by_parent = self._toc_by_parent(old)
        for docname in moved.toctrees:
            links = new.links_of(docname)
            if links:
                by_parent[docname] = links
            else:
                by_parent.pop(docname, None)
        fresh["toc_links"] = [link for p in sorted(by_parent) for link in by_parent[p]]

    def _toc_by_parent(self, index: DocsIndex) -> dict[str, list[TocLink]]:
        """The toctree links grouped by the page that lists them (kept between updates)."""
        if self.toc_by_parent is None:
            grouped: dict[str, list[TocLink]] = {}
            for link in index.toc_links:
                grouped.setdefault(link.parent, []).append(link)
            self.toc_by_parent = grouped
        return self.toc_by_parent

    # -- checking ----------------------------------------------------------------------------

    def _context(self) -> CheckContext:
        """The families' prepared context while opening; later a fresh one per update (the
        families' per-run state is keyed by page, and the pages change)."""
        if self.prepared is not None:
            self.prepared.set_index(self.index)
            return self.prepared
        return CheckContext(self.config, self.index, use_cache=False)

    def _check_pages(self, docnames: Iterable[str]) -> None:
        context = self._context()
        pages = self.index.pages
        recorder = self.recorder
        for docname in docnames:
            page = dict.__getitem__(pages, docname)
            self._forget(docname)
            keys: set[Key] = set()
            recorder.keys = keys
            try:
                raw = [(r, f) for r in self.page_rules for f in r.check(page, context)]
            finally:
                recorder.keys = None
            self.page_raw[docname] = raw
            self.deps[docname] = keys
            for key in keys:
                self.dependents.setdefault(key, set()).add(docname)

    def _forget(self, docname: str) -> None:
        self.page_raw.pop(docname, None)
        for key in self.deps.pop(docname, ()):
            users = self.dependents.get(key)
            if users is not None:
                users.discard(docname)
                if not users:
                    del self.dependents[key]

    def _check_tree(self) -> dict[str, RawFindings]:
        context = self._context()
        found: dict[str, RawFindings] = {}
        for rule in self.tree_rules:
            for finding in rule.check(self.index, context):
                found.setdefault(finding.path, []).append((rule, finding))
        return found

    def _filter(self, paths: set[str]) -> set[str]:
        """Filter the findings of `paths` again; return those whose diagnostics changed."""
        if not paths:
            return set()
        findings: RawFindings = []
        for path in sorted(paths):
            docname = self.docname_of(path)  # page rules report on their own page only
            findings += [i for i in self.page_raw.get(docname or "", ()) if i[1].path == path]
            findings += self.tree_raw.get(path, [])
        pages = self.index.pages
        own = {d: dict.__getitem__(pages, d) for p in paths if (d := self._page_docname(p))}
        filtered: dict[str, list[Diagnostic]] = {path: [] for path in paths}
        only = replace_pages(self.index, own, ())  # suppressions are read from these pages
        filtered_findings = filter_findings(findings, self.config, only, rules=self.rules)
        for diagnostic in filtered_findings.diagnostics:
            filtered[diagnostic.path].append(diagnostic)
        changed = set()
        for path, items in filtered.items():
            if self.diagnostics.get(path, []) != items:
                changed.add(path)
            if items:
                self.diagnostics[path] = items
            else:
                self.diagnostics.pop(path, None)
        return changed


def _includers(index: DocsIndex) -> dict[str, set[str]]:
    """Included file (docs-root-relative path) -> the docnames that include it, transitively."""
    found: dict[str, set[str]] = {}
    for docname, parts in index.includes.items():
        for part in parts:
            found.setdefault(part.path, set()).add(docname)
    return found


def _key_list(raw: RawFindings | None) -> list[tuple[str, Finding]]:
    return [(rule.code, finding) for rule, finding in raw or ()]


def _include_targets(
    before: Mapping[str, Page | None], after: Mapping[str, Page | None], index: DocsIndex
) -> set[str]:
    """Documents that changed pages' `{include}`s named before or after, where those changed:
    whether a page is included decides whether page rules read it as a snippet."""
    from .includes import include_path

    found: set[str] = set()
    for docname, old in before.items():
        new = after[docname]
        if old is not None and new is not None and old.body.includes == new.body.includes:
            continue
        for page in (old, new):
            if page is None:
                continue
            for include in page.body.includes:
                target = index.by_path.get(include_path(page.path, include.target))
                if target is not None:
                    found.add(target.docname)
    return found


@dataclass
class _Moved:
    """Which index-level facts of the changed pages moved."""

    anchors: set[str] = field(default_factory=set)  # headings or labels changed
    labels: set[str] = field(default_factory=set)
    toctrees: set[str] = field(default_factory=set)
    tree: bool = False  # anything tree rules read (labels, toctrees, orphan, first line)

    @classmethod
    def of(cls, before: Mapping[str, Page | None], after: Mapping[str, Page | None]) -> _Moved:
        moved = cls()
        for docname, old in before.items():
            new = after[docname]
            if old is None or new is None:
                moved.anchors.add(docname)
                moved.labels.add(docname)
                moved.toctrees.add(docname)
                moved.tree = True
                continue
            if old.body.headings != new.body.headings or old.body.labels != new.body.labels:
                moved.anchors.add(docname)
            if old.body.labels != new.body.labels:
                moved.labels.add(docname)
            if old.body.toctrees != new.body.toctrees:
                moved.toctrees.add(docname)
            if tree_signature(old) != tree_signature(new):
                moved.tree = True
        return moved
