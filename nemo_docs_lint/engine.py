"""The pipeline, start to end: discover -> parse -> index -> check -> filter; and what may follow
a lint (`apply_fixes`, `write_baseline`).

Reporting is left to the caller (the CLI), so that every output format sees the same result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import discover as discovery
from .about import ChangeTarget, TargetTable, change_target, follow_change
from .config import Config, ConfigError, build_config, find_config_file, read_settings
from .context import CheckContext
from .filter import ReportScope, filter_findings
from .gc_pause import freeze, gc_paused
from .index import DocsIndex
from .model import DIAGNOSTIC_ORDER, Diagnostic, Finding, LintResult, Severity, Unreadable
from .parse import PARALLEL_THRESHOLD, ParseStats, SnapshotChanged, parse_tree
from .registry import Rule, Scope, all_rules, families, families_of
from .selection import SelectorError, code_matches, enabled_rules
from .source import overlaid

if TYPE_CHECKING:
    from .baseline import Written

if TYPE_CHECKING:
    from .changes import ChangeSet
    from .edits import Edit
    from .fix import FixPlan
    from .report_cache import StoredReport
    from .tree_stamp import TreeStamp


@dataclass(frozen=True)
class LintRequest:
    """What the user asked for, before any file is read."""

    paths: tuple[Path, ...] = ()
    config_file: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    schema: Path | None = None
    fail_on: str | None = None
    external: bool = False
    use_cache: bool = True
    need_bodies: bool = False  # parse page bodies even when no selected rule reads them
    baseline: Path | None = None  # report only problems this baseline file does not list
    changed: bool = False  # report only what the change touches, even with no file named
    changes: ChangeSet | None = None  # git's change set when the caller has read it already
    # the caller's `report_cache.report_key` for a report that depends on nothing but the
    # findings: a whole-tree run that changed nothing may serve the stored report
    report_key: str | None = None


def resolve_config(request: LintRequest, cwd: Path | None = None) -> Config:
    """Find the docs root and the config file, validate, and apply CLI overrides."""
    cwd = cwd or Path.cwd()
    settings: dict[str, Any] = {}
    config_path = request.config_file
    if config_path is not None:
        if not config_path.is_file():
            exists = config_path.exists()
            raise ConfigError(
                f"config file {config_path} "
                + ("is not a regular file" if exists else "does not exist")
            )
        config_path = config_path.resolve()
        settings = read_settings(config_path)
    warnings: tuple[str, ...] = ()
    if request.paths:
        unsaved = overlaid()
        for path in request.paths:
            if _real(path) not in unsaved:
                _check_named(path)
        configured = _configured_root(request.paths, config_path, settings)
        try:
            found_root = discovery.find_docs_root(request.paths, configured, cwd)
        except discovery.DocsRootError as exc:
            raise ConfigError(str(exc)) from exc
        docs_root = found_root.path
        warnings = (found_root.warning,) if found_root.warning else ()
    else:
        found = config_path or find_config_file(cwd.resolve())
        if found and not settings:
            settings, config_path = read_settings(found), found
        root = settings.get("root")
        docs_root = (config_path.parent / root) if (root and config_path) else cwd
    docs_root = docs_root.resolve()
    if config_path is None:
        config_path = find_config_file(docs_root)
        if config_path is not None:
            settings = read_settings(config_path)
    conf = discovery.load_sphinx_conf(docs_root)
    config = build_config(docs_root, conf, settings, config_path)
    extend = tuple(config.extend_select) + request.extend_select
    chosen = (*(request.select or config.select or ()), *extend)
    if request.external:  # adds the network rules, unless the selection names some
        network = [code for code, r in all_rules().items() if r.scope is Scope.NETWORK]
        if not any(code_matches(code, chosen) for code in network):
            extend += tuple(network)
    return config.with_overrides(
        warnings=warnings or None,
        select=request.select,
        extend_select=extend,
        ignore=(config.ignore + request.ignore) if request.ignore else None,
        schema=request.schema.resolve() if request.schema else None,
        fail_on=_severity(request.fail_on),
        use_cache=request.use_cache,
    )


def _check_named(path: Path) -> None:
    """A named path that does not exist is a usage error; one that exists but cannot be read
    (permissions, a symlink loop on the way) is linted, and reported as the whole tree would."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ConfigError(f"{path}: no such file or folder") from exc
    except OSError:
        pass


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _configured_root(
    paths: tuple[Path, ...], config_path: Path | None, settings: dict[str, Any]
) -> Path | None:
    """The `root` of the config given, or of the one found upward from the first path."""
    if config_path is None:
        start = paths[0].absolute()
        found = find_config_file(start if start.is_dir() else start.parent)
        if found is None:
            return None
        config_path, settings = found, read_settings(found)
    root = settings.get("root")
    return (config_path.parent / root).resolve() if root else None


