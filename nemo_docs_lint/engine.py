"""The pipeline, start to end: discover -> parse -> index -> check -> filter.

Reporting is left to the caller (the CLI), so that every output format sees the same result.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from . import discover as discovery
from .config import Config, ConfigError, build_config, find_config_file, read_settings
from .context import CheckContext
from .index import DocsIndex
from .model import Diagnostic, Finding, Severity
from .page import Page
from .parse import PARALLEL_THRESHOLD, SUPPRESSION_MARK, ParseStats, parse_tree
from .registry import Rule, Scope, all_rules
from .schema_cache import ProblemStore
from .selection import SelectorError, code_matches, enabled_rules
from .source import Unreadable
from .suppressions import Suppressions, parse_suppressions


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


@dataclass
class LintResult:
    config: Config
    index: DocsIndex
    rules: list[Rule]
    diagnostics: list[Diagnostic]
    notes: list[str] = field(default_factory=list)
    baseline_known: int = 0  # problems hidden because the baseline lists them
    baseline_fixed: int = 0  # baseline entries that no longer match a problem


def resolve_config(request: LintRequest, cwd: Path | None = None) -> Config:
    """Find the docs root and the config file, validate, and apply CLI overrides."""
    cwd = cwd or Path.cwd()
    settings: dict = {}
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
    if request.paths:
        for path in request.paths:
            _check_named(path)
        try:
            docs_root = discovery.find_docs_root(request.paths)
        except discovery.DocsRootError as exc:
            raise ConfigError(str(exc)) from exc
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
    if request.external and not any(s == "ALL" or s.startswith("EXT") for s in chosen):
        extend += ("EXT",)  # --external adds the EXT rules unless the selection names some
    return config.with_overrides(
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


def _severity(value: str | None):
    return Severity(value) if value else None


def build_index(
    config: Config,
    use_cache: bool = True,
    parallel_threshold: int | None = None,
    stats: ParseStats | None = None,
    bodies: bool = True,
) -> DocsIndex:
    """Discover and parse every document of the tree (cached parses, workers for large trees)."""
    found = discovery.discover(
        config.docs_root, config.conf, config.exclude, bound=config.project_root
    )
    pages, unreadable = parse_tree(
        found.documents,
        config.conf.heading_anchor_depth,
        cache_dir=config.cache_dir if use_cache else None,
        docs_root=config.docs_root,
        parallel_threshold=PARALLEL_THRESHOLD if parallel_threshold is None else parallel_threshold,
        stats=stats,
        bodies=bodies,
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
    import gc

    # A lint builds ~50 long-lived objects per page (pages, spans, references, findings), and
    # none of them in cycles: the cyclic GC would scan the heap three times over (gen 0, 1, 2:
    # ~0.5-0.7 s of a warm 10k-page lint) and find ~1,500 garbage objects. Off during the run;
    # after a large one, what exists is frozen (`gc.freeze`), so that reporting and interpreter
    # exit do not rescan it either. Frozen objects are still freed by reference counting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = _lint(request, cwd)
        if len(result.index.pages) >= FREEZE_THRESHOLD:
            gc.freeze()
        return result
    finally:
        if enabled:
            gc.enable()


def _lint(request: LintRequest, cwd: Path | None) -> LintResult:
    config = resolve_config(request, cwd)
    registry = all_rules()
    try:
        rules = enabled_rules(registry, config.select, config.extend_select, config.ignore)
    except SelectorError as exc:
        raise ConfigError(str(exc)) from exc
    use_cache = request.use_cache and config.cache_dir is not None
    store = ProblemStore(config.cache_dir, config.docs_root) if use_cache else ProblemStore()
    _load_schemas(config, store)
    if any(rule.scope is Scope.NETWORK for rule in rules):
        _check_external_settings(config)
    bodies = request.need_bodies or any(rule.reads_body for rule in rules)
    index = build_index(config, use_cache=request.use_cache, bodies=bodies)
    context = CheckContext(config=config, index=index, problem_store=store)
    findings = [(rule, finding) for rule in rules for finding in _run_rule(rule, index, context)]
    store.save()
    only = _report_scope(request.paths, config.docs_root)
    diagnostics = filter_findings(findings, config, index, only)
    notes = list(config.conf.notes) + _suppression_notes(config)
    result = LintResult(config, index, rules, diagnostics, notes)
    if request.baseline is not None:
        _apply_baseline(result, request.baseline, only)
    return result


def _apply_baseline(result: LintResult, path: Path, scope: tuple[str, ...] | None) -> None:
    """Filter stage, last step: hide the problems the baseline lists; count fixed entries."""
    from . import baseline

    config, codes = result.config, {rule.code for rule in result.rules}
    prefix = Path(os.path.relpath(config.docs_root, config.project_root)).as_posix()

    def checked(repo_path: str, code: str) -> bool:
        docs_path = repo_path if prefix == "." else repo_path.removeprefix(prefix + "/")
        return code in codes and _in_scope(docs_path, scope)

    outcome = baseline.apply(path, result.diagnostics, config, result.index, checked)
    result.diagnostics = outcome.diagnostics
    result.baseline_known, result.baseline_fixed = outcome.known, outcome.fixed


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


def _check_external_settings(config: Config) -> None:
    """Validate external-link settings and the false-positives file before any work."""
    from .external import FalsePositivesError
    from .external.falsepositives import load_false_positives

    settings = config.external_settings()
    if settings.false_positives:
        try:
            load_false_positives(settings.false_positives)
        except FalsePositivesError as exc:
            raise ConfigError(str(exc)) from exc


def _load_schemas(config: Config, store: ProblemStore) -> None:
    """Check every configured schema up front, so a bad one is a config error, not a crash
    (a schema file the cache has seen load is not loaded again: see ProblemStore.check_schema)."""
    from .schema import SchemaLoadError, default_schema_path

    paths = {config.schema or default_schema_path()} | {p for _, p in config.schemas if p}
    for path in sorted(paths):
        try:
            store.check_schema(path)
        except SchemaLoadError as exc:
            raise ConfigError(str(exc)) from exc


def _run_rule(rule: Rule, index: DocsIndex, context: CheckContext):
    if rule.scope is Scope.PAGE:
        for page in index.pages.values():
            yield from rule.check(page, context)
    else:
        yield from rule.check(index, context)


def _report_scope(paths: Sequence[Path], docs_root: Path) -> tuple[str, ...] | None:
    """Docs-root-relative paths (files or folders) to report on; None means everything."""
    if not paths:
        return None
    scope = []
    for path in paths:
        absolute = path.absolute()
        try:
            relative = absolute.relative_to(docs_root)
        except ValueError:
            try:
                relative = absolute.resolve().relative_to(docs_root)
            except ValueError:
                continue
        if str(relative) == ".":
            return None
        scope.append(relative.as_posix())
    return tuple(scope)


def _in_scope(path: str, scope: tuple[str, ...] | None) -> bool:
    return scope is None or any(path == s or path.startswith(s + "/") for s in scope)


def filter_findings(
    findings: list[tuple[Rule, Finding]],
    config: Config,
    index: DocsIndex,
    scope: tuple[str, ...] | None,
) -> list[Diagnostic]:
    """Apply scope, per-file ignores, inline suppressions and severity overrides; sort."""
    from .globs import matches

    pages_by_path = {page.path: page for page in index.pages.values()}
    tables: dict[str, Suppressions | None] = {}  # None: the file suppresses nothing
    severities: dict[str, Severity] = {}
    per_file_ignores = config.per_file_ignores
    diagnostics = []
    hidden_by_sphinx: set[str] = set()
    if config.respect_suppress_warnings:
        from .sphinx_conf import suppressed_codes

        hidden_by_sphinx = {c for codes in suppressed_codes(config.conf).values() for c in codes}
    for rule, finding in findings:
        path, code = finding.path, rule.code
        if (scope is not None and not _in_scope(path, scope)) or code in hidden_by_sphinx:
            continue
        if per_file_ignores and any(
            matches(path, glob) and code_matches(code, codes) for glob, codes in per_file_ignores
        ):
            continue
        span = finding.span
        if path in tables:
            table = tables[path]
        else:
            page = pages_by_path.get(path)
            table = tables[path] = None if page is None else _suppressions(page)
        if table is not None and table.suppresses(code, span.line):
            continue
        severity = severities.get(code)
        if severity is None:
            severity = severities[code] = _override(config, rule)
        diagnostics.append(
            Diagnostic(
                code,
                severity,
                path,
                span.line,
                span.column,
                finding.message,
                span.end_line,
                span.end_column,
                finding.fix,
                finding.anchor,
            )
        )
    diagnostics.sort(key=_SORT_KEY)
    return diagnostics


# Diagnostic.sort_key's fields, read in C.
_SORT_KEY = attrgetter("path", "line", "column", "code", "message")


def _suppressions(page: Page) -> Suppressions | None:
    """The page's inline suppressions; None without any `nemo-docs-lint:` comment (most pages:
    no parsing, and no splitting the text into lines for the last line's number)."""
    comments = page.body.comments
    if not any(SUPPRESSION_MARK in comment.text for comment in comments):
        return None
    return parse_suppressions(comments, len(page.lines))


def _override(config: Config, rule: Rule):
    best = None
    for selector, severity in config.severity.items():
        if rule.code.startswith(selector) and (best is None or len(selector) > len(best[0])):
            best = (selector, severity)
    return best[1] if best else rule.severity