def _severity(value: str | None) -> Severity | None:
    return Severity(value) if value else None


def build_index_with_texts(config: Config, **options: Any) -> DocsIndex:
    """`build_index` for callers that keep the index (the language server) or edit from it
    (`mv`): every page's text is read now, so that none is read later from a file changed
    since; a file that changed while the tree was read makes every file be read again."""
    index = build_index(config, **options)
    try:
        for page in index.pages.values():
            page.text  # noqa: B018  # a snapshot page reads its text on first use
    except SnapshotChanged:
        index = build_index(config, **(options | {"trust_stat": False}))
    return index


def build_index(
    config: Config,
    use_cache: bool = True,
    parallel_threshold: int | None = None,
    stats: ParseStats | None = None,
    bodies: bool = True,
    content: bool = True,
    trust_stat: bool = True,
) -> DocsIndex:
    """Discover and parse every document of the tree (cached parses, workers for large trees);
    `content=False`: bodies without what only content rules read (`Rule.reads_content`);
    `trust_stat=False`: every file read, none trusted by its snapshot record."""
    binding = ""
    snapshot = None  # the tree snapshot: folder listings for discover, records for parse
    if use_cache and config.cache_dir is not None:
        binding = _binding(config, content)
        if bodies:  # see parse_tree
            from .parse_cache import ParseCache

            depth = config.conf.heading_anchor_depth
            snapshot = ParseCache(config.cache_dir, config.docs_root, depth, binding)
            snapshot.load()
    found = discovery.discover(
        config.docs_root,
        config.conf,
        config.exclude,
        bound=config.project_root,
        listings=snapshot,
        trust=trust_stat,
    )
    pages, unreadable = parse_tree(
        found.documents,
        config.conf.heading_anchor_depth,
        cache_dir=config.cache_dir if use_cache else None,
        docs_root=config.docs_root,
        snapshot=snapshot,
        parallel_threshold=PARALLEL_THRESHOLD if parallel_threshold is None else parallel_threshold,
        stats=stats,
        bodies=bodies,
        binding=binding,
        content=content,
        trust_stat=trust_stat,
    )
    for loop in found.loops:
        unreadable.append((loop, _loop_problem(config.docs_root, loop)))
    for folder, target in found.outside:
        where = "repository" if config.repo_root else "project"
        unreadable.append(
            (
                folder,
                Unreadable(
                    f"folder symlink `{folder}` leads outside the {where} (to `{target}`); "
                    "its contents were not walked"
                ),
            )
        )
    return DocsIndex(
        pages=pages,
        unreadable=sorted(unreadable, key=lambda item: item[0]),
        duplicate_sources=found.duplicate_sources,
        docs_root=config.docs_root,
        root_doc=config.conf.root_doc,
        generated=tuple(dict.fromkeys(config.conf.generated_dirs + config.generated)),
        files=found.files,
        folders=found.folders,
        conf=config.conf,
    )


def _loop_problem(docs_root: Path, relpath: str) -> Unreadable:
    """NDL001 for a folder symlink that leads back to one of its ancestors."""
    try:
        target = os.readlink(docs_root / relpath)
    except OSError:
        target = "an ancestor"
    return Unreadable(
        f"symlink loop: folder `{relpath}` points back to its ancestor `{target}`; "
        "its contents were skipped (Sphinx would walk it again and again)"
    )


# From this many pages on, `lint` hands the objects it built to the permanent GC generation.
FREEZE_THRESHOLD = 1000


def lint(request: LintRequest, cwd: Path | None = None) -> LintResult:
    """Run the whole pipeline and return the filtered, sorted diagnostics."""
    with gc_paused():
        try:
            result = _lint(request, cwd)
        except SnapshotChanged:  # a file changed while read: again, every file read now
            result = _lint(request, cwd, trust_stat=False)
        if len(result.index.pages) >= FREEZE_THRESHOLD:
            freeze()
        return result


def _lint(request: LintRequest, cwd: Path | None, trust_stat: bool = True) -> LintResult:
    started_ns = time.time_ns()  # (what `TreeStamp.take` dates the tree's files against)
    config = resolve_config(request, cwd)
    registry = all_rules()
    try:
        rules = enabled_rules(registry, config.select, config.extend_select, config.ignore)
    except SelectorError as exc:
        raise ConfigError(str(exc)) from exc
    for declared in families().values():
        if declared.validate_config is not None:
            declared.validate_config(config)
    context = CheckContext(config, use_cache=request.use_cache)
    selected = families_of(rules)
    for declared in selected:
        if declared.prepare is not None:
            declared.prepare(config, context)
    bodies = request.need_bodies or any(rule.reads_body for rule in rules)
    content = _reads_content(rules)
    scope = ReportScope.from_paths(request.paths, config.docs_root)
    stamp = _tree_stamp(request, config, rules, scope, bodies and trust_stat)
    if stamp is not None and request.report_key is not None:
        served = stamp.serve(request.report_key)
        if served is not None:
            notes = list(config.conf.notes) + _suppression_notes(config)
            index = DocsIndex(pages={}, docs_root=config.docs_root, conf=config.conf)
            return LintResult(config, index, rules, [], notes, report=served, counted=stamp.counts)
    stats = ParseStats()
    index = build_index(
        config,
        use_cache=request.use_cache,
        bodies=bodies,
        stats=stats,
        content=content,
        trust_stat=trust_stat,
    )
    context.set_index(index)
    target = change_target(scope, config, request.changed, request.changes)
    index, findings, tables, report = _check(rules, index, context, stats, target, request)
    for declared in selected:
        if declared.finish is not None:
            declared.finish(context)
    if stamp is not None and report is not None:
        stamp.take(index, report, started_ns)
    if report is not None and report.served is not None:
        if stats.snapshot is not None:
            stats.snapshot.save_replaced()
        notes = list(config.conf.notes) + _suppression_notes(config)
        return LintResult(config, index, rules, [], notes, scope=scope.paths, report=report)
    scope, change_notes, hints = follow_change(scope, target, findings, index, tables)
    filtered = filter_findings(findings, config, index, scope, request.baseline, rules)
    if stats.snapshot is not None:
        stats.snapshot.save_replaced()
    notes = list(config.conf.notes) + _suppression_notes(config) + change_notes
    return LintResult(
        config,
        index,
        rules,
        filtered.diagnostics,
        notes,
        baseline_known=filtered.baseline_known,
        baseline_fixed=filtered.baseline_fixed,
        hints=hints,
        scope=scope.paths,
        report=report,
    )


def _suppression_notes(config: Config) -> list[str]:
    """Say which conf.py `suppress_warnings` hide problems from Sphinx builds."""
    from .sphinx_conf import suppressed_codes

    notes = []
    for name, codes in suppressed_codes(config.conf).items():
        action = "not reported" if config.respect_suppress_warnings else "reported anyway"
        notes.append(
            f"conf.py suppress_warnings hides `{name}` from Sphinx builds; "
            f"{', '.join(codes)} {action}"
            + (
                ""
                if config.respect_suppress_warnings
                else " (set respect-suppress-warnings = true to hide them)"
            )
        )
    return notes


def _check(
    rules: list[Rule],
    index: DocsIndex,
    context: CheckContext,
    stats: ParseStats,
    target: ChangeTarget | None = None,
    request: LintRequest | None = None,
) -> tuple[
    DocsIndex, list[tuple[Rule, Finding]], dict[str, TargetTable] | None, StoredReport | None
]:
    """The check stage: every rule's findings, in rule order, the index they ran on and, from
    the stored state, the findings' `about.target_table`s (None: not known) and the stored
    report (`LintRequest.report_key`; when served, no finding). With the tree snapshot in use,
    only what changed since the stored state runs (`warm`), and of the stored findings only
    those the report of `target` can show are read."""
    config = context.config
    if stats.snapshot is None or config.cache_dir is None or overlaid():
        from . import check_split

        if check_split.usable(len(index.pages), rules):
            return index, check_split.check_split(rules, index, context, _run_rule), None, None
        found = [(rule, f) for rule in rules for f in _run_rule(rule, index, context)]
        return index, found, None, None
    from .warm import check_warm

    binding = _binding(config, _reads_content(rules))
    network = any(rule.scope is Scope.NETWORK for rule in rules)  # their findings: no table
    key = None if network or request is None else request.report_key
    checked = check_warm(rules, index, context, stats, config.cache_dir, binding, target, key)
    index = checked.index
    findings = [
        (rule, finding)
        for rule in rules
        for finding in (
            _run_rule(rule, index, context)
            if rule.scope is Scope.NETWORK
            else checked.findings[rule.code]
        )
    ]
    return index, findings, None if network else checked.tables, checked.report


def _tree_stamp(
    request: LintRequest, config: Config, rules: list[Rule], scope: ReportScope, warm: bool
) -> TreeStamp | None:
    """The tree stamp (loaded) of a run whose report the stamp may serve: a whole-tree run with
    a report key, the cache, the warm check (`warm`: bodies parsed, stat trusted; no buffer in
    place of a file) and no network rule, as `_check` asks `check_warm` for a stored report."""
    if request.report_key is None or not request.use_cache or config.cache_dir is None:
        return None
    if not warm or overlaid() or request.changed or scope.paths is not None:
        return None
    if any(rule.scope is Scope.NETWORK for rule in rules):
        return None
    from .tree_stamp import TreeStamp

    binding = _binding(config, _reads_content(rules))
    stamp = TreeStamp(config.cache_dir, config.docs_root, binding, rules)
    stamp.load()
    return stamp


def _reads_content(rules: list[Rule]) -> bool:
    """Whether a selected rule reads link text, code blocks or prose (`Rule.reads_content`)."""
    return any(rule.reads_body and rule.reads_content for rule in rules)


def _binding(config: Config, content: bool) -> str:
    """The tree snapshot's (and the lint state's) binding: parses without content apart."""
    from .parse_cache import snapshot_binding

    return snapshot_binding(config) + ("" if content else ":no-content")


def _run_rule(rule: Rule, index: DocsIndex, context: CheckContext) -> Iterator[Finding]:
    if rule.scope is Scope.PAGE:
        for page in index.pages.values():
            yield from rule.check(page, context)
    else:
        yield from rule.check(index, context)


@dataclass(frozen=True)
class FixOutcome:
    """What `apply_fixes` changed: the result without the fixed problems, and those problems."""

    result: LintResult
    fixed: tuple[Diagnostic, ...]  # in output order
    files: tuple[str, ...]  # docs-root-relative paths of the files rewritten
    renamed: tuple[Edit, ...] = ()  # references rewritten after git's renames
    failed: tuple[tuple[str, str], ...] = ()  # (path, why it could not be written)


def fix_plan(result: LintResult, unsafe: bool = False) -> FixPlan:
    """What `--fix` would change: every reference to what git shows renamed (one git call),
    and the diagnostics' fixes (safe ones; also unsafe ones when asked)."""
    from .changes import read_changes
    from .fix import plan_fixes

    config = result.config
    changes = read_changes(config.docs_root, config.repo_root)
    return plan_fixes(result.index, result.diagnostics, changes.renamed, unsafe)


def apply_fixes(result: LintResult, unsafe: bool = False) -> FixOutcome:
    """`--fix`: apply the edits to files that still read as linted (never writing a real file
    outside the project: a symlinked page leading out of it).

    After rename edits the diagnostics they settle are not known one by one: lint again.
    """
    from .fix import apply_edits

    plan = fix_plan(result, unsafe)
    read = LintedTexts(result.index)
    config = result.config
    report = apply_edits(config.docs_root, plan.edits, read, within=config.project_root)
    applied = {id(edit) for edit in report.applied}
    renamed = tuple(edit for edit in plan.renames if id(edit) in applied)
    fixed_list = [d for edit, d in plan.fixes if id(edit) in applied]
    fixed = {id(d) for d in fixed_list}
    remaining = [d for d in result.diagnostics if id(d) not in fixed]
    ordered = tuple(sorted(fixed_list, key=DIAGNOSTIC_ORDER))
    outcome = replace(result, diagnostics=remaining)
    return FixOutcome(outcome, ordered, report.files, renamed, report.failed)


class LintedTexts(Mapping[str, str]):
    """The texts the lint read, by path, each read when asked for (`parse.LazyPage`). A file
    that changed since it was linted maps to `CHANGED`, which no file reads as: its edits are
    refused as those of any file changed after the lint."""

    CHANGED = "\0"

    def __init__(self, index: DocsIndex) -> None:
        self.pages = index.by_path

    def __getitem__(self, path: str) -> str:
        page = self.pages[path]
        try:
            return page.text
        except SnapshotChanged:
            return self.CHANGED

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


def fix_diff(result: LintResult, unsafe: bool = False) -> str:
    """`--diff`: what `--fix` would change, as a unified diff; nothing is written."""
    from .fix import unified_diff

    read = LintedTexts(result.index)
    return unified_diff(result.config.docs_root, fix_plan(result, unsafe).edits, read)


def write_baseline(result: LintResult, path: Path) -> Written:
    """`--write-baseline`: record the result's problems in `path`, keeping the entries of an
    existing file that this run did not look at (other files, other rules)."""
    from . import baseline
    from .filter import baseline_checker

    checked = baseline_checker(result.config, ReportScope(result.scope), result.rules)
    return baseline.write(path, result.diagnostics, result.config, result.index, checked)
